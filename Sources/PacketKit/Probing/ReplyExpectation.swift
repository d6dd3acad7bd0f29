/// What a reply must hold: `rawtool probe --expect EXPR`.
///
/// The reply must hold the layers of the expression in order (other layers may come before,
/// between and after them), each with every field the expression gives equal to the reply's.
/// Names are the contract's, as in crafting expressions and in `read --json`: `tcp(flags=SA)`
/// means `tcp.flags == 0x012` exactly; `icmp(type=3, code=3)`;
/// `ipv4(src=192.0.2.2) / tcp(flags=SA)`. Values are written as when crafting (TCP flags as
/// letters, addresses, `0x...` bytes); a list or range means "any of":
/// `tcp(flags=[SA, RA])`, `icmp(type=0-3)`, `ipv4(src=192.0.2.0/24)`.
///
/// The fields compared are those `read --json` prints for the reply, so besides every field
/// a packet can be crafted with, an expectation may give `checksum_valid` (IPv4, TCP, UDP,
/// ICMP, ICMPv6), `payload_length` (TCP, UDP) and `length` (`raw`). Lists compare whole:
/// TCP `options` and ICMPv6 `options` element by element; IPv6 `extensions` by header kind
/// and, in each, the fields given. A field the reply does not carry (`id` of an ICMP message
/// that has none, a truncated layer's missing bytes) is not equal. A `raw` layer's `hex`
/// must equal the payload bytes.
///
/// A layer inside the datagram an ICMP or ICMPv6 error quotes counts only after the error
/// message itself was matched: `tcp(flags=SA)` is not met by an error quoting a SYN, but
/// `icmp(type=3) / udp(dport=53)` looks into the quote.
public struct ReplyExpectation: Sendable {
  /// One layer to find, with the fields to compare.
  struct ExpectedLayer: Sendable {
    /// The contract name (`eth`, `ipv4`, ...).
    let name: String
    let kind: LayerKind
    let fields: [ExpectedField]
  }

  /// One field to compare.
  struct ExpectedField: Sendable {
    /// The contract name, which is the JSON key (`src_port`).
    let name: String
    let value: ExpectedValue
  }

  /// What a field must be.
  enum ExpectedValue: Sendable {
    /// One of the values (a single value, a list, ranges, prefixes).
    case choices(FieldChoices, FieldType)
    case bytes([UInt8])
    case tcpOptions([TCPOptionSpec])
    case ndOptions([NDOptionSpec])
    /// The headers, each with the names of the fields given for it.
    case extensions([(header: IPv6Extension, given: Set<String>)])
  }

  let layers: [ExpectedLayer]
  /// The expression's text.
  public let source: String

  /// An expectation from a parsed expression.
  ///
  /// - Throws: `ExpressionError` naming the layer, the field and the position of an unknown
  ///   layer or field, a value the field cannot take, or `random`.
  public init(_ expression: PacketExpression) throws(ExpressionError) {
    var layers: [ExpectedLayer] = []
    for layer in expression.layers {
      guard let schema = LayerSchema.named(layer.name), let kind = Self.kind(of: schema.name)
      else {
        throw ExpressionError(
          layer: layer.name, position: layer.position,
          message:
            "unknown layer \(layer.name); layers: \(LayerSchema.all.map(\.name).joined(separator: ", "))"
        )
      }
      var fields = layer.fields
      if let positional = layer.positional {
        guard schema.name == "raw" else {
          throw ExpressionError(
            layer: layer.name, position: positional.position,
            message:
              "takes fields as name=value; fields of \(schema.name): \(Self.fieldList(schema))")
        }
        fields.insert(
          FieldExpression(
            name: FieldName.hex.string, position: positional.position, value: positional), at: 0)
      }
      var expected: [ExpectedField] = []
      for field in fields {
        guard let (name, type) = Self.field(named: field.name, in: schema) else {
          throw ExpressionError(
            layer: layer.name, field: field.name, position: field.position,
            message:
              "unknown field \(field.name); fields of \(schema.name): \(Self.fieldList(schema))")
        }
        guard !(Self.unreadableFields[schema.name]?.contains(name) ?? false) else {
          throw ExpressionError(
            layer: layer.name, field: field.name, position: field.position,
            message: "\(name) cannot be expected: read --json does not show it")
        }
        guard !expected.contains(where: { $0.name == name }) else {
          throw ExpressionError(
            layer: layer.name, field: field.name, position: field.position,
            message: "field \(name) is given twice")
        }
        let conversion = ValueConversion(layer: layer.name, field: field.name)
        let value: ExpectedValue
        switch type {
        case .bytes: value = .bytes(try conversion.bytes(field.value))
        case .ipv4Options:
          // read --json prints the header's option bytes, padding included.
          let options = try conversion.ipv4Options(field.value)
          value = .bytes(options + repeatElement(0, count: (4 - options.count % 4) % 4))
        case .tcpOptions: value = .tcpOptions(try conversion.tcpOptions(field.value))
        case .ndOptions: value = .ndOptions(try conversion.ndOptions(field.value))
        case .extensions:
          let headers = try conversion.extensions(field.value)
          let given = conversion.items(field.value).map { item -> Set<String> in
            guard case .call(_, let fields) = item.kind else { return [] }
            return Set(fields.map(\.name))
          }
          value = .extensions(Array(zip(headers, given)))
        default:
          let choices = try conversion.choices(field.value, type)
          guard !choices.isRandom else {
            throw conversion.fail(field.value, "random cannot be expected")
          }
          value = .choices(choices, type)
        }
        expected.append(ExpectedField(name: name, value: value))
      }
      layers.append(ExpectedLayer(name: schema.name, kind: kind, fields: expected))
    }
    self.layers = layers
    source = expression.source
  }

