/// `--from-json` for ICMPv6: the fields by name as the schema has them, the neighbour-discovery
/// options list, and the target of a message whose body `read` printed as `raw`.
extension JSONPacketConverter {
  /// ICMPv6; returns true when the following `raw` layer was taken in (neighbour discovery).
  mutating func icmpv6(_ layer: JSONLayer, next: JSONLayer?) throws(JSONPacketError) -> Bool {
    try layer.checkKeys([
      FieldName.type.string, FieldName.code.string, FieldName.checksum.string,
      FieldName.checksumValid.string, FieldName.id.string, FieldName.seq.string,
      FieldName.rest.string, FieldName.target.string, FieldName.options.string,
    ])
    var message = ICMPv6()
    if let type = try layer.u8(FieldName.type.string) { message.type = type }
    if let code = try layer.u8(FieldName.code.string) { message.code = code }
    message.checksum = try layer.u16(FieldName.checksum.string)
    message.rest = try layer.u32(FieldName.rest.string)
    if let id = try layer.u16(FieldName.id.string) { message.id = id }
    if let seq = try layer.u16(FieldName.seq.string) { message.seq = seq }
    guard let next, next.name == "raw" || next.name == "payload" else {
      message.target = try layer.ipv6(FieldName.target.string)
      for (position, item) in (try layer.list(FieldName.options.string) ?? []).enumerated() {
        let option = JSONLayer(
          name: "option", label: "\(layer.label).options[\(position)]", object: item)
        guard let type = try option.u8(FieldName.type.string) else {
          throw option.fail(FieldName.type.string, "is missing")
        }
        if let mac = try option.mac(FieldName.mac.string) {
          message.ndOptions.append(.raw(type: type, bytes: mac.octets))
        } else {
          message.ndOptions.append(
            .raw(type: type, bytes: try option.hex(FieldName.hex.string) ?? []))
        }
      }
      layers.append(.icmpv6(message))
      return false
    }
    guard (135...137).contains(message.type) else {
      layers.append(.icmpv6(message))
      return false
    }
    // The builder writes a target for 135...137: take it from the raw bytes.
    try next.checkKeys([FieldName.length.string, FieldName.hex.string])
    let body = try payloadBytes(next)
    guard body.count >= 16 else {
      throw next.fail(
        nil,
        "a neighbour-discovery message of \(body.count) bytes (less than a target) cannot be rebuilt"
      )
    }
    message.target = IPv6Address(body.span, at: 0)
    layers.append(.icmpv6(message))
    layers.append(.payload(Payload(Array(body[16...]))))
    return true
  }
}
