/// JSON string escaping (RFC 8259 §7).
extension TextBuffer {
  /// Appends `text` as a JSON string literal, quotes included.
  ///
  /// `"` and `\` are escaped, control characters become `\b \f \n \r \t` or `\u00XX`;
  /// everything else, non-ASCII included, is copied as UTF-8. Disfavored so that a literal
  /// takes the `StaticString` overload.
  @_disfavoredOverload
  public mutating func append(jsonString text: String) {
    append(byte: UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { utf8 in
      for byte in utf8 { appendJSONEscaped(byte) }
    }
    append(byte: UInt8(ascii: "\""))
  }

  /// Appends `text` as a JSON string literal, quotes included.
  public mutating func append(jsonString text: StaticString) {
    append(byte: UInt8(ascii: "\""))
    text.withUTF8Buffer { utf8 in
      for byte in utf8 { appendJSONEscaped(byte) }
    }
    append(byte: UInt8(ascii: "\""))
  }

  /// Appends one UTF-8 byte of a string's contents, escaped as JSON requires.
  @usableFromInline mutating func appendJSONEscaped(_ byte: UInt8) {
    switch byte {
    case UInt8(ascii: "\""): append("\\\"")
    case UInt8(ascii: "\\"): append("\\\\")
    case 0x08: append("\\b")
    case 0x0C: append("\\f")
    case 0x0A: append("\\n")
    case 0x0D: append("\\r")
    case 0x09: append("\\t")
    case 0..<0x20:
      append("\\u00")
      append(hexByte: byte)
    default: append(byte: byte)
    }
  }
}

extension TextBuffer {
  /// Escapes, as a JSON string's contents, the bytes written since `start`: `"`, `\` and
  /// control characters as `appendJSONEscaped` does, and bytes above 0x7E as `\u00XX`, so
  /// text taken from a packet is valid JSON whatever its bytes. Text that needs no escaping
  /// (the usual case) is left in place without a copy.
  mutating func escapeJSON(from start: Int) {
    var needed = false
    for index in start..<length where Self.needsEscape(base[index]) {
      needed = true
      break
    }
    guard needed else { return }
    let raw = Array(UnsafeBufferPointer(start: base + start, count: length - start))
    length = start
    for byte in raw {
      if byte > 0x7E {
        append("\\u00")
        append(hexByte: byte)
      } else {
        appendJSONEscaped(byte)
      }
    }
  }

  @inline(__always) static func needsEscape(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte > 0x7E || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
  }
}
