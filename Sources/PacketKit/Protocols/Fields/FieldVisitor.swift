/// Which view of a layer's fields is being written.
enum FieldView {
  /// `read --json`: every field as a JSON member.
  case json
  /// `read -v`: a field a line, with units and meanings.
  case verbose
}

/// How the verbose view prints a number (the JSON view always prints decimal).
enum NumberStyle {
  /// `42`.
  case decimal
  /// `0x002a`, zero-padded to `width` digits.
  case hex(width: Int)
  /// `20 bytes`.
  case bytes
}

/// Receives a layer's fields, in the order `read --json` prints them: the one description
/// of a protocol's fields that the JSON and verbose views both read (`JSONFieldWriter`,
/// `VerboseFieldWriter`), so a field's name and value are written once, in the protocol's
/// file.
///
/// A protocol's `describe` calls these in order. Where the views deliberately differ (the
/// verbose view shows header words the JSON leaves to other fields, such as IPv4's `version`),
/// it tests `Self.view`, a constant of the visitor type, so each specialization keeps only its
/// own branch. Writing allocates nothing beyond the buffer's own growth.
protocol FieldVisitor {
  /// The view this visitor writes.
  static var view: FieldView { get }

  /// Whether raw bytes are shown as hex (`--hex` for JSON; the verbose view always shows them).
  var includeHex: Bool { get }

  /// An unsigned number.
  mutating func number<T: UnsignedInteger & FixedWidthInteger>(
    _ name: FieldName, _ value: T, _ style: NumberStyle, meaning: StaticString?,
    _ out: inout TextBuffer)

  /// A signed number.
  mutating func signed(_ name: FieldName, _ value: Int, _ out: inout TextBuffer)

  /// `true` or `false`.
  mutating func bool(_ name: FieldName, _ value: Bool, _ out: inout TextBuffer)

  /// A MAC address.
  mutating func mac(_ name: FieldName, _ value: MACAddress, _ out: inout TextBuffer)

  /// An IPv4 address.
  mutating func ipv4(_ name: FieldName, _ value: IPv4Address, _ out: inout TextBuffer)

  /// An IPv6 address.
  mutating func ipv6(_ name: FieldName, _ value: IPv6Address, _ out: inout TextBuffer)

  /// Bytes as contiguous lower-case hex.
  mutating func hex(_ name: FieldName, _ bytes: Span<UInt8>, _ out: inout TextBuffer)

  /// Text that `write` appends to the buffer (escaped for JSON by the visitor).
  mutating func text(
    _ name: FieldName, _ out: inout TextBuffer, _ write: (inout TextBuffer) -> Void)

  /// A word of the protocol's own vocabulary (`mss`, `window_scale`), written as it is: it
  /// must need no JSON escaping (the JSON view quotes it without scanning it).
  mutating func word(_ name: FieldName, _ value: StaticString, _ out: inout TextBuffer)

  /// A 16-bit checksum, with whether it verifies (nil: not judged) and, for a wrong one, the
  /// value it should have. JSON: `checksum` (when `value` is captured), then `checksum_valid`.
  mutating func checksum(
    _ value: UInt16?, valid: Bool?, expected: UInt16?, _ out: inout TextBuffer)

  /// A list: `body` writes its elements (named `.element`, or objects).
  mutating func list(
    _ name: FieldName, _ out: inout TextBuffer, _ body: (inout Self, inout TextBuffer) -> Void)

  /// An object as a list element: `body` writes its fields.
  mutating func object(
    _ out: inout TextBuffer, _ body: (inout Self, inout TextBuffer) -> Void)
}

extension FieldVisitor {
  /// A decimal number (with, in the verbose view, its meaning in parentheses).
  @inline(__always) mutating func number<T: UnsignedInteger & FixedWidthInteger>(
    _ name: FieldName, _ value: T, meaning: StaticString? = nil, _ out: inout TextBuffer
  ) {
    number(name, value, .decimal, meaning: meaning, &out)
  }

  /// A number printed in `style` by the verbose view.
  @inline(__always) mutating func number<T: UnsignedInteger & FixedWidthInteger>(
    _ name: FieldName, _ value: T, _ style: NumberStyle, _ out: inout TextBuffer
  ) {
    number(name, value, style, meaning: nil, &out)
  }
}
