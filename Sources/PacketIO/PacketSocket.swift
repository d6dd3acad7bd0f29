import CPacketIO
import Glibc
import PacketKit

/// An AF_PACKET SOCK_RAW socket bound to one interface for sending whole link-layer frames
/// (the frames of `rawtool send` whose stack starts with `eth`). Closes in `deinit`.
///
/// The socket is bound with protocol 0, so it receives nothing.
public struct PacketSocket: ~Copyable {
  private let fd: Int32
  /// The interface frames go out on.
  public let interface: NetworkInterface

  /// Opens the socket on `interface`.
  ///
  /// - Parameters:
  ///   - bypassQueueingDiscipline: hand frames straight to the driver
  ///     (`PACKET_QDISC_BYPASS`), for floods.
  /// - Throws: `SystemError`; EPERM carries the CAP_NET_RAW hint.
  ///
  /// The corresponding C calls are `socket(AF_PACKET, SOCK_RAW, 0)`, `bind` and
  /// `setsockopt(SOL_PACKET, PACKET_QDISC_BYPASS)`. Needs CAP_NET_RAW.
  public init(interface: NetworkInterface, bypassQueueingDiscipline: Bool = false)
    throws(SystemError)
  {
    let fd = try system_socket(AF_PACKET, Int32(SOCK_RAW.rawValue), 0, name: "AF_PACKET")
    do throws(SystemError) {
      var address = sockaddr_ll()
      address.sll_family = UInt16(AF_PACKET)
      address.sll_ifindex = Int32(interface.index)
      try withUnsafePointer(to: &address) { (pointer) throws(SystemError) in
        try system_bind(
          fd, pointer, MemoryLayout<sockaddr_ll>.size, name: "AF_PACKET, \(interface.name)")
      }
      if bypassQueueingDiscipline {
        try system_setsockopt(
          fd, SOL_PACKET, PACKET_QDISC_BYPASS, Int32(1), name: "PACKET_QDISC_BYPASS")
      }
    } catch {
      system_close(fd)
      throw error
    }
    self.fd = fd
    self.interface = interface
  }

  deinit { system_close(fd) }

  /// Checks that `frame` fits the interface: its network-layer part (after the Ethernet
  /// header and any 802.1Q tags) must not exceed the MTU.
  ///
  /// - Throws: `SystemError` with "frame of N bytes exceeds the MTU M of IFACE" (EMSGSIZE).
  public func checkMTU(_ frame: [UInt8]) throws(SystemError) {
    var header = 14
    while frame.count >= header + 4 {
      let type = UInt16(frame[header - 2]) << 8 | UInt16(frame[header - 1])
      guard type == 0x8100 || type == 0x88a8 || type == 0x9100 else { break }
      header += 4
    }
    guard interface.mtu > 0, frame.count - header > interface.mtu else { return }
    throw SystemError(
      operation: "send", errno: EMSGSIZE,
      detail: "frame of \(frame.count) bytes exceeds the MTU \(interface.mtu) of \(interface.name)")
  }

  /// Sends one frame.
  ///
  /// The corresponding C call is `sendto(fd, frame, length, 0, NULL, 0)`.
  public func send(_ frame: [UInt8]) throws(SystemError) {
    _ = try frame.withUnsafeBytes { bytes in
      Result { () throws(SystemError) in try system_sendto(fd, bytes, nil, 0) }
    }.get()
  }

  /// Sends messages `start ..< start + count` of `batch` with `sendmmsg`.
  public func send(_ batch: borrowing FrameBatch, start: Int, count: Int)
    -> (sent: Int, bytes: Int, error: SystemError?)
  {
    batch.send(on: fd, start: start, count: count)
  }
}
