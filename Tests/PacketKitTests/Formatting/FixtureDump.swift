import Foundation
import Testing

@testable import PacketKit

/// Writes the JSON of every classic pcap fixture to `$RAWTOOL_JSON_DUMP/<file>.ndjson`
/// when that variable is set, for checking against `../shared/tools/truth.py` by hand.
@Suite("Fixture JSON dump")
struct FixtureDump {
  @Test(
    "dump", .enabled(if: ProcessInfo.processInfo.environment["RAWTOOL_JSON_DUMP"] != nil))
  func dump() throws {
    let target = URL(filePath: ProcessInfo.processInfo.environment["RAWTOOL_JSON_DUMP"]!)
    let names = try FileManager.default.contentsOfDirectory(atPath: PcapFixture.directory.path)
    for name in names where name.hasSuffix(".pcap") {
      var text = ""
      for packet in try PcapFixture.load(name) {
        text += PcapFixture.format(packet, includeHex: true)
      }
      try text.write(
        to: target.appending(path: name + ".ndjson"), atomically: true, encoding: .utf8)
    }
  }
}
