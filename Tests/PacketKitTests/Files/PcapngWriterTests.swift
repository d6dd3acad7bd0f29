import Foundation
import Testing

@testable import PacketKit

@Suite("PcapngWriter")
struct PcapngWriterTests {
  typealias Support = CaptureFileTestSupport

  @Test(
    "round trips several interfaces, link types, names and directions", arguments: [true, false])
  func roundTrips(nanosecond: Bool) throws {
    let path = Support.temporaryPath(".pcapng")
    let time = Timestamp(seconds: 1_700_000_000, nanoseconds: 987_654_321)
    do {
      var writer = try PcapngWriter(path: path, nanosecond: nanosecond)
      try writer.write(
        timestamp: time, wireLength: 60, bytes: Array(repeating: 1, count: 60).span,
        linkType: .ethernet,
        interfaceName: "eth0", direction: .inbound)
      try writer.write(
        timestamp: time, wireLength: 41, bytes: Array(repeating: 2, count: 41).span, linkType: .raw,
        interfaceName: "tun0", direction: .outbound)
      try writer.write(timestamp: time, wireLength: 3, bytes: [3, 3, 3].span, linkType: .ethernet)
      try writer.write(
        timestamp: time, wireLength: 100, bytes: [4].span, linkType: .ethernet,
        interfaceName: "eth0")
      try writer.flush()
    }
    var reader = try CaptureFileReader(path: path)
    #expect(reader.format == .pcapng)
    #expect(reader.snapshotLength == 262_144)
    #expect(reader.nanosecondResolution == nanosecond)
    let result = Support.drain(&reader)
    #expect(result.error == nil)
    #expect(reader.linkTypes == [.ethernet, .raw, .ethernet])
    #expect(result.records.map(\.interfaceIndex) == [0, 1, 2, 0])
    #expect(result.records.map(\.interfaceName) == ["eth0", "tun0", nil, "eth0"])
    #expect(result.records.map(\.direction) == [.inbound, .outbound, nil, nil])
    #expect(result.records.map(\.linkType) == [.ethernet, .raw, .ethernet, .ethernet])
    #expect(result.records.map(\.capturedLength) == [60, 41, 3, 1])
    #expect(result.records.map(\.wireLength) == [60, 41, 3, 100])
    #expect(result.packets[1] == Array(repeating: 2, count: 41))
    let expected = nanosecond ? time : Timestamp(seconds: time.seconds, nanoseconds: 987_654_000)
    #expect(result.records.allSatisfy { $0.timestamp == expected })
  }

  @Test("writes the section header and interface blocks byte for byte")
  func encodesVector() throws {
    let path = Support.temporaryPath(".pcapng")
    do {
      var writer = try PcapngWriter(path: path, snapshotLength: 65_535)
      try writer.write(
        timestamp: Timestamp(seconds: 1, nanoseconds: 2), wireLength: 1, bytes: [0xEE].span,
        linkType: .ethernet,
        interfaceName: "lo", direction: .outbound)
    }
    var expected = TestBytes(bigEndian: false)
    expected.sectionHeader()
    expected.interface(linkType: 1, snapshotLength: 65_535) { options in
      options.option(2, Array("lo".utf8))
      options.option(9, [9])
      options.u32(0)
    }
    expected.enhancedPacket(interface: 0, timestamp: 1_000_000_002, data: [0xEE], flags: 2)
    #expect(Support.contents(path) == expected.bytes)
  }
}
