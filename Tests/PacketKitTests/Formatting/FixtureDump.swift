import Foundation
import Testing

@testable import PacketKit

/// Writes the JSON (`<file>.ndjson`) and the hex dumps (`<file>.x`, `.xx`, `.X`, `.XX`,
/// each packet's lines after a `-` line) of every classic pcap fixture to
/// `$RAWTOOL_JSON_DUMP/` when that variable is set, for checking by hand against
/// `../shared/tools/truth.py` and `tcpdump -nr FILE -x | sed -E 's/^[^\t].*/-/'`.
@Suite("Fixture dump")
struct FixtureDump {
  static let target = ProcessInfo.processInfo.environment["RAWTOOL_JSON_DUMP"]

  @Test("dump", .enabled(if: target != nil))
  func dump() throws {
    let target = URL(filePath: Self.target!)
    let names = try FileManager.default.contentsOfDirectory(atPath: PcapFixture.directory.path)
    for name in names where name.hasSuffix(".pcap") {
      let packets = try PcapFixture.load(name)
      var text = ""
      for packet in packets { text += PcapFixture.format(packet, includeHex: true) }
      try text.write(
        to: target.appending(path: name + ".ndjson"), atomically: true, encoding: .utf8)
      for (suffix, link, ascii) in [
        ("x", false, false), ("xx", true, false), ("X", false, true), ("XX", true, true),
      ] {
        var out = TextBuffer()
        for packet in packets {
          let frame = FrameDecoder().decode(packet.bytes, linkType: packet.record.linkType)
          out.append("-\n")
          HexDumpFormatter(includeLinkLayer: link, ascii: ascii).write(
            frame, bytes: packet.bytes.span, record: packet.record, to: &out)
        }
        try out.string.write(
          to: target.appending(path: name + "." + suffix), atomically: true, encoding: .utf8)
      }
    }
  }
}
