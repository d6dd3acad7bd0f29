// IPv4 in tcpdump's -v text (print-ip.c): the header's details in parentheses, then the rest
// of the line, indented, on a line of its own.

extension OneLineFormatter {
  /// Writes `(tos 0x0, ttl 64, id 1, offset 0, flags [DF], proto TCP (6), length 60)` and the
  /// line break with its indent. Returns false when an option runs past the header: the
  /// addresses and ` [|ip]` then end the line, as tcpdump does.
  func ipv4Details(
    _ bytes: Span<UInt8>, start: Int, _ header: IPv4Header, to out: inout TextBuffer
  ) -> Bool {
    out.append("(tos 0x")
    out.append(hex: header.tos)
    switch header.tos & 0x03 {
    case 1: out.append(",ECT(1)")
    case 2: out.append(",ECT(0)")
    case 3: out.append(",CE")
    default: break
    }
    if header.ttl >= 1 {
      out.append(", ttl ")
      out.append(decimal: header.ttl)
    }
    out.append(", id ")
    out.append(decimal: header.id)
    out.append(", offset ")
    out.append(decimal: header.fragmentOffset)
    out.append(", flags [")
    if header.mf { out.append("+") }
    if header.df { out.append(header.mf ? ", DF" : "DF") }
    if header.reservedFlag { out.append(header.mf || header.df ? ", rsvd" : "rsvd") }
    if !header.mf && !header.df && !header.reservedFlag { out.append("none") }
    out.append("], proto ")
    Self.writeIPProtocol(header.protocol, to: &out)
    out.append(", length ")
    out.append(decimal: header.totalLength)
    var complete = true
    let headerEnd = start + header.headerLength
    if header.headerLength > IPv4Header.minimumLength {
      out.append(", options (")
      complete = ipv4Options(
        bytes, from: start + IPv4Header.minimumLength, end: headerEnd, to: &out)
      if !complete { out.append(" [truncated-option]") }
      out.append(byte: 0x29)
    }
    if verifiesChecksums, headerEnd <= bytes.count {
      var sum = InternetChecksum()
      sum.add(bytes.extracting(start..<headerEnd))
      if !sum.isValid {
        out.append(", bad cksum ")
        out.append(hex: header.checksum)
        out.append(" (->")
        out.append(hex: Self.checksumShouldBe(stored: header.checksum, sum: sum))
        out.append(")!")
      }
    }
    out.append(")\n    ")
    if !complete {
      AddressPair.v4(header.src, header.dst).write(to: &out)
      out.append(" [|ip]")
    }
    return complete
  }

  /// tcpdump's `ip_optprint`: `RR 0.0.0.0 0.0.0.0,EOL`, `timestamp TS{...}`, `RA`. Returns
  /// false when an option's bytes were not captured.
  func ipv4Options(_ bytes: Span<UInt8>, from start: Int, end: Int, to out: inout TextBuffer)
    -> Bool
  {
    var offset = start
    var first = true
    while offset < end {
      if !first { out.append(byte: 0x2C) }
      first = false
      guard offset < bytes.count else { return false }
      let code = bytes[offset]
      switch code {
      case 0: out.append("EOL")
      case 1: out.append("NOP")
      case 68: out.append("timestamp")
      case 130: out.append("security")
      case 7: out.append("RR")
      case 137: out.append("SSRR")
      case 131: out.append("LSRR")
      case 148: out.append("RA")
      case 82: out.append("traceroute")
      default:
        out.append("unknown ")
        out.append(decimal: code)
      }
      var length = 1
      if code > 1 {
        guard offset + 1 < bytes.count else { return false }
        length = Int(bytes[offset + 1])
        if length < 2 {
          out.append(" [bad length ")
          out.append(decimal: length)
          out.append(byte: 0x5D)
          return true
        }
      }
      if length > end - offset {
        out.append(" [bad length ")
        out.append(decimal: length)
        out.append(byte: 0x5D)
        return true
      }
      guard offset + length <= bytes.count else { return false }
      switch code {
      case 0:
        return true
      case 68:
        guard ipv4Timestamps(bytes, offset, length, to: &out) else { return false }
      case 7, 131, 137:
        guard ipv4Route(bytes, offset, length, to: &out) else { return false }
      case 148:
        if length < 4 {
          out.append(" [bad length ")
          out.append(decimal: length)
          out.append(byte: 0x5D)
        } else if bytes.be16(at: offset + 2) != 0 {
          out.append(" value ")
          out.append(decimal: bytes.be16(at: offset + 2))
        }
      default:
        break
      }
      offset += length
    }
    return true
  }

