import Configuration
import HTTP1
import JSON
import MCP
import OneAppTools
import Sandbox
import Testing

/// A transport that hands each request to `SandboxAPI.respond`, as the sandbox listener would.
struct SandboxTransport: UpstreamTransport {
    static let base = "http://sandbox.test"
    let api = SandboxAPI()

    func send(_ request: UpstreamRequest) async -> Result<UpstreamResponse, UpstreamFailure> {
        guard request.url.hasPrefix(Self.base) else { return .failure(.connectionFailed(reason: "unknown host")) }
        let response = api.respond(
            method: request.method, target: String(request.url.dropFirst(Self.base.count)),
            fields: HTTPFields(request.headers), body: request.body ?? [])
        return .success(UpstreamResponse(status: response.status, body: response.body))
    }
}

/// The toolset and the sandbox agree: every tool, called the way its description says (ids from
/// the tools it names), succeeds for both demo tenants.
@Suite("OneApp tools against the sandbox")
struct SandboxCrossCheckTests {
    final class Session: Sendable {
        let toolset: OneAppToolset

        init(_ tenant: SandboxTenant) {
            let configuration = TenantConfiguration.parse(tenant.tenantEntry(baseURL: SandboxTransport.base), at: "t")
            toolset = OneAppToolset(configuration: try! configuration.get(), transport: SandboxTransport())
        }

        /// Calls a tool, expects success, returns its `data` rows.
        @discardableResult
        func rows(_ name: String, _ arguments: JSONObject = [:]) async -> [JSONValue] {
            let result = await toolset.callTool(named: name, arguments: arguments) { _ in }
            #expect(!result.isError, "\(name): \(result.text)")
            #expect(result.structuredContent != nil, "\(name)")
            let rows = result.structuredContent?["data"]?.arrayValue ?? []
            #expect(!rows.isEmpty, "\(name) \(JSONValue.object(arguments).serializedString()) returned no rows")
            return rows
        }
    }

    static func ids(_ rows: [JSONValue]) -> [JSONValue] { rows.compactMap { $0["id"] } }

    @Test("all 18 tools succeed with data, for each demo tenant", arguments: SandboxAPI.demoTenants)
    func everyTool(tenant: SandboxTenant) async throws {
        let s = Session(tenant)
        await s.rows("core_list_sucursales")
        let zone = try #require(Self.ids(await s.rows("core_list_zonas")).last)
        await s.rows("core_list_zonas", ["zone_id": zone])
        let subgerencia = try #require(Self.ids(await s.rows("core_list_subgerencias")).first)
        await s.rows("core_list_zonas_by_subgerencia", ["id": subgerencia])
        await s.rows("core_list_sucursales_by_zona", ["zone_id": zone])

        let check = try #require(await s.rows("checklist_list_checks", ["page": 1, "limit": 5]).first)
        let name = try #require(check["nombre"]?.stringValue)
        await s.rows("checklist_list_checks", ["search": .string(String(name.prefix(6)).uppercased())])
        let checkID = try #require(check["id"])
        await s.rows("checklist_list_ambitos", ["check_id": checkID, "page": 1, "limit": 10])
        await s.rows("checklist_list_preguntas", ["check_id": checkID])
        let range: JSONObject = [
            "check_id": checkID, "from_date": "2025-01-01", "end_date": "2025-12-31", "limit": 100,
        ]
        let cuestionario = try #require(
            await s.rows("checklist_list_cuestionarios", range).first { $0["estado"] == "completado" }?["id"])
        let asignacion = try #require(
            Self.ids(await s.rows("checklist_list_asignaciones", ["cuestionario_id": cuestionario])).first)
        await s.rows(
            "checklist_list_respuestas",
            ["cuestionario_id": cuestionario, "asignacion_id": asignacion, "page": 1, "limit": 50])

        let areas = Self.ids(await s.rows("visual_areas"))
        await s.rows("visual_areas", ["area_id": areas[0]])
        await s.rows("visual_categorias")
        let categories = Self.ids(await s.rows("visual_area_categorias", ["areas_id": .array(Array(areas.prefix(2)))]))
        await s.rows("visual_categorias", ["category_id": categories[0]])
        let razones = await s.rows("visual_area_categoria_razones", ["categories_id": .array(categories)])
        await s.rows("visual_razones", ["reason_id": razones[0]["id"] ?? .null])
        await s.rows("moai_visapp_foto_info")

        let criterios = razones.prefix(3).compactMap { $0["nombre"] }
        let photo = await s.toolset.callTool(
            named: "moai_visapp_foto",
            arguments: ["foto_url": "https://fotos.example.cl/vitrina.jpg", "criterios": .array(criterios)]
        ) { _ in }
        #expect(!photo.isError, "\(photo.text)")
        #expect(photo.structuredContent?["data"]?["resultado"]?["criterios"]?.arrayValue?.count == criterios.count)
    }

    @Test("one tenant's token with another's client header is refused upstream and reported as a 401 tool error")
    func crossedCredentials() async throws {
        var entry = try #require(SandboxAPI.demoTenants[0].tenantEntry(baseURL: SandboxTransport.base).objectValue)
        entry["clientHeader"] = .string(SandboxAPI.demoTenants[1].clientHeader)
        let configuration = try TenantConfiguration.parse(.object(entry), at: "t").get()
        let toolset = OneAppToolset(configuration: configuration, transport: SandboxTransport())
        let result = await toolset.callTool(named: "core_list_sucursales", arguments: [:]) { _ in }
        #expect(result.isError)
        #expect(result.text.hasPrefix("OneApp API error: HTTP 401 Unauthorized for GET /core/sucursales."))
        #expect(!result.text.contains("sandbox-acme-7f3a"))
    }
}
