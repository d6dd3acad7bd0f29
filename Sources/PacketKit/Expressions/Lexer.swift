// The tokens of a crafting expression (CONTRACT.md "Crafting expressions").
//
//   punctuation   ( ) [ ] , = / -
//   word          [A-Za-z_][A-Za-z0-9_]*          eth, src_port, SA, nop, true
//   integer       [0-9]+                           64 (UInt64; overflow is an error)
//   hex           0x[0-9A-Fa-f]+                   0x0102 (digits kept as written)
//   MAC           aa:bb:cc:dd:ee:ff                six ':'-separated groups of 1-2 hex digits
//   IPv4          192.0.2.1
//   IPv6          2001:db8::1, ::ffff:192.0.2.1, fe80::1
//   string        "text" with \" \\ \n \t \r \0 \xHH
//
// Literals are scanned as one run of [A-Za-z0-9_.:] (neither '.' nor ':' is punctuation) and
// classified by their text, so `fe80::1` is an address although it starts like a word. A run
// holding ':' is an address: a MAC when it has no `::`, no '.', does not start with ':', all
// its groups have at most two digits and there are at most six of them (no such text is
// IPv6); IPv6 otherwise. The address types' own parsers validate.
//
// Positions are offsets in Characters (what `ExpressionError.rendered(source:)` counts).
// The lexer never throws: a bad literal becomes an `.invalid` token, and the parser throws
// it when it reaches it, with the layer and field it is inside.

/// One token and where it starts.
struct Token: Sendable, Hashable {
  enum Kind: Sendable, Hashable {
    case word(String)
    /// An integer, hex, MAC, IPv4, IPv6 or string literal.
    case literal(ValueExpression.Kind)
    case leftParen
    case rightParen
    case leftBracket
    case rightBracket
    case comma
    case equals
    case slash
    case minus
    case end
    /// Text that is no token; the message says why, `position` points at the culprit.
    case invalid(String)
  }

  var kind: Kind
  /// Offset of the token (or, for `.invalid`, of the culprit) in Characters.
  var position: Int
  /// The text as written, for messages.
  var text: String
}

/// Splits an expression into tokens.
struct Lexer {
  private let characters: [Character]
  private var offset = 0

  init(_ source: String) {
    characters = Array(source)
  }

  /// All tokens, ending with `.end`; scanning stops after the first `.invalid` token.
  static func tokens(of source: String) -> [Token] {
    var lexer = Lexer(source)
    var tokens: [Token] = []
    while true {
      let token = lexer.next()
      tokens.append(token)
      switch token.kind {
      case .end: return tokens
      case .invalid:
        tokens.append(Token(kind: .end, position: lexer.characters.count, text: ""))
        return tokens
      default: continue
      }
    }
  }

  /// The next token.
  mutating func next() -> Token {
    while offset < characters.count && characters[offset].isWhitespace { offset += 1 }
    guard offset < characters.count else {
      return Token(kind: .end, position: offset, text: "")
    }
    let start = offset
    let character = characters[offset]
    let punctuation: Token.Kind? =
      switch character {
      case "(": .leftParen
      case ")": .rightParen
      case "[": .leftBracket
      case "]": .rightBracket
      case ",": .comma
      case "=": .equals
      case "/": .slash
      case "-": .minus
      default: nil
      }
    if let punctuation {
      offset += 1
      return Token(kind: punctuation, position: start, text: String(character))
    }
    if character == "\"" { return string() }
    if Self.isRunCharacter(character) { return run() }
    offset += 1
    return Token(
      kind: .invalid("unexpected character '\(character)'"), position: start,
      text: String(character))
  }

  // MARK: - Runs: words, numbers, addresses

  private static func isRunCharacter(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    return isLetter(ascii) || isDigit(ascii) || ascii == UInt8(ascii: ".")
      || ascii == UInt8(ascii: ":")
  }

  private static func isLetter(_ ascii: UInt8) -> Bool {
    (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x61 && ascii <= 0x7A) || ascii == 0x5F
  }

  private static func isDigit(_ ascii: UInt8) -> Bool { ascii >= 0x30 && ascii <= 0x39 }

  private static func isHexDigit(_ ascii: UInt8) -> Bool {
    isDigit(ascii) || (ascii >= 0x41 && ascii <= 0x46) || (ascii >= 0x61 && ascii <= 0x66)
  }

