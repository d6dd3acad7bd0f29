import Glibc
import PacketKit

/// Sends probes and pairs each with its reply, as scapy's `sr()` and hping3 do (`rawtool
/// probe`, and test suites).
///
/// The receive ring is open and filtered before the first probe leaves. Probes go out paced
/// by absolute deadlines (`Configuration.intervalNanoseconds`); many can be in flight. A
/// reply is matched to a probe as scapy's `answers()` does (`ReplyMatcher`), including ICMP
/// errors quoting the probe; a second reply to an answered probe is counted as a duplicate,
/// one to a probe already given up as a late reply, and neither is matched twice. A probe
/// without a reply after `timeoutNanoseconds` is sent again up to `retries` times.
///
/// Round-trip times are the kernel's receive timestamp minus the probe's send time
/// (`ProbeChannel`), in nanoseconds.
///
/// Noncopyable (`~Copyable`): it owns its receive ring and send socket, closed when it goes away.
/// Pass it `borrowing` (or `inout`) to use it.
public struct Prober: ~Copyable {
  /// How probes are sent and waited for (`rawtool probe`'s `--timeout --retry --interval`).
  public struct Configuration: Sendable {
    /// How long a probe waits for its reply, in nanoseconds.
    /// Default: `1_000_000_000`.
    public var timeoutNanoseconds: UInt64 = 1_000_000_000
    /// How many times an unanswered probe is sent again.
    /// Default: `0`.
    public var retries: Int = 0
    /// Time between two sends, in nanoseconds; 0 sends as fast as the socket takes them.
    /// Default: `0`.
    public var intervalNanoseconds: UInt64 = 0

    /// The default configuration: each property's default is given with it.
    public init() {}
  }

  /// A probe's outcome.
  public struct Outcome: Sendable {
    /// The probe's number, from 1.
    public var number: Int
    /// The probe's bytes, as sent (an Ethernet frame or a raw IP packet).
    public var probe: [UInt8]
    /// The probe's link type: `.ethernet` or `.raw`.
    public var probeLinkType: LinkType
    /// When the (last) probe left, CLOCK_REALTIME nanoseconds.
    public var sentAtNanoseconds: UInt64
    /// The reply, or nil when none came in time.
    public var reply: CapturedFrame?
    /// Round-trip time, in nanoseconds, when answered.
    public var rttNanoseconds: UInt64?
    /// How many times the probe was sent.
    public var attempts: Int
  }

  /// What a run counted.
  public struct Summary: Sendable, Hashable {
    /// Probes (each counted once, whatever its retries).
    public var probes = 0
    /// Packets sent, retries included.
    public var sent = 0
    /// Probes that got a reply.
    public var answered = 0
    /// Replies to a probe already answered.
    public var duplicates = 0
    /// Replies to a probe already given up.
    public var late = 0
    /// Frames the kernel dropped because the receive ring was full.
    public var dropped = 0
  }

  private var channel: ProbeChannel
  private let configuration: Configuration
  private let probeLinkType: LinkType

  /// Opens the receive ring and the send socket on `interface`.
  ///
  /// - Parameters:
  ///   - interface: the interface probes leave by and replies are captured on.
  ///   - ipVersion: 4 or 6: the raw IP socket's family when probes are raw IP packets.
  ///   - configuration: timeout, retries and interval (`Configuration()` by default).
  ///   - linkLayer: probes are Ethernet frames (sent on AF_PACKET) rather than raw IP
  ///     packets of version `ipVersion` (sent on a raw IP socket).
  ///   - receiveFilter: a pcap-filter(7) expression narrowing what the ring keeps; the
  ///     default keeps everything (matching decides).
  /// - Throws: `SystemError` (no CAP_NET_RAW, a filter libpcap rejects).
  public init(
    interface: NetworkInterface, linkLayer: Bool, ipVersion: Int = 4,
    receiveFilter: String = "", configuration: Configuration = .init()
  ) throws(SystemError) {
    channel = try ProbeChannel(
      interface: interface, receiveFilter: receiveFilter, linkLayer: linkLayer,
      ipVersion: ipVersion)
    self.configuration = configuration
    probeLinkType = linkLayer ? .ethernet : .raw
  }

