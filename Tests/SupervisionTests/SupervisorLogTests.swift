import Foundation
import JSON
import Testing

@testable import Supervision

struct SupervisorLogTests {
    func temporaryLog() -> String {
        "/tmp/oneapp-log-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
    }

    func lines(_ path: String) throws -> [JSONValue] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
    }

    @Test("request lines wait for the end of the loop's turn; any other line flushes them first, in order")
    func buffering() throws {
        let path = temporaryLog()
        defer { unlink(path) }
        let log = SupervisorLog(path: path)
        var exchange = Exchange(started: 0, clientHeader: "acme")
        exchange.status = 200
        exchange.bytesIn = 170
        exchange.bytesOut = 12_917
        exchange.workerPID = 812
        exchange.mcpMethod = "tools/call"
        exchange.mcpTool = "core_list_zonas"
        log.request(exchange, clientID: "acme", microseconds: 1_234_567)
        #expect(try lines(path).isEmpty)
        log.write("worker ready", ["worker.pid": .int(812)])
        let written = try lines(path)
        #expect(written.count == 2)
        guard written.count == 2 else { return }
        let request = written[0]
        #expect(request["msg"] == "request" && request["client.id"] == "acme" && request["status"] == 200)
        #expect(request["bytes.in"] == 170 && request["bytes.out"] == 12_917 && request["worker.pid"] == 812)
        #expect(request["duration.ms"] == .double(1234.567))
        #expect(request["mcp.method"] == "tools/call" && request["mcp.tool"] == "core_list_zonas")
        #expect(request["time"]?.stringValue?.hasSuffix("Z") == true && request["time"]?.stringValue?.count == 24)
        #expect(written[1]["msg"] == "worker ready")
    }

    @Test("a client ID as sent is quoted safely, and a missing one is null")
    func quoting() throws {
        let path = temporaryLog()
        defer { unlink(path) }
        let log = SupervisorLog(path: path)
        log.request(Exchange(started: 0, clientHeader: "a\"b\n"), clientID: "a\"b\n", microseconds: 5)
        log.request(Exchange(started: 0), clientID: nil, microseconds: 0)
        log.flush()
        let written = try lines(path)
        #expect(written.count == 2)
        #expect(written.first?["client.id"] == "a\"b\n" && written.first?["duration.ms"] == .double(0.005))
        #expect(written.last?["client.id"] == .null && written.last?["worker.pid"] == nil)
    }

    @Test("a client ID, method or tool is cut to 128 bytes before a character, escaped, and the line stays JSON")
    func clipping() throws {
        let path = temporaryLog()
        defer { unlink(path) }
        let log = SupervisorLog(path: path)
        var exchange = Exchange(started: 0)
        exchange.mcpMethod = String(repeating: "a", count: 300)
        exchange.mcpTool = "x\u{1}" + String(repeating: "é", count: 100)  // 1 + 1 + 200 bytes
        log.request(exchange, clientID: String(repeating: "é", count: 100), microseconds: 0)
        log.flush()
        let written = try lines(path)
        #expect(written.count == 1)
        #expect(written.first?["client.id"] == .string(String(repeating: "é", count: 64)))
        #expect(written.first?["mcp.method"] == .string(String(repeating: "a", count: 128)))
        #expect(written.first?["mcp.tool"] == .string("x\u{1}" + String(repeating: "é", count: 63)))
    }

    @Test("request lines beyond 64 KiB are written without waiting for the tick; each arrives once, in order")
    func batchLimit() throws {
        let path = temporaryLog()
        defer { unlink(path) }
        let log = SupervisorLog(path: path)
        for i in 0..<1000 {
            var exchange = Exchange(started: 0)
            exchange.bytesIn = i
            exchange.status = 200
            log.request(exchange, clientID: "acme", microseconds: UInt64(i))
        }
        let early = try lines(path).count
        #expect(early > 0 && early < 1000)
        log.flush()
        let written = try lines(path)
        #expect(written.map { $0["bytes.in"] } == (0..<1000).map { .int($0) })
    }
}
