/// What a TCP, UDP or ICMPv6 checksum takes from the IP layer right above it.
///
/// As scapy (`in4_pseudoheader`, `in6_pseudoheader`): over IPv4 the length is the real
/// segment length, unless the IPv4 total length was given, then total length minus header
/// length; the destination is the last router of a single LSRR/SSRR option when there is
/// one. Over IPv6 the length is always the real one, and the destination is the final one of
/// a routing header with segments left (the last address, the first for a segment routing
/// header).
enum ChecksumContext {
  case v4(src: IPv4Address, dst: IPv4Address, givenLength: Int?)
  case v6(src: IPv6Address, dst: IPv6Address)

  /// The pseudo-header of `layer`, or nil when it is not an IP layer; `upper` is the layer
  /// right under it (which decides IPv6's default destination).
  init?(_ layer: StackLayer?, upper: StackLayer?) {
    switch layer {
    case .ipv4(let ip):
      var length: Int? = nil
      if let total = ip.totalLength {
        length = max(Int(total) - (ip.headerLength ?? ip.computedHeaderLength), 0)
      }
      self = .v4(src: ip.src, dst: ip.sourceRouteDestination ?? ip.dst, givenLength: length)
    case .ipv6(let ip):
      self = .v6(src: ip.src, dst: ip.routingDestination ?? ip.resolvedDestination(next: upper))
    default:
      return nil
    }
  }

  /// The checksum of `segment` (its checksum field zero or as given) with this pseudo-header.
  func checksum(protocol proto: UInt8, segment: [UInt8]) -> UInt16 {
    var sum = InternetChecksum()
    switch self {
    case .v4(let src, let dst, let givenLength):
      sum.addPseudoHeader(src: src, dst: dst, protocol: proto, length: givenLength ?? segment.count)
    case .v6(let src, let dst):
      sum.addPseudoHeader(src: src, dst: dst, nextHeader: proto, length: segment.count)
    }
    sum.add(segment)
    return sum.checksum
  }
}
