/// The value grammar of crafting expressions: integers, addresses, strings, tuples, lists,
/// ranges, prefixes, `random(...)` and calls, and the checks on what a value may be.
extension Parser {
  // MARK: - Values

  mutating func parseValue() throws(ExpressionError) -> ValueExpression {
    let token = try peek()
    let value: ValueExpression
    switch token.kind {
    case .leftParen:
      value = try parseTuple()
    case .leftBracket:
      value = try parseList()
    case .word, .literal:
      let atom = try parseAtom()
      if case .word(let word) = atom.kind, case .leftParen = try peek().kind {
        guard word == "random" else {
          throw error("a call like \(word)(...) is only allowed inside a list", at: atom.position)
        }
        value = try parseRandom(at: atom.position)
      } else {
        value = try parseRangeOrPrefix(after: atom, token: token)
      }
    case .minus:
      switch lookahead(1) {
      case .literal(.integer), .literal(.hex):
        throw error("negative numbers are not allowed", at: token.position)
      default:
        throw error("expected a value, found '-'", at: token.position)
      }
    case .rightParen, .rightBracket, .comma, .end:
      throw error("missing value", at: token.position)
    default:
      throw error("expected a value, found \(describe(token))", at: token.position)
    }
    // What may not follow a value, reported while its field is still the context.
    let next = try peek()
    switch (next.kind, value.kind) {
    case (.minus, .range):
      throw error("a range has only two ends", at: next.position)
    case (.minus, _):
      throw error(
        "a range needs integers or addresses, not \(Self.name(of: value.kind))",
        at: next.position)
    case (.slash, .range) where lookahead(1).isInteger:
      throw error("a range cannot take a prefix length", at: next.position)
    case (.slash, _) where lookahead(1).isInteger:
      throw error("a prefix length must follow an IPv4 or IPv6 address", at: next.position)
    default:
      return value
    }
  }

  /// A literal or a word (`true` and `false` are booleans).
  mutating func parseAtom() throws(ExpressionError) -> ValueExpression {
    let token = try peek()
    advance()
    switch token.kind {
    case .literal(let kind):
      return ValueExpression(position: token.position, kind: kind)
    case .word("true"):
      return ValueExpression(position: token.position, kind: .bool(true))
    case .word("false"):
      return ValueExpression(position: token.position, kind: .bool(false))
    case .word(let word):
      return ValueExpression(position: token.position, kind: .word(word))
    default:
      preconditionFailure("parseAtom called on \(token.kind)")
    }
  }

  /// `atom`, `atom-atom` or `address/length`, the atom already read.
  mutating func parseRangeOrPrefix(after low: ValueExpression, token lowToken: Token)
    throws(ExpressionError) -> ValueExpression
  {
    let next = try peek()
    switch next.kind {
    case .slash:
      let maximum: UInt64
      switch low.kind {
      case .ipv4: maximum = 32
      case .ipv6: maximum = 128
      default: return low
      }
      let lengthToken = try peek(1)
      switch lengthToken.kind {
      case .literal(.integer(let length)):
        guard length <= maximum else {
          throw error(
            "prefix length \(length) is out of range 0...\(maximum)", at: lengthToken.position)
        }
        advance()
        advance()
        return ValueExpression(position: low.position, kind: .prefix(low, Int(length)))
      case .word:
        return low  // `ipv4(dst=192.0.2.1 / tcp()`: the caller reports the missing ')'
      default:
        throw error("expected a prefix length after '/'", at: lengthToken.position)
      }
    case .minus:
      guard Self.isRangeable(low.kind) else {
        throw error(
          "a range needs integers or addresses, not \(Self.name(of: low.kind))", at: next.position)
      }
      advance()
      let highToken = try peek()
      let high: ValueExpression
      switch highToken.kind {
      case .literal, .word:
        high = try parseAtom()
      case .leftParen:
        throw error("range mixes \(Self.name(of: low.kind)) and a tuple", at: highToken.position)
      case .leftBracket:
        throw error("range mixes \(Self.name(of: low.kind)) and a list", at: highToken.position)
      default:
        throw error("missing the end of the range", at: highToken.position)
      }
      guard Self.sameRangeKind(low.kind, high.kind) else {
        throw error(
          "range mixes \(Self.name(of: low.kind)) and \(Self.name(of: high.kind))",
          at: high.position)
      }
      if Self.isEmptyRange(low.kind, high.kind) {
        throw error("empty range \(lowToken.text)-\(tokens[index - 1].text)", at: low.position)
      }
      return ValueExpression(position: low.position, kind: .range(low, high))
    default:
      return low
    }
  }

  /// `(a, b, ...)`, the '(' current.
  mutating func parseTuple() throws(ExpressionError) -> ValueExpression {
    let open = try peek()
    try enterNesting(at: open.position)
    defer { depth -= 1 }
    advance()
    var items: [ValueExpression] = []
    while true {
      let token = try peek()
      switch token.kind {
      case .rightParen:
        guard !items.isEmpty else { throw error("empty tuple", at: open.position) }
        advance()
        return ValueExpression(position: open.position, kind: .tuple(items))
      case .end, .rightBracket:
        throw error("unbalanced '('", at: open.position)
      default:
        items.append(try parseValue())
      }
      let next = try peek()
      switch next.kind {
      case .comma: advance()
      case .rightParen: continue
      case .end, .rightBracket: throw error("unbalanced '('", at: open.position)
      default: throw error("expected ',' or ')' in the tuple", at: next.position)
      }
    }
  }

