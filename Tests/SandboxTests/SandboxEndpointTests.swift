import HTTP1
import JSON
import Sandbox
import Testing

@Suite("Sandbox endpoints")
struct SandboxEndpointTests {
    @Test("every endpoint answers 200 with data for each demo tenant", arguments: SandboxAPI.demoTenants)
    func everyEndpoint(tenant: SandboxTenant) {
        for target in everyGetTarget(for: tenant) {
            let answer = call(target, as: tenant)
            #expect(answer.status == 200, "\(target): \(answer.error)")
            #expect(!answer.data.isEmpty, "\(target) returned no rows")
            #expect(answer.response.fields["Content-Type"] == "application/json; charset=utf-8")
        }
        let posted = call("/visual/moai", as: tenant, method: "POST", body: photoBody)
        #expect(posted.status == 201)
    }

    @Test("same tenant, same request, same bytes (also across SandboxAPI values)")
    func deterministic() {
        for tenant in SandboxAPI.demoTenants {
            for target in everyGetTarget(for: tenant) {
                #expect(call(target, as: tenant).response == call(target, as: tenant).response, "\(target)")
            }
            let first = call("/visual/moai", as: tenant, method: "POST", body: photoBody)
            #expect(first.response == call("/visual/moai", as: tenant, method: "POST", body: photoBody).response)
        }
    }

    @Test("the two tenants get different data")
    func tenantsDiffer() {
        for target in ["/core/sucursales", "/core/subgerencias", "\(checklist)/checks", "/visual/area", "/visual/moai"]
        {
            #expect(call(target, as: acme).response.body != call(target, as: globex).response.body, "\(target)")
        }
        let names = call("/core/sucursales", as: globex).data.compactMap { $0["nombre"]?.stringValue }
        #expect(names.allSatisfy { $0.hasPrefix("Globex ") })
    }

    @Test("branch rows carry the documented fields with realistic values")
    func branchFields() throws {
        let branch = try #require(call("/core/sucursales").data.first?.objectValue)
        #expect(branch.keys == ["id", "nombre", "direccion", "comuna", "ciudad", "region", "zona_id", "activa"])
        let zonas = call("/core/zonas").data.compactMap { $0["id"]?.intValue }
        for row in call("/core/sucursales").data {
            #expect(zonas.contains(row["zona_id"]?.intValue ?? 0))
        }
    }

    @Test("paged endpoints answer data, page, limit, total with defaults 1 and 20")
    func pagedShape() throws {
        let answer = call("\(checklist)/cuestionarios?check_id=1&from_date=2025-01-01&end_date=2025-12-31")
        #expect(answer.json.objectValue?.keys == ["data", "page", "limit", "total"])
        #expect(answer.json["page"] == 1)
        #expect(answer.json["limit"] == 20)
        #expect(answer.data.count == 20)
        #expect((answer.json["total"]?.intValue ?? 0) > 20)
        #expect(call("/core/sucursales").json.objectValue?.keys == ["data"])
    }

    @Test("page and limit walk through a list without overlap")
    func paging() {
        let target = "\(checklist)/cuestionarios?check_id=1&from_date=2025-01-01&end_date=2025-06-30"
        let all = call(target + "&limit=100").data
        let first = call(target + "&page=1&limit=5").data
        let second = call(target + "&page=2&limit=5").data
        #expect(first == Array(all[0..<5]))
        #expect(second == Array(all[5..<10]))
        let beyond = call(target + "&page=1000&limit=5")
        #expect(beyond.data.isEmpty)
        #expect(beyond.json["total"]?.intValue == all.count)
        #expect(call(target + "&page=9223372036854775&limit=100").status == 200)
    }

    @Test("moai POST evaluates deterministically with a score per criterion")
    func moaiPost() throws {
        let answer = call("/visual/moai", method: "POST", body: photoBody)
        #expect(answer.status == 201)
        let evaluation = try #require(answer.json["data"])
        #expect(evaluation["foto_url"] == "https://fotos.example.cl/sala/1.jpg")
        #expect(evaluation["criterios"] == ["Precio visible", "Stock completo"])
        let results = try #require(evaluation["resultado"]?["criterios"]?.arrayValue)
        #expect(results.map { $0["criterio"] } == ["Precio visible", "Stock completo"])
        for result in results {
            let score = try #require(result["puntaje"]?.intValue)
            #expect((0...100).contains(score))
            #expect(result["cumple"] == .bool(score >= 60))
        }
        let other = call(
            "/visual/moai", method: "POST", body: #"{"foto_url":"https://x.cl/2.jpg","criterios":["Orden"]}"#)
        #expect(other.json["data"]?["id"] != evaluation["id"])
        #expect(
            call("/visual/moai", as: globex, method: "POST", body: photoBody).json["data"]?["id"] != evaluation["id"])
    }

    @Test(
        "moai POST refuses a bad body with 400",
        arguments: [
            "", "not json", "[]", #"{"criterios":["a"]}"#, #"{"foto_url":"ftp://x/y.jpg","criterios":[]}"#,
            #"{"foto_url":"https://x.cl/a.jpg"}"#, #"{"foto_url":"https://x.cl/a.jpg","criterios":[1]}"#,
            #"{"foto_url":"https://x.cl/a.jpg","criterios":"a"}"#,
            #"{"foto_url":"https://x.cl/a.jpg","criterios":[],"x":1}"#,
        ])
    func moaiBadBody(body: String) {
        let answer = call("/visual/moai", method: "POST", body: body)
        #expect(answer.status == 400)
        #expect(!answer.error.isEmpty)
    }
}
