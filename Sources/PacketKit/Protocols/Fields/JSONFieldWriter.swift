/// Writes a layer's fields as the members of its `read --json` object.
struct JSONFieldWriter: FieldVisitor {
  static var view: FieldView { .json }

  let includeHex: Bool
  /// The commas of the object or array being written.
  var fields: JSONFields

  /// Starts the layer's object: `{`.
  init(includeHex: Bool, _ out: inout TextBuffer) {
    self.includeHex = includeHex
    fields = JSONFields.object(&out)
  }

  /// Continues an object already started.
  init(fields: JSONFields, includeHex: Bool) {
    self.fields = fields
    self.includeHex = includeHex
  }

  /// Ends the layer's object: `}`.
  func close(_ out: inout TextBuffer) { fields.close(object: &out) }

  /// `"name":` as an object member, or the comma before an array element.
  @inline(__always) mutating func key(_ name: FieldName, _ out: inout TextBuffer) {
    if name.isElement {
      fields.element(&out)
    } else {
      fields.key(name.text, &out)
    }
  }

  @inline(__always) mutating func number<T: UnsignedInteger & FixedWidthInteger>(
    _ name: FieldName, _ value: T, _ style: NumberStyle, meaning: StaticString?,
    _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(decimal: value)
  }

  @inline(__always) mutating func signed(_ name: FieldName, _ value: Int, _ out: inout TextBuffer) {
    key(name, &out)
    out.append(decimal: value)
  }

  @inline(__always) mutating func bool(_ name: FieldName, _ value: Bool, _ out: inout TextBuffer) {
    key(name, &out)
    out.append(value ? "true" : "false")
  }

  @inline(__always) mutating func mac(
    _ name: FieldName, _ value: MACAddress, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(byte: UInt8(ascii: "\""))
    value.write(to: &out)
    out.append(byte: UInt8(ascii: "\""))
  }

  @inline(__always) mutating func ipv4(
    _ name: FieldName, _ value: IPv4Address, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(byte: UInt8(ascii: "\""))
    value.write(to: &out)
    out.append(byte: UInt8(ascii: "\""))
  }

  @inline(__always) mutating func ipv6(
    _ name: FieldName, _ value: IPv6Address, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(byte: UInt8(ascii: "\""))
    value.write(to: &out)
    out.append(byte: UInt8(ascii: "\""))
  }

  @inline(__always) mutating func hex(
    _ name: FieldName, _ bytes: Span<UInt8>, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(byte: UInt8(ascii: "\""))
    out.append(hexBytes: bytes)
    out.append(byte: UInt8(ascii: "\""))
  }

  mutating func text(
    _ name: FieldName, _ out: inout TextBuffer, _ write: (inout TextBuffer) -> Void
  ) {
    key(name, &out)
    out.append(byte: UInt8(ascii: "\""))
    let start = out.count
    write(&out)
    out.escapeJSON(from: start)
    out.append(byte: UInt8(ascii: "\""))
  }

  @inline(__always) mutating func word(
    _ name: FieldName, _ value: StaticString, _ out: inout TextBuffer
  ) {
    key(name, &out)
    out.append(byte: UInt8(ascii: "\""))
    out.append(value)
    out.append(byte: UInt8(ascii: "\""))
  }

  @inline(__always) mutating func checksum(
    _ value: UInt16?, valid: Bool?, expected: UInt16?, _ out: inout TextBuffer
  ) {
    if let value { number(.checksum, value, .decimal, meaning: nil, &out) }
    if let valid { bool(.checksumValid, valid, &out) }
  }

  mutating func list(
    _ name: FieldName, _ out: inout TextBuffer, _ body: (inout Self, inout TextBuffer) -> Void
  ) {
    key(name, &out)
    let outer = fields
    fields = JSONFields.array(&out)
    body(&self, &out)
    fields.close(array: &out)
    fields = outer
  }

  mutating func object(_ out: inout TextBuffer, _ body: (inout Self, inout TextBuffer) -> Void) {
    fields.element(&out)
    let outer = fields
    fields = JSONFields.object(&out)
    body(&self, &out)
    fields.close(object: &out)
    fields = outer
  }
}