  /// `[item, ...]`, the '[' current.
  mutating func parseList() throws(ExpressionError) -> ValueExpression {
    let open = try peek()
    try enterNesting(at: open.position)
    defer { depth -= 1 }
    advance()
    var items: [ValueExpression] = []
    while true {
      let token = try peek()
      var bareWord: String?
      switch token.kind {
      case .rightBracket:
        advance()
        return ValueExpression(position: open.position, kind: .list(items))
      case .end, .rightParen:
        throw error("unbalanced '['", at: open.position)
      case .word(let name) where lookahead(1) == .equals:
        advance()
        advance()
        let value = try parseValue()
        items.append(
          ValueExpression(position: token.position, kind: .assignment(name: name, value: value)))
      case .word("random") where lookahead(1) == .leftParen:
        items.append(try parseValue())
      case .word(let name) where lookahead(1) == .leftParen:
        items.append(try parseCall(named: name, at: token.position))
      default:
        let value = try parseValue()
        if case .word(let word) = value.kind { bareWord = word }
        items.append(value)
      }
      let next = try peek()
      switch next.kind {
      case .comma:
        advance()
      case .rightBracket:
        continue
      case .end, .rightParen:
        throw error("unbalanced '['", at: open.position)
      case .slash:
        if case .word = try peek(1).kind { throw error("unbalanced '['", at: open.position) }
        throw error("expected ',' or ']' in the list", at: next.position)
      default:
        if let bareWord, Self.startsValue(next) {
          throw error("expected '=' after \(bareWord)", at: next.position)
        }
        throw error("expected ',' or ']' in the list", at: next.position)
      }
    }
  }

  /// `random(range)` or `random(prefix)`, the word `random` read and '(' current.
  mutating func parseRandom(at position: Int) throws(ExpressionError) -> ValueExpression {
    let open = try peek()
    try enterNesting(at: open.position)
    defer { depth -= 1 }
    advance()  // '('
    let inner = try parseValue()
    switch inner.kind {
    case .range, .prefix: break
    default:
      throw error(
        "random(...) takes a range (random(1024-65535)) or a prefix (random(192.0.2.0/24)), not \(Self.name(of: inner.kind))",
        at: inner.position)
    }
    let close = try peek()
    guard case .rightParen = close.kind else {
      throw error("expected ')' to close random(", at: close.position)
    }
    advance()
    return ValueExpression(position: position, kind: .randomIn(inner))
  }

  /// `name(field=value, ...)` inside a list, the name current.
  mutating func parseCall(named name: String, at position: Int)
    throws(ExpressionError) -> ValueExpression
  {
    advance()  // name
    try enterNesting(at: try peek().position)
    defer { depth -= 1 }
    advance()  // '('
    var fields: [FieldExpression] = []
    var seen = Set<String>()
    while true {
      let token = try peek()
      switch token.kind {
      case .rightParen:
        advance()
        return ValueExpression(position: position, kind: .call(name: name, fields: fields))
      case .end, .rightBracket:
        throw error("expected ')' after the fields of \(name)", at: token.position)
      case .word(let fieldName):
        let after = try peek(1)
        guard case .equals = after.kind else {
          throw error("expected '=' after \(fieldName)", at: after.position)
        }
        fields.append(try parseField(named: fieldName, at: token.position, seen: &seen))
      default:
        throw error(
          "expected a field name=value in \(name)(...), found \(describe(token))",
          at: token.position)
      }
      let next = try peek()
      switch next.kind {
      case .comma: advance()
      case .rightParen: continue
      default: throw error("expected ')' after the fields of \(name)", at: next.position)
      }
    }
  }

  mutating func enterNesting(at position: Int) throws(ExpressionError) {
    guard depth < ExpressionParser.maximumDepth else {
      throw error(
        "nesting deeper than \(ExpressionParser.maximumDepth) levels", at: position)
    }
    depth += 1
  }

  // MARK: - Value kinds

  static func name(of kind: ValueExpression.Kind) -> String {
    switch kind {
    case .integer: "an integer"
    case .hex: "a hex number"
    case .mac: "a MAC address"
    case .ipv4: "an IPv4 address"
    case .ipv6: "an IPv6 address"
    case .bool: "a boolean"
    case .string: "a string"
    case .word: "a word"
    case .range: "a range"
    case .prefix: "a prefix"
    case .tuple: "a tuple"
    case .list: "a list"
    case .assignment: "an assignment"
    case .call: "a call"
    case .randomIn: "a random value"
    }
  }

  static func isRangeable(_ kind: ValueExpression.Kind) -> Bool {
    switch kind {
    case .integer, .hex, .mac, .ipv4, .ipv6: true
    default: false
    }
  }

  /// Integers (decimal or hex) with each other; addresses with their own kind.
  static func sameRangeKind(_ low: ValueExpression.Kind, _ high: ValueExpression.Kind) -> Bool {
    switch (low, high) {
    case (.integer, .integer), (.integer, .hex), (.hex, .integer), (.hex, .hex): true
    case (.mac, .mac), (.ipv4, .ipv4), (.ipv6, .ipv6): true
    default: false
    }
  }

  /// `25-20`: the low end above the high end (hex ends are the builder's to compare).
  static func isEmptyRange(_ low: ValueExpression.Kind, _ high: ValueExpression.Kind) -> Bool {
    switch (low, high) {
    case (.integer(let a), .integer(let b)): a > b
    case (.mac(let a), .mac(let b)): a > b
    case (.ipv4(let a), .ipv4(let b)): a > b
    case (.ipv6(let a), .ipv6(let b)): a > b
    default: false
    }
  }
}

extension Token.Kind {
  var isInteger: Bool {
    if case .literal(.integer) = self { true } else { false }
  }
}
