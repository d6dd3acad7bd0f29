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
    switch name {
    case "ipv4": return [verdict]
    case "raw": return [("length", .integer(max: 0xFFFF_FFFF))]
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

  static let ethernet = LayerSchema(
    name: "eth", aliases: ["ether"],
    fields: [
      spec("dst", .mac) { (l: inout Ethernet, v) in l.dst = v.mac },
      spec("src", .mac) { (l: inout Ethernet, v) in l.src = v.mac },
      spec("type", ["length"], u16) { (l: inout Ethernet, v) in l.type = v.u16 },
    ], make: { .ethernet(Ethernet()) })

  static let vlan = LayerSchema(
    name: "vlan", aliases: ["dot1q"],
    fields: [
      spec("pcp", .integer(max: 7)) { (l: inout VLAN, v) in l.pcp = v.u8 },
      spec("dei", .bool) { (l: inout VLAN, v) in l.dei = v.bool },
      spec("id", .integer(max: 4095)) { (l: inout VLAN, v) in l.id = v.u16 },
      spec("type", u16) { (l: inout VLAN, v) in l.type = v.u16 },
      spec("tpid", u16) { (l: inout VLAN, v) in l.tpid = v.u16 },
    ], make: { .vlan(VLAN()) })

  static let arp = LayerSchema(
    name: "arp", aliases: [],
    fields: [
      spec("hardware_type", u16) { (l: inout ARP, v) in l.hardwareType = v.u16 },
      spec("protocol_type", u16) { (l: inout ARP, v) in l.protocolType = v.u16 },
      spec("hardware_length", u8) { (l: inout ARP, v) in l.hardwareLength = v.u8 },
      spec("protocol_length", u8) { (l: inout ARP, v) in l.protocolLength = v.u8 },
      spec("op", u16) { (l: inout ARP, v) in l.op = v.u16 },
      spec("sender_mac", .mac) { (l: inout ARP, v) in l.senderMAC = v.mac },
      spec("sender_ip", .ipv4) { (l: inout ARP, v) in l.senderIP = v.ipv4 },
      spec("target_mac", .mac) { (l: inout ARP, v) in l.targetMAC = v.mac },
      spec("target_ip", .ipv4) { (l: inout ARP, v) in l.targetIP = v.ipv4 },
    ], make: { .arp(ARP()) })

  static let ipv4 = LayerSchema(
    name: "ipv4", aliases: ["ip"],
    fields: [
      spec("header_length", .integer(max: 60)) { (l: inout IPv4, v) in l.headerLength = v.int },
      spec("tos", u8) { (l: inout IPv4, v) in l.tos = v.u8 },
      spec("total_length", u16) { (l: inout IPv4, v) in l.totalLength = v.u16 },
      spec("id", u16) { (l: inout IPv4, v) in l.id = v.u16 },
      spec("df", .bool) { (l: inout IPv4, v) in l.df = v.bool },
      spec("mf", .bool) { (l: inout IPv4, v) in l.mf = v.bool },
      spec("fragment_offset", .integer(max: 0x1FFF * 8)) { (l: inout IPv4, v) in
        l.fragmentOffset = v.int
      },
      spec("ttl", u8) { (l: inout IPv4, v) in l.ttl = v.u8 },
      spec("protocol", u8) { (l: inout IPv4, v) in l.protocol = v.u8 },
      spec("checksum", u16) { (l: inout IPv4, v) in l.checksum = v.u16 },
      spec("src", .ipv4) { (l: inout IPv4, v) in l.src = v.ipv4 },
      spec("dst", .ipv4) { (l: inout IPv4, v) in l.dst = v.ipv4 },
      spec("options", .bytes) { (l: inout IPv4, v) in l.options = v.bytes },
    ], make: { .ipv4(IPv4()) })

  static let payload = LayerSchema(
    name: "raw", aliases: ["payload"],
    fields: [
      spec("hex", ["load"], .bytes) { (l: inout Payload, v) in l.bytes = v.bytes }
    ], make: { .payload(Payload()) })
}
