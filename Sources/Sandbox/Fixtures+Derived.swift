import JSON

/// Data derived on demand from one row (assignments and answers of a questionnaire, a photo's
/// evaluation) plus the visual-merchandising lists. Derived rows are seeded by their parent, so
/// they are the same on every request without being stored.
extension Dataset {
    /// 1–3 assignments; ids are `cuestionario id × 10 + n`, so they never collide across questionnaires.
    func asignaciones(of cuestionario: JSONValue) -> [JSONValue] {
        guard let id = cuestionario.int("id") else { return [] }
        var random = generator("asignaciones", String(id))
        let pending = cuestionario["estado"] == "pendiente"
        return (1...random.int(1...3)).map { n in
            [
                "id": .int(id * 10 + n), "cuestionario_id": .int(id),
                "sucursal_id": cuestionario["sucursal_id"] ?? .null,
                "usuario": .string(person(&random)), "rol": .string(random.pick(FixtureNames.roles)),
                "estado": .string(pending ? "pendiente" : "completada"),
                "fecha_asignacion": cuestionario["fecha"] ?? .null,
            ]
        }
    }

    /// One answer per question of the checklist for each completed assignment; ids are
    /// `asignacion id × 100 + question position`.
    func respuestas(of cuestionario: JSONValue) -> [JSONValue] {
        let questions = preguntas.filter { $0["check_id"] == cuestionario["check_id"] }
        var rows: [JSONValue] = []
        for asignacion in asignaciones(of: cuestionario) where asignacion["estado"] == "completada" {
            guard let asignacionID = asignacion.int("id") else { continue }
            var random = generator("respuestas", String(asignacionID))
            for (position, question) in questions.enumerated() {
                rows.append([
                    "id": .int(asignacionID * 100 + position + 1), "cuestionario_id": cuestionario["id"] ?? .null,
                    "asignacion_id": .int(asignacionID), "pregunta_id": question["id"] ?? .null,
                    "valor": answer(question["tipo"]?.stringValue, asignacionID: asignacionID, random: &random),
                ])
            }
        }
        return rows
    }

    private func answer(_ tipo: String?, asignacionID: Int, random: inout SandboxRandom) -> JSONValue {
        switch tipo {
        case "si_no": return random.chance(85) ? "si" : "no"
        case "escala_1_5": return .int(random.int(2...5))
        case "numero": return .double(Double(random.int(20...60)) / 10)
        case "foto":
            return .string(
                "https://fotos.sandbox.oneapp.cl/\(tenant.clientId)/checklist/\(asignacionID)-\(random.int(1...9)).jpg")
        default: return .string(random.pick(FixtureNames.observaciones))
        }
    }

    /// 5–6 areas, 2–3 categories per area, 2–3 criteria (razones) per category.
    mutating func generateVisual() {
        var random = generator("visual")
        for area in random.sample(FixtureNames.areas, random.int(5...6)) {
            let areaID = areas.count + 1
            areas.append(["id": .int(areaID), "nombre": .string(area), "activa": true])
            for categoria in random.sample(FixtureNames.categorias, random.int(2...3)) {
                let categoriaID = categorias.count + 1
                categorias.append(["id": .int(categoriaID), "nombre": .string(categoria), "area_id": .int(areaID)])
                for razon in random.sample(FixtureNames.razones, random.int(2...3)) {
                    razones.append([
                        "id": .int(razones.count + 1), "nombre": .string(razon), "categoria_id": .int(categoriaID),
                    ])
                }
            }
        }
    }

    /// Six photos already evaluated, against the names of 2–3 criteria each.
    mutating func generateFotos() {
        var random = generator("fotos")
        for n in 1...6 {
            let fecha = SandboxDate(dayNumber: Self.firstDay.dayNumber + random.int(0...364))
            let url = "https://fotos.sandbox.oneapp.cl/\(tenant.clientId)/visual/\(fecha.text)/foto-\(n).jpg"
            let criterios = random.sample(razones, random.int(2...3)).compactMap { $0["nombre"]?.stringValue }
            var foto: JSONObject = ["id": .int(n), "fecha": .string(fecha.text)]
            for member in evaluation(fotoURL: url, criterios: criterios) where member.key != "id" {
                foto.append(member.key, member.value)
            }
            fotos.append(.object(foto))
        }
    }

    /// A deterministic MOAI evaluation: each criterion scores 0–100 from the photo URL and its
    /// text, and passes at 60. The id is derived from the input, so repeating a POST repeats it.
    func evaluation(fotoURL: String, criterios: [String]) -> JSONObject {
        var results: [JSONValue] = []
        var total = 0
        for criterio in criterios {
            var random = generator("moai", fotoURL, criterio)
            let score = random.int(35...100)
            total += score
            results.append([
                "criterio": .string(criterio), "puntaje": .int(score), "cumple": .bool(score >= 60),
                "observacion": .string(score >= 60 ? "Cumple el estándar." : "Requiere corrección en: \(criterio)."),
            ])
        }
        var id = generator("moai-id", fotoURL, criterios.joined(separator: "\n"))
        return [
            "id": .int(100_000 + id.int(0...899_999)), "foto_url": .string(fotoURL),
            "criterios": .array(criterios.map(JSONValue.string)), "estado": "evaluada",
            "resultado": [
                "puntaje_total": criterios.isEmpty ? .null : .int(total / criterios.count),
                "criterios": .array(results),
            ],
        ]
    }
}
