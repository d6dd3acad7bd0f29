// DHCP in tcpdump's -v text (print-bootp.c, bootp_print and rfc1048_print).

extension OneLineFormatter {
  /// What `-v` adds after `, length N`: hops, xid, secs and flags, the addresses and names
  /// on lines of their own, then the options; ` [|bootp]` where the capture ends.
  func dhcpVerbose(_ bytes: Span<UInt8>, start: Int, length: Int, to out: inout TextBuffer) {
    let limit = min(bytes.count, start + length)
    func has(_ end: Int) -> Bool { start + end <= limit }
    guard has(12) else { return out.append(" [|bootp]") }
    let htype = bytes[start + 1]
    let hlen = bytes[start + 2]
    if htype != 1 {
      out.append(", htype ")
      out.append(decimal: htype)
    }
    if htype != 1 || hlen != 6 {
      out.append(", hlen ")
      out.append(decimal: hlen)
    }
    if bytes[start + 3] != 0 {
      out.append(", hops ")
      out.append(decimal: bytes[start + 3])
    }
    let xid = bytes.be32(at: start + 4)
    if xid != 0 {
      out.append(", xid 0x")
      out.append(hex: xid)
    }
    let secs = bytes.be16(at: start + 8)
    if secs != 0 {
      out.append(", secs ")
      out.append(decimal: secs)
    }
    let flags = bytes.be16(at: start + 10)
    out.append(flags & 0x8000 != 0 ? ", Flags [Broadcast]" : ", Flags [none]")
    if verbosity > 1 {
      out.append(" (0x")
      out.append(hex: flags, width: 4)
      out.append(byte: 0x29)
    }
    guard has(28) else { return out.append(" [|bootp]") }
    for field in 0..<4 where bytes.be32(at: start + 12 + 4 * field) != 0 {
      switch field {
      case 0: out.append("\n\t  Client-IP ")
      case 1: out.append("\n\t  Your-IP ")
      case 2: out.append("\n\t  Server-IP ")
      default: out.append("\n\t  Gateway-IP ")
      }
      IPv4Address(bytes, at: start + 12 + 4 * field).write(to: &out)
    }
    if htype == 1 && hlen == 6 {
      guard has(34) else { return out.append(" [|bootp]") }
      out.append("\n\t  Client-Ethernet-Address ")
      MACAddress(bytes, at: start + 28).write(to: &out)
    }
    for name in 0..<2 {
      let offset = name == 0 ? 44 : 108
      let size = name == 0 ? 64 : 128
      guard has(offset + 1) else { return out.append(" [|bootp]") }
      guard bytes[start + offset] != 0 else { continue }
      out.append(name == 0 ? "\n\t  sname \"" : "\n\t  file \"")
      var index = 0
      while index < size {
        guard has(offset + index + 1) else { break }
        let byte = bytes[start + offset + index]
        if byte == 0 { break }
        Self.writeCharacter(byte, to: &out)
        index += 1
      }
      out.append(byte: 0x22)
      guard index < size, has(offset + index + 1) else { return out.append(" [|bootp]") }
    }
    guard has(240) else { return out.append(" [|bootp]") }
    let cookie = bytes.be32(at: start + 236)
    if cookie == 0x6382_5363 {
      dhcpOptions(bytes, from: start + 240, limit: limit, to: &out)
    } else if cookie != 0x434D_5500 && cookie != 0 {
      out.append("\n\t  Vendor-#0x")
      out.append(hex: cookie)
    }
  }

