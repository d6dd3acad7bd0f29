// What tcpdump's -v printers of several protocols share: checksum verdicts and the names of IP
// protocol numbers (netdissect's ipproto_values). Each protocol's -v text is beside it, under
// Protocols/.

extension OneLineFormatter {
  /// Whether checksum verdicts are printed (`-v` without `-K`).
  var checksVerbose: Bool { verbosity > 0 && verifiesChecksums }

  /// The value a checksum field should hold, given the stored value and the sum over the
  /// covered bytes with the stored value in place (tcpdump's `in_cksum_shouldbe`).
  static func checksumShouldBe(stored: UInt16, sum: InternetChecksum) -> UInt16 {
    var total = UInt32(stored) &+ UInt32(~sum.folded)
    total = (total & 0xFFFF) &+ (total >> 16)
    total = (total & 0xFFFF) &+ (total >> 16)
    return UInt16(truncatingIfNeeded: total)
  }

  /// A checksum over `range` (the layer at `index`) with a pseudo-header for `addresses`
  /// (TCP, UDP, ICMPv6); over IPv6, the destination is the final one a routing header names,
  /// as tcpdump's `ip6_finddst` takes it.
  static func transportSum(
    _ frame: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int,
    _ range: Range<Int>, addresses: AddressPair, protocol proto: UInt8
  ) -> InternetChecksum {
    var sum = InternetChecksum()
    var addresses = addresses
    if index > 0, case .ipv6(let header) = frame[index - 1].header, case .v6(let src, _) = addresses
    {
      IPv6ExtensionHeader.forEach(
        in: bytes, range: header.extensionsRange, first: header.nextHeader
      ) { ext in
        guard ext.type == 43 else { return true }
        let base = ext.range.lowerBound
        let count = Int(bytes[base + 1]) >> 1
        var final = -1
        switch ext.routingType {
        case 0, 2: if count > 0 { final = base + 8 + 16 * (count - 1) }
        case 4: final = base + 8
        default: break
        }
        if final >= 0, final + 16 <= bytes.count {
          addresses = .v6(src, IPv6Address(bytes, at: final))
        }
        return false
      }
    }
    switch addresses {
    case .v4(let src, let dst):
      sum.addPseudoHeader(src: src, dst: dst, protocol: proto, length: range.count)
    case .v6(let src, let dst):
      sum.addPseudoHeader(src: src, dst: dst, nextHeader: proto, length: range.count)
    }
    sum.add(bytes.extracting(range))
    return sum
  }

  /// tcpdump's name for an IP protocol number (`TCP`, `ICMPv6`, `unknown`).
  static func ipProtocolName(_ proto: UInt8) -> StaticString {
    switch proto {
    case 0: "Options"
    case 1: "ICMP"
    case 2: "IGMP"
    case 4: "IPIP"
    case 6: "TCP"
    case 8: "EGP"
    case 9: "IGRP"
    case 17: "UDP"
    case 33: "DCCP"
    case 41: "IPv6"
    case 43: "Routing"
    case 44: "Fragment"
    case 46: "RSVP"
    case 47: "GRE"
    case 50: "ESP"
    case 51: "AH"
    case 55: "Mobile IP"
    case 58: "ICMPv6"
    case 62: "Mobile IP (old)"
    case 88: "EIGRP"
    case 89: "OSPF"
    case 103: "PIM"
    case 108: "Compressed IP"
    case 112: "VRRP"
    case 113: "PGM"
    case 132: "SCTP"
    case 135: "Mobility"
    case 143: "Ethernet"
    default: "unknown"
    }
  }

  /// `NAME (N)`, as tcpdump prints a protocol number in -v text.
  static func writeIPProtocol(_ proto: UInt8, to out: inout TextBuffer) {
    out.append(ipProtocolName(proto))
    out.append(" (")
    out.append(decimal: proto)
    out.append(byte: 0x29)
  }
}
