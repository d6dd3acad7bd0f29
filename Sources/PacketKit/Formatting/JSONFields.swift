/// Writes the members of one JSON object or the elements of one JSON array into a
/// `TextBuffer`, placing the commas.
///
/// It holds no reference to the buffer (each call takes it `inout`), so writing a value
/// allocates nothing beyond the buffer's own growth. Keys are `StaticString`s the caller
/// knows need no escaping (the contract's field names).
struct JSONFields {
  private var empty = true

  /// Starts an object: `{`.
  static func object(_ out: inout TextBuffer) -> JSONFields {
    out.append(byte: UInt8(ascii: "{"))
    return JSONFields()
  }

  /// Starts an array: `[`.
  static func array(_ out: inout TextBuffer) -> JSONFields {
    out.append(byte: UInt8(ascii: "["))
    return JSONFields()
  }

  /// Ends the object: `}`.
  func close(object out: inout TextBuffer) { out.append(byte: UInt8(ascii: "}")) }

  /// Ends the array: `]`.
  func close(array out: inout TextBuffer) { out.append(byte: UInt8(ascii: "]")) }

  /// Writes the separator before the next array element.
  @inline(__always) mutating func element(_ out: inout TextBuffer) {
    if !empty { out.append(byte: UInt8(ascii: ",")) }
    empty = false
  }

  /// Writes `"name":` (after a comma when needed); the caller writes the value.
  @inline(__always) mutating func key(_ name: StaticString, _ out: inout TextBuffer) {
    out.append(jsonKey: name, comma: !empty)
    empty = false
  }

  /// `"name":123`.
  @inline(__always) mutating func int<T: UnsignedInteger & FixedWidthInteger>(
    _ name: StaticString, _ value: T, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(decimal: value)
  }

  /// `"name":123` for a signed value.
  @inline(__always) mutating func int(_ name: StaticString, _ value: Int, _ out: inout TextBuffer) {
    key(name, &out)
    out.append(decimal: value)
  }

  /// `"name":true` or `false`.
  @inline(__always) mutating func bool(_ name: StaticString, _ value: Bool, _ out: inout TextBuffer)
  {
    key(name, &out)
    out.append(value ? "true" : "false")
  }

  /// `"name":"value"` for a value that needs no escaping.
  @inline(__always) mutating func plain(
    _ name: StaticString, _ value: StaticString, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(byte: UInt8(ascii: "\""))
    out.append(value)
    out.append(byte: UInt8(ascii: "\""))
  }

  /// `"name":"0a0b…"`: bytes as contiguous lower-case hex.
  @inline(__always) mutating func hex(
    _ name: StaticString, _ bytes: Span<UInt8>, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(byte: UInt8(ascii: "\""))
    out.append(hexBytes: bytes)
    out.append(byte: UInt8(ascii: "\""))
  }

  /// `"name":"text"` with JSON escaping.
  @inline(__always) mutating func string(
    _ name: StaticString, _ value: String, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(jsonString: value)
  }
}
