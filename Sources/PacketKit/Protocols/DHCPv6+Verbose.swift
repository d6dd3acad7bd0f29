// DHCPv6 in tcpdump's -v text (print-dhcp6.c, 4.99): the transaction id or the relay
// addresses, then every option in parentheses, options inside options nested.

extension OneLineFormatter {
  /// tcpdump's `dhcp6_print` at `-v`: `dhcp6 solicit (xid=1e240 (client-ID hwaddr type 1
  /// 020000000001) (elapsed-time 0))`. `length` is the message's length from the UDP header,
  /// `snapend` the end of the bytes tcpdump may read. Returns false where tcpdump's printer
  /// stops at once (a read past `snapend`); the caller then ends the line with ` [|dhcp6]`.
  func dhcpv6Verbose(
    _ bytes: Span<UInt8>, at start: Int, length: Int, snapend: Int, to out: inout TextBuffer
  ) -> Bool {
    out.append("dhcp6")
    let end = min(snapend, start + length)
    guard start + 4 <= snapend else {
      out.append(" [|dhcp6]")
      return true
    }
    let type = bytes[start]
    out.append(byte: 0x20)
    if let name = DHCPv6Protocol.name(type) {
      out.append(name)
    } else {
      out.append("msgtype-")
      out.append(decimal: type)
    }
    out.append(" (")
    if type != 12 && type != 13 {
      out.append("xid=")
      out.append(hex: bytes.be32(at: start) & 0xFF_FFFF)
      guard dhcpv6Options(bytes, from: start + 4, to: end, snapend: snapend, to: &out) else {
        return false
      }
    } else {
      guard start + 18 <= snapend else { return false }
      out.append("linkaddr=")
      IPv6Address(bytes, at: start + 2).write(to: &out)
      guard start + 34 <= snapend else { return false }
      out.append(" peeraddr=")
      IPv6Address(bytes, at: start + 18).write(to: &out)
      guard dhcpv6Options(bytes, from: start + 34, to: end, snapend: snapend, to: &out) else {
        return false
      }
    }
    out.append(byte: 0x29)
    return true
  }

