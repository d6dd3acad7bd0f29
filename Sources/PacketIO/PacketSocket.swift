import CPacketIO
import Glibc
import PacketKit

/// An AF_PACKET SOCK_RAW socket bound to one interface for sending whole link-layer frames
/// (the frames of `rawtool send` whose stack starts with `eth`). Closes in `deinit`.
///
/// The socket is bound with protocol 0, so it receives nothing.
///
/// Noncopyable (`~Copyable`): it owns the socket, closed when it goes away. Pass it `borrowing` (or
/// `inout`) to use it.
public struct PacketSocket: ~Copyable {
  let fd: Int32
  /// The error-queue reader, once transmit timestamps are on.
  private var timestamper: TransmitTimestamper? = nil
  /// The id the next packet sent with `sendTimestamped` gets.
  private var nextTransmitID: UInt32 = 0
  /// The interface frames go out on.
  public let interface: NetworkInterface

  /// Opens the socket on `interface`.
  ///
  /// - Parameters:
  ///   - interface: the interface frames go out on.
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
      try system_bindPacket(fd, interface: interface, protocol: 0)
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

  /// Asks the kernel for a software transmit timestamp of every packet sent on this socket
  /// from now on (SO_TIMESTAMPING with TX_SOFTWARE, SOFTWARE, OPT_ID and OPT_TSONLY); they
  /// queue on the socket's error queue until read with `readTransmitTimestamps`. Ids
  /// start at 0. Calling it again does nothing.
  ///
  /// The error queue holds about 4,000 unread timestamps (its receive buffer is raised
  /// to 4 MiB); read them as you go when sending more.
  ///
  /// The corresponding C calls are `setsockopt(SOL_SOCKET, SO_TIMESTAMPING)` and
  /// `setsockopt(SOL_SOCKET, SO_RCVBUFFORCE)`.
  public mutating func enableTransmitTimestamps() throws(SystemError) {
    guard !transmitTimestampsEnabled else { return }
    timestamper = try TransmitTimestamper(fd: fd)
    transmitTimestampsEnabled = true
    nextTransmitID = 0
  }

  /// Whether `enableTransmitTimestamps()` was called.
  public private(set) var transmitTimestampsEnabled = false

  /// Sends one frame and returns the id its transmit timestamp will carry (with timestamps
  /// enabled; the count of packets sent by this method since, modulo 2³², otherwise).
  /// Allocates nothing.
  ///
  /// Ids count the packets this method sent; packets sent with the other `send` methods
  /// after `enableTransmitTimestamps()` also take ids in the kernel and shift the count.
  ///
  /// The corresponding C call is `sendto(fd, frame, length, 0, NULL, 0)`.
  public mutating func sendTimestamped(_ frame: [UInt8]) throws(SystemError) -> UInt32 {
    try send(frame)
    defer { nextTransmitID &+= 1 }
    return nextTransmitID
  }

  /// Hands every transmit timestamp waiting on the error queue to `body`, waiting up to
  /// `timeoutMilliseconds` (-1: no limit) for the first when none is there. Allocates
  /// nothing.
  ///
  /// - Returns: the number handed over (0 after the timeout, or when timestamps are off).
  /// - Throws: `SystemError` from `recvmsg` or `poll`.
  ///
  /// The corresponding C calls are `poll(fd, POLLERR)` and
  /// `recvmsg(fd, MSG_ERRQUEUE | MSG_DONTWAIT)`.
  public func readTransmitTimestamps(
    timeoutMilliseconds: Int32, _ body: (TransmitTimestamp) -> Void
  ) throws(SystemError) -> Int {
    try TransmitTimestamper.read(
      timestamper, fd: fd, timeoutMilliseconds: timeoutMilliseconds, body)
  }

  /// Waits up to `timeoutMilliseconds` for the transmit timestamp of packet `id`, in
  /// nanoseconds (CLOCK_REALTIME); timestamps of other packets read meanwhile go to
  /// `others`.
  ///
  /// - Returns: the timestamp, or nil when it did not come in time.
  public func waitForTransmitTimestamp(
    id: UInt32, timeoutMilliseconds: Int32, others: (TransmitTimestamp) -> Void = { _ in }
  ) throws(SystemError) -> UInt64? {
    try TransmitTimestamper.wait(
      timestamper, fd: fd, id: id, timeoutMilliseconds: timeoutMilliseconds, others: others)
  }

  /// Sends messages `start ..< start + count` of `batch` with `sendmmsg`.
  public func send(_ batch: borrowing FrameBatch, start: Int, count: Int)
    -> (sent: Int, bytes: Int, error: SystemError?)
  {
    batch.send(on: fd, start: start, count: count)
  }
}
