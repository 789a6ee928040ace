import Configuration
import JSON
import MCP
import OneAppTools
import Testing

/// One tool called with every parameter, and the exact upstream request it must produce.
struct RequestCase: Sendable, CustomTestStringConvertible {
    var tool: String
    var arguments: JSONObject
    var method: String
    var url: String
    var body: String? = nil

    var testDescription: String { tool }
}

let core = "https://api.oneapp.cl"
let client = "https://acme.oneapp.cl/front/api/checklist/data"

let everyToolWithEveryParameter: [RequestCase] = [
    RequestCase(tool: "core_list_sucursales", arguments: [:], method: "GET", url: "\(core)/core/sucursales"),
    RequestCase(tool: "core_list_zonas", arguments: ["zone_id": 7], method: "GET", url: "\(core)/core/zonas?zone_id=7"),
    RequestCase(tool: "core_list_subgerencias", arguments: [:], method: "GET", url: "\(core)/core/subgerencias"),
    RequestCase(
        tool: "core_list_zonas_by_subgerencia", arguments: ["id": 3], method: "GET",
        url: "\(core)/core/subgerencias/3/zonas"),
    RequestCase(
        tool: "core_list_sucursales_by_zona", arguments: ["zone_id": 9.0], method: "GET",
        url: "\(core)/core/zonas/9/sucursales"),
    RequestCase(
        tool: "checklist_list_checks", arguments: ["search": "Cierre de caja, día 1/2 & más", "limit": 50, "page": 2],
        method: "GET",
        url: "\(client)/checks?page=2&limit=50&search=Cierre%20de%20caja%2C%20d%C3%ADa%201%2F2%20%26%20m%C3%A1s"),
    RequestCase(
        tool: "checklist_list_ambitos", arguments: ["check_id": 4, "page": 1, "limit": 10], method: "GET",
        url: "\(client)/ambitos?check_id=4&page=1&limit=10"),
    RequestCase(
        tool: "checklist_list_preguntas", arguments: ["check_id": 4], method: "GET",
        url: "\(client)/preguntas?check_id=4"),
    RequestCase(
        tool: "checklist_list_cuestionarios",
        arguments: ["limit": 100, "page": 3, "end_date": "2024-03-31", "from_date": "2024-02-29", "check_id": 4],
        method: "GET",
        url: "\(client)/cuestionarios?check_id=4&from_date=2024-02-29&end_date=2024-03-31&page=3&limit=100"),
    RequestCase(
        tool: "checklist_list_asignaciones", arguments: ["cuestionario_id": 55, "page": 1, "limit": 5], method: "GET",
        url: "\(client)/asignaciones?cuestionario_id=55&page=1&limit=5"),
    RequestCase(
        tool: "checklist_list_respuestas",
        arguments: ["cuestionario_id": 55, "asignacion_id": 551, "page": 2, "limit": 25],
        method: "GET", url: "\(client)/respuestas?cuestionario_id=55&asignacion_id=551&page=2&limit=25"),
    RequestCase(tool: "visual_areas", arguments: ["area_id": 2], method: "GET", url: "\(core)/visual/area?id=2"),
    RequestCase(
        tool: "visual_categorias", arguments: ["category_id": 6], method: "GET", url: "\(core)/visual/category?id=6"),
    RequestCase(
        tool: "visual_area_categorias", arguments: ["areas_id": [1, 2, 3]], method: "GET",
        url: "\(core)/visual/category/areas?areas=1,2,3"),
    RequestCase(
        tool: "visual_razones", arguments: ["reason_id": 8], method: "GET", url: "\(core)/visual/reason?reason_id=8"),
    RequestCase(
        tool: "visual_area_categoria_razones", arguments: ["categories_id": [4, 5]], method: "GET",
        url: "\(core)/visual/reason/categories?categories=4,5"),
    RequestCase(
        tool: "moai_visapp_foto",
        arguments: [
            "criterios": ["Precio visible", "Stock \"completo\", ordenado"],
            "foto_url": "https://cdn.example.cl/f/1.jpg?s=l",
        ],
        method: "POST", url: "\(core)/visual/moai",
        body:
            #"{"foto_url":"https://cdn.example.cl/f/1.jpg?s=l","criterios":["Precio visible","Stock \"completo\", ordenado"]}"#
    ),
    RequestCase(tool: "moai_visapp_foto_info", arguments: [:], method: "GET", url: "\(core)/visual/moai"),
]