  /// tcpdump's `dhcp6opt_print`: the options from `start` to `end`, each as ` (name ...)`;
  /// ` [|dhcp6]` where an option runs past `end`. False where tcpdump stops at once.
  func dhcpv6Options(
    _ bytes: Span<UInt8>, from start: Int, to end: Int, snapend: Int, to out: inout TextBuffer
  ) -> Bool {
    var cursor = start
    while cursor < end {
      guard cursor + 4 <= end else {
        out.append(" [|dhcp6]")
        return true
      }
      let length = Int(bytes.be16(at: cursor + 2))
      guard cursor + 4 + length <= end else {
        out.append(" [|dhcp6]")
        return true
      }
      let code = bytes.be16(at: cursor)
      out.append(" (")
      Self.writeDHCPv6OptionName(code, to: &out)
      let data = cursor + 4
      let optionEnd = data + length
      cursor = optionEnd
      switch code {
      case 1, 2:
        guard length >= 2 else {
          out.append(" ?)")
          continue
        }
        switch bytes.be16(at: data) {
        case 1:
          guard length >= 8 else {
            out.append(" ?)")
            continue
          }
          out.append(" hwaddr/time type ")
          out.append(decimal: bytes.be16(at: data + 2))
          out.append(" time ")
          out.append(decimal: bytes.be32(at: data + 4))
          out.append(byte: 0x20)
          writeHex(bytes, from: data + 8, to: optionEnd, to: &out)
          out.append(byte: 0x29)
        case 2:
          guard length >= 10 else {
            out.append(" ?)")
            continue
          }
          out.append(" vid ")
          writeHex(bytes, from: data + 2, to: data + 10, to: &out)
          out.append(byte: 0x29)
        case 3:
          guard length >= 4 else {
            out.append(" ?)")
            continue
          }
          out.append(" hwaddr type ")
          out.append(decimal: bytes.be16(at: data + 2))
          out.append(byte: 0x20)
          writeHex(bytes, from: data + 4, to: optionEnd, to: &out)
          out.append(byte: 0x29)
        default:
          out.append(" type ")
          out.append(decimal: bytes.be16(at: data))
          out.append(byte: 0x29)
        }
      case 5:
        guard length >= 24 else {
          out.append(" ?)")
          continue
        }
        out.append(byte: 0x20)
        IPv6Address(bytes, at: data).write(to: &out)
        writeLifetimes(bytes, at: data + 16, to: &out)
        if length > 24 {
          guard dhcpv6Options(bytes, from: data + 24, to: optionEnd, snapend: snapend, to: &out)
          else { return false }
        }
        out.append(byte: 0x29)
      case 6, 43:
        guard length % 2 == 0 else {
          out.append(" ?)")
          continue
        }
        var index = data
        while index < optionEnd {
          out.append(byte: 0x20)
          Self.writeDHCPv6OptionName(bytes.be16(at: index), to: &out)
          index += 2
        }
        out.append(byte: 0x29)
      case 7, 19:
        guard length == 1 else {
          out.append(" ?)")
          continue
        }
        let value = bytes[data]
        if code == 7 {
          out.append(byte: 0x20)
          out.append(decimal: value)
          out.append(byte: 0x29)
        } else if value == 5 {
          out.append(" for renew)")
        } else if value == 11 {
          out.append(" for inf-req)")
        } else {
          out.append(" for ???(")
          out.append(hex: value, width: 2)
          out.append("))")
        }
      case 8:
        guard length == 2 else {
          out.append(" ?)")
          continue
        }
        out.append(byte: 0x20)
        out.append(decimal: bytes.be16(at: data))
        out.append(byte: 0x29)
      case 9:
        out.append(" (")
        let nestedEnd = min(optionEnd, snapend)
        guard dhcpv6Verbose(bytes, at: data, length: length, snapend: nestedEnd, to: &out) else {
          return false
        }
        out.append(byte: 0x29)
      case 11:
        guard length >= 11 else {
          out.append(" ?)")
          continue
        }
        writeDHCPv6Authentication(bytes, data: data, length: length, to: &out)
        out.append(byte: 0x29)
      case 18, 38:
        out.append(byte: 0x20)
        writeHex(bytes, from: data, to: min(optionEnd, data + 10), to: &out)
        out.append("...)")
      case 22, 23, 27, 28, 31, 34, 40, 48:
        guard length % 16 == 0 else {
          out.append(" ?)")
          continue
        }
        var index = data
        while index < optionEnd {
          out.append(byte: 0x20)
          IPv6Address(bytes, at: index).write(to: &out)
          index += 16
        }
        out.append(byte: 0x29)
      case 21, 24:
        var index = data
        while index < optionEnd {
          out.append(byte: 0x20)
          let names = DNSLinePrinter(start: optionEnd, snapend: snapend, mdns: false)
          guard let next = names.writeName(bytes, index, &out) else {
            out.append(" [|dhcp6]")
            return true
          }
          index = next
        }
        out.append(byte: 0x29)
      case 13:
        guard length >= 2 else {
          out.append(" ?)")
          continue
        }
        out.append(byte: 0x20)
        Self.writeDHCPv6StatusCode(bytes.be16(at: data), to: &out)
        out.append(byte: 0x29)
      case 3, 25:
        guard length >= 12 else {
          out.append(" ?)")
          continue
        }
        out.append(" IAID:")
        out.append(decimal: bytes.be32(at: data))
        out.append(" T1:")
        out.append(decimal: bytes.be32(at: data + 4))
        out.append(" T2:")
        out.append(decimal: bytes.be32(at: data + 8))
        if length > 12 {
          guard dhcpv6Options(bytes, from: data + 12, to: optionEnd, snapend: snapend, to: &out)
          else { return false }
        }
        out.append(byte: 0x29)
      case 4:
        guard length >= 4 else {
          out.append(" ?)")
          continue
        }
        out.append(" IAID:")
        out.append(decimal: bytes.be32(at: data))
        if length > 4 {
          guard dhcpv6Options(bytes, from: data + 4, to: optionEnd, snapend: snapend, to: &out)
          else { return false }
        }
        out.append(byte: 0x29)
      case 26:
        guard length >= 25 else {
          out.append(" ?)")
          continue
        }
        out.append(byte: 0x20)
        IPv6Address(bytes, at: data + 9).write(to: &out)
        out.append(byte: 0x2F)
        out.append(decimal: bytes[data + 8])
        writeLifetimes(bytes, at: data, to: &out)
        if length > 25 {
          guard dhcpv6Options(bytes, from: data + 25, to: optionEnd, snapend: snapend, to: &out)
          else { return false }
        }
        out.append(byte: 0x29)
      case 32, 46:
        guard length == 4 else {
          out.append(" ?)")
          continue
        }
        out.append(byte: 0x20)
        out.append(decimal: bytes.be32(at: data))
        out.append(byte: 0x29)
      case 37:
        guard length >= 4 else {
          out.append(" ?)")
          continue
        }
        out.append(byte: 0x20)
        out.append(decimal: bytes.be32(at: data))
        out.append(byte: 0x20)
        writeHex(bytes, from: data + 4, to: min(optionEnd, data + 14), to: &out)
        out.append("...)")
      case 44:
        guard length >= 17 else {
          out.append(" ?)")
          continue
        }
        switch bytes[data] {
        case 1: out.append(" by-address")
        case 2: out.append(" by-clientID")
        default:
          out.append(" type_")
          out.append(decimal: bytes[data])
        }
        out.append(byte: 0x20)
        IPv6Address(bytes, at: data + 1).write(to: &out)
        if length > 17 {
          guard dhcpv6Options(bytes, from: data + 17, to: optionEnd, snapend: snapend, to: &out)
          else { return false }
        }
        out.append(byte: 0x29)
      case 45:
        if length > 0 {
          guard dhcpv6Options(bytes, from: data, to: optionEnd, snapend: snapend, to: &out)
          else { return false }
        }
        out.append(byte: 0x29)
      case 47:
        guard length >= 16 else {
          out.append(" ?)")
          continue
        }
        out.append(byte: 0x20)
        IPv6Address(bytes, at: data).write(to: &out)
        out.append(byte: 0x20)
        writeHex(bytes, from: data + 16, to: min(optionEnd, data + 26), to: &out)
        out.append("...)")
      case 56:
        guard length >= 4 else {
          out.append(" ?)")
          continue
        }
        guard writeDHCPv6NTPServer(bytes, data: data, end: optionEnd, snapend: snapend, to: &out)
        else {
          out.append(" [|dhcp6]")
          return true
        }
        out.append(byte: 0x29)
      case 64:
        guard length >= 3 else {
          out.append(" ?)")
          continue
        }
        writeDHCPv6AFTRName(bytes, data: data, length: length, to: &out)
        out.append(byte: 0x29)
      case 41, 42, 112:
        guard length >= 5 else {
          out.append(" ?)")
          continue
        }
        out.append(byte: 0x20)
        var index = data
        while index < optionEnd && bytes[index] != 0 {
          Self.writeCharacter(bytes[index], to: &out)
          index += 1
        }
        out.append(byte: 0x29)
      default:
        out.append(byte: 0x29)
      }
    }
    return true
  }

