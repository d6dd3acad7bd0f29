import Foundation
import TestSupport

@testable import PacketKit

/// Fixture packets in memory, read with the library's `CaptureFileReader`.
enum PcapFixture {
  /// One packet of a fixture: its record and captured bytes.
  struct Packet {
    var record: CaptureRecord
    var bytes: [UInt8]
  }

  /// The repository's `Fixtures/` directory.
  static let directory = Fixtures.directory

  /// Reads every packet of `Fixtures/<name>` (or of an absolute path).
  static func load(_ name: String) throws -> [Packet] {
    let path = name.hasPrefix("/") ? name : directory.appending(path: name).path
    var reader = try CaptureFileReader(path: path)
    var packets: [Packet] = []
    try reader.forEachRecord { record, bytes in
      var copy: [UInt8] = []
      copy.reserveCapacity(bytes.count)
      for index in 0..<bytes.count { copy.append(bytes[index]) }
      packets.append(Packet(record: record, bytes: copy))
      return true
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
