/// `--from-json` for IPv6: the fields by name as the schema has them and the extension headers
/// (a fragment header: `type` 44, `fragment_offset`, `mf`, `id`).
extension JSONPacketConverter {
  mutating func ipv6(_ layer: JSONLayer, next: JSONLayer?) throws(JSONPacketError) {
    try layer.checkKeys([
      FieldName.trafficClass.string, FieldName.flowLabel.string, FieldName.payloadLength.string,
      FieldName.nextHeader.string, FieldName.hopLimit.string, FieldName.src.string,
      FieldName.dst.string,
      FieldName.extensions.string,
    ])
    var ip = IPv6()
    if let value = try layer.u8(FieldName.trafficClass.string) { ip.trafficClass = value }
    if let value = try layer.integer(FieldName.flowLabel.string, max: 0xF_FFFF) {
      ip.flowLabel = UInt32(value)
    }
    ip.payloadLength = try layer.u16(FieldName.payloadLength.string)
    ip.nextHeader = try layer.u8(FieldName.nextHeader.string)
    ip.hopLimit = try layer.u8(FieldName.hopLimit.string)
    if let src = try layer.ipv6(FieldName.src.string) { ip.src = src }
    ip.dst = try layer.ipv6(FieldName.dst.string)
    let items = try layer.list(FieldName.extensions.string) ?? []
    for (position, item) in items.enumerated() {
      let header = JSONLayer(
        name: "extension", label: "\(layer.label).extensions[\(position)]", object: item)
      try header.checkKeys([
        FieldName.type.string, FieldName.length.string, FieldName.hex.string,
        FieldName.fragmentOffset.string, FieldName.mf.string, FieldName.id.string,
        FieldName.routingType.string, FieldName.segmentsLeft.string,
        FieldName.addresses.string, FieldName.nextHeader.string,
      ])
      guard let type = try header.u8(FieldName.type.string) else {
        throw header.fail(FieldName.type.string, "is missing")
      }
      guard let kind = IPv6Extension.Kind(rawValue: type) else {
        throw header.fail(
          FieldName.type.string,
          "\(type) is not an extension header the builder knows (0, 43, 44, 51, 60, 135)")
      }
      var ext = IPv6Extension(kind: kind)
      ext.nextHeader = try header.u8(FieldName.nextHeader.string)
      if kind == .fragment {
        if let offset = try header.integer(FieldName.fragmentOffset.string, max: 0x1FFF * 8) {
          ext.fragmentOffset = Int(offset)
        }
        if let mf = try header.bool(FieldName.mf.string) { ext.mf = mf }
        if let id = try header.u32(FieldName.id.string) { ext.id = id }
        if let body = try header.hex(FieldName.hex.string), body.count == 6 {
          // The reserved byte is written from the body's first byte; the 2 reserved bits
          // between offset and M travel in the offset's low bits.
          ext.body = [0]
          ext.fragmentOffset = Int(UInt16(body[0]) << 8 | UInt16(body[1])) & ~7
          ext.mf = body[1] & 1 == 1
        }
      } else {
        ext.length = try header.integer(FieldName.length.string, max: 2048).map { Int($0) }
        ext.body = try header.hex(FieldName.hex.string)
        ext.routingType = try header.u8(FieldName.routingType.string)
        ext.segmentsLeft = try header.u8(FieldName.segmentsLeft.string)
        if kind == .routing { try routingAddresses(header, into: &ext) }
      }
      ip.extensions.append(ext)
    }
    if let last = ip.extensions.last, last.nextHeader == nil,
      next?.name == "raw" || next?.name == "payload"
    {
      throw layer.fail(
        FieldName.extensions.string,
        "the last extension header's next header is not in the JSON (raw data follows); give it as next_header"
      )
    }
    layers.append(.ipv6(ip))
  }
}

extension JSONPacketConverter {
  /// A routing header's `addresses`: alone, they make the body (as in expressions); beside
  /// `hex` (as `read --json` prints both), they must be the addresses the hex holds after
  /// its first 6 bytes, so that an edit of one but not the other is not lost silently.
  func routingAddresses(_ header: JSONLayer, into ext: inout IPv6Extension)
    throws(JSONPacketError)
  {
    guard let items = try header.list(FieldName.addresses.string) else { return }
    var addresses: [IPv6Address] = []
    for item in items {
      guard case .string(let text) = item, let address = IPv6Address(text) else {
        throw header.fail(FieldName.addresses.string, "expects a list of IPv6 addresses")
      }
      addresses.append(address)
    }
    guard let body = ext.body else {
      ext.addresses = addresses
      return
    }
    guard body.count >= 6, Array(body[6...]) == addresses.flatMap(\.octets) else {
      throw header.fail(
        FieldName.addresses.string,
        "do not match the addresses in hex: change one and leave the other out")
    }
  }
}
