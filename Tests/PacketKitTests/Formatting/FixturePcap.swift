import Foundation
import PacketKit

/// A fixture's packets in memory, read with the library's `CaptureFileReader`, and the
/// one-line output of a formatter over them.
struct FixturePcap {
  typealias Packet = PcapFixture.Packet

  var linkType: LinkType
  var packets: [Packet]

  /// The repository's `Fixtures/` directory.
  static var directory: URL { PcapFixture.directory }

  init(named name: String) throws {
    packets = try PcapFixture.load(name)
    linkType = packets.first?.record.linkType ?? .ethernet
  }

  /// Every line the formatter prints for the file.
  func lines(_ formatter: OneLineFormatter, interfaceName: String? = nil) -> [String] {
    var formatter = formatter
    var out = TextBuffer()
    let decoder = FrameDecoder()
    for packet in packets {
      var record = packet.record
      record.interfaceName = interfaceName
      let frame = decoder.decode(
        packet.bytes.span, linkType: linkType, wireLength: record.wireLength)
      formatter.write(frame, bytes: packet.bytes.span, record: record, to: &out)
    }
    return out.string.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(
      String.init)
  }
}
