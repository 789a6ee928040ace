import JSON
import MCP
import OneAppTools
import Testing

@Suite("Tool definitions and schemas")
struct ToolSchemaTests {
    let tools = OneAppToolset(configuration: tenant, transport: RecordingTransport()).tools

    @Test("the 18 tools, in the contract's order, with titles and descriptions")
    func names() {
        #expect(tools.map(\.name) == contractToolNames)
        #expect(tools.allSatisfy { ($0.title ?? "").count > 5 && $0.description.count > 60 })
    }

    @Test("every schema is a closed object whose properties and required list match the table")
    func schemas() throws {
        for (tool, spec) in zip(tools, ToolSpec.catalog) {
            let schema = try #require(tool.inputSchema.objectValue)
            #expect(schema["type"] == "object")
            #expect(schema["additionalProperties"] == false)
            let properties = try #require(schema["properties"]?.objectValue)
            #expect(properties.keys == spec.parameters.map(\.name))
            let required = spec.parameters.filter(\.isRequired).map { JSONValue.string($0.name) }
            #expect(schema["required"] == (required.isEmpty ? nil : .array(required)), "\(tool.name)")
            for (name, property) in properties.members.map({ ($0.key, $0.value) }) {
                #expect(property["type"] != nil, "\(tool.name).\(name)")
                #expect((property["description"]?.stringValue ?? "").count > 10, "\(tool.name).\(name)")
            }
        }
    }

    @Test("a tool without parameters has the minimal closed schema")
    func noParameters() {
        let schema = tools.first { $0.name == "core_list_sucursales" }?.inputSchema
        #expect(schema?.serializedString() == #"{"type":"object","properties":{},"additionalProperties":false}"#)
    }

    @Test("kinds become JSON Schema keywords")
    func keywords() throws {
        func property(_ tool: String, _ name: String) -> JSONValue? {
            tools.first { $0.name == tool }?.inputSchema["properties"]?[name]
        }
        #expect(property("checklist_list_checks", "page")?["minimum"] == 1)
        #expect(property("checklist_list_checks", "limit")?["minimum"] == 1)
        #expect(property("checklist_list_checks", "limit")?["maximum"] == 100)
        #expect(property("checklist_list_checks", "search")?["type"] == "string")
        #expect(property("core_list_zonas", "zone_id")?["type"] == "integer")
        let date = try #require(property("checklist_list_cuestionarios", "from_date"))
        #expect(date["pattern"] == #"^\d{4}-\d{2}-\d{2}$"#)
        #expect(date["format"] == "date")
        #expect(property("moai_visapp_foto", "foto_url")?["format"] == "uri")
        #expect(property("moai_visapp_foto", "criterios")?["items"] == ["type": "string"])
        let areas = try #require(property("visual_area_categorias", "areas_id"))
        #expect(areas["type"] == "array")
        #expect(areas["items"] == ["type": "integer", "minimum": 1])
        #expect(areas["minItems"] == 1)
    }

    @Test("GET tools are read-only; the POST is an open-world write")
    func annotations() {
        for tool in tools {
            let readOnly = tool.annotations?["readOnlyHint"]
            if tool.name == "moai_visapp_foto" {
                #expect(readOnly == false)
                #expect(tool.annotations?["openWorldHint"] == true)
                #expect(tool.annotations?["destructiveHint"] == false)
            } else {
                #expect(readOnly == true, "\(tool.name)")
            }
            #expect(tool.annotations?["title"] == tool.title.map(JSONValue.string))
        }
    }

    @Test("descriptions point to where ids come from and how to page")
    func descriptions() {
        func description(_ name: String) -> String { tools.first { $0.name == name }?.description ?? "" }
        #expect(description("core_list_sucursales_by_zona").contains("core_list_zonas"))
        #expect(description("checklist_list_ambitos").contains("checklist_list_checks"))
        #expect(description("checklist_list_respuestas").contains("checklist_list_asignaciones"))
        #expect(description("visual_area_categoria_razones").contains("visual_categorias"))
        for spec in ToolSpec.catalog where spec.parameters.contains(where: { $0.name == "page" }) {
            #expect(
                description(spec.name).contains("page and limit") || description(spec.name).contains("page, limit"),
                "\(spec.name)")
        }
    }
}
