/// Writes a layer's fields for `read -v`: one field a line, `    name value`, numbers with
/// their style and meaning; a list of values on one line (`    alpn h2, http/1.1`), a list
/// of objects one object a line below its name, members separated by `, `.
struct VerboseFieldWriter: FieldVisitor {
  static var view: FieldView { .verbose }

  var includeHex: Bool { true }

  /// Where the next value goes.
  enum Place {
    /// A line of its own.
    case line
    /// The next element of a list of values (`first`: right after the list's name).
    case listElement(first: Bool)
    /// The next member of an object shown on one line.
    case member(first: Bool)
  }

  var place = Place.line

  /// Starts the value of `name`: the line, the list separator or the member separator.
  mutating func start(_ name: FieldName, _ out: inout TextBuffer) {
    switch place {
    case .line:
      out.append("    ")
      out.append(name.text)
      out.append(byte: UInt8(ascii: " "))
    case .listElement(let first):
      out.append(first ? " " : ", ")
      place = .listElement(first: false)
    case .member(let first):
      if !first { out.append(", ") }
      out.append(name.text)
      out.append(byte: UInt8(ascii: " "))
      place = .member(first: false)
    }
  }

  /// Ends a value: the newline of a line of its own.
  mutating func end(_ out: inout TextBuffer) {
    if case .line = place { out.append(byte: UInt8(ascii: "\n")) }
  }

  mutating func number<T: UnsignedInteger & FixedWidthInteger>(
    _ name: FieldName, _ value: T, _ style: NumberStyle, meaning: StaticString?,
    _ out: inout TextBuffer
  ) {
    start(name, &out)
    switch style {
    case .decimal:
      out.append(decimal: value)
    case .hex(let width):
      out.append("0x")
      out.append(hex: value, width: width)
    case .bytes:
      out.append(decimal: value)
      out.append(" bytes")
    }
    if let meaning {
      out.append(" (")
      out.append(meaning)
      out.append(byte: UInt8(ascii: ")"))
    }
    end(&out)
  }

  mutating func signed(_ name: FieldName, _ value: Int, _ out: inout TextBuffer) {
    start(name, &out)
    out.append(decimal: value)
    end(&out)
  }

  mutating func bool(_ name: FieldName, _ value: Bool, _ out: inout TextBuffer) {
    start(name, &out)
    out.append(value ? "true" : "false")
    end(&out)
  }

  mutating func mac(_ name: FieldName, _ value: MACAddress, _ out: inout TextBuffer) {
    start(name, &out)
    value.write(to: &out)
    end(&out)
  }

  mutating func ipv4(_ name: FieldName, _ value: IPv4Address, _ out: inout TextBuffer) {
    start(name, &out)
    value.write(to: &out)
    end(&out)
  }

  mutating func ipv6(_ name: FieldName, _ value: IPv6Address, _ out: inout TextBuffer) {
    start(name, &out)
    value.write(to: &out)
    end(&out)
  }

  mutating func hex(_ name: FieldName, _ bytes: Span<UInt8>, _ out: inout TextBuffer) {
    start(name, &out)
    out.append(hexBytes: bytes)
    end(&out)
  }

  mutating func text(
    _ name: FieldName, _ out: inout TextBuffer, _ write: (inout TextBuffer) -> Void
  ) {
    start(name, &out)
    write(&out)
    end(&out)
  }

  mutating func word(_ name: FieldName, _ value: StaticString, _ out: inout TextBuffer) {
    start(name, &out)
    out.append(value)
    end(&out)
  }

  mutating func checksum(
    _ value: UInt16?, valid: Bool?, expected: UInt16?, _ out: inout TextBuffer
  ) {
    guard let value else { return }
    start(.checksum, &out)
    out.append("0x")
    out.append(hex: value, width: 4)
    switch valid {
    case true?: out.append(" (correct)")
    case false?:
      out.append(" (incorrect")
      if let expected {
        out.append(", should be 0x")
        out.append(hex: expected, width: 4)
      }
      out.append(byte: UInt8(ascii: ")"))
    case nil: out.append(" (unverified)")
    }
    end(&out)
  }

  mutating func list(
    _ name: FieldName, _ out: inout TextBuffer, _ body: (inout Self, inout TextBuffer) -> Void
  ) {
    let outer = place
    switch outer {
    case .line:
      out.append("    ")
      out.append(name.text)
      place = .listElement(first: true)
      body(&self, &out)
      out.append(byte: UInt8(ascii: "\n"))
    case .listElement, .member:
      // A list inside an object: `name [a, b]` on the object's line.
      start(name, &out)
      out.append(byte: UInt8(ascii: "["))
      place = .listElement(first: true)
      body(&self, &out)
      out.append(byte: UInt8(ascii: "]"))
    }
    place = outer
    if case .member = outer { place = .member(first: false) }
  }

  mutating func object(_ out: inout TextBuffer, _ body: (inout Self, inout TextBuffer) -> Void) {
    let outer = place
    switch outer {
    case .listElement:
      // Objects of a list each take a line of their own, indented under the list's name.
      out.append("\n        ")
      place = .member(first: true)
      body(&self, &out)
      place = .listElement(first: false)
    case .line, .member:
      place = .member(first: true)
      body(&self, &out)
      place = outer
    }
  }
}
