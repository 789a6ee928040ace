import Glibc
import Testing

@testable import Posix

struct DescriptorPassingTests {
    @Test("a message arrives whole with working copies of its descriptors")
    func passesDescriptors() throws {
        let (left, right) = try DescriptorPassing.socketPair()
        defer { [left, right].forEach(IO.close) }
        let (readEnd, writeEnd) = try Spawn.pipe()
        defer { [readEnd, writeEnd].forEach(IO.close) }
        try DescriptorPassing.send(left, Array("hello\0world".utf8), descriptors: [writeEnd])

        guard case .message(let bytes, let descriptors) = try DescriptorPassing.receive(right) else {
            Issue.record("no message")
            return
        }
        #expect(bytes == Array("hello\0world".utf8))
        #expect(descriptors.count == 1 && descriptors[0] != writeEnd)
        #expect(fcntl(descriptors[0], F_GETFD) & FD_CLOEXEC != 0)
        try IO.writeAll(descriptors[0], Array("through the copy".utf8))
        IO.close(descriptors[0])
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
        #expect(n > 0 && Array(buffer[..<n]) == Array("through the copy".utf8))
    }

    @Test("each send is one message: two sends are two receives")
    func keepsMessageBoundaries() throws {
        let (left, right) = try DescriptorPassing.socketPair()
        defer { [left, right].forEach(IO.close) }
        try DescriptorPassing.send(left, [1, 2, 3])
        try DescriptorPassing.send(left, [4])
        guard case .message(let first, _) = try DescriptorPassing.receive(right),
            case .message(let second, _) = try DescriptorPassing.receive(right)
        else {
            Issue.record("two messages expected")
            return
        }
        #expect(first == [1, 2, 3] && second == [4])
    }

    @Test("nothing yet on a non-blocking socket, end of stream once the peer closes, and a too long message is an error")
    func outcomes() throws {
        let (left, right) = try DescriptorPassing.socketPair()
        defer { IO.close(right) }
        IO.setNonBlocking(right)
        guard case .wouldBlock = try DescriptorPassing.receive(right) else {
            Issue.record("expected wouldBlock")
            return
        }
        try DescriptorPassing.send(left, Array(repeating: 7, count: 100))
        #expect(throws: SystemError.self) { try DescriptorPassing.receive(right, maxBytes: 10) }
        IO.close(left)
        let last = try DescriptorPassing.receive(right)
        guard case .closed = last else {
            Issue.record("expected closed, got \(last)")
            return
        }
    }
}

struct ForkTests {
    @Test("fork refuses in a threaded process (the test runner has threads)")
    func refusesThreads() {
        #expect(Fork.threadCount() > 1)
        #expect(throws: SystemError.self) { try Fork.fork() }
    }
}
