import Foundation
import Testing

/// `stats` on a link type rawtool cannot decode (802.11 here) still reports what capinfos
/// reports (counts, sizes, times, link type), says the layers were not decoded, and exits 0.
@Suite("Stats on undecoded link types")
struct StatsUndecodedTests {
  /// A little-endian microsecond pcap of link type `linkType` with one record per length,
  /// a second apart from 1700000000.5.
  static func pcap(linkType: UInt32, lengths: [Int]) -> [UInt8] {
    func le32(_ value: UInt32) -> [UInt8] {
      (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
    var bytes = le32(0xA1B2_C3D4) + [2, 0, 4, 0] + le32(0) + le32(0) + le32(65535) + le32(linkType)
    for (index, length) in lengths.enumerated() {
      bytes += le32(1_700_000_000 + UInt32(index)) + le32(500_000)
      bytes += le32(UInt32(length)) + le32(UInt32(length + 4))
      bytes += [UInt8](repeating: 0x08, count: length)
    }
    return bytes
  }

  static func write(_ bytes: [UInt8], name: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-stats-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    try Data(bytes).write(to: url)
    return url.path
  }

  @Test("802.11: counts, sizes, times and the link type; exit 0")
  func ieee80211Text() throws {
    let path = try Self.write(Self.pcap(linkType: 105, lengths: [30, 40, 50]), name: "wifi.pcap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try Rawtool.run(["stats", path])
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    let expected = """
      Summary
        Packets              3
        Bytes                132
        Captured bytes       120
        First packet         2023-11-14T22:13:20.500000Z
        Last packet          2023-11-14T22:13:22.500000Z
        Duration             2.000000 s
        Average packets/s    1.50
        Average bytes/s      66.00
        Average bits/s       528.00
        Average packet size  44.00 bytes
        Truncated frames     0
        Malformed frames     0
        Undecoded frames     3

      Link types
        Link type         Packets  Percent
        IEEE802_11 (105)        3  100.00%
        Layers not decoded: rawtool does not decode IEEE802_11 (105).

      Protocol hierarchy
        Protocol  Packets  Percent  Bytes  Percent

      """
    #expect(result.output.hasPrefix(expected), "\(result.output)")
  }

  @Test("802.11 with radiotap as JSON: undecoded counted")
  func radiotapJSON() throws {
    let path = try Self.write(Self.pcap(linkType: 127, lengths: [60, 60]), name: "radiotap.pcap")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let result = try Rawtool.run(["stats", "--json", path])
    #expect(result.status == 0)
    #expect(
      result.output
        == "{\"packets\":2,\"bytes\":128,\"captured_bytes\":120,\"first_time\":\"1700000000.500000000\",\"last_time\":\"1700000001.500000000\",\"duration\":1.000000000,\"packets_per_second\":2.000,\"bytes_per_second\":128.000,\"link_types\":[{\"link_type\":127,\"name\":\"IEEE802_11_RADIO\",\"packets\":2}],\"protocols\":[],\"conversations\":{\"ip\":[],\"tcp\":[],\"udp\":[]},\"truncated\":0,\"malformed\":0,\"undecoded\":2}\n"
    )
  }

  @Test("A decodable file has no undecoded line or key")
  func decodableUnchanged() throws {
    let text = try Rawtool.run(["stats", "Fixtures/mixed.pcap"])
    let json = try Rawtool.run(["stats", "--json", "Fixtures/mixed.pcap"])
    #expect(text.status == 0 && json.status == 0)
    #expect(!text.output.contains("Undecoded") && !text.output.contains("not decoded"))
    #expect(!json.output.contains("undecoded"))
  }
}
