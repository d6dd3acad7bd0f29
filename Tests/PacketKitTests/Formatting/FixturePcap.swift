import Foundation
import PacketKit

/// A tiny classic-pcap parser for tests (both byte orders, µs and ns magic). Not the
/// library's reader: it only has to read the committed fixtures.
struct FixturePcap {
  struct Packet {
    var record: CaptureRecord
    var bytes: [UInt8]
  }

  var linkType: LinkType
  var packets: [Packet]

  /// The repository's `Fixtures/` directory.
  static let directory = URL(filePath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: "Fixtures")

  init(named name: String) throws {
    let url = name.hasPrefix("/") ? URL(filePath: name) : Self.directory.appending(path: name)
    let data = try [UInt8](Data(contentsOf: url))
    func u32(_ offset: Int, _ big: Bool) -> UInt32 {
      let b = data[offset..<(offset + 4)].map(UInt32.init)
      return big
        ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]
    }
    let magicLE = u32(0, false)
    let big: Bool
    let nano: Bool
    switch magicLE {
    case 0xA1B2_C3D4: (big, nano) = (false, false)
    case 0xA1B2_3C4D: (big, nano) = (false, true)
    case 0xD4C3_B2A1: (big, nano) = (true, false)
    case 0x4D3C_B2A1: (big, nano) = (true, true)
    default: throw CocoaError(.fileReadCorruptFile)
    }
    linkType = LinkType(rawValue: u32(20, big) & 0xFFFF)
    packets = []
    var offset = 24
    var number = 1
    while offset + 16 <= data.count {
      let seconds = Int64(u32(offset, big))
      let fraction = u32(offset + 4, big)
      let captured = Int(u32(offset + 8, big))
      let wire = Int(u32(offset + 12, big))
      let bytes = Array(data[(offset + 16)..<min(data.count, offset + 16 + captured)])
      let record = CaptureRecord(
        number: number,
        timestamp: Timestamp(seconds: seconds, nanoseconds: nano ? fraction : fraction * 1000),
        capturedLength: captured, wireLength: wire, linkType: linkType)
      packets.append(Packet(record: record, bytes: bytes))
      offset += 16 + captured
      number += 1
    }
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
