import Foundation
import PacketKit
import Testing

@testable import PacketIO

/// `FanoutMerge`: the frames of a fanout group's rings on `lo`, merged into one stream in
/// timestamp order and renumbered, up to what the sink wants.
@Suite("Live: FanoutMerge on lo", .serialized)
struct FanoutMergeTests {
  /// Collects what the merge hands over, until it has `wanted` frames of this test.
  final class Collector: FrameSink {
    let tag: [UInt8]
    let wanted: Int
    var numbers: [Int] = []
    var timestamps: [Timestamp] = []
    var sequences: [UInt32] = []

    init(tag: [UInt8], wanted: Int) {
      self.tag = tag
      self.wanted = wanted
    }

    var isFinished: Bool { sequences.count >= wanted }

    func take(_ record: CaptureRecord, _ bytes: Span<UInt8>) {
      numbers.append(record.number)
      timestamps.append(record.timestamp)
      if let sequence = Loopback.sequence(in: bytes, tag: tag) { sequences.append(sequence) }
    }
  }

  /// Three rings in one fanout group, on inbound `lo` traffic to `port`.
  func members(port: UInt16) throws -> [FanoutMember] {
    var configuration = TPacketRing.Configuration()
    configuration.direction = .inbound
    configuration.promiscuous = false
    configuration.bufferSize = 4 << 20
    configuration.fanoutGroup = UInt16(truncatingIfNeeded: getpid()) ^ port
    let program = try BPFProgram(filter: "udp dst port \(port)", linkType: .ethernet)
    let interface = try Loopback.interface()
    return try (0..<3).map { _ in
      FanoutMember(
        ring: try TPacketRing(interface: interface, configuration: configuration, filter: program))
    }
  }

  /// Sends `count` tagged datagrams in runs of 10, each run from a socket of its own (a new
  /// source port: a new flow, which the kernel may hash to another ring).
  func send(count: Int, port: UInt16, tag: [UInt8]) throws {
    for start in stride(from: 0, to: count, by: 10) {
      let sequences = UInt32(start)..<UInt32(min(start + 10, count))
      try Loopback.sendUDP(
        port: port, payloads: sequences.map { Loopback.payload(tag: tag, sequence: $0) })
    }
  }

  /// Runs `merge` for at most 10 s.
  func run(_ merge: FanoutMerge, into sink: Collector) -> SystemError? {
    let deadline = Loopback.now() + 10_000_000_000
    return merge.run(into: sink, until: { Loopback.now() > deadline })
  }

  @Test(
    "every frame of 600 over 60 flows arrives once, in timestamp order, numbered from 1",
    .enabled(if: Loopback.isEnabled))
  func mergesInOrder() throws {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let tag = Loopback.randomTag()
    let count = 600
    let merge = FanoutMerge(members: try members(port: port))
    try send(count: count, port: port, tag: tag)
    let sink = Collector(tag: tag, wanted: count)
    let failure = run(merge, into: sink)
    #expect(failure == nil)
    #expect(sink.sequences.sorted() == Array(0..<UInt32(count)))
    #expect(sink.timestamps == sink.timestamps.sorted(), "frames out of timestamp order")
    #expect(sink.numbers == Array(1..<sink.numbers.count + 1))
    // The kernel spread the flows: more than one ring saw frames.
    var busy = 0
    for member in merge.members {
      if try member.ring.statistics().received > 0 { busy += 1 }
    }
    #expect(busy >= 2, "the flows all went to one ring")
  }

  @Test(
    "the merge stops handing frames over once the sink is finished",
    .enabled(if: Loopback.isEnabled))
  func stopsWhenFinished() throws {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let tag = Loopback.randomTag()
    let merge = FanoutMerge(members: try members(port: port))
    try send(count: 300, port: port, tag: tag)
    let sink = Collector(tag: tag, wanted: 100)
    let start = Loopback.now()
    let failure = run(merge, into: sink)
    #expect(failure == nil)
    #expect(sink.sequences.count == 100)
    #expect(sink.numbers == Array(1..<sink.numbers.count + 1))
    #expect(Loopback.now() - start < 5_000_000_000, "the merge ran on to its deadline")
  }
}
