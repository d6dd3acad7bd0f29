import Glibc
import PacketKit

/// Both ends of a conversation with the network, for `Prober` and `Tracer`: a TPACKET_V3
/// receive ring, open and filtered before anything is sent, and a send socket (link layer or
/// raw IP).
///
/// Times are CLOCK_REALTIME nanoseconds on both sides, so a reply's receive time minus its
/// probe's send time is the round trip: the ring's frames carry the kernel's software
/// receive timestamp; the send time is the kernel's software transmit timestamp when the
/// socket reports one (`SO_TIMESTAMPING`), else the clock read just before `sendto`.
struct ProbeChannel: ~Copyable {
  private var ring: TPacketRing
  private let transmitter: Transmitter
  /// The link type of received frames (the interface's).
  let linkType: LinkType
  /// The interface both ends use.
  let interface: NetworkInterface

  /// The send socket: link layer (frames from `eth`) or raw IP.
  enum Transmitter: ~Copyable {
    case link(PacketSocket)
    case raw(RawIPSocket)
  }

  /// Opens the ring (frames matching `receiveFilter`, inbound only) and then the socket.
  ///
  /// - Throws: `SystemError`; a filter libpcap rejects becomes one with the filter's error.
  init(interface: NetworkInterface, receiveFilter: String, linkLayer: Bool, ipVersion: Int)
    throws(SystemError)
  {
    let program: BPFProgram
    do {
      program = try BPFProgram(filter: receiveFilter, linkType: interface.linkType)
    } catch {
      throw SystemError(operation: "filter", errno: EINVAL, detail: "\(error)")
    }
    var configuration = TPacketRing.Configuration()
    configuration.promiscuous = false
    configuration.direction = .inbound
    configuration.bufferSize = 8 << 20
    configuration.blockSize = 1 << 16
    configuration.blockTimeoutMilliseconds = 1
    configuration.snapshotLength = 65_535
    let ring = try TPacketRing(
      interface: interface, configuration: configuration, filter: program)
    let transmitter: Transmitter
    if linkLayer {
      transmitter = .link(try PacketSocket(interface: interface))
    } else {
      transmitter = .raw(try RawIPSocket(version: ipVersion, interface: interface))
    }
    linkType = ring.linkType
    self.ring = ring
    self.transmitter = transmitter
    self.interface = interface
  }

  /// Checks that `packet` fits the interface's MTU.
  func checkMTU(_ packet: [UInt8]) throws(SystemError) {
    switch transmitter {
    case .link(let socket): try socket.checkMTU(packet)
    case .raw(let socket): try socket.checkMTU(packet)
    }
  }

  /// Sends `packet`; returns its send time (CLOCK_REALTIME nanoseconds).
  func send(_ packet: [UInt8]) throws(SystemError) -> UInt64 {
    let before = Self.realtimeNanoseconds()
    switch transmitter {
    case .link(let socket): try socket.send(packet)
    case .raw(let socket): try socket.send(packet)
    }
    return before
  }

  /// Hands every frame the ring holds to `body` with its receive time (CLOCK_REALTIME
  /// nanoseconds), waiting up to `waitMilliseconds` when none is ready.
  mutating func receive(
    waitMilliseconds: Int32, _ body: (CaptureRecord, Span<UInt8>, UInt64) -> Void
  ) throws(SystemError) {
    _ = try ring.poll(timeoutMilliseconds: waitMilliseconds) { record, bytes in
      body(record, bytes, Self.nanoseconds(record.timestamp))
    }
  }

  /// The kernel's counts: frames that passed the filter and frames dropped.
  mutating func statistics() throws(SystemError) -> (received: Int, dropped: Int) {
    try ring.statistics()
  }

  /// A timestamp as nanoseconds since the epoch.
  static func nanoseconds(_ timestamp: Timestamp) -> UInt64 {
    UInt64(max(0, timestamp.seconds)) &* 1_000_000_000 &+ UInt64(timestamp.nanoseconds)
  }

  /// CLOCK_REALTIME now, in nanoseconds.
  static func realtimeNanoseconds() -> UInt64 {
    let now = system_realtime()
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
  }
}