  /// tcpdump's `rfc1048_print`: the cookie, then each option (pads and the end left out
  /// below `-vvv`).
  func dhcpOptions(_ bytes: Span<UInt8>, from start: Int, limit: Int, to out: inout TextBuffer) {
    out.append("\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x63825363")
    var cursor = start
    while cursor < limit {
      let tag = bytes[cursor]
      cursor += 1
      if (tag == 0 || tag == 255) && verbosity < 3 {
        if tag == 0 { continue }
        return
      }
      let known = Self.dhcpOption(tag)
      var length = 0
      if tag != 0 && tag != 255 {
        guard cursor < limit else { return out.append(" [|bootp]") }
        length = Int(bytes[cursor])
        cursor += 1
      }
      out.append("\n\t    ")
      if let known { out.append(known.name) } else { out.append("Unknown") }
      out.append(" (")
      out.append(decimal: tag)
      out.append("), length ")
      out.append(decimal: length)
      if length > 0 { out.append(": ") }
      if tag == 0 {
        var count = 1
        while cursor < limit && bytes[cursor] == 0 {
          cursor += 1
          count += 1
        }
        if count > 1 {
          out.append(", occurs ")
          out.append(decimal: count)
        }
      }
      guard cursor + length <= limit else { return out.append(" [|bootp]") }
      let end = cursor + length
      defer { cursor = end }
      if tag == 53 && length == 1 {
        Self.writeDHCPMessageType(bytes[cursor], to: &out)
        continue
      }
      if tag == 55 {
        for index in 0..<length {
          out.append(index % 4 == 0 ? "\n\t      " : ", ")
          let inner = bytes[cursor + index]
          if let name = Self.dhcpOption(inner)?.name {
            out.append(name)
          } else {
            out.append("Unknown")
          }
          out.append(" (")
          out.append(decimal: inner)
          out.append(byte: 0x29)
        }
        continue
      }
      var format = known?.format ?? UInt8(ascii: "?")
      if format == UInt8(ascii: "?") {
        format =
          length & 1 != 0
          ? UInt8(ascii: "b") : length & 2 != 0 ? UInt8(ascii: "s") : UInt8(ascii: "l")
      }
      let left = dhcpOptionData(bytes, tag: tag, format: format, from: cursor, end: end, to: &out)
      if left > 0 {
        out.append("\n\t  trailing data length ")
        out.append(decimal: left)
      }
    }
  }

  /// An option's data in its format; returns how many bytes the format left unprinted.
  func dhcpOptionData(
    _ bytes: Span<UInt8>, tag: UInt8, format: UInt8, from start: Int, end: Int,
    to out: inout TextBuffer
  ) -> Int {
    var cursor = start
    var first = true
    func separator(_ byte: UInt8, _ out: inout TextBuffer) {
      if !first { out.append(byte: byte) }
      first = false
    }
    switch format {
    case UInt8(ascii: "a"):
      out.append(byte: 0x22)
      while cursor < end {
        Self.writeCharacter(bytes[cursor], to: &out)
        cursor += 1
      }
      out.append(byte: 0x22)
    case UInt8(ascii: "i"), UInt8(ascii: "l"), UInt8(ascii: "L"):
      while end - cursor >= 4 {
        separator(0x2C, &out)
        if format == UInt8(ascii: "i") {
          IPv4Address(bytes, at: cursor).write(to: &out)
        } else if format == UInt8(ascii: "L") {
          out.append(decimal: Int(Int32(bitPattern: bytes.be32(at: cursor))))
        } else {
          out.append(decimal: bytes.be32(at: cursor))
        }
        cursor += 4
      }
    case UInt8(ascii: "p"):
      while end - cursor >= 8 {
        separator(0x2C, &out)
        out.append(byte: 0x28)
        IPv4Address(bytes, at: cursor).write(to: &out)
        out.append(byte: 0x3A)
        IPv4Address(bytes, at: cursor + 4).write(to: &out)
        out.append(byte: 0x29)
        cursor += 8
      }
    case UInt8(ascii: "s"):
      while end - cursor >= 2 {
        separator(0x2C, &out)
        out.append(decimal: bytes.be16(at: cursor))
        cursor += 2
      }
    case UInt8(ascii: "B"):
      while cursor < end {
        separator(0x2C, &out)
        switch bytes[cursor] {
        case 0: out.append("N")
        case 1: out.append("Y")
        default:
          out.append(decimal: bytes[cursor])
          out.append("?")
        }
        cursor += 1
      }
    case UInt8(ascii: "$"):
      return dhcpSpecialOption(bytes, tag: tag, from: start, end: end, to: &out)
    default:
      let hex = format == UInt8(ascii: "x")
      while cursor < end {
        separator(hex ? 0x3A : 0x2E, &out)
        if hex { out.append(hexByte: bytes[cursor]) } else { out.append(decimal: bytes[cursor]) }
        cursor += 1
      }
    }
    return end - cursor
  }