  /// ` pltime:3600 vltime:7200` from the two 32-bit words at `offset`.
  private func writeLifetimes(_ bytes: Span<UInt8>, at offset: Int, to out: inout TextBuffer) {
    out.append(" pltime:")
    out.append(decimal: bytes.be32(at: offset))
    out.append(" vltime:")
    out.append(decimal: bytes.be32(at: offset + 4))
  }

  /// The bytes from `start` to `end` as two hex digits each.
  private func writeHex(
    _ bytes: Span<UInt8>, from start: Int, to end: Int, to out: inout TextBuffer
  ) {
    var index = start
    while index < end {
      out.append(hexByte: bytes[index])
      index += 1
    }
  }

  /// The authentication option (11): protocol, algorithm, replay detection, then the
  /// protocol's own part.
  private func writeDHCPv6Authentication(
    _ bytes: Span<UInt8>, data: Int, length: Int, to out: inout TextBuffer
  ) {
    let proto = bytes[data]
    switch proto {
    case 2: out.append(" proto: delayed")
    case 3: out.append(" proto: reconfigure")
    default:
      out.append(" proto: ")
      out.append(decimal: proto)
    }
    let algorithm = bytes[data + 1]
    if algorithm == 1 {
      out.append(", alg: HMAC-MD5")
    } else {
      out.append(", alg: ")
      out.append(decimal: algorithm)
    }
    let method = bytes[data + 2]
    if method == 0 {
      out.append(", RDM: mono")
    } else {
      out.append(", RDM: ")
      out.append(decimal: method)
    }
    out.append(", RD:")
    for word in 0..<4 {
      out.append(byte: 0x20)
      out.append(hex: bytes.be16(at: data + 3 + 2 * word), width: 4)
    }
    var cursor = data + 11
    let information = length - 11
    switch proto {
    case 2:
      guard information > 0 else { return }
      guard information >= 20 else { return out.append(" ??") }
      let realm = information - 20
      if realm > 0 { out.append(", realm: ") }
      writeHex(bytes, from: cursor, to: cursor + realm, to: &out)
      cursor += realm
      out.append(", key ID: ")
      out.append(hex: bytes.be32(at: cursor), width: 8)
      cursor += 4
      out.append(", HMAC-MD5:")
      for _ in 0..<4 {
        out.append(byte: 0x20)
        out.append(hex: bytes.be32(at: cursor), width: 8)
        cursor += 4
      }
    case 3:
      guard information == 17 else { return out.append(" ??") }
      switch bytes[cursor] {
      case 1: out.append(" reconfig-key")
      case 2: out.append(" type: HMAC-MD5")
      default: out.append(" type: ??")
      }
      cursor += 1
      out.append(" value:")
      for _ in 0..<4 {
        out.append(byte: 0x20)
        out.append(hex: bytes.be32(at: cursor), width: 8)
        cursor += 4
      }
    default:
      out.append(" ??")
    }
  }

