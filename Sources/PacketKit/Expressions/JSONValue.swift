/// A JSON value (RFC 8259), as `rawtool craft --from-json` reads the ndjson of `rawtool read --json`.
///
/// Numbers keep their text, so integers up to `UInt64.max` stay exact; objects keep their
/// keys in the order written.
public indirect enum JSONValue: Sendable, Hashable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number as written (`-1`, `12`, `1.5e3`).
  case number(String)
  /// A string, escapes resolved.
  case string(String)
  /// An array, in order.
  case array([JSONValue])
  /// Key-value pairs in the order written (a key given twice is a syntax error).
  case object([(key: String, value: JSONValue)])

  /// Whether the values are alike; numbers compare by their text.
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.number(let a), .number(let b)): a == b
    case (.string(let a), .string(let b)): a == b
    case (.array(let a), .array(let b)): a == b
    case (.object(let a), .object(let b)):
      a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: false
    }
  }

  /// Hashes the value as `==` compares it.
  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let value): hasher.combine(value)
    case .number(let text): hasher.combine(text)
    case .string(let text): hasher.combine(text)
    case .array(let items): hasher.combine(items)
    case .object(let pairs):
      for pair in pairs {
        hasher.combine(pair.key)
        hasher.combine(pair.value)
      }
    }
  }

  /// The value under `key` of an object, else nil.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.key == key }?.value
  }

  /// A non-negative integer number (no fraction, no exponent), else nil.
  public var unsignedInteger: UInt64? {
    guard case .number(let text) = self else { return nil }
    return UInt64(text)
  }

  /// The name of the value's kind, for errors (`a string`, `an object`, ...).
  public var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