  /// The options tcpdump prints by a rule of their own: client identifier (61), relay agent
  /// information (82), classless static routes (121, 249). Returns the bytes left unprinted.
  func dhcpSpecialOption(
    _ bytes: Span<UInt8>, tag: UInt8, from start: Int, end: Int, to out: inout TextBuffer
  ) -> Int {
    var cursor = start
    switch tag {
    case 61:
      guard end > cursor else {
        out.append("[ERROR: length < 1 bytes]")
        return 0
      }
      let type = bytes[cursor]
      cursor += 1
      if type == 0 {
        out.append(byte: 0x22)
        while cursor < end {
          Self.writeCharacter(bytes[cursor], to: &out)
          cursor += 1
        }
        out.append(byte: 0x22)
        return 0
      }
      switch type {
      case 1: out.append("ether ")
      case 6: out.append("ieee802 ")
      case 7: out.append("arcnet ")
      case 15: out.append("frelay ")
      case 23: out.append("strip ")
      case 24: out.append("ieee1394 ")
      default:
        out.append("hardware-type ")
        out.append(decimal: type)
        out.append(", ")
      }
      writeLinkAddress(bytes, cursor, end - cursor, to: &out)
      return 0
    case 82:
      while end - cursor >= 2 {
        let sub = bytes[cursor]
        let subLength = Int(bytes[cursor + 1])
        cursor += 2
        out.append("\n\t      ")
        switch sub {
        case 1: out.append("Circuit-ID")
        case 2: out.append("Remote-ID")
        case 6: out.append("Subscriber-ID")
        default: out.append("Unknown")
        }
        out.append(" SubOption ")
        out.append(decimal: sub)
        out.append(", length ")
        out.append(decimal: subLength)
        guard subLength <= end - cursor else {
          out.append(": length goes past end of option")
          return 0
        }
        out.append(": ")
        if sub == 1 || sub == 2 || sub == 6 {
          for index in cursor..<(cursor + subLength) { Self.writeCharacter(bytes[index], to: &out) }
        } else {
          Self.writeHexLines(bytes, from: cursor, count: subLength, prefix: "\n\t\t", to: &out)
        }
        cursor += subLength
      }
      return end - cursor
    case 121, 249:
      guard end - cursor >= 5 else {
        out.append("[ERROR: length < 5 bytes]")
        return end - cursor
      }
      var first = true
      while cursor < end {
        if !first { out.append(byte: 0x2C) }
        first = false
        let width = Int(bytes[cursor])
        cursor += 1
        guard width <= 32 else {
          out.append("[ERROR: Mask width (")
          out.append(decimal: width)
          out.append(") > 32]")
          return end - cursor
        }
        let significant = (width + 7) / 8
        guard end - cursor >= significant + 4 else {
          out.append("[ERROR: Remaining length (")
          out.append(decimal: end - cursor)
          out.append(") < ")
          out.append(decimal: significant + 4)
          out.append(" bytes]")
          return end - cursor
        }
        out.append(byte: 0x28)
        if width == 0 {
          out.append("default")
        } else {
          for index in 0..<significant {
            if index > 0 { out.append(byte: 0x2E) }
            out.append(decimal: bytes[cursor + index])
          }
          for _ in significant..<4 { out.append(".0") }
          out.append(byte: 0x2F)
          out.append(decimal: width)
        }
        cursor += significant
        out.append(byte: 0x3A)
        IPv4Address(bytes, at: cursor).write(to: &out)
        out.append(byte: 0x29)
        cursor += 4
      }
      return end - cursor
    default:
      out.append("[unknown special tag ")
      out.append(decimal: tag)
      out.append(", size ")
      out.append(decimal: end - cursor)
      out.append(byte: 0x5D)
      return 0
    }
  }

  /// tcpdump's DHCP message type names (`dhcp_msg_values`).
  static func writeDHCPMessageType(_ type: UInt8, to out: inout TextBuffer) {
    switch type {
    case 1: out.append("Discover")
    case 2: out.append("Offer")
    case 3: out.append("Request")
    case 4: out.append("Decline")
    case 5: out.append("ACK")
    case 6: out.append("NACK")
    case 7: out.append("Release")
    case 8: out.append("Inform")
    case 10: out.append("LeaseQuery")
    case 11: out.append("LeaseUnassigned")
    case 12: out.append("LeaseUnknown")
    case 13: out.append("LeaseActive")
    default:
      out.append("Unknown (")
      out.append(decimal: type)
      out.append(byte: 0x29)
    }
  }
}
