// A recursive-descent parser for crafting expressions (CONTRACT.md "Crafting expressions"):
//
//   expression := layer ('/' layer)*
//   layer      := NAME ( '(' [ item (',' item)* [','] ] ')' )?
//   item       := NAME '=' value | value                  (at most one positional value)
//   value      := atom | atom '-' atom | address '/' INT | '(' value (',' value)* [','] ')'
//               | '[' [ listItem (',' listItem)* [','] ] ']' | 'random' '(' value ')'
//   listItem   := NAME '=' value | NAME '(' [ field (',' field)* [','] ] ')' | value
//
// Values only occur inside a layer's parentheses, so a '/' there is never the layer
// separator: after an address and before an integer it is a prefix length; before a word it
// means the layer's ')' is missing. Ranges take integers (decimal or hex, mixed) or two
// addresses of one kind; there are no negative numbers. Names are kept as written: layer and
// field vocabularies, aliases and value ranges are the builder's business. Nesting is
// bounded (`maximumDepth`) so hostile input cannot exhaust the stack.

/// Parses crafting expressions into a `PacketExpression`.
public enum ExpressionParser {
  /// How deeply tuples, lists and calls may nest.
  public static let maximumDepth = 32

  /// Parses `source`, or throws the first syntax error with its layer, field and position.
  public static func parse(_ source: String) throws(ExpressionError) -> PacketExpression {
    var parser = Parser(source: source)
    return try parser.parseExpression()
  }
}

/// The recursive-descent parser behind `ExpressionParser.parse` (layers and fields here,
/// values in Parser+Values.swift).
struct Parser {
  let source: String
  let tokens: [Token]
  var index = 0
  /// The layer being parsed (name as written), for errors.
  var layer: String?
  /// The layer's field being parsed (name as written), for errors.
  var field: String?
  var depth = 0

  init(source: String) {
    self.source = source
    tokens = Lexer.tokens(of: source)
  }

  // MARK: - Token access

  /// The token `ahead` places after the current one; throws a lexer error met there.
  func peek(_ ahead: Int = 0) throws(ExpressionError) -> Token {
    // INVARIANT: `tokens` ends with `.end` and `advance()` never moves past it.
    let token = tokens[min(index + ahead, tokens.count - 1)]
    if case .invalid(let message) = token.kind { throw error(message, at: token.position) }
    return token
  }

  /// The kind of a later token, without throwing (an `.invalid` one is thrown when reached).
  func lookahead(_ ahead: Int) -> Token.Kind {
    tokens[min(index + ahead, tokens.count - 1)].kind
  }

  mutating func advance() {
    if index < tokens.count - 1 { index += 1 }
  }

  func error(_ message: String, at position: Int) -> ExpressionError {
    ExpressionError(layer: layer, field: field, position: position, message: message)
  }

  /// How a token reads in a message: `'('`, `dport`, `192.0.2.1`, `the end`.
  func describe(_ token: Token) -> String {
    switch token.kind {
    case .end: "the end"
    case .word, .literal, .invalid: token.text
    default: "'\(token.text)'"
    }
  }

  static func startsValue(_ token: Token) -> Bool {
    switch token.kind {
    case .word, .literal, .leftParen, .leftBracket: true
    default: false
    }
  }

  // MARK: - Layers

  mutating func parseExpression() throws(ExpressionError) -> PacketExpression {
    let first = try peek()
    switch first.kind {
    case .end: throw error("empty expression", at: 0)
    case .slash:
      throw error("unexpected '/' at the start: a layer must come first", at: first.position)
    default: break
    }
    var layers: [LayerExpression] = []
    while true {
      let parsed = try parseLayer()
      layers.append(parsed)
      let token = try peek()
      switch token.kind {
      case .end:
        return PacketExpression(layers: layers, source: source)
      case .slash:
        advance()
        let next = try peek()
        switch next.kind {
        case .word: continue
        case .end:
          throw error("unexpected '/' at the end: a layer must follow", at: token.position)
        case .slash:
          throw error("unexpected '/' after '/': a layer must come between them", at: next.position)
        default:
          throw error("expected a layer name after '/', found \(describe(next))", at: next.position)
        }
      case .word:
        throw error("expected '/' between layers", at: token.position)
      case .rightParen:
        throw error("unbalanced ')'", at: token.position)
      case .rightBracket:
        throw error("unbalanced ']'", at: token.position)
      default:
        throw error(
          "unexpected \(describe(token)) after the layer \(parsed.name)", at: token.position)
      }
    }
  }

  mutating func parseLayer() throws(ExpressionError) -> LayerExpression {
    let nameToken = try peek()
    guard case .word(let name) = nameToken.kind else {
      throw error("expected a layer name, found \(describe(nameToken))", at: nameToken.position)
    }
    advance()
    var result = LayerExpression(name: name, position: nameToken.position, fields: [])
    guard case .leftParen = try peek().kind else { return result }
    advance()
    layer = name
    defer { layer = nil }
    var seen = Set<String>()
    while true {
      let token = try peek()
      var bareWord: String?
      switch token.kind {
      case .rightParen:
        advance()
        return result
      case .end:
        throw error("expected ')' after the fields of \(name)", at: token.position)
      case .rightBracket:
        throw error("unbalanced ']'", at: token.position)
      case .comma:
        throw error("expected a field or a value, found ','", at: token.position)
      case .equals:
        throw error("expected a field name before '='", at: token.position)
      case .word(let fieldName) where lookahead(1) == .equals:
        result.fields.append(try parseField(named: fieldName, at: token.position, seen: &seen))
      default:
        let value = try parseValue()
        if result.positional != nil {
          throw error("more than one positional value", at: value.position)
        }
        result.positional = value
        if case .word(let word) = value.kind { bareWord = word }
      }
      let next = try peek()
      switch next.kind {
      case .comma:
        advance()
      case .rightParen:
        advance()
        return result
      case .rightBracket:
        throw error("unbalanced ']'", at: next.position)
      case .equals:
        throw error("expected a field name before '='", at: next.position)
      default:
        if let bareWord, Self.startsValue(next) {
          throw error("expected '=' after \(bareWord)", at: next.position)
        }
        throw error("expected ')' after the fields of \(name)", at: next.position)
      }
    }
  }

  /// `name=value`, the name token current; checks it is not given twice.
  mutating func parseField(named name: String, at position: Int, seen: inout Set<String>)
    throws(ExpressionError) -> FieldExpression
  {
    guard seen.insert(name).inserted else {
      throw error("field \(name) given twice", at: position)
    }
    advance()  // name
    advance()  // '='
    let outerField = field
    if field == nil { field = name }
    defer { field = outerField }
    return FieldExpression(name: name, position: position, value: try parseValue())
  }
}
