/// One field of a layer as crafting expressions name it (CONTRACT.md vocabulary).
struct FieldSpec: Sendable {
  /// The contract name (`src_port`).
  let name: String
  /// Other accepted names (`sport`).
  let aliases: [String]
  /// What the field takes.
  let type: FieldType
  /// Writes a value into the layer.
  let apply: @Sendable (inout StackLayer, FieldValue) -> Void

  func matches(_ written: String) -> Bool { name == written || aliases.contains(written) }
}

/// A layer's names and fields, in scapy's field order (which decides the expansion order:
/// the first field varies fastest, as in scapy).
struct LayerSchema: Sendable {
  let name: String
  let aliases: [String]
  let fields: [FieldSpec]
  let make: @Sendable () -> StackLayer
  /// Fields `read --json` prints for this layer that crafting does not take (computed when
  /// building); `--expect` compares them and `--from-json` accepts and ignores them.
  let readOnlyFields: [(name: String, type: FieldType)]

  init(
    name: String, aliases: [String], fields: [FieldSpec],
    readOnly: [(name: FieldName, type: FieldType)]? = nil,
    make: @escaping @Sendable () -> StackLayer
  ) {
    self.name = name
    self.aliases = aliases
    self.fields = fields
    self.make = make
    readOnlyFields = readOnly?.map { ($0.name.string, $0.type) } ?? Self.readOnlyFields(of: name)
  }

  func matches(_ written: String) -> Bool { name == written || aliases.contains(written) }

  func field(named written: String) -> (index: Int, spec: FieldSpec)? {
    for (index, spec) in fields.enumerated() where spec.matches(written) { return (index, spec) }
    return nil
  }

  /// `src_port, dst_port, ...`.
  var fieldList: String { fields.map(\.name).joined(separator: ", ") }

  static func readOnlyFields(of name: String) -> [(name: String, type: FieldType)] {
    let verdict = ("checksum_valid", FieldType.bool)
    let payload = ("payload_length", FieldType.integer(max: 0xFFFF))
    switch name {
    case "icmp", "icmpv6": return [verdict]
    case "tcp", "udp": return [verdict, payload]
    default: return []
    }
  }
}

extension FieldType {
  static let u8 = FieldType.integer(max: 0xFF)
  static let u16 = FieldType.integer(max: 0xFFFF)
  static let u32 = FieldType.integer(max: 0xFFFF_FFFF)
}

/// A field named `name` (and `aliases`) whose setter works on a concrete layer type.
func spec<L: PacketLayer>(
  _ name: FieldName, _ type: FieldType, _ set: @escaping @Sendable (inout L, FieldValue) -> Void
) -> FieldSpec {
  spec(name.string, [], type, set)
}

/// A field with other accepted names (`src_port`, also `sport`).
func spec<L: PacketLayer>(
  _ name: FieldName, _ aliases: [String], _ type: FieldType,
  _ set: @escaping @Sendable (inout L, FieldValue) -> Void
) -> FieldSpec {
  spec(name.string, aliases, type, set)
}

/// Builds a field whose setter works on a concrete layer type.
private func spec<L: PacketLayer>(
  _ name: String, _ type: FieldType, _ set: @escaping @Sendable (inout L, FieldValue) -> Void
) -> FieldSpec {
  spec(name, [], type, set)
}

private func spec<L: PacketLayer>(
  _ name: String, _ aliases: [String], _ type: FieldType,
  _ set: @escaping @Sendable (inout L, FieldValue) -> Void
) -> FieldSpec {
  FieldSpec(name: name, aliases: aliases, type: type) { layer, value in
    guard var typed = L(layer) else { return }
    set(&typed, value)
    layer = typed.stackLayer
  }
}

private let u8 = FieldType.integer(max: 0xFF)
private let u16 = FieldType.integer(max: 0xFFFF)
private let u32 = FieldType.integer(max: 0xFFFF_FFFF)

