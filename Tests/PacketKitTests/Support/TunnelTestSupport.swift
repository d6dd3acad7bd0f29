@testable import PacketKit

/// Crafting, decoding and printing one packet, for the tunnel layers' tests.
enum TunnelTestSupport {
  /// The first packet `expression` builds.
  static func craft(_ expression: String) throws -> [UInt8] {
    try PacketCrafter.packets(from: ExpressionParser.parse(expression))[0]
  }

  /// The decoded frame of `bytes`, captured whole unless `wireLength` says more.
  static func decode(_ bytes: [UInt8], linkType: LinkType = .ethernet, wireLength: Int? = nil)
    -> DecodedFrame
  {
    FrameDecoder().decode(bytes, linkType: linkType, wireLength: wireLength)
  }

  /// The layer kinds of `frame`, outermost first.
  static func kinds(_ frame: DecodedFrame) -> [LayerKind] { frame.layers.map(\.kind) }

  static func record(_ bytes: [UInt8], _ linkType: LinkType, wireLength: Int?) -> CaptureRecord {
    CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 1_700_000_000), capturedLength: bytes.count,
      wireLength: wireLength ?? bytes.count, linkType: linkType)
  }

  /// The one-line text, without time stamp or newline.
  static func oneLine(_ bytes: [UInt8], linkType: LinkType = .ethernet, wireLength: Int? = nil)
    -> String
  {
    let frame = decode(bytes, linkType: linkType, wireLength: wireLength)
    var out = TextBuffer()
    var formatter = OneLineFormatter(timestampStyle: .none)
    formatter.write(
      frame, bytes: bytes.span, record: record(bytes, linkType, wireLength: wireLength), to: &out)
    return String(out.string.dropLast())
  }

  /// The `read --json` line, without newline.
  static func json(_ bytes: [UInt8], linkType: LinkType = .ethernet, wireLength: Int? = nil)
    -> String
  {
    let frame = decode(bytes, linkType: linkType, wireLength: wireLength)
    var out = TextBuffer()
    JSONFormatter().write(
      frame, bytes: bytes.span, record: record(bytes, linkType, wireLength: wireLength), to: &out)
    return String(out.string.dropLast())
  }

  /// Decodes and prints every prefix of `bytes` (as a capture cut short), checking that the
  /// decoded frame re-encodes to the bytes: no prefix may trap.
  static func everyPrefix(_ bytes: [UInt8], linkType: LinkType = .ethernet) -> Bool {
    for count in 0...bytes.count {
      let prefix = Array(bytes.prefix(count))
      let frame = decode(prefix, linkType: linkType, wireLength: bytes.count)
      guard frame.encode(from: prefix.span).bytes == prefix else { return false }
      _ = oneLine(prefix, linkType: linkType, wireLength: bytes.count)
      _ = json(prefix, linkType: linkType, wireLength: bytes.count)
    }
    return true
  }
}

extension TunnelTestSupport {
  /// Whether the capture cut `layer` short.
  static func isTruncated(_ layer: DecodedLayer) -> Bool {
    if case .truncated = layer.status { return true }
    return false
  }

  /// Whether `layer` contradicts itself or its container.
  static func isMalformed(_ layer: DecodedLayer) -> Bool {
    if case .malformed = layer.status { return true }
    return false
  }
}
