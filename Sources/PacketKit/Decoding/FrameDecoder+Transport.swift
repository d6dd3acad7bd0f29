/// What the transport protocols' decoders share (Protocols/): payload lengths and the
/// checksums of TCP, UDP and ICMPv6.
extension Walk {
  /// Payload length from the headers, capped at the frame's wire length.
  func cappedPayload(from offset: Int, declaredEnd: Int, headerLength: Int) -> Int {
    max(0, min(declaredEnd, frame.wireLength) - offset - headerLength)
  }

  /// Verifies a TCP, UDP or ICMPv6 checksum over `segment`, when all of it is available and
  /// the datagram is not a fragment.
  @inline(__always)
  func transportChecksum(
    _ bytes: Span<UInt8>, _ segment: Range<Int>, available: Int, pseudo: PseudoHeader, proto: UInt8,
    fragment: Bool
  ) -> Bool? {
    guard verify else { return nil }
    return verifiedTransportChecksum(
      bytes, segment, available: available, pseudo: pseudo, proto: proto, fragment: fragment)
  }

  /// `transportChecksum`'s sum, apart so that the check of `verify` is inlined where it is
  /// asked and the rest (the pseudo-header, the sum) is not.
  func verifiedTransportChecksum(
    _ bytes: Span<UInt8>, _ segment: Range<Int>, available: Int, pseudo: PseudoHeader, proto: UInt8,
    fragment: Bool
  ) -> Bool? {
    guard !fragment, segment.upperBound <= available, segment.upperBound <= bytes.count
    else { return nil }
    var sum = InternetChecksum()
    switch pseudo {
    case .none: return nil
    case .v4(let src, let dst):
      sum.addPseudoHeader(src: src, dst: dst, protocol: proto, length: segment.count)
    case .v6(let src, let dst):
      sum.addPseudoHeader(src: src, dst: dst, nextHeader: proto, length: segment.count)
    }
    sum.add(bytes.extracting(segment))
    return sum.isValid
  }
}
