import HTTP1
import JSON
import Sandbox
import Testing

@Suite("Sandbox credentials, filters and errors")
struct SandboxRulesTests {
    @Test(
        "401 unless the Authorization + client pair belongs to one demo tenant",
        arguments: [
            [],
            [("Authorization", acme.authorization)],
            [("client", "acme")],
            [("Authorization", "Bearer wrong"), ("client", "acme")],
            [("Authorization", acme.authorization), ("client", "globex")],
            [("Authorization", globex.authorization), ("client", "acme")],
            [("Authorization", acme.authorization), ("Authorization", acme.authorization), ("client", "acme")],
        ] as [[(String, String)]])
    func unauthorized(headers: [(String, String)]) {
        let answer = call("/core/sucursales", fields: HTTPFields(headers))
        #expect(answer.status == 401)
        #expect(answer.error.contains("credentials"))
    }

    @Test("zone and id filters")
    func idFilters() {
        #expect(call("/core/zonas?zone_id=2").data.map { $0["id"] } == [2])
        #expect(call("/core/zonas?zone_id=999").data.isEmpty)
        #expect(call("/core/zonas/2/sucursales").data.allSatisfy { $0["zona_id"] == 2 })
        #expect(call("/core/subgerencias/1/zonas").data.allSatisfy { $0["subgerencia_id"] == 1 })
        #expect(call("/visual/area?id=3").data.map { $0["id"] } == [3])
        #expect(call("/visual/category?id=4").data.map { $0["id"] } == [4])
        #expect(call("/visual/reason?reason_id=5").data.map { $0["id"] } == [5])
    }

    @Test("area and category lists filter by every listed id")
    func listFilters() {
        let byAreas = call("/visual/category/areas?areas=1,3").data
        #expect(!byAreas.isEmpty)
        #expect(byAreas.allSatisfy { $0["area_id"] == 1 || $0["area_id"] == 3 })
        #expect(Set(byAreas.compactMap { $0["area_id"]?.intValue }) == [1, 3])
        let encoded = call("/visual/reason/categories?categories=2%2C4").data
        #expect(Set(encoded.compactMap { $0["categoria_id"]?.intValue }) == [2, 4])
    }

    @Test("checks: only active ones, search by name substring ignoring case")
    func checkSearch() throws {
        let active = call("\(checklist)/checks?limit=100").data
        #expect(active.allSatisfy { $0["activo"] == true })
        let name = try #require(active.first?["nombre"]?.stringValue)
        let word = String(name.split(separator: " ")[0]).uppercased()
        let found = call("\(checklist)/checks?search=\(word)").data
        #expect(found.contains { $0["nombre"]?.stringValue == name })
        #expect(found.allSatisfy { ($0["nombre"]?.stringValue ?? "").lowercased().contains(word.lowercased()) })
        let spaced = call("\(checklist)/checks?search=\(name.lowercased().replacing(" ", with: "%20"))").data
        #expect(spaced.map { $0["nombre"]?.stringValue } == [name])
        #expect(call("\(checklist)/checks?search=zzz").data.isEmpty)
    }

    @Test("cuestionarios stay within the date range, inclusive")
    func dateRange() {
        let rows = call("\(checklist)/cuestionarios?check_id=2&from_date=2025-03-01&end_date=2025-03-31&limit=100").data
        #expect(!rows.isEmpty)
        for row in rows {
            let fecha = row["fecha"]?.stringValue ?? ""
            #expect(fecha >= "2025-03-01" && fecha <= "2025-03-31")
            #expect(row["check_id"] == 2)
        }
        #expect(call("\(checklist)/cuestionarios?check_id=2&from_date=2030-01-01&end_date=2030-12-31").data.isEmpty)
    }

    @Test("answers filter by assignment, which must belong to the questionnaire")
    func answersByAssignment() throws {
        let cuestionario = completedCuestionario(of: acme)
        let assignment = try #require(
            call("\(checklist)/asignaciones?cuestionario_id=\(cuestionario)").data.first?["id"]?.intValue)
        let answers = call(
            "\(checklist)/respuestas?cuestionario_id=\(cuestionario)&asignacion_id=\(assignment)&limit=100"
        ).data
        #expect(!answers.isEmpty)
        #expect(answers.allSatisfy { $0["asignacion_id"] == .int(assignment) })
        #expect(call("\(checklist)/respuestas?cuestionario_id=\(cuestionario)&asignacion_id=1").status == 404)
    }

    @Test(
        "400 for missing, malformed or unknown parameters",
        arguments: [
            "\(checklist)/ambitos", "\(checklist)/preguntas?check_id=abc", "\(checklist)/preguntas?check_id=0",
            "\(checklist)/cuestionarios?check_id=1&from_date=2025-02-30&end_date=2025-03-01",
            "\(checklist)/cuestionarios?check_id=1&from_date=2025-2-1&end_date=2025-03-01",
            "\(checklist)/cuestionarios?check_id=1&from_date=2025-03-02&end_date=2025-03-01",
            "\(checklist)/cuestionarios?check_id=1&end_date=2025-03-01", "\(checklist)/asignaciones",
            "\(checklist)/checks?limit=101", "\(checklist)/checks?limit=0", "\(checklist)/checks?page=0",
            "/core/zonas?zone_id=abc", "/core/zonas?zone_id=1&zone_id=2", "/core/zonas?id=1", "/core/sucursales?x=1",
            "/core/subgerencias/abc/zonas", "/visual/category/areas", "/visual/category/areas?areas=1,,2",
            "/visual/reason/categories?categories=a", "/visual/area?area_id=1", "/core/zonas?zone_id=%zz",
        ])
    func badRequest(target: String) {
        let answer = call(target)
        #expect(answer.status == 400, "\(target)")
        #expect(!answer.error.isEmpty)
    }

    @Test(
        "404 for unknown paths and ids that name nothing",
        arguments: [
            "/", "/core", "/core/sucursales/", "/core/unknown", "/visual/moai/1", "/core/zonas/999/sucursales",
            "/core/subgerencias/999/zonas", "\(checklist)/ambitos?check_id=999",
            "\(checklist)/asignaciones?cuestionario_id=999999",
        ])
    func notFound(target: String) {
        #expect(call(target).status == 404, "\(target)")
    }

    @Test("405 with Allow for a known path and the wrong method")
    func methodNotAllowed() {
        let post = call("/core/sucursales", method: "POST")
        #expect(post.status == 405)
        #expect(post.response.fields["Allow"] == "GET")
        let delete = call("/visual/moai", method: "DELETE")
        #expect(delete.status == 405)
        #expect(delete.response.fields["Allow"] == "GET, POST")
    }
}