/// A JSON syntax error: what is wrong and where (byte offset, 1-based line and column).
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, as a short phrase.
  public var message: String
  /// Offset of the offending byte in the text, from 0.
  public var offset: Int
  /// Line of the offending byte, from 1.
  public var line: Int
  /// Column of the offending byte in its line, in bytes from 1.
  public var column: Int

  /// An error at byte `offset`, on `line` and `column` (both from 1).
  public init(message: String, offset: Int, line: Int, column: Int) {
    self.message = message
    self.offset = offset
    self.line = line
    self.column = column
  }

  /// `line 1, column 8: expected ':' after an object key`.
  public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict JSON parser: RFC 8259 and nothing more (no comments, no trailing commas, no
/// leading zeros, no bare control characters in strings, no duplicate keys), nesting bounded
/// by `maximumDepth` so hostile input cannot exhaust the stack.
public struct JSONParser {
  /// The deepest nesting of arrays and objects accepted.
  public static let maximumDepth = 64

  let bytes: [UInt8]
  var index = 0
  var depth = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Parses one JSON value (surrounded by optional white space) from `text`.
  public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
    try parse(Array(text.utf8))
  }

  /// Parses one JSON value (surrounded by optional white space) from UTF-8 `bytes`.
  public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
    var parser = JSONParser(bytes)
    parser.skipSpace()
    let value = try parser.value()
    parser.skipSpace()
    guard parser.index == bytes.count else {
      throw parser.fail("unexpected \(parser.describeCurrent()) after the value")
    }
    return value
  }

  func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
    let offset = min(offset ?? index, bytes.count)
    var line = 1
    var lineStart = 0
    for position in 0..<offset where bytes[position] == UInt8(ascii: "\n") {
      line += 1
      lineStart = position + 1
    }
    return JSONSyntaxError(
      message: message, offset: offset, line: line, column: offset - lineStart + 1)
  }

  func describeCurrent() -> String {
    guard index < bytes.count else { return "end of input" }
    let byte = bytes[index]
    if byte >= 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
    return "byte 0x\(String(byte, radix: 16))"
  }

  mutating func skipSpace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      default: return
      }
    }
  }

  mutating func value() throws(JSONSyntaxError) -> JSONValue {
    guard index < bytes.count else { throw fail("expected a value, found end of input") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
    default: throw fail("expected a value, found \(describeCurrent())")
    }
  }

  mutating func literal(_ word: String, _ result: JSONValue) throws(JSONSyntaxError) -> JSONValue {
    let start = index
    for expected in word.utf8 {
      guard index < bytes.count, bytes[index] == expected else {
        throw fail("expected \(word)", at: start)
      }
      index += 1
    }
    return result
  }

  mutating func enter() throws(JSONSyntaxError) {
    depth += 1
    guard depth <= Self.maximumDepth else {
      throw fail("nesting deeper than \(Self.maximumDepth) levels")
    }
  }

  mutating func object() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    index += 1
    var pairs: [(key: String, value: JSONValue)] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      depth -= 1
      return .object(pairs)
    }
    while true {
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw fail("expected a quoted object key, found \(describeCurrent())")
      }
      let keyStart = index
      let key = try string()
      guard !pairs.contains(where: { $0.key == key }) else {
        throw fail("duplicate key \"\(key)\"", at: keyStart)
      }
      skipSpace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw fail("expected ':' after an object key, found \(describeCurrent())")
      }
      index += 1
      skipSpace()
      pairs.append((key, try value()))
      skipSpace()
      guard index < bytes.count else { throw fail("expected ',' or '}', found end of input") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "}") else {
        throw fail("expected ',' or '}', found \(describeCurrent())")
      }
      index += 1
      depth -= 1
      return .object(pairs)
    }
  }

  mutating func array() throws(JSONSyntaxError) -> JSONValue {
    try enter()
    index += 1
    var items: [JSONValue] = []
    skipSpace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      depth -= 1
      return .array(items)
    }
    while true {
      skipSpace()
      items.append(try value())
      skipSpace()
      guard index < bytes.count else { throw fail("expected ',' or ']', found end of input") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      guard bytes[index] == UInt8(ascii: "]") else {
        throw fail("expected ',' or ']', found \(describeCurrent())")
      }
      index += 1
      depth -= 1
      return .array(items)
    }
  }

  mutating func number() throws(JSONSyntaxError) -> JSONValue {
    let start = index
    func isDigit(_ at: Int) -> Bool {
      at < bytes.count && bytes[at] >= UInt8(ascii: "0") && bytes[at] <= UInt8(ascii: "9")
    }
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard isDigit(index) else { throw fail("expected a digit, found \(describeCurrent())") }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if isDigit(index) { throw fail("a number cannot have a leading zero", at: start) }
    } else {
      while isDigit(index) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      guard isDigit(index) else {
        throw fail("expected a digit after '.', found \(describeCurrent())")
      }
      while isDigit(index) { index += 1 }
    }
    if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
      {
        index += 1
      }
      guard isDigit(index) else {
        throw fail("expected a digit in the exponent, found \(describeCurrent())")
      }
      while isDigit(index) { index += 1 }
    }
    return .number(String(decoding: bytes[start..<index], as: UTF8.self))
  }

  mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
    var value: UInt32 = 0
    for _ in 0..<4 {
      guard index < bytes.count, let digit = HexBytes.value(bytes[index]) else {
        throw fail("expected 4 hex digits after \\u")
      }
      value = value << 4 | UInt32(digit)
      index += 1
    }
    return value
  }

  mutating func string() throws(JSONSyntaxError) -> String {
    let start = index
    index += 1
    var scalars = String.UnicodeScalarView()
    var runStart = index
    var text = ""
    func flush(_ end: Int) {
      text += String(decoding: bytes[runStart..<end], as: UTF8.self)
    }
    while true {
      guard index < bytes.count else { throw fail("unterminated string", at: start) }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        flush(index)
        index += 1
        break
      }
      if byte < 0x20 {
        throw fail("control character 0x\(String(byte, radix: 16)) in a string (escape it)")
      }
      if byte != UInt8(ascii: "\\") {
        index += 1
        continue
      }
      flush(index)
      index += 1
      guard index < bytes.count else { throw fail("unterminated string", at: start) }
      let escape = bytes[index]
      index += 1
      scalars.removeAll()
      switch escape {
      case UInt8(ascii: "\""): text += "\""
      case UInt8(ascii: "\\"): text += "\\"
      case UInt8(ascii: "/"): text += "/"
      case UInt8(ascii: "b"): text += "\u{8}"
      case UInt8(ascii: "f"): text += "\u{C}"
      case UInt8(ascii: "n"): text += "\n"
      case UInt8(ascii: "r"): text += "\r"
      case UInt8(ascii: "t"): text += "\t"
      case UInt8(ascii: "u"):
        var code = try hex4()
        if (0xD800...0xDBFF).contains(code) {
          guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
            bytes[index + 1] == UInt8(ascii: "u")
          else { throw fail("a high surrogate must be followed by \\u and a low surrogate") }
          index += 2
          let low = try hex4()
          guard (0xDC00...0xDFFF).contains(low) else {
            throw fail("a high surrogate must be followed by a low surrogate")
          }
          code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(code) {
          throw fail("a lone low surrogate")
        }
        guard let scalar = Unicode.Scalar(code) else { throw fail("bad \\u escape") }
        scalars.append(scalar)
        text += String(scalars)
      default:
        throw fail("unknown escape \\\(Character(Unicode.Scalar(escape)))", at: index - 2)
      }
      runStart = index
    }
    return text
  }
}
