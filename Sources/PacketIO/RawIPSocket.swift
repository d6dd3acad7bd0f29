import CPacketIO
import Glibc
import PacketKit

/// A raw IP socket that sends whole IP datagrams, header included (the packets of
/// `rawtool send` whose stack starts with `ipv4` or `ipv6`). Closes in `deinit`.
///
/// IPv4: `socket(AF_INET, SOCK_RAW, IPPROTO_RAW)`, which implies `IP_HDRINCL`. The kernel
/// fills the identification when it is 0 and always writes the header checksum and the
/// total length (raw(7)); craft with explicit, correct values to send bytes unchanged.
///
/// IPv6: `socket(AF_INET6, SOCK_RAW, IPPROTO_RAW)`. Since Linux 4.5 such a socket sends the
/// caller's IPv6 header as is (the kernel sets `hdrincl` for IPPROTO_RAW, and
/// `IPV6_HDRINCL` exists as an option); verified by the live tests on the veth pair.
/// On an older kernel the send fails; the fallback there is an `eth / ipv6 / ...`
/// expression sent on the link layer (PacketSocket) with the neighbour's MAC given as `dst`.
///
/// Both are bound to the interface with `SO_BINDTODEVICE`, and the destination address of
/// each `sendto` is the packet's own destination. The kernel resolves the next hop's MAC.
///
/// Noncopyable (`~Copyable`): it owns the socket, closed when it goes away. Pass it `borrowing` (or
/// `inout`) to use it.
public struct RawIPSocket: ~Copyable {
  private let fd: Int32
  /// The error-queue reader, once transmit timestamps are on.
  private var timestamper: TransmitTimestamper? = nil
  /// The id the next packet sent with `sendTimestamped` gets.
  private var nextTransmitID: UInt32 = 0
  /// The interface datagrams leave by.
  public let interface: NetworkInterface
  /// 4 or 6.
  public let version: Int

  /// Opens a raw socket for IP `version` (4 or 6) bound to `interface`.
  ///
  /// - Throws: `SystemError`; EPERM carries the CAP_NET_RAW hint.
  ///
  /// The corresponding C calls are `socket(AF_INET or AF_INET6, SOCK_RAW, IPPROTO_RAW)`,
  /// `setsockopt(IPV6_HDRINCL)` and `setsockopt(SOL_SOCKET, SO_BINDTODEVICE)`.
  /// Needs CAP_NET_RAW.
  public init(version: Int, interface: NetworkInterface) throws(SystemError) {
    precondition(version == 4 || version == 6, "IP version must be 4 or 6")
    let family = version == 4 ? AF_INET : AF_INET6
    let fd = try system_socket(
      family, Int32(SOCK_RAW.rawValue), Int32(IPPROTO_RAW),
      name: version == 4 ? "AF_INET, SOCK_RAW, IPPROTO_RAW" : "AF_INET6, SOCK_RAW, IPPROTO_RAW")
    do throws(SystemError) {
      if version == 4 {
        try system_setsockopt(fd, Int32(IPPROTO_IP), IP_HDRINCL, Int32(1), name: "IP_HDRINCL")
      } else {
        // IPV6_HDRINCL is 36 (linux/in6.h); IPPROTO_RAW already implies it since 4.5.
        try system_setsockopt(fd, Int32(IPPROTO_IPV6), 36, Int32(1), name: "IPV6_HDRINCL")
      }
      let name = Array(interface.name.utf8) + [0]
      try name.withUnsafeBytes { bytes in
        Result { () throws(SystemError) in
          try system_setsockopt(
            fd, SOL_SOCKET, SO_BINDTODEVICE, bytes: bytes,
            name: "SO_BINDTODEVICE, \(interface.name)")
        }
      }.get()
    } catch {
      system_close(fd)
      throw error
    }
    self.fd = fd
    self.interface = interface
    self.version = version
  }

  deinit { system_close(fd) }

  /// The socket address of the packet's destination (bytes 16-19 of an IPv4 header, 24-39
  /// of an IPv6 header); nil when the packet is too short or not of this version.
  public static func destination(of packet: borrowing [UInt8], interfaceIndex: Int)
    -> sockaddr_storage?
  {
    var storage = sockaddr_storage()
    guard let first = packet.first else { return nil }
    switch first >> 4 {
    case 4 where packet.count >= 20:
      withUnsafeMutableBytes(of: &storage) { raw in
        let address = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in.self)
        address.pointee.sin_family = UInt16(AF_INET)
        withUnsafeMutableBytes(of: &address.pointee.sin_addr) { target in
          for index in 0..<4 { target[index] = packet[16 + index] }
        }
      }
    case 6 where packet.count >= 40:
      withUnsafeMutableBytes(of: &storage) { raw in
        let address = raw.baseAddress!.assumingMemoryBound(to: sockaddr_in6.self)
        address.pointee.sin6_family = UInt16(AF_INET6)
        address.pointee.sin6_scope_id = UInt32(interfaceIndex)
        withUnsafeMutableBytes(of: &address.pointee.sin6_addr) { target in
          for index in 0..<16 { target[index] = packet[24 + index] }
        }
      }
    default:
      return nil
    }
    return storage
  }

  /// Checks that `packet` fits the interface's MTU.
  ///
  /// - Throws: `SystemError` with "frame of N bytes exceeds the MTU M of IFACE" (EMSGSIZE).
  public func checkMTU(_ packet: [UInt8]) throws(SystemError) {
    guard interface.mtu > 0, packet.count > interface.mtu else { return }
    throw SystemError(
      operation: "send", errno: EMSGSIZE,
      detail: "frame of \(packet.count) bytes exceeds the MTU \(interface.mtu) of \(interface.name)"
    )
  }

  /// Sends one datagram to its own destination address.
  ///
  /// The corresponding C call is `sendto(fd, packet, length, 0, &destination, length)`.
  public func send(_ packet: [UInt8]) throws(SystemError) {
    guard var address = Self.destination(of: packet, interfaceIndex: interface.index) else {
      throw SystemError(
        operation: "send", errno: EINVAL, detail: "not an IPv\(version) packet of a whole header")
    }
    let length =
      version == 4 ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size
    _ = try packet.withUnsafeBytes { bytes in
      withUnsafePointer(to: &address) { pointer in
        Result { () throws(SystemError) in try system_sendto(fd, bytes, pointer, length) }
      }
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

  /// Sends one datagram to its own destination address and returns the id its transmit timestamp will carry (with timestamps
  /// enabled; the count of packets sent by this method since, modulo 2³², otherwise).
  /// Allocates nothing.
  ///
  /// Ids count the packets this method sent; packets sent with the other `send` methods
  /// after `enableTransmitTimestamps()` also take ids in the kernel and shift the count.
  ///
  /// The corresponding C call is `sendto(fd, packet, length, 0, &destination, length)`.
  public mutating func sendTimestamped(_ packet: [UInt8]) throws(SystemError) -> UInt32 {
    try send(packet)
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

  /// Sends messages `start ..< start + count` of `batch` (built with destinations) with
  /// `sendmmsg`.
  public func send(_ batch: borrowing FrameBatch, start: Int, count: Int)
    -> (sent: Int, bytes: Int, error: SystemError?)
  {
    batch.send(on: fd, start: start, count: count)
  }
}
