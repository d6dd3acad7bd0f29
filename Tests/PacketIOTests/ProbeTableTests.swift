import PacketKit
import Testing

@testable import PacketIO

/// The prober's bookkeeping: replies taken by the oldest open probe of their key, then
/// counted as duplicates or late replies, never matched twice; retries and expiry in order.
@Suite("Probe table")
struct ProbeTableTests {
  static let client = IPv4Address(192, 0, 2, 2)
  static let server = IPv4Address(198, 51, 100, 2)
  static let probe = try! (IPv4(src: client, dst: server) / ICMP(id: 7, seq: 1)).build()
  static let reply = try! (IPv4(src: server, dst: client) / ICMP(type: 0, id: 7, seq: 1)).build()

  func match(_ table: inout ProbeTable, _ bytes: [UInt8]) -> ProbeTable.Match {
    let decoder = FrameDecoder()
    let frame = decoder.decode(bytes, linkType: .raw)
    let key = bytes.withUnsafeBufferPointer { ReplyMatcher.key(ofReply: frame, bytes: $0.span) }
    guard let key else { return .none }
    return bytes.withUnsafeBufferPointer {
      table.match(key: key, reply: frame, bytes: $0.span, decoder: decoder, probeLinkType: .raw)
    }
  }

  func add(_ table: inout ProbeTable, _ index: Int, deadline: UInt64 = 100) {
    table.add(
      index: index, bytes: Self.probe, key: ReplyMatcher.key(ofProbe: Self.probe, linkType: .raw))
    table.sent(index: index, id: UInt32(index), clock: 0, deadline: deadline)
  }

  @Test("identical probes are answered oldest first; an extra reply is a duplicate")
  func identicalProbes() {
    var table = ProbeTable(count: 3)
    for index in 0..<3 { add(&table, index) }
    for index in 0..<3 {
      guard case .answered(let answered) = match(&table, Self.reply) else {
        Issue.record("reply \(index) not matched")
        return
      }
      #expect(answered == index)
    }
    guard case .duplicate = match(&table, Self.reply) else {
      Issue.record("the fourth reply is not a duplicate")
      return
    }
    #expect(table.nextReportable() == 0)
  }

  @Test("a probe given up, then answered, counts a late reply; retries come back in order")
  func lateAndRetries() {
    var table = ProbeTable(count: 3)
    for index in 0..<3 { add(&table, index, deadline: 10) }
    // Each has a retry left: all three go to the retry queue, oldest first.
    table.expire(now: 11, retries: 1)
    #expect(table.nextRetry() == 0)
    #expect(table.nextRetry() == 1)
    #expect(table.nextRetry() == 2)
    #expect(table.nextRetry() == nil)
    for index in 0..<3 { table.sent(index: index, id: UInt32(3 + index), clock: 0, deadline: 20) }
    table.expire(now: 21, retries: 1)
    #expect(table.nextRetry() == nil, "second attempts used the one retry")
    guard case .late = match(&table, Self.reply) else {
      Issue.record("a reply to given-up probes is not late")
      return
    }
    #expect(table.nextReportable() == 0)
    #expect(table.probes[0].attempts == 2)
  }

  @Test("transmit timestamps replace the clock as send time, paired by id")
  func transmitTimestamps() {
    var table = ProbeTable(count: 1)
    add(&table, 0)
    #expect(table.probes[0].sentAt == 0)
    table.transmitted(TransmitTimestamp(id: 0, nanoseconds: 1_000))
    table.answer(
      0,
      reply: CapturedFrame(
        record: CaptureRecord(
          number: 1, timestamp: Timestamp(seconds: 0, nanoseconds: 5_000), capturedLength: 0,
          wireLength: 0, linkType: .raw), bytes: []), at: 5_000)
    #expect(table.probes[0].rtt == 4_000)
  }
}