  /// Checks that `packet` fits the interface's MTU.
  public func checkMTU(_ packet: [UInt8]) throws(SystemError) { try channel.checkMTU(packet) }

  /// Sends `count` probes, `packet(n)` giving the bytes of probe `n` (0-based; nil stops
  /// sending new probes), and reports each outcome in probe order as soon as it is known.
  ///
  /// - Returns: the run's counts.
  /// - Throws: `SystemError` when sending or capturing fails.
  public mutating func run(
    count: Int, packet: (Int) -> [UInt8]?, shouldStop: () -> Bool = { false },
    report: (Outcome) -> Void
  ) throws(SystemError) -> Summary {
    var state = ProbeTable(count: count)
    var summary = Summary()
    let decoder = FrameDecoder(verifyChecksums: false)
    var probeFrame = DecodedFrame(linkType: probeLinkType, capturedLength: 0, wireLength: 0)
    var replyFrame = DecodedFrame(linkType: channel.linkType, capturedLength: 0, wireLength: 0)
    var nextNew = 0
    var count = count
    var nextSend = Pacer.now()
    let interval = configuration.intervalNanoseconds
    let timeout = configuration.timeoutNanoseconds
    while state.reported < count {
      if shouldStop() { break }
      let now = Pacer.now()
      // Send when a slot is due: a retry first, else the next new probe.
      if now >= nextSend, let index = state.nextRetry() ?? (nextNew < count ? nextNew : nil) {
        if index == nextNew {
          guard let bytes = packet(index) else {
            count = nextNew
            continue
          }
          decoder.decode(
            bytes.span, linkType: probeLinkType, wireLength: bytes.count, into: &probeFrame)
          state.add(
            index: index, bytes: bytes,
            key: ReplyMatcher.key(ofProbe: probeFrame, bytes: bytes.span))
          nextNew += 1
        }
        let (id, clock) = try channel.send(state.probes[index].bytes)
        state.sent(index: index, id: id, clock: clock, deadline: Pacer.now() + timeout)
        summary.sent += 1
        nextSend &+= interval
      }
      // Give up (or retry) probes whose time is over.
      state.expire(now: Pacer.now(), retries: configuration.retries)
      // Wait for replies until the next send slot or the next expiry.
      let moreToSend = nextNew < count || state.hasRetries
      var until = state.earliestDeadline ?? UInt64.max
      if moreToSend { until = min(until, nextSend) }
      let current = Pacer.now()
      let wait: Int32 =
        until <= current || (moreToSend && interval == 0)
        ? 0 : Int32(clamping: min((until - current + 999_999) / 1_000_000, 1000))
      try channel.readTransmitTimestamps { state.transmitted($0) }
      try channel.receive(waitMilliseconds: wait) { record, bytes, receivedAt in
        decoder.decode(
          bytes, linkType: record.linkType, wireLength: record.wireLength, into: &replyFrame)
        guard let key = ReplyMatcher.key(ofReply: replyFrame, bytes: bytes) else { return }
        switch state.match(
          key: key, reply: replyFrame, bytes: bytes, decoder: decoder, probeLinkType: probeLinkType)
        {
        case .answered(let index):
          state.answer(index, reply: CapturedFrame(record: record, bytes: bytes), at: receivedAt)
          summary.answered += 1
        case .duplicate: summary.duplicates += 1
        case .late: summary.late += 1
        case .none: break
        }
      }
      try channel.readTransmitTimestamps { state.transmitted($0) }
      while let index = state.nextReportable() {
        let probe = state.probes[index]
        report(
          Outcome(
            number: index + 1, probe: probe.bytes, probeLinkType: probeLinkType,
            sentAtNanoseconds: probe.sentAt, reply: probe.reply, rttNanoseconds: probe.rtt,
            attempts: probe.attempts))
        state.release(index)
      }
    }
    summary.probes = nextNew
    summary.dropped = (try? channel.counters().dropped) ?? 0
    return summary
  }
}
