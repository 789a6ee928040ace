extension ToolSpec {
    /// Tools 12–18: visual merchandising (areas, categories, criteria) and MOAI photo evaluation,
    /// all on the Core API.
    static let visualTools: [ToolSpec] = [
        ToolSpec(
            name: "visual_areas", title: "List visual-merchandising areas",
            description: """
                Lists the visual-merchandising areas of the store (e.g. shop window, checkout zone): id and \
                name. Give area_id to get a single area. Not paged. Use area ids with visual_area_categorias.
                """,
            parameters: [
                .id("area_id", required: false, query: "id", "Only this area (an id from this tool's own list).")
            ],
            method: .get, base: .core, pathTemplate: "/visual/area"),
        ToolSpec(
            name: "visual_categorias", title: "List visual categories",
            description: """
                Lists the visual categories (what is evaluated inside an area, e.g. signage, lighting): id, \
                name and the area they belong to. Give category_id to get a single category. Not paged. \
                Use category ids with visual_area_categoria_razones.
                """,
            parameters: [
                .id(
                    "category_id", required: false, query: "id", "Only this category (an id from this tool's own list)."
                )
            ],
            method: .get, base: .core, pathTemplate: "/visual/category"),
        ToolSpec(
            name: "visual_area_categorias", title: "List the categories of areas",
            description: """
                Lists the visual categories linked to the given areas. Use visual_areas to find area ids. \
                Not paged.
                """,
            parameters: [
                ParameterSpec(
                    name: "areas_id", kind: .integerArray(minItems: 1, itemMinimum: 1), isRequired: true,
                    description: "One or more area ids (from visual_areas).", placement: .query("areas"))
            ],
            method: .get, base: .core, pathTemplate: "/visual/category/areas"),
        ToolSpec(
            name: "visual_razones", title: "List evaluation criteria (razones)",
            description: """
                Lists the evaluation criteria (razones) used to judge visual campaigns: id, name and the \
                category they belong to. Give reason_id to get a single criterion. Not paged.
                """,
            parameters: [.id("reason_id", required: false, "Only this criterion (an id from this tool's own list).")],
            method: .get, base: .core, pathTemplate: "/visual/reason"),
        ToolSpec(
            name: "visual_area_categoria_razones", title: "List the criteria of categories",
            description: """
                Lists the evaluation criteria (razones) linked to the given visual categories. Use \
                visual_categorias or visual_area_categorias to find category ids. Not paged.
                """,
            parameters: [
                ParameterSpec(
                    name: "categories_id", kind: .integerArray(minItems: 1, itemMinimum: 1), isRequired: true,
                    description: "One or more category ids (from visual_categorias or visual_area_categorias).",
                    placement: .query("categories"))
            ],
            method: .get, base: .core, pathTemplate: "/visual/reason/categories"),
        ToolSpec(
            name: "moai_visapp_foto", title: "Submit a photo for AI evaluation (MOAI)",
            description: """
                Submits a store photo to the MOAI visual evaluation and returns the evaluation: an id, the \
                status and a score per criterion. The photo must be reachable at a public http(s) URL. The \
                criteria are free text; the names of visual_razones or visual_area_categoria_razones are a \
                good choice. This creates a record upstream. Earlier evaluations are listed by \
                moai_visapp_foto_info.
                """,
            parameters: [
                ParameterSpec(
                    name: "foto_url", kind: .uri, isRequired: true,
                    description: "Public http(s) URL of the photo.", placement: .body("foto_url")),
                ParameterSpec(
                    name: "criterios", kind: .stringArray(minItems: 0), isRequired: true,
                    description: "The criteria to evaluate the photo against, one text per criterion.",
                    placement: .body("criterios")),
            ],
            method: .post, base: .core, pathTemplate: "/visual/moai"),
        ToolSpec(
            name: "moai_visapp_foto_info", title: "List evaluated photos (MOAI)",
            description: """
                Lists the tenant's photos evaluated by MOAI: id, photo URL, criteria, status and the score \
                per criterion. Takes no arguments and is not paged.
                """,
            parameters: [], method: .get, base: .core, pathTemplate: "/visual/moai"),
    ]
}