extension LayerSchema {
  /// The schema named `written` (a name or an alias).
  static func named(_ written: String) -> LayerSchema? { all.first { $0.matches(written) } }

  static let ipv6 = LayerSchema(
    name: "ipv6", aliases: [],
    fields: [
      spec("traffic_class", u8) { (l: inout IPv6, v) in l.trafficClass = v.u8 },
      spec("flow_label", .integer(max: 0xF_FFFF)) { (l: inout IPv6, v) in l.flowLabel = v.u32 },
      spec("payload_length", u16) { (l: inout IPv6, v) in l.payloadLength = v.u16 },
      spec("next_header", u8) { (l: inout IPv6, v) in l.nextHeader = v.u8 },
      spec("hop_limit", u8) { (l: inout IPv6, v) in l.hopLimit = v.u8 },
      spec("src", .ipv6) { (l: inout IPv6, v) in l.src = v.ipv6 },
      spec("dst", .ipv6) { (l: inout IPv6, v) in l.dst = v.ipv6 },
      spec("extensions", .extensions) { (l: inout IPv6, v) in
        if case .extensions(let list) = v { l.extensions = list }
      },
    ], make: { .ipv6(IPv6()) })

  static let tcp = LayerSchema(
    name: "tcp", aliases: [],
    fields: [
      spec("src_port", ["sport"], u16) { (l: inout TCP, v) in l.srcPort = v.u16 },
      spec("dst_port", ["dport"], u16) { (l: inout TCP, v) in l.dstPort = v.u16 },
      spec("seq", u32) { (l: inout TCP, v) in l.seq = v.u32 },
      spec("ack", u32) { (l: inout TCP, v) in l.ack = v.u32 },
      spec("header_length", .integer(max: 60)) { (l: inout TCP, v) in l.headerLength = v.int },
      spec("flags", .tcpFlags) { (l: inout TCP, v) in l.flags = TCPFlags(rawValue: v.u16) },
      spec("window", u16) { (l: inout TCP, v) in l.window = v.u16 },
      spec("checksum", u16) { (l: inout TCP, v) in l.checksum = v.u16 },
      spec("urgent", u16) { (l: inout TCP, v) in l.urgent = v.u16 },
      spec("options", .tcpOptions) { (l: inout TCP, v) in
        if case .tcpOptions(let list) = v { l.options = list }
      },
    ], make: { .tcp(TCP()) })

  static let icmp = LayerSchema(
    name: "icmp", aliases: [],
    fields: [
      spec("type", u8) { (l: inout ICMP, v) in l.type = v.u8 },
      spec("code", u8) { (l: inout ICMP, v) in l.code = v.u8 },
      spec("checksum", u16) { (l: inout ICMP, v) in l.checksum = v.u16 },
      spec("rest", u32) { (l: inout ICMP, v) in l.rest = v.u32 },
      spec("id", u16) { (l: inout ICMP, v) in l.id = v.u16 },
      spec("seq", u16) { (l: inout ICMP, v) in l.seq = v.u16 },
    ], make: { .icmp(ICMP()) })

  static let icmpv6 = LayerSchema(
    name: "icmpv6", aliases: [],
    fields: [
      spec("type", u8) { (l: inout ICMPv6, v) in l.type = v.u8 },
      spec("code", u8) { (l: inout ICMPv6, v) in l.code = v.u8 },
      spec("checksum", u16) { (l: inout ICMPv6, v) in l.checksum = v.u16 },
      spec("rest", u32) { (l: inout ICMPv6, v) in l.rest = v.u32 },
      spec("id", u16) { (l: inout ICMPv6, v) in l.id = v.u16 },
      spec("seq", u16) { (l: inout ICMPv6, v) in l.seq = v.u16 },
      spec("target", .ipv6) { (l: inout ICMPv6, v) in l.target = v.ipv6 },
      spec("options", .ndOptions) { (l: inout ICMPv6, v) in
        if case .ndOptions(let list) = v { l.ndOptions = list }
      },
    ], make: { .icmpv6(ICMPv6()) })
}