  /// An expectation from its text (`tcp(flags=SA)`).
  ///
  /// - Throws: `ExpressionError` for a syntax error, or as `init(_:)`.
  public init(parsing text: String) throws(ExpressionError) {
    try self.init(ExpressionParser.parse(text))
  }

  /// Whether `frame` holds what the expectation asks.
  public func isMet(by frame: DecodedFrame, bytes: Span<UInt8>) -> Bool {
    mismatch(in: frame, bytes: bytes) == nil
  }

  /// Why `frame` does not meet the expectation, in one line
  /// (`tcp.flags is 0x014 (RA), expected 0x012 (SA)`; `no tcp layer in eth:ipv4:icmp`), or
  /// nil when it does.
  ///
  /// - Parameters:
  ///   - frame: the reply as `FrameDecoder` decoded it from `bytes`.
  ///   - bytes: the reply's captured bytes.
  public func mismatch(in frame: DecodedFrame, bytes: Span<UInt8>) -> String? {
    var next = 0
    var insideError = false
    var previous: String? = nil
    for expected in layers {
      var firstReason: String? = nil
      var found: Int? = nil
      var skippedQuote = false
      var index = next
      while index < frame.count {
        defer { index += 1 }
        guard frame.kind(at: index) == expected.kind else { continue }
        if frame[index].isQuoted && !insideError {
          skippedQuote = true
          continue
        }
        let object = Self.fields(ofLayer: index, in: frame, bytes: bytes)
        if let reason = mismatch(expected, object) {
          if firstReason == nil { firstReason = reason }
          continue
        }
        found = index
        break
      }
      guard let found else {
        if let firstReason { return firstReason }
        var protocols = TextBuffer(capacity: 128)
        frame.writeProtocols(to: &protocols)
        let after = previous.map { " after \($0)" } ?? ""
        let quote = skippedQuote ? " (only inside an ICMP error's quote)" : ""
        return "no \(expected.name) layer\(after) in \(protocols.string)\(quote)"
      }
      previous = expected.name
      if expected.kind == .icmp || expected.kind == .icmpv6 { insideError = true }
      next = found + 1
    }
    return nil
  }

  /// The first field of `expected` that `object` (a layer as `read --json` prints it) does
  /// not hold, as a reason.
  func mismatch(_ expected: ExpectedLayer, _ object: JSONValue) -> String? {
    for field in expected.fields {
      let label = "\(expected.name).\(field.name)"
      guard let actual = Self.value(of: field.name, in: object, layer: expected.name) else {
        return "\(label) is absent, expected \(Self.describe(field.value))"
      }
      if !Self.matches(actual, field.value) {
        return
          "\(label) is \(Self.describe(actual, like: field.value)), expected \(Self.describe(field.value))"
      }
    }
    return nil
  }

  /// The layer at `index` as `read --json --hex` prints it.
  static func fields(ofLayer index: Int, in frame: DecodedFrame, bytes: Span<UInt8>) -> JSONValue {
    var out = TextBuffer(capacity: 1024)
    JSONFormatter(includeHex: true).writeLayer(at: index, of: frame, bytes: bytes, to: &out)
    return (try? JSONParser.parse(out.string)) ?? .object([])
  }

  /// The decoded layer kind of a crafting layer.
  static func kind(of name: String) -> LayerKind? {
    LayerKind.allCases.first { "\($0.name)" == name }
  }

  /// The contract name and type of the field written `name` in `schema`'s layer.
  static func field(named name: String, in schema: LayerSchema) -> (String, FieldType)? {
    if let (_, spec) = schema.field(named: name) { return (spec.name, spec.type) }
    if let extra = schema.readOnlyFields.first(where: { $0.name == name }) {
      return (extra.name, extra.type)
    }
    return nil
  }

  /// `src_port, dst_port, ..., checksum_valid, payload_length`.
  static func fieldList(_ schema: LayerSchema) -> String {
    (schema.fields.map(\.name) + schema.readOnlyFields.map(\.name))
      .joined(separator: ", ")
  }
}
