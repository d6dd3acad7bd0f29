/// `--from-json` by a layer's schema: each member of a `read --json` layer object sets the
/// field of that name, so a protocol's JSON import needs no code of its own beyond its
/// schema (and its structured fields' `fromJSON`).
extension LayerSchema {
  /// The builder layer `layer` describes. Read-only fields (`checksum_valid`,
  /// `payload_length`, ...) are accepted and ignored; any other unknown key is an error.
  func imported(from layer: JSONLayer) throws(JSONPacketError) -> StackLayer {
    let known = fields.flatMap { [$0.name] + $0.aliases } + readOnlyFields.map(\.name)
    try layer.checkKeys(known)
    guard case .object(let pairs) = layer.object else { throw layer.fail(nil, "expects an object") }
    var built = make()
    if case .payload = built, !layer.has(FieldName.hex.string) {
      // A read-only layer (http, tls) is rebuilt from its bytes.
      throw layer.fail(FieldName.hex.string, "is missing: read the packets with --json --hex")
    }
    for pair in pairs {
      guard let (_, spec) = field(named: pair.key) else { continue }
      spec.apply(&built, try spec.type.value(of: pair.value, key: pair.key, in: layer))
    }
    return built
  }
}

extension FieldType {
  /// The field value a JSON member holds, checked as the field requires.
  func value(of json: JSONValue, key: String, in layer: JSONLayer) throws(JSONPacketError)
    -> FieldValue
  {
    switch self {
    case .integer(let max): return .integer(try layer.integer(key, max: max) ?? 0)
    case .tcpFlags: return .integer(try layer.integer(key, max: 0xFFF) ?? 0)
    case .bool: return .bool(try layer.bool(key) ?? false)
    case .mac: return .mac(try layer.mac(key) ?? .zero)
    case .ipv4: return .ipv4(try layer.ipv4(key) ?? .any)
    case .ipv6: return .ipv6(try layer.ipv6(key) ?? .unspecified)
    case .bytes: return .bytes(try layer.hex(key) ?? [])
    case .ipv4Options: return .bytes(try layer.ipv4Options(key))
    case .structured(let shape): return .structured(try shape.fromJSON(json, layer, key))
    case .tcpOptions, .extensions, .ndOptions:
      throw layer.fail(key, "has no generic JSON form")
    }
  }
}
