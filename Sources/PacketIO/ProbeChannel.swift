import Glibc
import PacketKit

/// Both ends of a conversation with the network, for `Prober` and `Tracer`: a capture
/// (`LiveCapture`, a TPACKET_V3 ring), open and filtered before anything is sent, and a send
/// socket (link layer or raw IP) reporting the kernel's transmit timestamps.
///
/// Times are CLOCK_REALTIME nanoseconds on both sides, so a reply's receive time minus its
/// probe's send time is the round trip: the ring's frames carry the kernel's software
/// receive timestamp, and each send gets the kernel's software transmit timestamp
/// (`SO_TIMESTAMPING`, read from the socket's error queue, paired by the id `send` returns).
/// The clock read just before `sendto` stands in until (or unless) that timestamp comes.
struct ProbeChannel: ~Copyable {
  private var capture: LiveCapture
  // Exactly one is set.
  private var link: PacketSocket?
  private var raw: RawIPSocket?
  /// The link type of received frames (the interface's).
  let linkType: LinkType
  /// The interface both ends use.
  let interface: NetworkInterface

  /// Opens the capture (frames matching `receiveFilter`, inbound only) and then the socket.
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
    var configuration = LiveCapture.Configuration()
    configuration.direction = .inbound
    configuration.snapshotLength = 65_535
    let capture = try LiveCapture(
      interface: interface, filter: program, configuration: configuration)
    var link: PacketSocket? = nil
    var raw: RawIPSocket? = nil
    if linkLayer {
      var socket = try PacketSocket(interface: interface)
      try socket.enableTransmitTimestamps()
      link = consume socket
    } else {
      var socket = try RawIPSocket(version: ipVersion, interface: interface)
      try socket.enableTransmitTimestamps()
      raw = consume socket
    }
    self.capture = capture
    self.link = link
    self.raw = raw
    linkType = interface.linkType
    self.interface = interface
  }

  /// Checks that `packet` fits the interface's MTU.
  func checkMTU(_ packet: [UInt8]) throws(SystemError) {
    if link != nil { try link!.checkMTU(packet) } else { try raw!.checkMTU(packet) }
  }

  /// Sends `packet`.
  ///
  /// - Returns: the id its transmit timestamp will carry, and the clock just before the send
  ///   (CLOCK_REALTIME nanoseconds).
  mutating func send(_ packet: [UInt8]) throws(SystemError) -> (id: UInt32, clock: UInt64) {
    let clock = system_realtimeNanoseconds()
    let id = link != nil ? try link!.sendTimestamped(packet) : try raw!.sendTimestamped(packet)
    return (id, clock)
  }

  /// Hands over every transmit timestamp the kernel has queued, without waiting.
  func readTransmitTimestamps(_ body: (TransmitTimestamp) -> Void) throws(SystemError) {
    if link != nil {
      _ = try link!.readTransmitTimestamps(timeoutMilliseconds: 0, body)
    } else {
      _ = try raw!.readTransmitTimestamps(timeoutMilliseconds: 0, body)
    }
  }

  /// Waits up to `timeoutMilliseconds` for the transmit timestamp of send `id`.
  func transmitTimestamp(id: UInt32, timeoutMilliseconds: Int32) throws(SystemError) -> UInt64? {
    link != nil
      ? try link!.waitForTransmitTimestamp(id: id, timeoutMilliseconds: timeoutMilliseconds)
      : try raw!.waitForTransmitTimestamp(id: id, timeoutMilliseconds: timeoutMilliseconds)
  }

  /// Hands every frame the capture holds to `body` with its receive time (CLOCK_REALTIME
  /// nanoseconds), waiting up to `waitMilliseconds` when none is ready.
  mutating func receive(
    waitMilliseconds: Int32, _ body: (CaptureRecord, Span<UInt8>, UInt64) -> Void
  ) throws(SystemError) {
    _ = try capture.read(timeoutMilliseconds: waitMilliseconds) { record, bytes in
      body(record, bytes, UInt64(clamping: record.timestamp.nanosecondsSinceEpoch))
      return true
    }
  }

  /// The kernel's counts: frames that passed the filter and frames dropped.
  mutating func counters() throws(SystemError) -> CaptureCounters { try capture.counters() }
}
