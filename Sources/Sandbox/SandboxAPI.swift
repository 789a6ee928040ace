import HTTP1
import JSON

/// A stand-in for the OneApp Core and Client APIs with deterministic fixture data for two demo
/// tenants; pure (no sockets: a listener elsewhere feeds it requests).
///
///     request ─▶ credentials match a demo tenant? ─no─▶ 401
///                 │ yes
///                 ▼
///              path is an endpoint? ─no─▶ 404     method allowed? ─no─▶ 405 (+ Allow)
///                 │ yes
///                 ▼
///              parameters valid? ─no─▶ 400 ─────▶ 200 {"data": …} (201 for POST /visual/moai)
///
/// Both APIs answer on the same root: `/core/…`, `/front/api/checklist/data/…` and `/visual/…`.
/// Paged lists answer `{"data": [...], "page": p, "limit": l, "total": n}` (defaults page 1,
/// limit 20); the others `{"data": [...]}`. Errors are `{"error": "…"}`.
public struct SandboxAPI: Sendable {
    public init() {}

    /// Answers one request. `target` is the request target as received (path plus `?query`).
    public func respond(method: String, target: String, fields: HTTPFields, body: [UInt8]) -> HTTPResponse {
        do {
            return SandboxRendering.response(try handle(method: method, target: target, fields: fields, body: body))
        } catch {
            return SandboxRendering.response(error)
        }
    }

    private func handle(
        method: String, target: String, fields: HTTPFields, body: [UInt8]
    ) throws(SandboxError) -> SandboxReply {
        guard let tenant = Self.authenticate(fields), let data = Self.datasets[tenant.clientId] else {
            throw .unauthorized
        }
        let path = target.firstIndex(of: "?").map { target[..<$0] } ?? target[...]
        let query = target.firstIndex(of: "?").map { target[target.index(after: $0)...] }
        guard let (endpoint, pathIDs) = Endpoint.match(path) else { throw .notFound("no endpoint at \(path)") }
        guard endpoint.methods.contains(method) else { throw .methodNotAllowed(allowed: endpoint.methods) }
        let request = SandboxRequest(data: data, query: try SandboxQuery(query), pathIDs: pathIDs, body: body)
        return try endpoint.run(method, request)
    }
}

/// One request on its way through a handler: the tenant's data and the parsed inputs.
struct SandboxRequest {
    let data: Dataset
    let query: SandboxQuery
    /// The `{}` segments of the endpoint's pattern, in order.
    let pathIDs: [Substring]
    let body: [UInt8]

    /// Path segment `index` as a positive id.
    func pathID(_ index: Int, _ what: String) throws(SandboxError) -> Int {
        let text = pathIDs[index]
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }), text.count <= 18, let id = Int(text), id >= 1 else {
            throw .badRequest("\(what) id in the path must be a positive integer, got \(text)")
        }
        return id
    }
}

/// The 17 paths (18 endpoints: `/visual/moai` takes GET and POST).
enum Endpoint: CaseIterable {
    case sucursales, zonas, subgerencias, zonasOfSubgerencia, sucursalesOfZona
    case checks, ambitos, preguntas, cuestionarios, asignaciones, respuestas
    case areas, categorias, categoriasOfAreas, razones, razonesOfCategorias, moai

    /// `{}` matches one path segment.
    var pattern: String {
        switch self {
        case .sucursales: return "/core/sucursales"
        case .zonas: return "/core/zonas"
        case .subgerencias: return "/core/subgerencias"
        case .zonasOfSubgerencia: return "/core/subgerencias/{}/zonas"
        case .sucursalesOfZona: return "/core/zonas/{}/sucursales"
        case .checks: return "/front/api/checklist/data/checks"
        case .ambitos: return "/front/api/checklist/data/ambitos"
        case .preguntas: return "/front/api/checklist/data/preguntas"
        case .cuestionarios: return "/front/api/checklist/data/cuestionarios"
        case .asignaciones: return "/front/api/checklist/data/asignaciones"
        case .respuestas: return "/front/api/checklist/data/respuestas"
        case .areas: return "/visual/area"
        case .categorias: return "/visual/category"
        case .categoriasOfAreas: return "/visual/category/areas"
        case .razones: return "/visual/reason"
        case .razonesOfCategorias: return "/visual/reason/categories"
        case .moai: return "/visual/moai"
        }
    }

    var methods: [String] { self == .moai ? ["GET", "POST"] : ["GET"] }

    /// The endpoint whose pattern `path` fits, with the segments that filled its `{}`.
    static func match(_ path: Substring) -> (Endpoint, [Substring])? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for endpoint in allCases {
            let pattern = endpoint.pattern.split(separator: "/", omittingEmptySubsequences: false)
            guard pattern.count == segments.count else { continue }
            var captured: [Substring] = []
            let fits = zip(pattern, segments).allSatisfy { expected, actual in
                if expected == "{}" {
                    captured.append(actual)
                    return !actual.isEmpty
                }
                return expected == actual
            }
            if fits { return (endpoint, captured) }
        }
        return nil
    }

    /// The one dispatch switch.
    func run(_ method: String, _ request: SandboxRequest) throws(SandboxError) -> SandboxReply {
        switch self {
        case .sucursales: return try request.sucursales()
        case .zonas: return try request.zonas()
        case .subgerencias: return try request.subgerencias()
        case .zonasOfSubgerencia: return try request.zonasOfSubgerencia()
        case .sucursalesOfZona: return try request.sucursalesOfZona()
        case .checks: return try request.checks()
        case .ambitos: return try request.ambitos()
        case .preguntas: return try request.preguntas()
        case .cuestionarios: return try request.cuestionarios()
        case .asignaciones: return try request.asignaciones()
        case .respuestas: return try request.respuestas()
        case .areas: return try request.areas()
        case .categorias: return try request.categorias()
        case .categoriasOfAreas: return try request.categoriasOfAreas()
        case .razones: return try request.razones()
        case .razonesOfCategorias: return try request.razonesOfCategorias()
        case .moai: return method == "POST" ? try request.evaluatePhoto() : try request.fotos()
        }
    }
}

extension SandboxReply {
    /// An unpaged list: `{"data": [...]}`.
    static func list(_ rows: [JSONValue]) -> SandboxReply { .ok(["data": .array(rows)]) }
}

extension [JSONValue] {
    /// The rows whose integer member `key` equals `value`, or all rows when `value` is nil.
    func filtered(_ key: String, equals value: Int?) -> [JSONValue] {
        guard let value else { return self }
        return filter { $0.int(key) == value }
    }

    /// The row with this `id`, or a 404 naming `what`.
    func row(id: Int, _ what: String) throws(SandboxError) -> JSONValue {
        guard let row = first(where: { $0.int("id") == id }) else { throw .notFound("\(what) \(id) not found") }
        return row
    }
}
