import JSON

/// One tenant's fixture data, generated once from its client ID. Rows are JSON objects with the
/// upstream's Spanish field names; ids are sequential from 1 within each list.
struct Dataset: Sendable {
    let tenant: SandboxTenant
    var subgerencias: [JSONValue] = []
    var zonas: [JSONValue] = []
    var sucursales: [JSONValue] = []
    var checks: [JSONValue] = []
    var ambitos: [JSONValue] = []
    var preguntas: [JSONValue] = []
    var cuestionarios: [JSONValue] = []
    var areas: [JSONValue] = []
    var categorias: [JSONValue] = []
    var razones: [JSONValue] = []
    var fotos: [JSONValue] = []

    /// Questionnaires exist on these days (inclusive); other ranges simply find none.
    static let firstDay = SandboxDate("2025-01-01")!
    static let lastDay = SandboxDate("2026-12-31")!

    init(tenant: SandboxTenant) {
        self.tenant = tenant
        generateOrganisation()
        generateChecklists()
        generateCuestionarios()
        generateVisual()
        generateFotos()
    }

    /// A generator for one part of the data: parts do not disturb each other's sequences.
    func generator(_ part: String, _ more: String...) -> SandboxRandom {
        SandboxRandom([tenant.clientId, part] + more)
    }

    func person(_ random: inout SandboxRandom) -> String {
        "\(random.pick(FixtureNames.firstNames)) \(random.pick(FixtureNames.lastNames))"
    }

    /// Sub-managements → zones (at least one each) → 2–4 branches per zone in distinct comunas.
    private mutating func generateOrganisation() {
        var random = generator("organisation")
        for (subgerencia, templates) in FixtureNames.geography {
            let subgerenciaID = subgerencias.count + 1
            subgerencias.append([
                "id": .int(subgerenciaID), "nombre": .string(subgerencia), "responsable": .string(person(&random)),
            ])
            let kept = templates.filter { _ in random.chance(80) }
            for (nombre, places) in kept.isEmpty ? [random.pick(templates)] : kept {
                let zonaID = zonas.count + 1
                zonas.append(["id": .int(zonaID), "nombre": .string(nombre), "subgerencia_id": .int(subgerenciaID)])
                for place in random.sample(places, random.int(2...4)) {
                    sucursales.append(sucursal(place, zonaID: zonaID, random: &random))
                }
            }
        }
    }

    private func sucursal(_ place: FixtureNames.Place, zonaID: Int, random: inout SandboxRandom) -> JSONValue {
        [
            "id": .int(sucursales.count + 1),
            "nombre": .string("\(tenant.brand) \(place.comuna)\(random.pick(FixtureNames.branchSuffixes))"),
            "direccion": .string("\(random.pick(FixtureNames.streets)) \(random.int(100...3999))"),
            "comuna": .string(place.comuna),
            "ciudad": .string(place.ciudad),
            "region": .string(place.region),
            "zona_id": .int(zonaID),
            "activa": .bool(random.chance(92)),
        ]
    }

    /// Seven checklists (the first five active), each with 3–5 scopes of 2–3 questions.
    private mutating func generateChecklists() {
        var random = generator("checklists")
        for (index, check) in random.sample(FixtureNames.checks, 7).enumerated() {
            let checkID = index + 1
            checks.append([
                "id": .int(checkID), "nombre": .string(check.nombre), "descripcion": .string(check.descripcion),
                "activo": .bool(index < 5 || random.chance(50)),
            ])
            for (orden, ambito) in random.sample(FixtureNames.ambitos, random.int(3...5)).enumerated() {
                let ambitoID = ambitos.count + 1
                ambitos.append([
                    "id": .int(ambitoID), "check_id": .int(checkID), "nombre": .string(ambito),
                    "orden": .int(orden + 1),
                ])
                for pregunta in random.sample(FixtureNames.preguntas, random.int(2...3)) {
                    preguntas.append([
                        "id": .int(preguntas.count + 1), "check_id": .int(checkID), "ambito_id": .int(ambitoID),
                        "texto": .string(pregunta.texto), "tipo": .string(pregunta.tipo),
                        "obligatoria": .bool(random.chance(70)),
                    ])
                }
            }
        }
    }

    /// About one execution of each checklist every five days, at a random active branch.
    private mutating func generateCuestionarios() {
        var random = generator("cuestionarios")
        let branches = sucursales.filter { $0["activa"] == true }.compactMap { $0["id"]?.intValue }
        for day in Self.firstDay.dayNumber...Self.lastDay.dayNumber {
            for check in checks where random.chance(20) {
                let estado = random.int(0...9)
                let score = estado < 9 ? JSONValue.double(Double(random.int(550...1000)) / 10) : .null
                cuestionarios.append([
                    "id": .int(cuestionarios.count + 1), "check_id": check["id"] ?? .null,
                    "sucursal_id": .int(random.pick(branches)), "fecha": .string(SandboxDate(dayNumber: day).text),
                    "estado": .string(estado < 8 ? "completado" : estado < 9 ? "en_revision" : "pendiente"),
                    "puntaje": score,
                ])
            }
        }
    }
}

extension SandboxAPI {
    /// Both demo tenants' data, built on first use and shared by every `SandboxAPI` value.
    static let datasets: [String: Dataset] = Dictionary(
        uniqueKeysWithValues: demoTenants.map { ($0.clientId, Dataset(tenant: $0)) })
}

extension JSONValue {
    /// The integer member `key` of an object row.
    func int(_ key: String) -> Int? { self[key]?.intValue }
}