  /// The NTP server option (56): its suboptions; false where one runs past the option.
  private func writeDHCPv6NTPServer(
    _ bytes: Span<UInt8>, data: Int, end: Int, snapend: Int, to out: inout TextBuffer
  ) -> Bool {
    var cursor = data
    while cursor < end - 4 {
      let code = bytes.be16(at: cursor)
      let length = Int(bytes.be16(at: cursor + 2))
      cursor += 4
      guard cursor + length <= end else { return false }
      out.append(" subopt:")
      out.append(decimal: code)
      switch code {
      case 1, 2:
        if length == 16 {
          out.append(byte: 0x20)
          IPv6Address(bytes, at: cursor).write(to: &out)
        } else {
          out.append(" ?")
        }
      case 3:
        out.append(byte: 0x20)
        let names = DNSLinePrinter(start: cursor + length, snapend: snapend, mdns: false)
        guard names.writeName(bytes, cursor, &out) != nil else { return false }
      default:
        out.append(" ?")
      }
      cursor += length
    }
    return true
  }

  /// The AFTR name option (64): its labels joined by dots, ` ?` for a label that does not fit.
  private func writeDHCPv6AFTRName(
    _ bytes: Span<UInt8>, data: Int, length: Int, to out: inout TextBuffer
  ) {
    out.append(byte: 0x20)
    var cursor = data
    var remaining = length
    while remaining > 0 && bytes[cursor] != 0 {
      let label = Int(bytes[cursor])
      cursor += 1
      guard label < remaining - 1 else { return out.append(" ?") }
      var index = cursor
      while index < cursor + label && bytes[index] != 0 {
        Self.writeCharacter(bytes[index], to: &out)
        index += 1
      }
      cursor += label
      remaining -= label + 1
      if bytes[cursor] != 0 { out.append(byte: 0x2E) }
    }
  }
}
