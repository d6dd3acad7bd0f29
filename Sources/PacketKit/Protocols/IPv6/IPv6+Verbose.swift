// IPv6 in tcpdump's -v text (print-ip6.c, print-ip6opts.c): the header's details in
// parentheses before the addresses, and the options of hop-by-hop and destination headers.

extension OneLineFormatter {
  /// `(class 0x28, flowlabel 0x12345, hlim 64, next-header TCP (6) payload length: 40) `
  func ipv6Details(_ header: IPv6Header, to out: inout TextBuffer) {
    out.append(byte: 0x28)
    if header.trafficClass != 0 {
      out.append("class 0x")
      out.append(hex: header.trafficClass, width: 2)
      out.append(", ")
    }
    if header.flowLabel & 0xFFFFF != 0 {
      out.append("flowlabel 0x")
      out.append(hex: header.flowLabel & 0xFFFFF, width: 5)
      out.append(", ")
    }
    out.append("hlim ")
    out.append(decimal: header.hopLimit)
    out.append(", next-header ")
    Self.writeIPProtocol(header.nextHeader, to: &out)
    out.append(" payload length: ")
    out.append(decimal: header.payloadLength)
    out.append(") ")
  }

  /// The options of a hop-by-hop or destination options header as `-v` prints them:
  /// `(rtalert: 0x0000) (padn) `. Returns false when an option runs past the header (tcpdump
  /// then ends the line with ` [|hbhopt]` or ` [|dstopt]`).
  func ipv6Options(_ bytes: Span<UInt8>, _ ext: IPv6ExtensionHeader, to out: inout TextBuffer)
    -> Bool
  {
    let start = ext.range.lowerBound + 2
    let length = ext.range.upperBound - start
    var index = 0
    while index < length {
      let type = bytes[start + index]
      var optionLength = 1
      if type != 0 {
        guard index + 1 < length else { return false }
        optionLength = Int(bytes[start + index + 1]) + 2
      }
      guard index + optionLength <= length else { return false }
      let body = start + index
      switch type {
      case 0:
        out.append("(pad1)")
      case 1:
        out.append("(padn)")
      case 5:
        guard optionLength == 4 else {
          out.append("(rtalert: invalid len ")
          out.append(decimal: bytes[body + 1])
          out.append(byte: 0x29)
          return false
        }
        out.append("(rtalert: 0x")
        out.append(hex: bytes.be16(at: body + 2), width: 4)
        out.append(") ")
      case 0xC2:
        guard optionLength == 6 else {
          out.append("(jumbo: invalid len ")
          out.append(decimal: bytes[body + 1])
          out.append(byte: 0x29)
          return false
        }
        out.append("(jumbo: ")
        out.append(decimal: bytes.be32(at: body + 2))
        out.append(ext.type == 0 ? " - payload len != 0) " : " - not a hop-by-hop option) ")
      case 0xC9:
        guard optionLength >= 18 else {
          out.append("(homeaddr: invalid len ")
          out.append(decimal: bytes[body + 1])
          out.append(byte: 0x29)
          return false
        }
        out.append("(homeaddr: ")
        IPv6Address(bytes, at: body + 2).write(to: &out)
        out.append(byte: 0x29)
      default:
        out.append("(opt_type 0x")
        out.append(hex: type, width: 2)
        out.append(": len=")
        out.append(decimal: bytes[body + 1])
        out.append(byte: 0x29)
      }
      index += optionLength
    }
    out.append(byte: 0x20)
    return true
  }
}
