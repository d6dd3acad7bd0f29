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

  /// Expressions: `raw(hex=0102)`, `raw(load="text")`, `raw(length=100, fill=0x41)`.
  static let schema = LayerSchema(
    name: "raw", aliases: ["payload"],
    fields: [
      spec(.hex, ["load"], .bytes) { (l: inout Payload, v) in l.bytes = v.bytes },
      spec(.length, .integer(max: UInt64(Payload.maximumLength))) { (l: inout Payload, v) in
        l.length = v.int
      },
      spec(.fill, .bytes) { (l: inout Payload, v) in l.fill = v.bytes },
    ], make: { .payload(Payload()) })
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
///
/// `length` makes a payload of a given size, as scapy's `Raw(b"x" * 100)`: the bytes given
/// first, then `fill` repeated up to `length` bytes (`Payload(length: 100, fill: [0x41])`).
public struct Payload: PacketLayer {
  /// The bytes (all of them when `length` is nil, else the first ones).
  public var bytes: [UInt8]
  /// The payload's size in bytes, at least `bytes.count`; nil: `bytes.count`.
  public var length: Int? = nil
  /// The pattern repeated after `bytes` up to `length` (one byte or more); default `00`.
  public var fill: [UInt8] = [0]

  /// The largest `length`, in bytes.
  public static let maximumLength = 0xFFFF

  /// Payload of `bytes` (none by default).
  public init(_ bytes: [UInt8] = []) { self.bytes = bytes }

  /// `length` bytes: `bytes`, then `fill` repeated (`Payload(length: 100, fill: [0x41])` is
  /// 100 `A`s).
  public init(_ bytes: [UInt8] = [], length: Int, fill: [UInt8] = [0]) {
    self.bytes = bytes
    self.length = length
    self.fill = fill
  }

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

extension Payload {
  /// The bytes written: `bytes`, then `fill` repeated up to `length`.
  ///
  /// - Throws: `BuildError.invalidValue` when `length` is shorter than the bytes given or
  ///   beyond `maximumLength`, or when `fill` is empty and bytes are missing.
  public func resolvedBytes() throws(BuildError) -> [UInt8] {
    guard let length else { return bytes }
    guard length >= bytes.count, length <= Self.maximumLength else {
      throw .invalidValue(
        layer: "raw", field: FieldName.length.string, value: "\(length)",
        reason: "is not in \(bytes.count)...\(Self.maximumLength) (the bytes given come first)")
    }
    guard !fill.isEmpty || length == bytes.count else {
      throw .invalidValue(
        layer: "raw", field: FieldName.fill.string, value: "0x",
        reason: "is empty: give at least one byte")
    }
    var out = bytes
    out.reserveCapacity(length)
    while out.count < length { out.append(fill[(out.count - bytes.count) % fill.count]) }
    return out
  }
}

extension FieldName {
  /// The pattern `raw(length=N, fill=...)` repeats.
  static let fill = FieldName("fill")
}
