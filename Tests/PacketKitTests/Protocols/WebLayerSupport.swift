import Foundation

@testable import PacketKit

/// Builds Ethernet/IPv4/TCP frames around application payloads and prints them, for the
/// HTTP and TLS tests.
enum WebFrames {
  static func tcp(_ payload: [UInt8], sport: UInt16 = 40000, dport: UInt16) throws -> [UInt8] {
    let stack =
      Ethernet(src: MACAddress(0x02, 0, 0, 0, 0, 1), dst: MACAddress(0x02, 0, 0, 0, 0, 2))
      / IPv4(src: IPv4Address(192, 0, 2, 1), dst: IPv4Address(192, 0, 2, 2))
      / TCP(srcPort: sport, dstPort: dport, seq: 1, ack: 1, flags: [.ack, .psh])
      / Payload(payload)
    return try stack.build()
  }

  static func decode(_ frame: [UInt8], wireLength: Int? = nil) -> DecodedFrame {
    FrameDecoder().decode(frame, linkType: .ethernet, wireLength: wireLength)
  }

  static func record(_ frame: [UInt8], wireLength: Int? = nil) -> CaptureRecord {
    CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 1_700_000_000), capturedLength: frame.count,
      wireLength: wireLength ?? frame.count, linkType: .ethernet)
  }

  /// The one-line text after the timestamp.
  static func line(_ frame: [UInt8], wireLength: Int? = nil) -> String {
    var out = TextBuffer()
    var formatter = OneLineFormatter(timestampStyle: .none)
    formatter.write(
      decode(frame, wireLength: wireLength), bytes: frame.span,
      record: record(frame, wireLength: wireLength), to: &out)
    return out.string
  }

  /// The `read --json` object of the frame.
  static func json(_ frame: [UInt8], hex: Bool = false, wireLength: Int? = nil) throws
    -> [String: Any]
  {
    var out = TextBuffer()
    JSONFormatter(includeHex: hex).write(
      decode(frame, wireLength: wireLength), bytes: frame.span,
      record: record(frame, wireLength: wireLength), to: &out)
    return try JSONSerialization.jsonObject(with: Data(out.string.utf8)) as? [String: Any] ?? [:]
  }

  static func verbose(_ frame: [UInt8]) -> String {
    var out = TextBuffer()
    VerboseFormatter().write(decode(frame), bytes: frame.span, record: record(frame), to: &out)
    return out.string
  }
}
