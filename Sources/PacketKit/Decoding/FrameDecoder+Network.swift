/// What the IPv4 and IPv6 decoders (Protocols/IPv4.swift, Protocols/IPv6/) share.
extension Walk {
  /// Appends an IP header whose fixed part does not fit in what is available: malformed when
  /// the captured version nibble contradicts the header's kind, truncated otherwise.
  mutating func shortIPHeader(
    _ bytes: Span<UInt8>, _ header: LayerHeader, version: UInt8, at offset: Int, needed: Int,
    _ outer: Enclosure
  ) {
    let available = outer.end - offset
    let expected: UInt8 = header.kind == .ipv4 ? 4 : 6
    if available > 0, version != expected {
      let reason: StaticString = expected == 4 ? "not 4" : "not 6"
      append(
        bytes, header, offset..<outer.end,
        .malformed(Malformation(field: FieldName.version.text, reason: reason, value: Int(version)))
      )
    } else {
      truncated(
        bytes, header, at: offset, needed: needed, available: max(0, available), bound: outer.bound)
    }
  }
}
