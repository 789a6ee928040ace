import Configuration
import JSON
import MCP
import OneAppTools
import Synchronization
import Testing

/// A transport that records every request and answers with a canned result.
final class RecordingTransport: UpstreamTransport {
    typealias Answer = Result<UpstreamResponse, UpstreamFailure>

    private let log = Mutex<[UpstreamRequest]>([])
    private let answer: @Sendable (UpstreamRequest) -> Answer

    init(
        _ answer: @escaping @Sendable (UpstreamRequest) -> Answer = { _ in
            .success(UpstreamResponse(status: 200, body: Array("{}".utf8)))
        }
    ) {
        self.answer = answer
    }

    convenience init(status: Int, body: String) {
        self.init { _ in .success(UpstreamResponse(status: status, body: Array(body.utf8))) }
    }

    convenience init(failure: UpstreamFailure) {
        self.init { _ in .failure(failure) }
    }

    var requests: [UpstreamRequest] { log.withLock { $0 } }

    func send(_ request: UpstreamRequest) async -> Answer {
        log.withLock { $0.append(request) }
        return answer(request)
    }
}

/// Collects progress reports.
final class ProgressLog: Sendable {
    private let reports = Mutex<[ToolProgress]>([])
    var all: [ToolProgress] { reports.withLock { $0 } }
    func record(_ report: ToolProgress) { reports.withLock { $0.append(report) } }
}

let secret = "Bearer s3cr3t-token-0123456789"

let tenant = TenantConfiguration(
    authorization: secret, coreBaseURL: "https://api.oneapp.cl", clientBaseURL: "https://acme.oneapp.cl/",
    clientHeader: "acme", httpTimeoutMs: 12_345)

/// Calls one tool through a toolset backed by `transport`.
func callTool(
    _ name: String, _ arguments: JSONObject = [:], transport: RecordingTransport = RecordingTransport(),
    configuration: TenantConfiguration = tenant, progress: ProgressLog = ProgressLog()
) async -> ToolResult {
    let toolset = OneAppToolset(configuration: configuration, transport: transport)
    return await toolset.callTool(named: name, arguments: arguments) { progress.record($0) }
}

/// The headers every upstream request of `tenant` must carry, exactly.
let expectedHeaders = [("Content-Type", "application/json"), ("Authorization", secret), ("client", "acme")]

func headersEqual(_ a: [(String, String)], _ b: [(String, String)]) -> Bool {
    a.elementsEqual(b) { $0.0 == $1.0 && $0.1 == $1.1 }
}

/// The 18 tool names of the contract, in its numbering.
let contractToolNames = [
    "core_list_sucursales", "core_list_zonas", "core_list_subgerencias", "core_list_zonas_by_subgerencia",
    "core_list_sucursales_by_zona", "checklist_list_checks", "checklist_list_ambitos", "checklist_list_preguntas",
    "checklist_list_cuestionarios", "checklist_list_asignaciones", "checklist_list_respuestas", "visual_areas",
    "visual_categorias", "visual_area_categorias", "visual_razones", "visual_area_categoria_razones",
    "moai_visapp_foto",
    "moai_visapp_foto_info",
]
