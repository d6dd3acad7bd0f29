import CPacketIO
import Glibc

/// An rtnetlink socket (`AF_NETLINK`, `NETLINK_ROUTE`) that asks the kernel one question at
/// a time: a route lookup, a neighbour-table dump. Closes in `deinit`.
///
/// The socket belongs to the network namespace of the thread that opened it.
struct NetlinkSocket: ~Copyable {
  private let fd: Int32
  private var sequence: UInt32 = 0

  /// How long to wait for the kernel's answer before giving up, in milliseconds. The
  /// kernel answers at once; this only bounds a broken system.
  static let answerTimeoutMilliseconds: Int32 = 2_000

  /// Opens the socket. Needs no privileges.
  ///
  /// The corresponding C calls are `socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
  /// NETLINK_ROUTE)` and `bind` with `nl_pid` 0 (the kernel picks the port id).
  init() throws(SystemError) {
    let fd = try system_socket(
      AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_ROUTE,
      name: "AF_NETLINK, NETLINK_ROUTE")
    do throws(SystemError) {
      var address = sockaddr_nl()
      address.nl_family = sa_family_t(AF_NETLINK)
      try withUnsafePointer(to: &address) { (pointer) throws(SystemError) in
        try system_bind(fd, pointer, MemoryLayout<sockaddr_nl>.size, name: "AF_NETLINK")
      }
    } catch {
      system_close(fd)
      throw error
    }
    self.fd = fd
  }

  deinit { system_close(fd) }

  /// Sends one request and returns the answers: the single reply of a plain request, or
  /// every message of a dump (`NLM_F_DUMP` in `flags`) up to NLMSG_DONE.
  ///
  /// - Parameter operation: the name used in errors (`RTM_GETROUTE`).
  /// - Throws: `SystemError` with the kernel's errno when it answers NLMSG_ERROR.
  ///
  /// The corresponding C calls are `sendto` to the kernel (`nl_pid` 0), then `poll` and
  /// `recv` until the answer is complete.
  mutating func ask(
    type: UInt16, flags: UInt16 = 0, familyHeader: [UInt8],
    attributes: [(type: UInt16, value: [UInt8])] = [], operation: String
  ) throws(SystemError) -> [NetlinkMessage] {
    sequence &+= 1
    let current = sequence
    let isDump = flags & UInt16(NLM_F_DUMP) == UInt16(NLM_F_DUMP)
    let request = NetlinkMessage.request(
      type: type, flags: flags | (isDump ? 0 : UInt16(NLM_F_ACK)), sequence: current,
      familyHeader: familyHeader, attributes: attributes)
    var kernel = sockaddr_nl()
    kernel.nl_family = sa_family_t(AF_NETLINK)
    let descriptor = fd
    _ = try request.withUnsafeBytes { bytes in
      withUnsafePointer(to: &kernel) { address in
        Result { () throws(SystemError) in
          try system_sendto(descriptor, bytes, address, MemoryLayout<sockaddr_nl>.size)
        }
      }
    }.get()

    var answers: [NetlinkMessage] = []
    var buffer = [UInt8](repeating: 0, count: 32_768)
    while true {
      let events = try system_poll(
        fd, events: Int16(POLLIN), timeoutMilliseconds: Self.answerTimeoutMilliseconds)
      guard events != 0 else {
        throw SystemError(operation: "netlink(\(operation))", errno: ETIMEDOUT)
      }
      let count = try buffer.withUnsafeMutableBytes { bytes in
        Result { () throws(SystemError) in
          try valueOrErrno("recv(netlink)") { recv(descriptor, bytes.baseAddress, bytes.count, 0) }
        }
      }.get()
      let messages = buffer.withUnsafeBytes {
        NetlinkMessage.parse(UnsafeRawBufferPointer(rebasing: $0[..<count]))
      }
      for message in messages where message.sequence == current {
        switch Int32(message.type) {
        case NLMSG_ERROR:
          let code = message.errorNumber
          if code != 0 { throw SystemError(operation: "netlink(\(operation))", errno: code) }
          return answers
        case NLMSG_DONE:
          return answers
        case NLMSG_NOOP:
          continue
        default:
          answers.append(message)
        }
      }
    }
  }
}
