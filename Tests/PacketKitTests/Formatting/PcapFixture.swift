import Foundation

@testable import PacketKit

/// A test-only reader for the classic pcap fixtures (the real readers live in Files/).
///
/// Handles both byte orders and the micro- and nanosecond magics; nothing else.
enum PcapFixture {
  /// One packet of a fixture: its record and captured bytes.
  struct Packet {
    var record: CaptureRecord
    var bytes: [UInt8]
  }

  /// The repository's `Fixtures/` directory.
  static let directory = URL(filePath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appending(path: "Fixtures")

  /// Reads every packet of `Fixtures/<name>`.
  static func load(_ name: String) throws -> [Packet] {
    let data = [UInt8](try Data(contentsOf: directory.appending(path: name)))
    func u32(_ at: Int, _ big: Bool) -> UInt32 {
      let b = (UInt32(data[at]), UInt32(data[at + 1]), UInt32(data[at + 2]), UInt32(data[at + 3]))
      return big ? b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3 : b.3 << 24 | b.2 << 16 | b.1 << 8 | b.0
    }
    let magicLE = u32(0, false)
    let big = magicLE == 0xD4C3_B2A1 || magicLE == 0x4D3C_B2A1
    let magic = u32(0, big)
    let nano = magic == 0xA1B2_3C4D
    let linkType = LinkType(rawValue: u32(20, big) & 0xFFFF)
    var packets: [Packet] = []
    var offset = 24
    while offset + 16 <= data.count {
      let seconds = Int64(u32(offset, big))
      let fraction = u32(offset + 4, big)
      let captured = Int(u32(offset + 8, big))
      let wire = Int(u32(offset + 12, big))
      let bytes = Array(data[(offset + 16)..<min(data.count, offset + 16 + captured)])
      let record = CaptureRecord(
        number: packets.count + 1,
        timestamp: Timestamp(seconds: seconds, nanoseconds: nano ? fraction : fraction * 1000),
        capturedLength: captured, wireLength: wire, linkType: linkType)
      packets.append(Packet(record: record, bytes: bytes))
      offset += 16 + captured
    }
    return packets
  }

  /// The JSON line of packet `number` (1-based) of `name`.
  static func json(_ name: String, _ number: Int, includeHex: Bool = false) throws -> String {
    let packet = try load(name)[number - 1]
    return format(packet, includeHex: includeHex)
  }

  /// The JSON line of `packet`.
  static func format(_ packet: Packet, includeHex: Bool = false) -> String {
    let frame = FrameDecoder().decode(
      packet.bytes, linkType: packet.record.linkType, wireLength: packet.record.wireLength)
    var out = TextBuffer()
    JSONFormatter(includeHex: includeHex).write(
      frame, bytes: packet.bytes.span, record: packet.record, to: &out)
    return out.string
  }
}
