/// What the decoders of application messages after UDP (DHCP, DHCPv6, NTP) share: whether
/// the capture cut a message short, and the status of a message that ends early.
extension Walk {
  /// The payload length the transport layer just decoded announces (capped at the wire
  /// length): what an application layer would have had, had the capture kept it all.
  var announcedPayload: Int {
    frame.count > 0 ? last.pointee.payloadLength : 0
  }

  /// Appends the application message at `range` that ends before its `needed` bytes:
  /// `truncated` when the capture cut the payload short, else `problem` (`malformed`).
  mutating func appendEndingEarly(
    _ bytes: Span<UInt8>, _ header: LayerHeader, _ range: Range<Int>, needed: Int,
    _ problem: Malformation
  ) {
    let status: LayerStatus =
      announcedPayload > range.count
      ? .truncated(
        Truncation(
          layer: header.kind, needed: needed, available: range.count, offset: range.lowerBound,
          bound: .capture))
      : .malformed(problem)
    append(bytes, header, range, status)
  }
}
