extension ToolSpec {
    /// The 18 OneApp tools, in the contract's numbering (`notes/oneapp-tools.md`). The tool
    /// names, parameters and upstream calls are fixed by that contract; the texts are ours.
    public static let catalog: [ToolSpec] = coreTools + checklistTools + visualTools

    /// Tools 1–5: the organisation (branches, zones, sub-managements) from the Core API.
    static let coreTools: [ToolSpec] = [
        ToolSpec(
            name: "core_list_sucursales", title: "List branches (sucursales)",
            description: """
                Lists every branch (sucursal) of the tenant: id, name, address, comuna, city, region, \
                the zone it belongs to (zona_id) and whether it is active. Takes no arguments and is not paged. \
                To list only the branches of one zone, use core_list_sucursales_by_zona.
                """,
            parameters: [], method: .get, base: .core, pathTemplate: "/core/sucursales"),
        ToolSpec(
            name: "core_list_zonas", title: "List zones (zonas)",
            description: """
                Lists the tenant's zones (zonas): id, name and the sub-management (subgerencia_id) they \
                belong to. Give zone_id to get a single zone. Not paged.
                """,
            parameters: [.id("zone_id", required: false, "Only this zone (a zone id from this tool's own list).")],
            method: .get, base: .core, pathTemplate: "/core/zonas"),
        ToolSpec(
            name: "core_list_subgerencias", title: "List sub-managements (subgerencias)",
            description: """
                Lists the tenant's sub-managements (subgerencias), the level above zones: id and name. \
                Takes no arguments and is not paged. Use an id with core_list_zonas_by_subgerencia.
                """,
            parameters: [], method: .get, base: .core, pathTemplate: "/core/subgerencias"),
        ToolSpec(
            name: "core_list_zonas_by_subgerencia", title: "List the zones of a sub-management",
            description: """
                Lists the zones (zonas) that belong to one sub-management (subgerencia). \
                Use core_list_subgerencias to find sub-management ids. Not paged.
                """,
            parameters: [.pathID("id", "Sub-management id (from core_list_subgerencias).")],
            method: .get, base: .core, pathTemplate: "/core/subgerencias/{id}/zonas"),
        ToolSpec(
            name: "core_list_sucursales_by_zona", title: "List the branches of a zone",
            description: """
                Lists the branches (sucursales) of one zone, with the same fields as core_list_sucursales. \
                Use core_list_zonas to find zone ids. Not paged.
                """,
            parameters: [.pathID("zone_id", "Zone id (from core_list_zonas).")],
            method: .get, base: .core, pathTemplate: "/core/zonas/{zone_id}/sucursales"),
    ]

    /// Tools 6–11: checklists and their executions from the tenant's Client API.
    static let checklistTools: [ToolSpec] = [
        ToolSpec(
            name: "checklist_list_checks", title: "List checklists",
            description: """
                Lists the tenant's active checklists (checks): id, name, description. Paged: returns \
                {data, page, limit, total}; use page and limit to walk through them. Give search to keep \
                only checklists whose name contains that text (case-insensitive). The ids are the check_id \
                that the other checklist tools need.
                """,
            parameters: [
                .page, .limit,
                ParameterSpec(
                    name: "search", kind: .string, isRequired: false,
                    description: "Only checklists whose name contains this text (case-insensitive).",
                    placement: .query("search")),
            ],
            method: .get, base: .client, pathTemplate: "/front/api/checklist/data/checks"),
        ToolSpec(
            name: "checklist_list_ambitos", title: "List the scopes (ámbitos) of a checklist",
            description: """
                Lists the scopes (ámbitos), the sections a checklist is divided into, of one checklist. \
                Use checklist_list_checks to find check ids. Paged with page and limit: returns \
                {data, page, limit, total}.
                """,
            parameters: [checkID, .page, .limit],
            method: .get, base: .client, pathTemplate: "/front/api/checklist/data/ambitos"),
        ToolSpec(
            name: "checklist_list_preguntas", title: "List the questions of a checklist",
            description: """
                Lists every question (pregunta) of one checklist: id, text, answer type and the scope \
                (ambito_id) it belongs to. Use checklist_list_checks to find check ids. Not paged.
                """,
            parameters: [checkID],
            method: .get, base: .client, pathTemplate: "/front/api/checklist/data/preguntas"),
        ToolSpec(
            name: "checklist_list_cuestionarios", title: "List executed questionnaires",
            description: """
                Lists the questionnaires (cuestionarios), i.e. executions of one checklist at a branch, \
                done between from_date and end_date inclusive: id, branch (sucursal_id), date, status and \
                score. Use checklist_list_checks to find check ids. Paged with page and limit: returns \
                {data, page, limit, total}. The ids are the cuestionario_id of the assignment and answer tools.
                """,
            parameters: [
                checkID,
                date("from_date", "First day of the range, YYYY-MM-DD (inclusive)."),
                date("end_date", "Last day of the range, YYYY-MM-DD (inclusive)."),
                .page, .limit,
            ],
            method: .get, base: .client, pathTemplate: "/front/api/checklist/data/cuestionarios"),
        ToolSpec(
            name: "checklist_list_asignaciones", title: "List the assignments of a questionnaire",
            description: """
                Lists the assignments (asignaciones) of one questionnaire: who had to answer it, their role \
                and status. Use checklist_list_cuestionarios to find questionnaire ids. Paged with page and \
                limit: returns {data, page, limit, total}.
                """,
            parameters: [cuestionarioID, .page, .limit],
            method: .get, base: .client, pathTemplate: "/front/api/checklist/data/asignaciones"),
        ToolSpec(
            name: "checklist_list_respuestas", title: "List the answers of a questionnaire",
            description: """
                Lists the answers (respuestas) given in one questionnaire, one per question and assignment; \
                give asignacion_id to keep only one assignment's answers. Use checklist_list_cuestionarios \
                for questionnaire ids and checklist_list_asignaciones for assignment ids; \
                checklist_list_preguntas explains the pregunta_id of each answer. Paged with page and limit: \
                returns {data, page, limit, total}.
                """,
            parameters: [
                cuestionarioID,
                .id("asignacion_id", required: false, "Only this assignment (from checklist_list_asignaciones)."),
                .page, .limit,
            ],
            method: .get, base: .client, pathTemplate: "/front/api/checklist/data/respuestas"),
    ]

    private static let checkID = ParameterSpec.id(
        "check_id", required: true, "Checklist id (from checklist_list_checks).")
    private static let cuestionarioID = ParameterSpec.id(
        "cuestionario_id", required: true, "Questionnaire id (from checklist_list_cuestionarios).")

    private static func date(_ name: String, _ description: String) -> ParameterSpec {
        ParameterSpec(name: name, kind: .date, isRequired: true, description: description, placement: .query(name))
    }
}
