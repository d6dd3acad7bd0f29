extension DecodedFrame {
  /// Emits the frame again from its decoded headers (DESIGN.md decision 3: byte-exact round trip).
  ///
  /// Each complete layer is re-encoded from its fields; options, extension-header bodies,
  /// payloads, padding and the bytes of truncated or malformed layers come from `bytes`.
  /// For every frame the result equals `bytes`; `encodedByFields` counts how many bytes
  /// were written from decoded fields rather than copied.
  public func encode(from bytes: Span<UInt8>) -> (bytes: [UInt8], encodedByFields: Int) {
    var writer = ByteWriter(capacity: bytes.count)
    var fromFields = 0
    var cursor = 0
    func copy(_ range: Range<Int>, into writer: inout ByteWriter) {
      for index in range where index < bytes.count { writer.writeU8(bytes[index]) }
    }
    for index in 0..<count {
      let layer = self[index]
      if layer.range.lowerBound > cursor { copy(cursor..<layer.range.lowerBound, into: &writer) }
      let before = writer.count
      if layer.status.isComplete {
        switch layer.header {
        case .ethernet(let header): header.encode(into: &writer)
        case .vlan(let tag): tag.encode(into: &writer)
        case .sll(let header): header.encode(into: &writer)
        case .null(let header): header.encode(into: &writer)
        case .arp(let message):
          message.encode(into: &writer, addresses: bytes.extracting(message.addressesRange))
        case .ipv4(let header):
          header.encode(into: &writer, options: bytes.extracting(header.optionsRange))
        case .ipv6(let header):
          header.encode(into: &writer)
          IPv6ExtensionHeader.forEach(
            in: bytes, range: header.extensionsRange, first: header.nextHeader
          ) { ext in
            ext.encode(into: &writer, body: bytes.extracting(ext.bodyRange))
            return true
          }
        case .tcp(let header):
          header.encode(into: &writer, options: bytes.extracting(header.optionsRange))
        case .udp(let header): header.encode(into: &writer)
        case .icmp(let message): message.encode(into: &writer)
        case .icmpv6(let message): message.encode(into: &writer)
        case .raw: copy(layer.range, into: &writer)
        case .http, .tls: copy(layer.range, into: &writer)
        case .mpls(let entry): writer.writeBE32(entry.entry)
        case .gre, .vxlan, .igmp: copy(layer.range, into: &writer)
        // Application layers keep only a summary of their fields: their bytes are copied.
        case .dhcp, .dhcpv6, .ntp, .dns: copy(layer.range, into: &writer)
        }
        if layer.header.isEncodedFromFields { fromFields += writer.count - before }
      } else {
        copy(layer.range, into: &writer)
      }
      cursor = layer.range.lowerBound + (writer.count - before)
    }
    if cursor < bytes.count { copy(cursor..<bytes.count, into: &writer) }
    return (writer.bytes, fromFields)
  }
}