  /// A record-route or source-route option's addresses (tcpdump's `ip_printroute`).
  /// Returns false when an address was not captured.
  func ipv4Route(_ bytes: Span<UInt8>, _ offset: Int, _ length: Int, to out: inout TextBuffer)
    -> Bool
  {
    if length < 3 {
      out.append(" [bad length ")
      out.append(decimal: length)
      out.append(byte: 0x5D)
      return true
    }
    if (length + 1) & 3 != 0 {
      out.append(" [bad length ")
      out.append(decimal: length)
      out.append(byte: 0x5D)
    }
    let pointer = Int(bytes[offset + 2]) - 1
    if pointer < 3 || (pointer + 1) & 3 != 0 || pointer > length + 1 {
      out.append(" [bad ptr ")
      out.append(decimal: bytes[offset + 2])
      out.append(byte: 0x5D)
    }
    var position = 3
    while position < length {
      guard offset + position + 4 <= bytes.count else { return false }
      out.append(byte: 0x20)
      IPv4Address(bytes, at: offset + position).write(to: &out)
      if pointer > position { out.append(byte: 0x2C) }
      position += 4
    }
    return true
  }

  /// A timestamp option (tcpdump's `ip_printts`): ` TS{TS+ADDR 36000000@198.51.100.1 ^ }`.
  func ipv4Timestamps(_ bytes: Span<UInt8>, _ offset: Int, _ length: Int, to out: inout TextBuffer)
    -> Bool
  {
    if length < 4 {
      out.append("[bad length ")
      out.append(decimal: length)
      out.append(byte: 0x5D)
      return true
    }
    out.append(" TS{")
    let flags = bytes[offset + 3]
    let hop = flags & 0x0F != 0 ? 8 : 4
    if (length - 4) & (hop - 1) != 0 {
      out.append("[bad length ")
      out.append(decimal: length)
      out.append(byte: 0x5D)
    }
    let pointer = Int(bytes[offset + 2]) - 1
    var position = 0
    if pointer < 4 || (pointer - 4) & (hop - 1) != 0 || pointer > length + 1 {
      out.append("[bad ptr ")
      out.append(decimal: bytes[offset + 2])
      out.append(byte: 0x5D)
    }
    var known = true
    switch flags & 0x0F {
    case 0: out.append("TSONLY")
    case 1: out.append("TS+ADDR")
    case 3: out.append("PRESPEC")
    default:
      out.append("[bad ts type ")
      out.append(decimal: flags & 0x0F)
      out.append(byte: 0x5D)
      known = false
    }
    if known {
      position = 4
      var separator: StaticString = " "
      while position < length {
        if pointer == position { separator = " ^ " }
        guard offset + position + hop <= bytes.count else { return false }
        out.append(separator)
        out.append(decimal: bytes.be32(at: offset + position + hop - 4))
        out.append(byte: 0x40)
        if hop == 8 { IPv4Address(bytes, at: offset + position).write(to: &out) }
        separator = " "
        position += hop
      }
    }
    if pointer == position { out.append(" ^ ") }
    if flags >> 4 != 0 {
      out.append(" [")
      out.append(decimal: flags >> 4)
      out.append(" hops not recorded]} ")
    } else {
      out.append(byte: 0x7D)
    }
    return true
  }
}
