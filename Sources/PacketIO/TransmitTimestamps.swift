import CPacketIO
import Glibc

/// The kernel's software transmit timestamp of one sent packet (SO_TIMESTAMPING).
///
/// `nanoseconds` is CLOCK_REALTIME, taken when the driver took the packet
/// (`skb_tx_timestamp`): the clock of the receive timestamps of `CapturedFrame` and
/// `TPacketRing`, so a reply's receive timestamp minus its probe's transmit timestamp is
/// the round-trip time, both measured by the kernel.
public struct TransmitTimestamp: Sendable, Hashable {
  /// The packet's number on its socket (SOF_TIMESTAMPING_OPT_ID): 0 for the first packet
  /// sent after `enableTransmitTimestamps()`, then one more per packet, modulo 2³²; the
  /// value `sendTimestamped` returned for it.
  public var id: UInt32
  /// When the packet left, in nanoseconds since the Unix epoch (CLOCK_REALTIME).
  public var nanoseconds: UInt64

  /// The kernel's timestamp `nanoseconds` of the packet sent with `id`.
  public init(id: UInt32, nanoseconds: UInt64) {
    self.id = id
    self.nanoseconds = nanoseconds
  }
}

/// Transmit timestamps of one socket: the option set and the buffers `recvmsg(MSG_ERRQUEUE)` reads into (allocated once, so reading allocates
/// nothing). Does not own the socket.
struct TransmitTimestamper: ~Copyable {
  /// SOF_TIMESTAMPING flags: software transmit timestamps, reported (SOFTWARE), numbered
  /// (OPT_ID), without a copy of the packet (OPT_TSONLY).
  static let flags = UInt32(
    SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID
      | SOF_TIMESTAMPING_OPT_TSONLY)
  /// Room for the error queue's control messages (SCM_TIMESTAMPING and the extended error).
  static let controlCapacity = 512
  /// Room for the data of an error-queue message (none with OPT_TSONLY).
  static let dataCapacity = 64
  /// The receive buffer asked for, in bytes: error-queue entries count against it, and
  /// entries beyond it are dropped by the kernel (about 1 KiB each).
  static let receiveBufferSize: Int32 = 4 << 20

  private let control: UnsafeMutableRawPointer
  private let data: UnsafeMutableRawPointer

  /// Turns timestamps on for `fd` and enlarges its receive buffer.
  ///
  /// The corresponding C calls are `setsockopt(SOL_SOCKET, SO_TIMESTAMPING)` and
  /// `setsockopt(SOL_SOCKET, SO_RCVBUFFORCE)` (CAP_NET_ADMIN; else `SO_RCVBUF`, capped by
  /// net.core.rmem_max).
  init(fd: Int32) throws(SystemError) {
    try system_setsockopt(
      fd, SOL_SOCKET, CPacketIO_SO_TIMESTAMPING(), Self.flags, name: "SO_TIMESTAMPING")
    do {
      try system_setsockopt(
        fd, SOL_SOCKET, SO_RCVBUFFORCE, Self.receiveBufferSize, name: "SO_RCVBUFFORCE")
    } catch {
      try? system_setsockopt(fd, SOL_SOCKET, SO_RCVBUF, Self.receiveBufferSize, name: "SO_RCVBUF")
    }
    control = .allocate(byteCount: Self.controlCapacity, alignment: 16)
    data = .allocate(byteCount: Self.dataCapacity, alignment: 16)
  }

  deinit {
    control.deallocate()
    data.deallocate()
  }

  /// Hands every timestamp waiting on `fd`'s error queue to `body`, waiting up to
  /// `timeoutMilliseconds` (-1: no limit) for the first when none is there.
  ///
  /// - Returns: the number of timestamps handed over (0 after the timeout).
  ///
  /// The corresponding C calls are `poll(fd, POLLERR)` and
  /// `recvmsg(fd, MSG_ERRQUEUE | MSG_DONTWAIT)`.
  func read(fd: Int32, timeoutMilliseconds: Int32, _ body: (TransmitTimestamp) -> Void)
    throws(SystemError) -> Int
  {
    var handled = 0
    var waited = false
    while true {
      if let timestamp = try next(fd: fd) {
        body(timestamp)
        handled += 1
        continue
      }
      if handled > 0 || waited || timeoutMilliseconds == 0 { return handled }
      _ = try system_poll(fd, events: Int16(POLLERR), timeoutMilliseconds: timeoutMilliseconds)
      waited = true
    }
  }

