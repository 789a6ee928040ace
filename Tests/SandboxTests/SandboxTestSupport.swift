import HTTP1
import JSON
import Sandbox
import Testing

let acme = SandboxAPI.demoTenants[0]
let globex = SandboxAPI.demoTenants[1]

/// One sandbox answer, with the body parsed.
struct Answer {
    var response: HTTPResponse
    var status: Int { response.status }
    var json: JSONValue { (try? JSONValue(parsing: response.body)) ?? .null }
    var data: [JSONValue] { json["data"]?.arrayValue ?? [] }
    var error: String { json["error"]?.stringValue ?? "" }
}

func fields(for tenant: SandboxTenant) -> HTTPFields {
    HTTPFields([("Authorization", tenant.authorization), ("client", tenant.clientHeader)])
}

func call(
    _ target: String, as tenant: SandboxTenant = acme, method: String = "GET", body: String = ""
) -> Answer {
    Answer(
        response: SandboxAPI().respond(
            method: method, target: target, fields: fields(for: tenant), body: Array(body.utf8)))
}

func call(_ target: String, fields: HTTPFields, method: String = "GET") -> Answer {
    Answer(response: SandboxAPI().respond(method: method, target: target, fields: fields, body: []))
}

let checklist = "/front/api/checklist/data"

/// A questionnaire of `tenant` whose assignments have answers (status "completado").
func completedCuestionario(of tenant: SandboxTenant) -> Int {
    let rows = call(
        "\(checklist)/cuestionarios?check_id=1&from_date=2025-01-01&end_date=2025-12-31&limit=100", as: tenant)
    return rows.data.first { $0["estado"] == "completado" }?["id"]?.intValue ?? 0
}

/// One GET of each of the 17 GET endpoints, with the parameters they need.
func everyGetTarget(for tenant: SandboxTenant) -> [String] {
    let cuestionario = completedCuestionario(of: tenant)
    return [
        "/core/sucursales", "/core/zonas", "/core/subgerencias", "/core/subgerencias/1/zonas",
        "/core/zonas/1/sucursales",
        "\(checklist)/checks", "\(checklist)/ambitos?check_id=1", "\(checklist)/preguntas?check_id=1",
        "\(checklist)/cuestionarios?check_id=1&from_date=2025-01-01&end_date=2025-03-31",
        "\(checklist)/asignaciones?cuestionario_id=\(cuestionario)",
        "\(checklist)/respuestas?cuestionario_id=\(cuestionario)",
        "/visual/area", "/visual/category", "/visual/category/areas?areas=1,2", "/visual/reason",
        "/visual/reason/categories?categories=1,2", "/visual/moai",
    ]
}

let photoBody = #"{"foto_url":"https://fotos.example.cl/sala/1.jpg","criterios":["Precio visible","Stock completo"]}"#
