import PacketKit
import Testing

#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif

/// Capture files as collections, writers for arrays and sequences, and `Timestamp` with
/// `Duration` and `Date`.
@Suite("Files and time for a test author")
struct FilesAndTimeTests {
  @Test(
    "CaptureRecord.direction from the SLL and SLL2 packet type, as read --json gives it",
    arguments: ["linux-sll.pcap", "linux-sll2.pcap"])
  func cookedDirection(name: String) throws {
    let file = try CaptureFile(Fixture.path(name))
    let json = try CaptureFile.lines(Fixture.path(name + ".jsonl"))
    #expect(file.count == json.count)
    for (packet, line) in zip(file, json) {
      let expected: CaptureRecord.Direction? =
        line.contains("\"direction\":\"out\"")
        ? .outbound : line.contains("\"direction\":\"in\"") ? .inbound : nil
      #expect(packet.record.direction == expected, "record \(packet.record.number)")
    }
    #expect(file.contains { $0.record.direction == .outbound })
  }

  @Test("pcapng: arrays, sequences and packets written, read back the same")
  func pcapngWriters() throws {
    let source = try CaptureFile(Fixture.path("linux-sll2.pcap"))
    let path = Fixture.temporaryPath("writers.pcapng")
    let time = Timestamp(seconds: 1_700_000_000)
    do {
      var writer = try PcapngWriter(path: path)
      try writer.write(source[0])
      try writer.write(timestamp: time, bytes: source[1].bytes, linkType: .linuxSLL2)
      try writer.write(
        timestamp: time + .milliseconds(1), bytes: source[2].bytes.lazy.map { $0 },
        linkType: .linuxSLL2, direction: .inbound)
      try writer.write(
        timestamp: time + .milliseconds(2), bytes: try (IPv4() / UDP()).build(), linkType: .raw)
      try writer.flush()
    }
    let written = try CaptureFile(path)
    #expect(written.format == .pcapng)
    #expect(written.map(\.bytes).prefix(3) == source.map(\.bytes).prefix(3))
    #expect(written[0].timestamp == source[0].timestamp)
    #expect(written[0].record.direction == source[0].record.direction)
    #expect(written[2].timestamp - written[1].timestamp == .milliseconds(1))
    #expect(written[3].frame.udp?.dstPort == 53)
    #expect(written.linkTypes == [.linuxSLL2, .raw])
  }

  @Test("the documentation's pcapng example: crafted packets, one a millisecond")
  func pcapngExample() throws {
    let path = Fixture.temporaryPath("example.pcapng")
    let start = try CaptureFile(Fixture.path("ethernet-ipv4-udp.pcap"))[0].timestamp
    // snippet: pcapng
    var writer = try PcapngWriter(path: path)
    for seq in 0..<3 {
      let packet = try
        (IPv4(dst: IPv4Address(192, 0, 2, 2)) / UDP(dstPort: 9) / Payload([UInt8(seq)])).build()
      try writer.write(
        timestamp: start + .milliseconds(seq), bytes: packet, linkType: .raw, interfaceName: "lab0")
    }
    try writer.flush()
    // end snippet
    let written = try CaptureFile(path)
    #expect(written.map { $0.frame.udp?.dstPort } == [9, 9, 9])
    #expect(written.map(\.bytes.last) == [0, 1, 2])
    #expect(written.map(\.record.interfaceName) == ["lab0", "lab0", "lab0"])
    #expect(written[2].timestamp - written[0].timestamp == .milliseconds(2))
  }

  @Test("the documentation's hot loop: one reused frame, bytes lent to a closure")
  func hotLoop() throws {
    var synCount = 0
    // snippet: hot loop
    var reader = try CaptureFileReader(path: Fixture.path("ethernet-ipv4-tcp.pcap"))
    var frame = DecodedFrame(linkType: .ethernet, capturedLength: 0, wireLength: 0)
    try reader.forEachRecord { record, bytes in
      FrameDecoder().decode(
        bytes, linkType: record.linkType, wireLength: record.wireLength, into: &frame)
      if frame.tcp?.flagSet.contains(.syn) == true { synCount += 1 }
      return true  // false stops early
    }
    // end snippet
    #expect(synCount == 7)
  }

  @Test("Timestamp with Duration: exact to the nanosecond across second boundaries")
  func durationArithmetic() throws {
    let file = try CaptureFile(Fixture.path("ethernet-ipv4-tcp.pcap"))
    let first = file[0].timestamp
    #expect(file[9].timestamp - first == .milliseconds(9))
    #expect(first + .milliseconds(9) == file[9].timestamp)
    #expect((first - .microseconds(2)).description == "1699999999.999999000")
    #expect((first + .nanoseconds(999_999_000)).description == "1700000001.000000000")
    var moved = first
    moved += .seconds(2)
    moved -= .nanoseconds(1)
    #expect(moved.description == "1700000002.000000999")
    #expect(first - file[9].timestamp == .zero - .milliseconds(9))
  }

  @Test("Timestamp and Date")
  func dates() throws {
    let first = try CaptureFile(Fixture.path("ethernet-ipv4-tcp.pcap"))[0].timestamp
    #expect(first.date.timeIntervalSince1970 == 1_700_000_000.000001)
    #expect(Timestamp(first.date) == first)
    #expect(
      Timestamp(Date(timeIntervalSince1970: 1.5)) == Timestamp(seconds: 1, nanoseconds: 500_000_000)
    )
  }
}

extension CaptureFile {
  /// The lines of a text file (a fixture's JSON lines).
  static func lines(_ path: String) throws -> [Substring] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n")
  }
}
