// ICMPv6 as a tcpdump -n line prints it (print-icmp6.c): echo, errors with the quoted
// packet's addresses, neighbour discovery, MLD.

extension OneLineFormatter {
  func icmpv6(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ message: ICMPv6Message,
    length: Int, to out: inout TextBuffer
  ) {
    let layer = frame[index]
    guard layer.status.isComplete else { return out.append(" [|icmp6]") }
    let start = layer.range.lowerBound
    let quote = start + 8
    let quotedHeader = quote + 40 <= bytes.count
    if verbosity > 0 { icmpv6Checksum(frame, bytes, index, message, length: length, to: &out) }
    out.append("ICMP6, ")
    switch message.type {
    case 1:
      out.append("destination unreachable, ")
      guard quotedHeader else { return out.append(" [|icmp6]") }
      let dst = IPv6Address(bytes, at: quote + 24)
      switch message.code {
      case 0, 1, 3:
        switch message.code {
        case 0: out.append("unreachable route ")
        case 1: out.append("unreachable prohibited ")
        default: out.append("unreachable address ")
        }
        dst.write(to: &out)
      case 2:
        out.append("beyond scope ")
        dst.write(to: &out)
        out.append(", source address ")
        IPv6Address(bytes, at: quote + 8).write(to: &out)
      case 4:
        out.append("unreachable port")
        // The quoted packet's transport header, found by the decoder's extension walk.
        var proto: UInt8 = 0
        var portOffset = Int.max
        if index + 1 < frame.count, case .ipv6(let quoted) = frame[index + 1].header {
          proto = quoted.upperLayerProtocol
          portOffset = quoted.extensionsRange.upperBound + 2
        }
        guard portOffset <= bytes.count - 2 else { return out.append(" [|icmp6]") }
        out.append(", ")
        dst.write(to: &out)
        switch proto {
        case 6: out.append(" tcp port ")
        case 17: out.append(" udp port ")
        default:
          out.append(" protocol ")
          out.append(decimal: proto)
          out.append(" port ")
        }
        out.append(decimal: bytes.be16(at: portOffset))
        if proto != 6 && proto != 17 { out.append(" unreachable") }
      default:
        out.append("unknown unreach code (")
        out.append(decimal: message.code)
        out.append(byte: 0x29)
      }
    case 2:
      out.append("packet too big, mtu ")
      out.append(decimal: message.rest)
    case 3:
      out.append("time exceeded")
      switch message.code {
      case 0:
        guard quotedHeader else { return out.append(" [|icmp6]") }
        out.append(" in-transit for ")
        IPv6Address(bytes, at: quote + 24).write(to: &out)
      case 1: out.append(" in-transit (reassembly)")
      default:
        out.append(", unknown code (")
        out.append(decimal: message.code)
        out.append(byte: 0x29)
      }
    case 4:
      out.append("parameter problem")
      switch message.code {
      case 0: out.append(", erroneous - octet ")
      case 1: out.append(", next header - octet ")
      case 2: out.append(", option - octet ")
      default:
        out.append(", code-#")
        out.append(decimal: message.code)
      }
      if message.code <= 2 { out.append(decimal: message.rest) }
    case 128, 129:
      out.append(message.type == 128 ? "echo request, id " : "echo reply, id ")
      out.append(decimal: message.id)
      out.append(", seq ")
      out.append(decimal: message.seq)
    case 130, 131, 132:
      switch message.type {
      case 130: out.append("multicast listener query")
      case 131: out.append("multicast listener report")
      default: out.append("multicast listener done")
      }
      if message.type == 130 && length >= 28 {
        guard start + 28 <= bytes.count else { return out.append(" [|icmp6]") }
        out.append(" [gaddr ")
        IPv6Address(bytes, at: start + 8).write(to: &out)
        let sources = bytes.be16(at: start + 26)
        if sources > 0 {
          out.append(", ")
          out.append(decimal: sources)
          out.append(" source(s)")
        }
        out.append(byte: 0x5D)
      } else {
        guard start + 24 <= bytes.count else { return out.append(" [|icmp6]") }
        out.append("max resp delay: ")
        out.append(decimal: UInt16(truncatingIfNeeded: message.rest >> 16))
        out.append(" addr: ")
        IPv6Address(bytes, at: start + 8).write(to: &out)
      }
    case 133, 134:
      out.append(message.type == 133 ? "router solicitation" : "router advertisement")
      if verbosity > 0 { writeICMPv6Length(length, to: &out) }
    case 135, 136:
      out.append(message.type == 135 ? "neighbor solicitation" : "neighbor advertisement")
      if verbosity > 0 { writeICMPv6Length(length, to: &out) }
      out.append(message.type == 135 ? ", who has " : ", tgt is ")
      guard start + 24 <= bytes.count else { return out.append(" [|icmp6]") }
      IPv6Address(bytes, at: start + 8).write(to: &out)
    case 137:
      out.append("redirect")
      if verbosity > 0 { writeICMPv6Length(length, to: &out) }
      guard start + 40 <= bytes.count else { return out.append(" [|icmp6]") }
      out.append(", ")
      IPv6Address(bytes, at: start + 24).write(to: &out)
      out.append(" to ")
      IPv6Address(bytes, at: start + 8).write(to: &out)
    case 143:
      out.append("multicast listener report v2, ")
      out.append(decimal: UInt16(truncatingIfNeeded: message.rest))
      out.append(" group record(s)")
      if verbosity > 0 {
        groupRecords(
          bytes, start: start, length: length,
          count: Int(UInt16(truncatingIfNeeded: message.rest)), addressLength: 16, to: &out)
      }
    default:
      writeICMPv6Name(message.type, to: &out)
    }
    if verbosity > 0, message.type >= 133, message.type <= 137 {
      icmpv6NeighbourDiscovery(
        bytes, start: start, type: message.type, end: start + length, to: &out)
    }
    if verbosity > 0, Self.icmpv6VerboseOmitsLength(message.type) { return }
    writeICMPv6Length(length, to: &out)
  }

  /// `, length N`
  func writeICMPv6Length(_ length: Int, to out: inout TextBuffer) {
    out.append(", length ")
    out.append(decimal: length)
  }

  func writeICMPv6Name(_ type: UInt8, to out: inout TextBuffer) {
    switch type {
    case 138: out.append("router renumbering")
    case 139: out.append("node information query")
    case 140: out.append("node information reply")
    case 141: out.append("inverse neighbor solicitation")
    case 142: out.append("inverse neighbor advertisement")
    case 144: out.append("ha discovery request")
    case 145: out.append("ha discovery reply")
    case 146: out.append("mobile router solicitation")
    case 147: out.append("mobile router advertisement")
    case 148: out.append("certification path solicitation")
    case 149: out.append("certification path advertisement")
    case 151: out.append("multicast router advertisement")
    case 152: out.append("multicast router solicitation")
    case 153: out.append("multicast router termination")
    case 200: out.append("mtrace response")
    case 201: out.append("mtrace message")
    default:
      out.append("unknown icmp6 type (")
      out.append(decimal: type)
      out.append(byte: 0x29)
    }
  }
}
