import PacketKit

/// The probes of a `Prober` run: which are in flight, answered or given up, and which reply
/// key leads to which probe.
///
/// Deadlines are a send time plus one fixed timeout, so the probes in flight expire in the
/// order they were sent: a FIFO, scanned from its head.
struct ProbeTable {
  /// Where a probe stands.
  enum Stage {
    case waiting, inFlight, answered, gaveUp, reported
  }

  /// One probe.
  struct Entry {
    var bytes: [UInt8]
    var key: ProbeKey?
    var stage: Stage = .waiting
    /// The clock before the last send (CLOCK_REALTIME ns).
    var sentClock: UInt64 = 0
    /// The kernel's transmit timestamp of the last send, once read.
    var sentKernel: UInt64? = nil
    var deadline: UInt64 = 0
    var attempts = 0
    var reply: CapturedFrame? = nil
    /// The reply's kernel receive timestamp (CLOCK_REALTIME ns).
    var receivedAt: UInt64? = nil

    /// When the probe left: the kernel's timestamp, else the clock.
    var sentAt: UInt64 { sentKernel ?? sentClock }
    /// Whether the probe still waits for its reply (in flight, or queued to be sent again).
    var isOpen: Bool { stage == .inFlight || stage == .waiting }
    /// The round trip, once answered.
    var rtt: UInt64? { receivedAt.map { $0 >= sentAt ? $0 - sentAt : 0 } }
  }

  /// The probes stored under one key, in sending order; those before `firstOpen` are
  /// answered or given up.
  struct KeyedProbes {
    var indices: [Int] = []
    var firstOpen = 0
  }

  /// What a reply turned out to be.
  enum Match {
    case answered(Int)
    case duplicate, late, none
  }

  private(set) var probes: [Entry] = []
  private var byKey: [ProbeKey: KeyedProbes] = [:]
  /// The probe of each send whose transmit timestamp has not come yet, by send id.
  private var bySendID: [UInt32: Int] = [:]
  private var inFlight: [Int] = []
  private var inFlightHead = 0
  private var retries: [Int] = []
  private var retryHead = 0
  /// How many probes have been reported (probes `0 ..< reported`).
  private(set) var reported = 0

  init(count: Int) { probes.reserveCapacity(min(count, 1 << 16)) }

  /// Records probe `index` (the next new one) before its first send.
  mutating func add(index: Int, bytes: [UInt8], key: ProbeKey?) {
    precondition(index == probes.count, "probes are added in order")
    probes.append(Entry(bytes: bytes, key: key))
    if let key { byKey[key, default: KeyedProbes()].indices.append(index) }
  }

  /// Probe `index` left at `sentAt` (CLOCK_REALTIME ns); it waits until `deadline`
  /// (CLOCK_MONOTONIC ns).
  mutating func sent(index: Int, id: UInt32, clock: UInt64, deadline: UInt64) {
    probes[index].stage = .inFlight
    probes[index].sentClock = clock
    probes[index].sentKernel = nil
    bySendID[id] = index
    probes[index].deadline = deadline
    probes[index].attempts += 1
    inFlight.append(index)
  }

  /// Records the kernel's transmit timestamp of a send.
  mutating func transmitted(_ timestamp: TransmitTimestamp) {
    guard let index = bySendID.removeValue(forKey: timestamp.id) else { return }
    probes[index].sentKernel = timestamp.nanoseconds
  }

  /// Records the reply to probe `index`, received at `time` (CLOCK_REALTIME ns).
  mutating func answer(_ index: Int, reply: CapturedFrame, at time: UInt64) {
    probes[index].reply = reply
    probes[index].receivedAt = time
  }

  /// The next probe to send again, taken from the retry queue.
  mutating func nextRetry() -> Int? {
    while retryHead < retries.count {
      let index = retries[retryHead]
      retryHead += 1
      if retryHead == retries.count {
        retries.removeAll(keepingCapacity: true)
        retryHead = 0
      }
      // A probe answered while it waited here is not sent again.
      if probes[index].stage == .waiting { return index }
    }
    return nil
  }

  /// Whether probes wait in the retry queue.
  var hasRetries: Bool { retryHead < retries.count }

