import JSON
import MCP
import OneAppTools
import Testing

/// Arguments that break a tool's schema, and the words the refusal must contain.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    var tool: String
    var arguments: JSONObject
    var mentions: [String]

    init(_ tool: String, _ arguments: JSONObject, _ mentions: String...) {
        self.tool = tool
        self.arguments = arguments
        self.mentions = mentions
    }

    var testDescription: String { "\(tool) \(JSONValue.object(arguments).serializedString())" }
}

let cuestionarioBase: JSONObject = ["check_id": 1, "from_date": "2024-01-01", "end_date": "2024-01-31"]
let photoBase: JSONObject = ["foto_url": "https://x.cl/a.jpg", "criterios": ["a"]]

func with(_ base: JSONObject, _ key: String, _ value: JSONValue) -> JSONObject {
    var object = base
    object[key] = value
    return object
}

let invalidArguments: [InvalidCase] = [
    InvalidCase("core_list_zonas", ["zone_id": "abc"], #""zone_id" must be an integer ≥ 1 (got "abc")"#),
    InvalidCase("core_list_zonas", ["zone_id": 1.5], #""zone_id" must be an integer ≥ 1 (got 1.5)"#),
    InvalidCase("core_list_zonas", ["zone_id": "1"], #""zone_id" must be an integer ≥ 1 (got "1")"#),
    InvalidCase("core_list_zonas", ["zone_id": true], "\"zone_id\"", "integer ≥ 1"),
    InvalidCase("core_list_zonas", ["zone_id": 0], #""zone_id" must be an integer ≥ 1 (got 0)"#),
    InvalidCase("core_list_zonas_by_subgerencia", ["id": -3], "\"id\"", "integer ≥ 1"),
    InvalidCase("core_list_zonas_by_subgerencia", ["id": nil], #""id" is required (an integer ≥ 1)"#),
    InvalidCase("checklist_list_checks", ["page": 0], #""page" must be an integer ≥ 1 (got 0)"#),
    InvalidCase("checklist_list_checks", ["limit": 101], #""limit" must be an integer from 1 to 100 (got 101)"#),
    InvalidCase("checklist_list_checks", ["limit": 0], "\"limit\"", "from 1 to 100"),
    InvalidCase("checklist_list_checks", ["search": 42], #""search" must be a string (got 42)"#),
    InvalidCase(
        "checklist_list_cuestionarios", with(cuestionarioBase, "from_date", "2024-02-30"), "\"from_date\"",
        "YYYY-MM-DD", "2024-02-30"),
    InvalidCase(
        "checklist_list_cuestionarios", with(cuestionarioBase, "from_date", "2024-2-1"), "\"from_date\"", "YYYY-MM-DD"),
    InvalidCase(
        "checklist_list_cuestionarios", with(cuestionarioBase, "end_date", "2023-02-29"), "\"end_date\"", "YYYY-MM-DD"),
    InvalidCase("checklist_list_cuestionarios", with(cuestionarioBase, "end_date", "2024-13-01"), "\"end_date\""),
    InvalidCase(
        "checklist_list_cuestionarios", with(cuestionarioBase, "from_date", 20_240_101), "\"from_date\"", "got 20240101"
    ),
    InvalidCase(
        "checklist_list_cuestionarios", with(cuestionarioBase, "end_date", "2024-01-31T00:00:00Z"), "\"end_date\""),
    InvalidCase(
        "checklist_list_cuestionarios", ["check_id": 1], #""from_date" is required"#, #""end_date" is required"#),
    InvalidCase(
        "moai_visapp_foto", with(photoBase, "foto_url", "not a url"),
        #""foto_url" must be an absolute http(s) URL (got "not a url")"#),
    InvalidCase(
        "moai_visapp_foto", with(photoBase, "foto_url", "ftp://example.com/x.jpg"), "\"foto_url\"", "http(s) URL"),
    InvalidCase("moai_visapp_foto", with(photoBase, "foto_url", "https://"), "\"foto_url\"", "http(s) URL"),
    InvalidCase("moai_visapp_foto", with(photoBase, "foto_url", "https://x.cl/a b.jpg"), "\"foto_url\""),
    InvalidCase(
        "moai_visapp_foto", with(photoBase, "criterios", "Precio"),
        #""criterios" must be an array of strings (got "Precio")"#),
    InvalidCase(
        "moai_visapp_foto", with(photoBase, "criterios", [1, "a", 2]), #""criterios[0]" must be a string"#,
        #""criterios[2]""#),
    InvalidCase("moai_visapp_foto", [:], #""foto_url" is required"#, #""criterios" is required"#),
    InvalidCase(
        "visual_area_categorias", ["areas_id": []], #""areas_id" must be a non-empty array of integers ≥ 1 (got [])"#),
    InvalidCase(
        "visual_area_categorias", ["areas_id": ["1", "2"]], #""areas_id[0]" must be an integer ≥ 1 (got "1")"#,
        "\"areas_id[1]\""),
    InvalidCase("visual_area_categorias", ["areas_id": [1, 0, 1.5]], "\"areas_id[1]\"", "\"areas_id[2]\""),
    InvalidCase("visual_area_categoria_razones", ["categories_id": 4], "\"categories_id\"", "non-empty array"),
    InvalidCase("visual_area_categoria_razones", [:], #""categories_id" is required"#),
    InvalidCase(
        "core_list_sucursales", ["foo": 1], #""foo" is not a parameter of core_list_sucursales (it takes no arguments)"#
    ),
    InvalidCase(
        "core_list_zonas", ["zoneId": 1], #""zoneId" is not a parameter of core_list_zonas (expected: zone_id)"#),
    InvalidCase("checklist_list_ambitos", [:], #""check_id" is required (an integer ≥ 1)"#),
    InvalidCase(
        "checklist_list_respuestas", ["cuestionario_id": "x", "page": 0, "limit": 500, "extra": true],
        "\"cuestionario_id\"", "\"page\"", "\"limit\"", "\"extra\""),
]

@Suite("Argument validation")
struct ArgumentValidationTests {
    @Test("bad arguments are a tool error naming the argument and rule; nothing is sent", arguments: invalidArguments)
    func refused(_ invalid: InvalidCase) async {
        let transport = RecordingTransport()
        let result = await callTool(invalid.tool, invalid.arguments, transport: transport)
        #expect(result.isError)
        #expect(result.text.hasPrefix("Invalid arguments for \(invalid.tool): "), "\(result.text)")
        for mention in invalid.mentions {
            #expect(result.text.contains(mention), "\(result.text) should mention \(mention)")
        }
        #expect(transport.requests.isEmpty)
        #expect(result.structuredContent == nil)
    }

    @Test("the exact message of the contract's example")
    func exampleMessage() async {
        let result = await callTool("core_list_zonas", ["zone_id": "abc"])
        #expect(
            result == .error(#"Invalid arguments for core_list_zonas: "zone_id" must be an integer ≥ 1 (got "abc")"#))
    }

    @Test(
        "limits and calendar edges that are valid pass",
        arguments: [
            ["check_id": 1, "from_date": "2024-02-29", "end_date": "2000-02-29", "page": 1, "limit": 100],
            ["check_id": 1.0, "from_date": "0001-01-01", "end_date": "9999-12-31", "limit": 1],
        ] as [JSONObject])
    func validEdges(_ arguments: JSONObject) async {
        let transport = RecordingTransport()
        let result = await callTool("checklist_list_cuestionarios", arguments, transport: transport)
        #expect(!result.isError, "\(result.text)")
        #expect(transport.requests.count == 1)
    }

    @Test("long values are shortened in messages")
    func longValueShortened() async {
        let result = await callTool("core_list_zonas", ["zone_id": .string(String(repeating: "x", count: 500))])
        #expect(result.isError)
        #expect(result.text.count < 200)
    }
}
