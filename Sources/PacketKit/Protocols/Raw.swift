// Payload: the bytes after the last header rawtool decodes (contract layer `raw`). Its
// decoding is `Walk.raw` (FrameDecoder.swift): every protocol's decoder ends in it.

// MARK: - Fields

/// The payload's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum RawProtocol {
  /// `length`, then the bytes as `hex` (JSON only with `--hex`).
  static func describe<V: FieldVisitor>(
    _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer
  ) {
    fields.number(.length, UInt(layer.range.count), &out)
    if fields.includeHex, layer.range.upperBound <= bytes.count {
      fields.hex(.hex, bytes.extracting(layer.range), &out)
    }
  }

  /// Expressions: `raw(hex=0102)`, `raw(load="text")`.
  static let schema = LayerSchema(
    name: "raw", aliases: ["payload"],
    fields: [
      spec(.hex, ["load"], .bytes) { (l: inout Payload, v) in l.bytes = v.bytes }
    ], readOnly: [(.length, .integer(max: 0xFFFF_FFFF))], make: { .payload(Payload()) })
}

extension JSONPacketConverter {
  /// `--from-json`: a `raw` object (`hex` and its `length`).
  mutating func payload(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys([FieldName.length, .hex].map(\.string))
    layers.append(.payload(Payload(try payloadBytes(layer))))
  }

  /// The bytes of a `raw` object: its `hex`, checked against its `length`.
  func payloadBytes(_ layer: JSONLayer) throws(JSONPacketError) -> [UInt8] {
    let length = try layer.integer(FieldName.length.string, max: 0xFFFF_FFFF)
    guard let bytes = try layer.hex(FieldName.hex.string) else {
      if length == 0 { return [] }
      throw layer.fail(FieldName.hex.string, "is missing: read the packets with --json --hex")
    }
    if let length, Int(length) != bytes.count {
      throw layer.fail(
        FieldName.length.string, "\(length) does not match the \(bytes.count) bytes of hex")
    }
    return bytes
  }
}

// MARK: - Building

/// Payload bytes (contract layer `raw`).
public struct Payload: PacketLayer {
  /// The bytes.
  public var bytes: [UInt8]

  /// Payload of `bytes` (none by default).
  public init(_ bytes: [UInt8] = []) { self.bytes = bytes }

  /// The UTF-8 bytes of `text`.
  public init(_ text: String) { bytes = Array(text.utf8) }

  /// Bytes from hex digits, with or without a `0x` prefix; spaces are ignored.
  ///
  /// - Throws: `BuildError.invalidValue` for a bad digit or an odd count.
  public init(hex: String) throws(BuildError) {
    guard let bytes = HexBytes.parse(hex) else {
      throw .invalidValue(
        layer: "raw", field: FieldName.hex.string, value: hex, reason: "is not hex bytes")
    }
    self.bytes = bytes
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .payload(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .payload(let layer) = stackLayer else { return nil }
    self = layer
  }
}
