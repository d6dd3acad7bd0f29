import CPacketIO
import Glibc

/// An AF_PACKET SOCK_RAW socket bound to one interface and one EtherType, that sends whole
/// frames and receives the frames of that type coming in (not the ones going out): the
/// conversation of an ARP or neighbour-discovery exchange. Closes in `deinit`.
struct ListeningPacketSocket: ~Copyable {
  private let fd: Int32
  let interface: NetworkInterface

  /// Opens the socket for frames of EtherType `protocolNumber` (ETH_P_ARP, ETH_P_IPV6).
  ///
  /// The corresponding C calls are `socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC,
  /// htons(protocol))` and `bind` to the interface. Needs CAP_NET_RAW.
  init(interface: NetworkInterface, protocolNumber: UInt16) throws(SystemError) {
    let fd = try system_socket(
      AF_PACKET, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
      Int32(protocolNumber.bigEndian), name: "AF_PACKET")
    do throws(SystemError) {
      try system_bindPacket(fd, interface: interface, protocol: protocolNumber)
    } catch {
      system_close(fd)
      throw error
    }
    self.fd = fd
    self.interface = interface
  }

  deinit { system_close(fd) }

  /// Sends one frame. The corresponding C call is `sendto(fd, frame, length, 0, NULL, 0)`.
  func send(_ frame: [UInt8]) throws(SystemError) {
    let descriptor = fd
    _ = try frame.withUnsafeBytes { bytes in
      Result { () throws(SystemError) in try system_sendto(descriptor, bytes, nil, 0) }
    }.get()
  }

  /// Waits at most `milliseconds` for a frame; true when one is ready.
  /// The corresponding C call is `poll(fd, POLLIN, milliseconds)`.
  func wait(milliseconds: Int32) throws(SystemError) -> Bool {
    try system_poll(fd, events: Int16(POLLIN), timeoutMilliseconds: milliseconds) != 0
  }

  /// The next incoming frame's length, copied into `buffer`; nil when none is waiting.
  /// Frames this host sent (PACKET_OUTGOING) are skipped.
  ///
  /// The corresponding C call is `recvfrom(fd, buffer, size, MSG_DONTWAIT, &sockaddr_ll)`.
  func receive(into buffer: inout [UInt8]) throws(SystemError) -> Int? {
    let descriptor = fd
    while true {
      var from = sockaddr_ll()
      var length = socklen_t(MemoryLayout<sockaddr_ll>.size)
      let count = buffer.withUnsafeMutableBytes { bytes in
        withUnsafeMutablePointer(to: &from) { address in
          address.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            recvfrom(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), $0, &length)
          }
        }
      }
      if count < 0 {
        let code = Glibc.errno
        if code == EAGAIN || code == EWOULDBLOCK { return nil }
        if code == EINTR { continue }
        throw SystemError(operation: "recvfrom(AF_PACKET, \(interface.name))", errno: code)
      }
      if Int32(from.sll_pkttype) == PACKET_OUTGOING { continue }
      return count
    }
  }
}