  /// Reads error-queue messages until one carries a transmit timestamp; nil when the queue
  /// is empty.
  private func next(fd: Int32) throws(SystemError) -> TransmitTimestamp? {
    while true {
      var vector = iovec(iov_base: data, iov_len: Self.dataCapacity)
      var message = msghdr()
      let received = try withUnsafeMutablePointer(to: &vector) {
        (vector) throws(SystemError) -> Int? in
        message.msg_iov = vector
        message.msg_iovlen = 1
        message.msg_control = control
        message.msg_controllen = Self.controlCapacity
        return try system_recvmsg_errqueue(fd, &message)
      }
      guard received != nil else { return nil }
      if let timestamp = Self.parse(&message) { return timestamp }
    }
  }

  /// The timestamp and id in an error-queue message's control messages: SCM_TIMESTAMPING
  /// (its first `timespec` is the software one) and the extended error of origin
  /// SO_EE_ORIGIN_TIMESTAMPING (its `ee_data` is the OPT_ID counter, `ee_info` says which
  /// point of the path, SCM_TSTAMP_SND for the driver).
  static func parse(_ message: inout msghdr) -> TransmitTimestamp? {
    var nanoseconds: UInt64? = nil
    var id: UInt32? = nil
    var header = CPacketIO_CMSG_FIRSTHDR(&message)
    while let current = header {
      let level = current.pointee.cmsg_level
      let type = current.pointee.cmsg_type
      let length = CPacketIO_CMSG_DATA_LENGTH(current)
      let payload = UnsafeRawPointer(CPacketIO_CMSG_DATA(current)!)
      if level == SOL_SOCKET && type == CPacketIO_SO_TIMESTAMPING()
        && length >= MemoryLayout<scm_timestamping>.size
      {
        let seconds = payload.loadUnaligned(as: Int.self)
        let fraction = payload.loadUnaligned(fromByteOffset: MemoryLayout<Int>.size, as: Int.self)
        if seconds != 0 || fraction != 0 {
          nanoseconds = UInt64(seconds) &* 1_000_000_000 &+ UInt64(fraction)
        }
      } else if (level == SOL_IP && type == IP_RECVERR)
        || (level == SOL_IPV6 && type == IPV6_RECVERR)
        || (level == SOL_PACKET && type == PACKET_TX_TIMESTAMP),
        length >= MemoryLayout<sock_extended_err>.size
      {
        let error = payload.loadUnaligned(as: sock_extended_err.self)
        if error.ee_errno == UInt32(ENOMSG) && error.ee_origin == UInt8(SO_EE_ORIGIN_TIMESTAMPING)
          && error.ee_info == UInt32(SCM_TSTAMP_SND)
        {
          id = error.ee_data
        }
      }
      header = CPacketIO_CMSG_NXTHDR(&message, current)
    }
    guard let nanoseconds, let id else { return nil }
    return TransmitTimestamp(id: id, nanoseconds: nanoseconds)
  }
}

extension TransmitTimestamper {
  /// `timestamper.read(...)`, or 0 when timestamps are off (no timestamper).
  static func read(
    _ timestamper: borrowing TransmitTimestamper?, fd: Int32, timeoutMilliseconds: Int32,
    _ body: (TransmitTimestamp) -> Void
  ) throws(SystemError) -> Int {
    switch timestamper {
    case .some(let timestamper):
      try timestamper.read(fd: fd, timeoutMilliseconds: timeoutMilliseconds, body)
    case .none:
      0
    }
  }

  /// Reads timestamps until the one of packet `id` comes (its nanoseconds) or
  /// `timeoutMilliseconds` pass (nil); the others read meanwhile go to `others`.
  static func wait(
    _ timestamper: borrowing TransmitTimestamper?, fd: Int32, id: UInt32,
    timeoutMilliseconds: Int32, others: (TransmitTimestamp) -> Void
  ) throws(SystemError) -> UInt64? {
    let deadline = system_monotonicNanoseconds() + UInt64(max(0, timeoutMilliseconds)) * 1_000_000
    var found: UInt64? = nil
    while found == nil {
      let now = system_monotonicNanoseconds()
      let remaining = now >= deadline ? 0 : Int32(clamping: (deadline - now + 999_999) / 1_000_000)
      _ = try read(timestamper, fd: fd, timeoutMilliseconds: remaining) { timestamp in
        if timestamp.id == id { found = timestamp.nanoseconds } else { others(timestamp) }
      }
      if found == nil && system_monotonicNanoseconds() >= deadline { break }
    }
    return found
  }
}
