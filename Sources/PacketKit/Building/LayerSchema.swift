/// One field of a layer as crafting expressions name it (`read --json`'s names).
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
    readOnlyFields = readOnly?.map { ($0.name.string, $0.type) } ?? []
  }

  func matches(_ written: String) -> Bool { name == written || aliases.contains(written) }

  func field(named written: String) -> (index: Int, spec: FieldSpec)? {
    for (index, spec) in fields.enumerated() where spec.matches(written) { return (index, spec) }
    return nil
  }

  /// `src_port, dst_port, ...`.
  var fieldList: String { fields.map(\.name).joined(separator: ", ") }
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

extension LayerSchema {
  /// The schema named `written` (a name or an alias).
  static func named(_ written: String) -> LayerSchema? { all.first { $0.matches(written) } }
}
