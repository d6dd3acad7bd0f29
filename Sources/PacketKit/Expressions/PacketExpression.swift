// The syntax tree of a crafting expression (CONTRACT.md "Crafting expressions"):
//
//   eth(src=02:00:00:00:00:01) / ipv4(dst=192.0.2.2, ttl=[1,2,3]) / tcp(dport=20-25, flags=S,
//     options=[mss=1460, nop, timestamp=(100,0)]) / raw("hello")
//
// The parser (Parser.swift) produces it with layer and field names as written (aliases are
// resolved by the builder, which knows each layer's vocabulary) and the position of every
// piece, so any later error can point at the exact column. It carries no meaning: whether
// `[1,2,3]` is a list of values to expand or a list of TCP options is the builder's call.

/// A whole expression: layers stacked with `/`, outermost first.
public struct PacketExpression: Sendable, Hashable {
  /// The layers, outermost first.
  public var layers: [LayerExpression]
  /// The source text the expression was parsed from.
  public var source: String

  /// An expression of `layers`, outermost first, parsed from `source`.
  public init(layers: [LayerExpression], source: String) {
    self.layers = layers
    self.source = source
  }
}

/// One layer: `name(field=value, ...)`, or a bare `name`; `raw("text")` takes a positional value.
public struct LayerExpression: Sendable, Hashable {
  /// The layer name as written (`eth`, `ether`, `ip`, `dot1q`, ...).
  public var name: String
  /// Offset of the name in the source, in characters from 0.
  public var position: Int
  /// Fields in the order written.
  public var fields: [FieldExpression]
  /// A value given without a name (`raw("hello")`, `raw(0x0102)`), if any.
  public var positional: ValueExpression?

  /// A layer named `name` at `position`, with its named and positional fields.
  public init(
    name: String, position: Int, fields: [FieldExpression], positional: ValueExpression? = nil
  ) {
    self.name = name
    self.position = position
    self.fields = fields
    self.positional = positional
  }
}

/// `name=value`.
public struct FieldExpression: Sendable, Hashable {
  /// The field name as written (`sport`, `src_port`, ...).
  public var name: String
  /// Offset of the name in the source.
  public var position: Int
  /// The value.
  public var value: ValueExpression

  /// The field `name=value` at `position`.
  public init(name: String, position: Int, value: ValueExpression) {
    self.name = name
    self.position = position
    self.value = value
  }
}

/// A value with its position in the source.
public struct ValueExpression: Sendable, Hashable {
  /// Offset of the value's first character in the source.
  public var position: Int
  /// What was written.
  public var kind: Kind

  /// A value of `kind` at `position`.
  public init(position: Int, kind: Kind) {
    self.position = position
    self.kind = kind
  }

  /// The forms a value can take. The lexer decides the form from the text alone:
  /// `02:00:00:00:00:01` is a MAC, `192.0.2.1` an IPv4 address, `2001:db8::1` an IPv6
  /// address, `0x0102` hex (an integer and a byte string; the builder decides), `12` an
  /// integer, `true`/`false` booleans, `"text"` a string, `SA` or `nop` a word.
  public indirect enum Kind: Sendable, Hashable {
    /// A decimal integer.
    case integer(UInt64)
    /// `0x...`: the digits as written (even or odd count), so the builder can take it as
    /// an integer or as bytes.
    case hex(String)
    /// A MAC address, `02:00:00:00:00:01`.
    case mac(MACAddress)
    /// An IPv4 address, `192.0.2.1`.
    case ipv4(IPv4Address)
    /// An IPv6 address, `2001:db8::1`.
    case ipv6(IPv6Address)
    /// `true` or `false`.
    case bool(Bool)
    /// A quoted string, escapes (`\"`, `\\`, `\n`, `\t`, `\xHH`) resolved, as UTF-8 bytes.
    case string([UInt8])
    /// A bare word: TCP flag letters (`SA`), option names (`nop`), `random`, `any`.
    case word(String)
    /// `lo-hi` for integers (`20-25`) and addresses (`192.0.2.1-192.0.2.9`).
    case range(ValueExpression, ValueExpression)
    /// `address/prefix`: `192.0.2.0/30`, `2001:db8::/126`.
    case prefix(ValueExpression, Int)
    /// `(a, b, ...)`.
    case tuple([ValueExpression])
    /// `[a, b, ...]`.
    case list([ValueExpression])
    /// `name=value` inside a list: `options=[mss=1460, ...]`.
    case assignment(name: String, value: ValueExpression)
    /// `name(field=value, ...)` inside a list: `extensions=[fragment(id=7)]`.
    case call(name: String, fields: [FieldExpression])
    /// `random(lo-hi)` or `random(address/prefix)`: a value drawn for every packet from the
    /// range or prefix (a range or a prefix inside). Bare `random` is the word `random`,
    /// drawn from the field's whole range.
    case randomIn(ValueExpression)
  }
}
