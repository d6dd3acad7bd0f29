import Foundation
import Testing

@testable import PacketKit

@Suite("PcapWriter")
struct PcapWriterTests {
  typealias Support = CaptureFileTestSupport

  static let packets: [[UInt8]] = [
    Array(0..<60), [0xAA], Array(repeating: 0x5A, count: 1514),
  ]

  @Test("round trips microsecond and nanosecond files", arguments: [false, true])
  func roundTrips(nanosecond: Bool) throws {
    let path = Support.temporaryPath()
    do {
      var writer = try PcapWriter(path: path, linkType: .ethernet, nanosecond: nanosecond)
      for (index, packet) in Self.packets.enumerated() {
        let time = Timestamp(seconds: 1_700_000_000 + Int64(index), nanoseconds: 123_456_789)
        try writer.write(timestamp: time, wireLength: packet.count + index, bytes: packet.span)
      }
      try writer.flush()
    }
    let bytes = Support.contents(path)
    #expect(
      Array(bytes[0..<4]) == (nanosecond ? [0x4D, 0x3C, 0xB2, 0xA1] : [0xD4, 0xC3, 0xB2, 0xA1]))
    var reader = try CaptureFileReader(path: path)
    #expect(reader.format == .pcap)
    #expect(reader.linkTypes == [.ethernet])
    #expect(reader.snapshotLength == 262_144)
    #expect(reader.nanosecondResolution == nanosecond)
    let result = Support.drain(&reader)
    #expect(result.error == nil)
    #expect(result.warnings.isEmpty)
    #expect(result.packets == Self.packets)
    #expect(result.records.map(\.number) == [1, 2, 3])
    #expect(result.records.map(\.wireLength) == [60, 2, 1516])
    #expect(
      result.records.allSatisfy {
        $0.interfaceIndex == nil && $0.direction == nil && $0.linkType == .ethernet
      })
    let expected = Timestamp(
      seconds: 1_700_000_002, nanoseconds: nanosecond ? 123_456_789 : 123_456_000)
    #expect(result.records.last?.timestamp == expected)
  }

  @Test("cuts packets to the snapshot length")
  func cutsToSnapshotLength() throws {
    let path = Support.temporaryPath()
    do {
      var writer = try PcapWriter(path: path, linkType: .raw, snapshotLength: 10)
      try writer.write(timestamp: Timestamp(seconds: 1), wireLength: 20, bytes: Array(0..<20).span)
    }
    let result = try Support.readAll(path)
    #expect(result.records.first?.capturedLength == 10)
    #expect(result.records.first?.wireLength == 20)
    #expect(result.packets == [Array(0..<10)])
  }

  @Test("writes to a file descriptor and leaves it open")
  func writesToDescriptor() throws {
    let path = Support.temporaryPath()
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    #expect(fd >= 0)
    do {
      var writer = try PcapWriter(fileDescriptor: fd, linkType: .ethernet)
      try writer.write(timestamp: Timestamp(seconds: 5), wireLength: 3, bytes: [1, 2, 3].span)
    }
    #expect(close(fd) == 0)
    #expect(try Support.readAll(path).packets == [[1, 2, 3]])
  }

  @Test("reports a path that cannot be created")
  func cannotCreate() {
    #expect(throws: CaptureFileError.cannotCreate(path: "/nonexistent/x.pcap", errno: ENOENT)) {
      _ = try PcapWriter(path: "/nonexistent/x.pcap", linkType: .ethernet)
    }
    #expect(
      CaptureFileError.cannotCreate(path: "/nonexistent/x.pcap", errno: ENOENT).description
        == "cannot create /nonexistent/x.pcap: No such file or directory")
  }

  static var tcpdumpPath: String? {
    ["/usr/sbin/tcpdump", "/usr/bin/tcpdump", "/usr/local/sbin/tcpdump", "/usr/local/bin/tcpdump"]
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  @Test("tcpdump reads what PcapWriter writes", .enabled(if: tcpdumpPath != nil))
  func tcpdumpReads() throws {
    let path = Support.temporaryPath()
    // eth 02:00:00:00:00:01 > 02:00:00:00:00:02, IPv4 192.0.2.1 > 192.0.2.2 UDP 1234 > 53, 4 payload bytes
    let frame: [UInt8] = [
      0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00,
      0x45, 0, 0, 32, 0, 1, 0, 0, 64, 17, 0xF6, 0xD7, 192, 0, 2, 1, 192, 0, 2, 2,
      0x04, 0xD2, 0, 53, 0, 12, 0, 0, 1, 2, 3, 4,
    ]
    do {
      var writer = try PcapWriter(path: path, linkType: .ethernet)
      try writer.write(
        timestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 1_000), wireLength: frame.count,
        bytes: frame.span)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(Self.tcpdumpPath))
    process.arguments = ["-r", path, "-c", "1", "-nn", "--nano"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = Pipe()
    try process.run()
    process.waitUntilExit()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(process.terminationStatus == 0)
    #expect(text.contains("192.0.2.1.1234 > 192.0.2.2.53"), "\(text)")
  }
}