@Suite("Upstream requests")
struct ToolRequestTests {
    @Test("the table covers the 18 contract tools, in order")
    func coversEveryTool() {
        #expect(everyToolWithEveryParameter.map(\.tool) == contractToolNames)
    }

    @Test("each tool sends exactly its method, URL, body and headers", arguments: everyToolWithEveryParameter)
    func exactRequest(_ expected: RequestCase) async throws {
        let transport = RecordingTransport()
        let result = await callTool(expected.tool, expected.arguments, transport: transport)
        #expect(!result.isError, "\(result.text)")
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.method == expected.method)
        #expect(request.url == expected.url)
        #expect(request.body == expected.body.map { Array($0.utf8) })
        #expect(headersEqual(request.headers, expectedHeaders), "\(request.headers)")
        #expect(request.timeoutMs == 12_345)
    }

    @Test("optional parameters are left out when absent or null")
    func optionalOmitted() async {
        let transport = RecordingTransport()
        _ = await callTool("core_list_zonas", transport: transport)
        _ = await callTool("checklist_list_checks", ["search": nil], transport: transport)
        _ = await callTool("checklist_list_respuestas", ["cuestionario_id": 55], transport: transport)
        _ = await callTool("visual_areas", transport: transport)
        #expect(
            transport.requests.map(\.url) == [
                "\(core)/core/zonas", "\(client)/checks", "\(client)/respuestas?cuestionario_id=55",
                "\(core)/visual/area",
            ])
    }

    @Test("Authorization and client are left out when empty; nothing else is ever added")
    func emptyCredentials() async throws {
        var configuration = tenant
        configuration.authorization = ""
        let transport = RecordingTransport()
        _ = await callTool("core_list_sucursales", transport: transport, configuration: configuration)
        configuration.clientHeader = ""
        _ = await callTool(
            "moai_visapp_foto", ["foto_url": "http://x.cl/a.jpg", "criterios": []], transport: transport,
            configuration: configuration)
        configuration.authorization = secret
        _ = await callTool("core_list_sucursales", transport: transport, configuration: configuration)
        let headers = transport.requests.map(\.headers)
        try #require(headers.count == 3)
        #expect(headersEqual(headers[0], [("Content-Type", "application/json"), ("client", "acme")]))
        #expect(headersEqual(headers[1], [("Content-Type", "application/json")]))
        #expect(headersEqual(headers[2], [("Content-Type", "application/json"), ("Authorization", secret)]))
        #expect(transport.requests[1].body == Array(#"{"foto_url":"http://x.cl/a.jpg","criterios":[]}"#.utf8))
    }

    @Test("base URLs join without a double slash, with or without a path prefix")
    func baseJoining() async {
        let configuration = TenantConfiguration(
            authorization: "", coreBaseURL: "http://127.0.0.1:8090//", clientBaseURL: "https://gw.example.cl/oneapp",
            clientHeader: "")
        let transport = RecordingTransport()
        _ = await callTool("core_list_subgerencias", transport: transport, configuration: configuration)
        _ = await callTool(
            "checklist_list_preguntas", ["check_id": 1], transport: transport, configuration: configuration)
        #expect(
            transport.requests.map(\.url) == [
                "http://127.0.0.1:8090/core/subgerencias",
                "https://gw.example.cl/oneapp/front/api/checklist/data/preguntas?check_id=1",
            ])
        #expect(transport.requests.allSatisfy { $0.timeoutMs == 30_000 })
    }

    @Test("progress: 0 of 1 naming the call, then 1 of 1")
    func progress() async {
        let progress = ProgressLog()
        _ = await callTool("core_list_sucursales_by_zona", ["zone_id": 4], progress: progress)
        #expect(
            progress.all == [
                ToolProgress(progress: 0, total: 1, message: "GET /core/zonas/4/sucursales"),
                ToolProgress(progress: 1, total: 1, message: "GET /core/zonas/4/sucursales: HTTP 200"),
            ])
    }
}
