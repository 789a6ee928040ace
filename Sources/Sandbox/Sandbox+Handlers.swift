import JSON

/// Core API: the organisation (`/core/…`).
extension SandboxRequest {
    func sucursales() throws(SandboxError) -> SandboxReply {
        try query.allow([])
        return .list(data.sucursales)
    }

    func zonas() throws(SandboxError) -> SandboxReply {
        try query.allow(["zone_id"])
        return .list(data.zonas.filtered("id", equals: try query.positiveInt("zone_id")))
    }

    func subgerencias() throws(SandboxError) -> SandboxReply {
        try query.allow([])
        return .list(data.subgerencias)
    }

    func zonasOfSubgerencia() throws(SandboxError) -> SandboxReply {
        try query.allow([])
        let id = try data.subgerencias.row(id: try pathID(0, "subgerencia"), "subgerencia").int("id")
        return .list(data.zonas.filtered("subgerencia_id", equals: id))
    }

    func sucursalesOfZona() throws(SandboxError) -> SandboxReply {
        try query.allow([])
        let id = try data.zonas.row(id: try pathID(0, "zona"), "zona").int("id")
        return .list(data.sucursales.filtered("zona_id", equals: id))
    }
}

/// Client API: checklists and their executions (`/front/api/checklist/data/…`).
extension SandboxRequest {
    /// Active checklists only, optionally those whose name contains `search` (case-insensitive).
    func checks() throws(SandboxError) -> SandboxReply {
        try query.allow(["page", "limit", "search"])
        let search = query.string("search")?.lowercased() ?? ""
        let rows = data.checks.filter { check in
            check["activo"] == true
                && (search.isEmpty || (check["nombre"]?.stringValue ?? "").lowercased().contains(search))
        }
        return try query.paging().reply(rows)
    }

    func ambitos() throws(SandboxError) -> SandboxReply {
        try query.allow(["check_id", "page", "limit"])
        return try query.paging().reply(data.ambitos.filtered("check_id", equals: try requiredCheck()))
    }

    func preguntas() throws(SandboxError) -> SandboxReply {
        try query.allow(["check_id"])
        return .list(data.preguntas.filtered("check_id", equals: try requiredCheck()))
    }

    /// Executions of one checklist dated from `from_date` to `end_date`, both inclusive.
    func cuestionarios() throws(SandboxError) -> SandboxReply {
        try query.allow(["check_id", "from_date", "end_date", "page", "limit"])
        let check = try requiredCheck()
        let from = try query.date("from_date")
        let end = try query.date("end_date")
        guard from <= end else { throw .badRequest("from_date \(from.text) is after end_date \(end.text)") }
        let rows = data.cuestionarios.filtered("check_id", equals: check).filter { row in
            guard let fecha = row["fecha"]?.stringValue.flatMap(SandboxDate.init) else { return false }
            return from <= fecha && fecha <= end
        }
        return try query.paging().reply(rows)
    }

    func asignaciones() throws(SandboxError) -> SandboxReply {
        try query.allow(["cuestionario_id", "page", "limit"])
        return try query.paging().reply(data.asignaciones(of: try requiredCuestionario()))
    }

    /// Answers of a questionnaire; `asignacion_id` must be one of its assignments.
    func respuestas() throws(SandboxError) -> SandboxReply {
        try query.allow(["cuestionario_id", "asignacion_id", "page", "limit"])
        let cuestionario = try requiredCuestionario()
        let asignacion = try query.positiveInt("asignacion_id")
        if let asignacion {
            _ = try data.asignaciones(of: cuestionario).row(id: asignacion, "asignación of this cuestionario")
        }
        return try query.paging().reply(data.respuestas(of: cuestionario).filtered("asignacion_id", equals: asignacion))
    }

    private func requiredCheck() throws(SandboxError) -> Int {
        let id = try query.positiveInt("check_id", required: true) ?? 0
        return try data.checks.row(id: id, "check").int("id") ?? id
    }

    private func requiredCuestionario() throws(SandboxError) -> JSONValue {
        try data.cuestionarios.row(id: try query.positiveInt("cuestionario_id", required: true) ?? 0, "cuestionario")
    }
}

/// Core API: visual merchandising and MOAI photo evaluation (`/visual/…`).
extension SandboxRequest {
    func areas() throws(SandboxError) -> SandboxReply {
        try query.allow(["id"])
        return .list(data.areas.filtered("id", equals: try query.positiveInt("id")))
    }

    func categorias() throws(SandboxError) -> SandboxReply {
        try query.allow(["id"])
        return .list(data.categorias.filtered("id", equals: try query.positiveInt("id")))
    }

    func categoriasOfAreas() throws(SandboxError) -> SandboxReply {
        try query.allow(["areas"])
        let areas = try query.positiveIntList("areas")
        return .list(data.categorias.filter { areas.contains($0.int("area_id") ?? 0) })
    }

    func razones() throws(SandboxError) -> SandboxReply {
        try query.allow(["reason_id"])
        return .list(data.razones.filtered("id", equals: try query.positiveInt("reason_id")))
    }

    func razonesOfCategorias() throws(SandboxError) -> SandboxReply {
        try query.allow(["categories"])
        let categories = try query.positiveIntList("categories")
        return .list(data.razones.filter { categories.contains($0.int("categoria_id") ?? 0) })
    }

    func fotos() throws(SandboxError) -> SandboxReply {
        try query.allow([])
        return .list(data.fotos)
    }

    /// `{"foto_url": "https://…", "criterios": ["…"]}` → 201 with the evaluation. Nothing is
    /// stored: the sandbox stays deterministic, so the photo does not join `GET /visual/moai`.
    func evaluatePhoto() throws(SandboxError) -> SandboxReply {
        try query.allow([])
        guard let json = try? JSONValue(parsing: body), let object = json.objectValue else {
            throw .badRequest("body must be a JSON object {\"foto_url\": string, \"criterios\": [string]}")
        }
        if let unknown = object.keys.first(where: { $0 != "foto_url" && $0 != "criterios" }) {
            throw .badRequest("unknown body member \(unknown)")
        }
        guard let url = object["foto_url"]?.stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .badRequest("foto_url must be an http(s) URL string")
        }
        guard let items = object["criterios"]?.arrayValue else {
            throw .badRequest("criterios must be an array of strings")
        }
        let criterios = items.compactMap(\.stringValue)
        guard criterios.count == items.count else { throw .badRequest("criterios must be an array of strings") }
        return SandboxReply(status: 201, json: ["data": .object(data.evaluation(fotoURL: url, criterios: criterios))])
    }
}
