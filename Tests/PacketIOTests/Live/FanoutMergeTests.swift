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

  /// What one merge did: the sink, the merge's return, the rings, how long it ran (ns).
  struct Run {
    var sink: Collector
    var failure: SystemError?
    var merge: FanoutMerge
    var nanoseconds: UInt64
  }

  /// Opens the rings, sends `count` tagged datagrams, and merges them into a sink that
  /// wants `wanted` of them, for at most 10 s.
  func merge(sending count: Int, wanted: Int) throws -> Run {
    try Loopback.requireRoot()
    let port = Loopback.randomPort()
    let tag = Loopback.randomTag()
    let merge = FanoutMerge(members: try members(port: port))
    try send(count: count, port: port, tag: tag)
    let sink = Collector(tag: tag, wanted: wanted)
    let start = Loopback.now()
    let deadline = start + 10_000_000_000
    let failure = merge.run(into: sink, until: { Loopback.now() > deadline })
    return Run(sink: sink, failure: failure, merge: merge, nanoseconds: Loopback.now() - start)
  }

  @Test(
    "every frame of 600 over 60 flows arrives once, in timestamp order, numbered from 1",
    .enabled(if: Loopback.isEnabled))
  func mergesInOrder() throws {
    let run = try merge(sending: 600, wanted: 600)
    let sink = run.sink
    #expect(run.failure == nil)
    #expect(sink.sequences.sorted() == Array(0..<600))
    let outOfOrder = zip(sink.timestamps, sink.timestamps.dropFirst()).filter { $1 < $0 }.count
    #expect(outOfOrder == 0, "frames out of timestamp order")
    #expect(sink.numbers == Array(1..<sink.numbers.count + 1))
    // The kernel spread the flows: more than one ring saw frames.
    var busy = 0
    for member in run.merge.members {
      if try member.ring.statistics().received > 0 { busy += 1 }
    }
    #expect(busy >= 2, "the flows all went to one ring")
  }

  @Test(
    "the merge stops handing frames over once the sink is finished",
    .enabled(if: Loopback.isEnabled))
  func stopsWhenFinished() throws {
    let run = try merge(sending: 300, wanted: 100)
    #expect(run.failure == nil)
    #expect(run.sink.sequences.count == 100)
    #expect(run.sink.numbers == Array(1..<run.sink.numbers.count + 1))
    #expect(run.nanoseconds < 5_000_000_000, "the merge ran on to its deadline")
  }
}