  /// The deadline of the oldest probe in flight.
  var earliestDeadline: UInt64? {
    var head = inFlightHead
    while head < inFlight.count {
      let index = inFlight[head]
      if probes[index].stage == .inFlight { return probes[index].deadline }
      head += 1
    }
    return nil
  }

  /// Moves the probes whose deadline has passed to the retry queue (when they have tries
  /// left) or gives them up.
  mutating func expire(now: UInt64, retries allowed: Int) {
    while inFlightHead < inFlight.count {
      let index = inFlight[inFlightHead]
      let entry = probes[index]
      // A probe answered, or sent again (a newer entry is further on), is skipped.
      if entry.stage != .inFlight || entry.deadline > now {
        if entry.stage == .inFlight { break }
        inFlightHead += 1
        continue
      }
      inFlightHead += 1
      if entry.attempts <= allowed {
        probes[index].stage = .waiting
        retries.append(index)
      } else {
        probes[index].stage = .gaveUp
      }
    }
    if inFlightHead > 4096 && inFlightHead * 2 > inFlight.count {
      inFlight.removeFirst(inFlightHead)
      inFlightHead = 0
    }
  }

  /// Pairs a received frame whose key is `key` with the oldest probe in flight it answers.
  mutating func match(
    key: ProbeKey, reply: DecodedFrame, bytes: Span<UInt8>, decoder: FrameDecoder,
    probeLinkType: LinkType
  ) -> Match {
    let direct = match(
      in: key, reply: reply, bytes: bytes, decoder: decoder, probeLinkType: probeLinkType)
    if case .answered = direct { return direct }
    // Probes to a multicast or broadcast address are stored under the key's anyRemote.
    let anyRemote = key.anyRemote
    guard anyRemote != key else { return direct }
    let group = match(
      in: anyRemote, reply: reply, bytes: bytes, decoder: decoder, probeLinkType: probeLinkType)
    switch (direct, group) {
    case (_, .answered), (.none, _): return group
    default: return direct
    }
  }

  /// `match(key:...)` among the probes stored under `key`.
  ///
  /// Probes of one key are answered and given up oldest first, so the open ones follow the
  /// key's `firstOpen` mark: a reply costs a look at the open probes, not at every probe
  /// the key ever had. A reply no open probe takes is a duplicate or a late reply when one
  /// of the last few closed probes would take it.
  private mutating func match(
    in key: ProbeKey, reply: DecodedFrame, bytes: Span<UInt8>, decoder: FrameDecoder,
    probeLinkType: LinkType
  ) -> Match {
    guard let keyed = byKey[key] else { return .none }
    var first = keyed.firstOpen
    while first < keyed.indices.count && !probes[keyed.indices[first]].isOpen { first += 1 }
    byKey[key]!.firstOpen = first
    func answers(_ index: Int) -> Bool {
      let entry = probes[index]
      let probeFrame = entry.bytes.withUnsafeBufferPointer { buffer in
        decoder.decode(buffer.span, linkType: probeLinkType, wireLength: buffer.count)
      }
      return ReplyMatcher.answers(
        reply: reply, replyBytes: bytes, probe: probeFrame, probeBytes: entry.bytes.span)
    }
    for position in first..<keyed.indices.count {
      let index = keyed.indices[position]
      if probes[index].isOpen && answers(index) {
        probes[index].stage = .answered
        return .answered(index)
      }
    }
    for position in stride(from: first - 1, through: max(0, first - 8), by: -1) {
      let index = keyed.indices[position]
      guard !probes[index].isOpen, answers(index) else { continue }
      return probes[index].stage == .gaveUp ? .late : .duplicate
    }
    return .none
  }

  /// The next probe, in order, whose outcome is known and not yet reported.
  mutating func nextReportable() -> Int? {
    guard reported < probes.count else { return nil }
    switch probes[reported].stage {
    case .answered, .gaveUp:
      reported += 1
      return reported - 1
    default:
      return nil
    }
  }

  /// Marks probe `index` reported and frees what only the report needed.
  mutating func release(_ index: Int) {
    probes[index].stage = probes[index].reply == nil ? .gaveUp : .reported
    probes[index].reply = nil
  }
}
