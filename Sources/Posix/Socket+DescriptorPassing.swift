// Named after Socket.swift on purpose: when the module's first file (by name) is one that reaches
// struct msghdr through CSystem, clang attributes <sys/socket.h> to CSystem and files that import
// only Glibc lose MSG_NOSIGNAL and SOCK_*.
import CSystem
import Glibc

/// Messages that carry descriptors (SCM_RIGHTS) over a Unix `SOCK_SEQPACKET` pair: each send is
/// one message, delivered whole with its descriptors, so no framing is needed on top.
public enum DescriptorPassing {
    /// The most descriptors one message may carry here; more are closed on receipt.
    public static let maxDescriptors = 4

    /// A connected pair of Unix seqpacket sockets (close-on-exec, blocking).
    public static func socketPair() throws(SystemError) -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        try syscall("socketpair") { socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue | SOCK_CLOEXEC.rawValue), 0, &fds) }
        return (fds[0], fds[1])
    }

    /// Sends `bytes` (not empty) and copies of `descriptors` as one message.
    public static func send(_ fd: Int32, _ bytes: [UInt8], descriptors: [Int32] = []) throws(SystemError) {
        precondition(!bytes.isEmpty && descriptors.count <= maxDescriptors)
        let controlSize = descriptors.isEmpty ? 0 : csystem_cmsg_space(MemoryLayout<Int32>.stride * descriptors.count)
        var control = [UInt8](repeating: 0, count: max(controlSize, 1))
        var payload = bytes
        let sent = withMessage(&payload, &control, controlLength: controlSize) { message in
            if controlSize > 0 {
                let header = csystem_cmsg_firsthdr(&message)!
                header.pointee.cmsg_level = SOL_SOCKET
                header.pointee.cmsg_type = Int32(SCM_RIGHTS)
                header.pointee.cmsg_len = csystem_cmsg_len(MemoryLayout<Int32>.stride * descriptors.count)
                let slots = UnsafeMutableRawPointer(csystem_cmsg_data(header)!)
                for (index, descriptor) in descriptors.enumerated() {
                    slots.storeBytes(of: descriptor, toByteOffset: index * MemoryLayout<Int32>.stride, as: Int32.self)
                }
            }
            while true {
                let n = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                if n >= 0 || errno != EINTR { return n }
            }
        }
        guard sent == bytes.count else { throw SystemError("sendmsg", errno: sent < 0 ? errno : EMSGSIZE) }
    }

    public enum Received: Sendable {
        case message([UInt8], descriptors: [Int32])
        /// Only on a non-blocking socket.
        case wouldBlock
        /// End of stream: the peer closed its end or exited.
        case closed
    }

    /// Receives one message: its bytes and the descriptors it carried, close-on-exec. A message
    /// longer than `maxBytes` is an error (seqpacket would cut it silently).
    public static func receive(_ fd: Int32, maxBytes: Int = 65_536) throws(SystemError) -> Received {
        var payload = [UInt8](repeating: 0, count: maxBytes)
        let controlSize = csystem_cmsg_space(MemoryLayout<Int32>.stride * maxDescriptors)
        var control = [UInt8](repeating: 0, count: controlSize)
        var descriptors: [Int32] = []
        var flags: Int32 = 0
        let received = withMessage(&payload, &control, controlLength: controlSize) { message in
            var n: Int
            repeat { n = recvmsg(fd, &message, Int32(MSG_CMSG_CLOEXEC)) } while n < 0 && errno == EINTR
            guard n >= 0 else { return n }
            flags = message.msg_flags
            var header = csystem_cmsg_firsthdr(&message)
            while let current = header {
                if current.pointee.cmsg_level == SOL_SOCKET && current.pointee.cmsg_type == Int32(SCM_RIGHTS) {
                    let count = (Int(current.pointee.cmsg_len) - csystem_cmsg_len(0)) / MemoryLayout<Int32>.stride
                    let slots = UnsafeRawPointer(csystem_cmsg_data(current)!)
                    for index in 0..<count {
                        descriptors.append(slots.loadUnaligned(fromByteOffset: index * MemoryLayout<Int32>.stride, as: Int32.self))
                    }
                }
                header = csystem_cmsg_nexthdr(&message, current)
            }
            return n
        }
        if received < 0 {
            if errno == EAGAIN { return .wouldBlock }
            if errno == ECONNRESET { return .closed }
            throw SystemError("recvmsg")
        }
        if flags & Int32(MSG_TRUNC) != 0 || flags & Int32(MSG_CTRUNC) != 0 {
            descriptors.forEach(IO.close)
            throw SystemError("recvmsg", errno: EMSGSIZE)
        }
        if received == 0 && descriptors.isEmpty { return .closed }
        return .message(Array(payload[..<received]), descriptors: descriptors)
    }

    /// Calls `body` with a message header over `payload` (one buffer) and, when `controlLength`
    /// is not zero, `control` (the ancillary data: descriptors).
    private static func withMessage(
        _ payload: inout [UInt8], _ control: inout [UInt8], controlLength: Int, _ body: (inout msghdr) -> Int
    ) -> Int {
        payload.withUnsafeMutableBytes { data in
            control.withUnsafeMutableBytes { controlBuffer in
                var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    if controlLength > 0 {
                        message.msg_control = controlBuffer.baseAddress
                        message.msg_controllen = controlLength
                    }
                    return body(&message)
                }
            }
        }
    }
}