  private mutating func run() -> Token {
    let start = offset
    while offset < characters.count && Self.isRunCharacter(characters[offset]) { offset += 1 }
    // INVARIANT: every character of the run is ASCII (isRunCharacter checked asciiValue).
    let bytes = characters[start..<offset].map { $0.asciiValue! }
    let text = String(characters[start..<offset])
    func token(_ kind: Token.Kind, at position: Int? = nil) -> Token {
      Token(kind: kind, position: position ?? start, text: text)
    }
    let colon = bytes.firstIndex(of: UInt8(ascii: ":"))
    let dot = bytes.firstIndex(of: UInt8(ascii: "."))
    let first = bytes[0]

    if Self.isLetter(first) {
      if let colon {
        // `fe80::1`, `ab:cd:ef:01:02:03`: an address when what precedes ':' is hex.
        guard colon <= 4, bytes[..<colon].allSatisfy(Self.isHexDigit) else {
          return token(
            .invalid("unexpected ':' after \(String(text.prefix(colon)))"),
            at: start + colon)
        }
        return address(text, bytes: bytes, start: start)
      }
      if let dot {
        return token(
          .invalid("unexpected '.' after \(String(text.prefix(dot)))"),
          at: start + dot)
      }
      return token(.word(text))
    }
    if first == UInt8(ascii: ":") || colon != nil {
      return address(text, bytes: bytes, start: start)
    }
    if dot != nil {
      guard let address = IPv4Address(text) else {
        return token(.invalid("invalid IPv4 address \(text)"))
      }
      return token(.literal(.ipv4(address)))
    }
    if bytes.count >= 2 && first == UInt8(ascii: "0")
      && (bytes[1] == UInt8(ascii: "x") || bytes[1] == UInt8(ascii: "X"))
    {
      let digits = bytes.dropFirst(2)
      guard !digits.isEmpty, digits.allSatisfy(Self.isHexDigit) else {
        return token(.invalid("invalid hex number \(text)"))
      }
      return token(.literal(.hex(String(text.dropFirst(2)))))
    }
    guard bytes.allSatisfy(Self.isDigit) else {
      return token(.invalid("invalid number \(text)"))
    }
    var value: UInt64 = 0
    for digit in bytes {
      let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit - 0x30))
      guard !overflow1, !overflow2 else {
        return token(.invalid("integer \(text) is too large"))
      }
      value = sum
    }
    return token(.literal(.integer(value)))
  }

  /// A run holding ':' (or starting with it): a MAC or an IPv6 address.
  private func address(_ text: String, bytes: [UInt8], start: Int) -> Token {
    let colon = UInt8(ascii: ":")
    let groups = bytes.split(separator: colon, omittingEmptySubsequences: false)
    var hasDoubleColon = false
    for index in bytes.indices.dropLast() where bytes[index] == colon && bytes[index + 1] == colon {
      hasDoubleColon = true
    }
    let looksLikeMAC =
      !hasDoubleColon && !bytes.contains(UInt8(ascii: ".")) && bytes[0] != colon
      && groups.count <= 6 && groups.allSatisfy { $0.count <= 2 }
    if looksLikeMAC {
      guard let mac = MACAddress(text) else {
        return Token(kind: .invalid("invalid MAC address \(text)"), position: start, text: text)
      }
      return Token(kind: .literal(.mac(mac)), position: start, text: text)
    }
    guard let address = IPv6Address(text) else {
      return Token(kind: .invalid("invalid IPv6 address \(text)"), position: start, text: text)
    }
    return Token(kind: .literal(.ipv6(address)), position: start, text: text)
  }

  // MARK: - Strings

  private mutating func string() -> Token {
    let start = offset
    offset += 1
    var bytes: [UInt8] = []
    func invalid(_ message: String, at position: Int) -> Token {
      Token(kind: .invalid(message), position: position, text: "\"")
    }
    while offset < characters.count {
      let character = characters[offset]
      if character == "\"" {
        offset += 1
        return Token(
          kind: .literal(.string(bytes)), position: start,
          text: String(characters[start..<offset]))
      }
      guard character == "\\" else {
        bytes.append(contentsOf: character.utf8)
        offset += 1
        continue
      }
      let escapeStart = offset
      offset += 1
      guard offset < characters.count else { break }
      let escaped = characters[offset]
      offset += 1
      switch escaped {
      case "\"": bytes.append(UInt8(ascii: "\""))
      case "\\": bytes.append(UInt8(ascii: "\\"))
      case "n": bytes.append(UInt8(ascii: "\n"))
      case "t": bytes.append(UInt8(ascii: "\t"))
      case "r": bytes.append(UInt8(ascii: "\r"))
      case "0": bytes.append(0)
      case "x":
        guard offset + 1 < characters.count,
          let high = characters[offset].hexDigitValue, characters[offset].isASCII,
          let low = characters[offset + 1].hexDigitValue, characters[offset + 1].isASCII
        else {
          return invalid("\\x must be followed by two hex digits", at: escapeStart)
        }
        bytes.append(UInt8(high << 4 | low))
        offset += 2
      default:
        return invalid("unknown escape \\\(escaped)", at: escapeStart)
      }
    }
    return invalid("unterminated string", at: start)
  }
}
