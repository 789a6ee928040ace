import Glibc

/// The outcome of one non-blocking read or write.
public enum IOResult: Equatable, Sendable {
    case done(Int)
    case wouldBlock
    /// Orderly end of stream (read) or peer gone (write: EPIPE/ECONNRESET).
    case closed
}

/// Non-blocking reads and writes that turn the expected errno values into cases.
public enum IO {
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .done(n) }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case ECONNRESET, EPIPE: return .closed
            default: throw SystemError("read")
            }
        }
    }

    public static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult {
        while true {
            let n = Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .done(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case ECONNRESET, EPIPE: return .closed
            case ENOTSOCK: return try plainWrite(fd, buffer)
            default: throw SystemError("send")
            }
        }
    }

    /// Writes several buffers in one call (`sendmsg`, or `writev` for pipes and files).
    public static func write(_ fd: Int32, _ buffers: UnsafeMutableBufferPointer<iovec>) throws(SystemError) -> IOResult {
        var message = msghdr()
        message.msg_iov = buffers.baseAddress
        message.msg_iovlen = buffers.count
        while true {
            var n = Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if n < 0 && errno == ENOTSOCK { n = Glibc.writev(fd, buffers.baseAddress, Int32(buffers.count)) }
            if n >= 0 { return .done(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case ECONNRESET, EPIPE: return .closed
            default: throw SystemError("sendmsg")
            }
        }
    }

    /// Pipes and files: `send` refuses them, `write` does not.
    private static func plainWrite(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult {
        while true {
            let n = Glibc.write(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return .done(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case EPIPE: return .closed
            default: throw SystemError("write")
            }
        }
    }

    /// Writes everything, blocking (poll) when the descriptor is full; for small control messages.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { raw in Result { () throws(SystemError) in try write(fd, UnsafeRawBufferPointer(rebasing: raw[offset...])) } }
            switch try result.get() {
            case .done(let n): offset += n
            case .wouldBlock:
                var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&p, 1, -1)
            case .closed: throw SystemError("write", errno: EPIPE)
            }
        }
    }

    public static func setNonBlocking(_ fd: Int32, _ on: Bool = true) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK)
    }

    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)  // EINTR on Linux still closes: never retry
    }
}
