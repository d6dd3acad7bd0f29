/// The layers and fields crafting expressions take, read from the same tables the crafter
/// builds from, so help texts and documents listing them cannot drift from what is accepted.
///
/// ```swift
/// for layer in ExpressionVocabulary.layers {
///   print(layer.name, layer.fields.map(\.name))
/// }
/// ```
public enum ExpressionVocabulary {
  /// One layer an expression can name (`tcp`), in the order the crafter knows them.
  public struct Layer: Sendable, Hashable {
    /// The layer's name (`eth`).
    public let name: String
    /// Other accepted names (`ether`).
    public let aliases: [String]
    /// The fields an expression can set, in the order that decides expansion (the first
    /// varies fastest).
    public let fields: [Field]
    /// Fields `read --json` prints for this layer that are computed when building
    /// (`checksum_valid`, `payload_length`).
    public let readOnlyFields: [String]
  }

  /// One field of a layer.
  public struct Field: Sendable, Hashable {
    /// The field's name (`src_port`).
    public let name: String
    /// Other accepted names (`sport`).
    public let aliases: [String]
    /// What the field takes, in words (`an integer in 0...65535`, `an IPv4 address`).
    public let takes: String
  }

  /// Every layer, with its fields.
  public static let layers: [Layer] = LayerSchema.all.map { schema in
    Layer(
      name: schema.name, aliases: schema.aliases,
      fields: schema.fields.map { Field(name: $0.name, aliases: $0.aliases, takes: $0.type.takes) },
      readOnlyFields: schema.readOnlyFields.map(\.name))
  }

  /// One line per layer, `name (aliases): field (alias), field, ...`, each after `indent`,
  /// for a help text.
  public static func summary(indent: String = "") -> String {
    var text = ""
    text.reserveCapacity(2048)
    for layer in layers {
      if !text.isEmpty { text += "\n" }
      text += indent
      text += layer.name
      appendAliases(layer.aliases, to: &text)
      text += ":"
      for (index, field) in layer.fields.enumerated() {
        text += index == 0 ? " " : ", "
        text += field.name
        appendAliases(field.aliases, to: &text)
      }
    }
    return text
  }

  /// ` (a, b)` when there are aliases.
  private static func appendAliases(_ aliases: [String], to text: inout String) {
    guard !aliases.isEmpty else { return }
    text += " ("
    for (index, alias) in aliases.enumerated() {
      if index > 0 { text += ", " }
      text += alias
    }
    text += ")"
  }

  /// A Markdown section per layer: a table of its fields and what each takes, then the
  /// fields that are read-only.
  public static var markdownReference: String {
    var text = ""
    for layer in layers {
      text += "### `\(layer.name)`"
      if !layer.aliases.isEmpty {
        text += " (also " + layer.aliases.map { "`\($0)`" }.joined(separator: ", ") + ")"
      }
      text += "\n\n| field | also | takes |\n|---|---|---|\n"
      for field in layer.fields {
        let aliases = field.aliases.map { "`\($0)`" }.joined(separator: ", ")
        text += "| `\(field.name)` | \(aliases) | \(field.takes) |\n"
      }
      if !layer.readOnlyFields.isEmpty {
        text += "\nRead-only (printed by `read --json`, computed when building): "
        text += layer.readOnlyFields.map { "`\($0)`" }.joined(separator: ", ") + ".\n"
      }
      text += "\n"
    }
    return text
  }
}

extension FieldType {
  /// What a field of this type takes, in words.
  var takes: String {
    switch self {
    case .integer(let max): "an integer in 0...\(max)"
    case .tcpFlags: "TCP flags: letters F S R P A U E C N, or an integer"
    case .mac: "a MAC address"
    case .ipv4: "an IPv4 address"
    case .ipv6: "an IPv6 address"
    case .bool: "true or false"
    case .bytes: "bytes: a quoted string or 0x... hex"
    case .tcpOptions:
      "a list of TCP options: mss=N, nop, window_scale=N, sack_permitted, timestamp=(V,E), sack=[(L,R)], unknown=(CODE,0x...), eol"
    case .ipv4Options:
      "IPv4 options: a list of eol, nop, rr=[ADDR, ...], lsrr=[ADDR, ...], ssrr=[ADDR, ...], ts, ra, unknown=(CODE, 0x...); or 0x... hex"
    case .extensions:
      "a list of extension headers: hop_by_hop(hex=0x...), routing(routing_type=N, segments_left=N, addresses=[ADDR, ...] or hex=0x...), fragment(fragment_offset=N, mf=B, id=N), destination(hex=0x...), ah(hex=0x...), mobility(hex=0x...)"
    case .ndOptions:
      "a list of neighbour discovery options: source_mac=MAC, target_mac=MAC, mtu=N, (TYPE, MAC) or (TYPE, 0x...)"
    case .structured(let type): type.description
    }
  }
}
