import Glibc
import PacketKit

/// A Paris traceroute (`rawtool trace`): TTL-limited probes of one flow, every TTL of a round
/// in flight at once, replies matched through the quotes routers send back.
///
/// The receive ring is open and filtered before the first probe leaves; probes go out on a
/// raw IP socket, paced at `Configuration.interval`; each round waits until every probe is
/// answered or `timeout` has passed since its last probe left. Rounds after the first stop
/// at the hop where the destination answered.
///
/// Noncopyable (`~Copyable`): it owns its sockets and ring, closed when it goes away. Pass it
/// `borrowing` (or `inout`) to use it.
public struct Tracer: ~Copyable {
  /// How a trace runs (traceroute's `-m -q -w -z`).
  public struct Configuration: Sendable {
    /// The largest TTL (hop limit) probed.
    /// Default: `30`.
    public var maxHops: Int = 30
    /// Probes per hop.
    /// Default: `3`.
    public var queries: Int = 3
    /// How long a round waits for replies after its last probe, in nanoseconds.
    /// Default: `1_000_000_000`.
    public var timeoutNanoseconds: UInt64 = 1_000_000_000
    /// Time between two probes, in nanoseconds (bounds the rate; 1 ms by default).
    public var intervalNanoseconds: UInt64 = 1_000_000

    /// The default configuration: each property's default is given with it.
    public init() {}
  }

  /// One probe's outcome.
  public struct ProbeResult: Sendable, Hashable {
    /// The TTL (hop limit) the probe left with.
    public var hop: Int
    /// Which query of that hop (1-based).
    public var query: Int
    /// The answer, or nil when none came in time.
    public var reply: TraceProbes.Reply?
    /// Round-trip time, in nanoseconds, when answered.
    public var rttNanoseconds: UInt64?
  }

  private var channel: ProbeChannel
  private let probes: TraceProbes
  private let configuration: Configuration

  /// Opens the capture and the raw socket on `interface` for `probes`.
  ///
  /// - Throws: `SystemError` (no CAP_NET_RAW, interface gone) or `PcapError` wrapped as a
  ///   `SystemError` when the reply filter cannot be compiled for the interface.
  public init(
    interface: NetworkInterface, probes: TraceProbes, configuration: Configuration = .init()
  ) throws(SystemError) {
    let filter = probes.isIPv6 ? "icmp6 or (ip6 and tcp)" : "icmp or (ip and tcp)"
    channel = try ProbeChannel(
      interface: interface, receiveFilter: filter, linkLayer: false,
      ipVersion: probes.isIPv6 ? 6 : 4)
    self.probes = probes
    self.configuration = configuration
  }

  /// Runs the trace; `report` sees each round's results, in hop order, as the round ends.
  ///
  /// - Returns: every probe's result, rounds in order; hops beyond the destination's are
  ///   left out.
  /// - Throws: `SystemError` when sending or capturing fails.
  public mutating func run(_ report: ([ProbeResult]) -> Void = { _ in }) throws(SystemError)
    -> [ProbeResult]
  {
    let hops = max(1, min(configuration.maxHops, 255))
    var destinationHop = hops
    var results: [ProbeResult] = []
    var checksums: [UInt16: UInt16] = [:]
    let decoder = FrameDecoder(verifyChecksums: false)
    var frame = DecodedFrame(linkType: channel.linkType, capturedLength: 0, wireLength: 0)
    for query in 1...max(1, configuration.queries) {
      // Probe numbers: (query - 1) × 256 + hop, never 0.
      var round: [ProbeResult] = []
      var sent = SendTimes()
      var receivedAt: [Int: UInt64] = [:]
      var lastSend: UInt64 = 0
      var pacer = Pacer(intervalNanoseconds: configuration.intervalNanoseconds)
      for hop in 1...destinationHop {
        // Once the destination has answered this round, higher TTLs would only reach it
        // again (and spend its ICMP rate limit).
        if round.contains(where: { $0.reply?.kind == .destination }) { break }
        let number = UInt16((query - 1) * 256 + hop)
        let packet = probes.packet(hop: UInt8(hop), number: number)
        if probes.method == .udp { checksums[probes.udpChecksum(of: number)] = number }
        pacer.wait()
        let (id, clock) = try channel.send(packet)
        sent.record(hop: hop, id: id, clock: clock)
        lastSend = Pacer.now()
        round.append(ProbeResult(hop: hop, query: query))
        // Read replies between sends so the ring never fills during long rounds.
        try collect(
          into: &round, receivedAt: &receivedAt, checksums: checksums, frame: &frame,
          decoder: decoder, query: query, waitMilliseconds: 0)
        try channel.readTransmitTimestamps { sent.record($0) }
      }
      var unanswered = round.filter { $0.reply == nil }.count
      while unanswered > 0 {
        let now = Pacer.now()
        let end = lastSend + configuration.timeoutNanoseconds
        guard now < end else { break }
        let wait = Int32(clamping: (end - now + 999_999) / 1_000_000)
        try collect(
          into: &round, receivedAt: &receivedAt, checksums: checksums, frame: &frame,
          decoder: decoder, query: query, waitMilliseconds: wait)
        unanswered = round.filter { $0.reply == nil }.count
      }
      try channel.readTransmitTimestamps { sent.record($0) }
      for index in round.indices {
        guard let received = receivedAt[round[index].hop] else { continue }
        let left = sent.time(hop: round[index].hop)
        round[index].rttNanoseconds = received >= left ? received - left : 0
      }
      if let reached = round.first(where: { $0.reply?.kind == .destination })?.hop {
        destinationHop = min(destinationHop, reached)
      }
      round = round.filter { $0.hop <= destinationHop }
      report(round)
      results += round
    }
    return results.filter { $0.hop <= destinationHop }
  }

  /// Reads what the ring holds (waiting up to `waitMilliseconds` for the first frame) and
  /// records the replies to this round's probes. Late replies to an earlier round, and
  /// second replies to one probe, are ignored.
  private mutating func collect(
    into round: inout [ProbeResult], receivedAt: inout [Int: UInt64],
    checksums: [UInt16: UInt16], frame: inout DecodedFrame, decoder: FrameDecoder, query: Int,
    waitMilliseconds: Int32
  ) throws(SystemError) {
    let probes = self.probes
    try channel.receive(waitMilliseconds: waitMilliseconds) { record, bytes, time in
      decoder.decode(bytes, linkType: record.linkType, wireLength: record.wireLength, into: &frame)
      guard let reply = probes.reply(to: frame, checksums: checksums),
        Int(reply.number) / 256 == query - 1
      else { return }
      let hop = Int(reply.number) % 256
      guard let index = round.firstIndex(where: { $0.hop == hop }), round[index].reply == nil
      else { return }
      round[index].reply = reply
      receivedAt[hop] = time
    }
  }
}

/// When each probe of a round left: the kernel's transmit timestamp when it came, else the
/// clock read before the send.
private struct SendTimes {
  private var clockByHop: [Int: UInt64] = [:]
  private var hopByID: [UInt32: Int] = [:]
  private var kernelByHop: [Int: UInt64] = [:]

  mutating func record(hop: Int, id: UInt32, clock: UInt64) {
    clockByHop[hop] = clock
    hopByID[id] = hop
  }

  mutating func record(_ timestamp: TransmitTimestamp) {
    if let hop = hopByID[timestamp.id] { kernelByHop[hop] = timestamp.nanoseconds }
  }

  func time(hop: Int) -> UInt64 { kernelByHop[hop] ?? clockByHop[hop] ?? 0 }
}
