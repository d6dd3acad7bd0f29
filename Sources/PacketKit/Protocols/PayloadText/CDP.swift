// Cisco Discovery Protocol as tcpdump's print-cdp.c prints it (text only: the SNAP payload
// stays `raw` in rawtool's layers): `CDPv2, ttl: 180s, Device-ID 'Switch'` with the other
// TLVs as hex, and at -v one line per TLV with its value decoded.

extension OneLineFormatter {
  /// A CDP message in `start..<end` (the bytes captured; `length` from the SNAP header).
  func cdp(_ bytes: Span<UInt8>, start: Int, end: Int, length: Int, to out: inout TextBuffer) {
    guard length >= 4 else {
      out.append(" (packet length ")
      out.append(decimal: length)
      out.append(" < 4) (invalid)")
      return
    }
    guard start + 2 <= end else { return out.append(" [|cdp]") }
    out.append("CDPv")
    out.append(decimal: bytes[start])
    out.append(", ttl: ")
    out.append(decimal: bytes[start + 1])
    out.append(byte: 0x73)
    guard start + 4 <= end else { return out.append(" [|cdp]") }
    if verbosity > 0 {
      out.append(", checksum: 0x")
      out.append(hex: bytes.be16(at: start + 2), width: 4)
      out.append(" (unverified), length ")
      out.append(decimal: length)
    }
    var position = start + 4
    var remaining = length - 4
    while remaining > 0 {
      guard remaining >= 4 else {
        out.append(" (remaining packet length ")
        out.append(decimal: remaining)
        out.append(" < 4)")
        return cdpInvalid(position, remaining, end, to: &out)
      }
      guard position + 4 <= end else { return out.append(" [|cdp]") }
      let type = bytes.be16(at: position)
      let tlvLength = Int(bytes.be16(at: position + 2))
      let info = Self.cdpTLV(type)
      if tlvLength < 4 {
        if verbosity > 0 {
          out.append("\n\t")
          out.append(info.name)
          out.append(" (0x")
          out.append(hex: type, width: 2)
          out.append("), TLV length: ")
          out.append(decimal: tlvLength)
          out.append(tlvLength == 1 ? " byte (too short)" : " bytes (too short)")
        } else {
          out.append(", ")
          out.append(info.name)
          out.append(" TLV length ")
          out.append(decimal: tlvLength)
          out.append(" too short")
        }
        return cdpInvalid(position, remaining, end, to: &out)
      }
      if tlvLength > remaining {
        out.append(" (TLV length ")
        out.append(decimal: tlvLength)
        out.append(" > ")
        out.append(decimal: remaining)
        out.append(byte: 0x29)
        return cdpInvalid(position, remaining, end, to: &out)
      }
      position += 4
      remaining -= 4
      let valueLength = tlvLength - 4
      if verbosity == 0 && type == 0x01 {
        out.append(", Device-ID ")
      } else if verbosity > 0 {
        out.append("\n\t")
        out.append(info.name)
        out.append(" (0x")
        out.append(hex: type, width: 2)
        out.append("), value length: ")
        out.append(decimal: valueLength)
        out.append(valueLength == 1 ? " byte: " : " bytes: ")
      }
      var covered = false
      if info.known {
        if (info.minimum > 0 && valueLength < info.minimum)
          || (info.maximum > 0 && valueLength > info.maximum)
        {
          out.append(" (malformed TLV)")
        } else if verbosity > 0 || type == 0x01 {
          guard cdpValue(type, bytes, position, valueLength, end, to: &out) else {
            return out.append(" [|cdp]")
          }
          covered = true
        }
      }
      if !covered {
        guard position + valueLength <= end else { return out.append(" [|cdp]") }
        Self.writeHexLines(bytes, from: position, count: valueLength, prefix: "\n\t  ", to: &out)
      }
      position += valueLength
      remaining -= valueLength
    }
    if verbosity == 0 {
      out.append(", length ")
      out.append(decimal: length)
    }
  }

  /// tcpdump's end of a malformed message: ` (invalid)`, then ` [|cdp]` when the rest
  /// was not captured.
  func cdpInvalid(_ position: Int, _ remaining: Int, _ end: Int, to out: inout TextBuffer) {
    out.append(" (invalid)")
    if position + remaining > end { out.append(" [|cdp]") }
  }

  /// A TLV type's name, whether tcpdump has an entry for it, and its value length bounds
  /// (0: none).
  static func cdpTLV(_ type: UInt16) -> (
    name: StaticString, known: Bool, minimum: Int, maximum: Int
  ) {
    switch type {
    case 0x01: ("Device-ID", true, 0, 0)
    case 0x02: ("Address", true, 0, 0)
    case 0x03: ("Port-ID", true, 0, 0)
    case 0x04: ("Capability", true, 4, 4)
    case 0x05: ("Version String", true, 0, 0)
    case 0x06: ("Platform", true, 0, 0)
    case 0x07: ("Prefixes", true, 0, 0)
    case 0x08: ("Protocol-Hello option", true, 0, 0)
    case 0x09: ("VTP Management Domain", true, 0, 0)
    case 0x0A: ("Native VLAN ID", true, 2, 2)
    case 0x0B: ("Duplex", true, 1, 1)
    case 0x0E: ("ATA-186 VoIP VLAN assignment", true, 3, 3)
    case 0x0F: ("ATA-186 VoIP VLAN request", true, 2, 3)
    case 0x10: ("power consumption", true, 1, 3)
    case 0x11: ("MTU", true, 4, 4)
    case 0x12: ("AVVID trust bitmap", true, 1, 1)
    case 0x13: ("AVVID untrusted ports CoS", true, 1, 1)
    case 0x14: ("System Name", true, 0, 0)
    case 0x15: ("System Object ID (not decoded)", true, 0, 0)
    case 0x16: ("Management Addresses", true, 4, 0)
    case 0x17: ("Physical Location", true, 1, 0)
    case 0x00, 0x0C, 0x0D: ("unknown field type", true, 0, 0)
    default: ("unknown field type", false, 0, 0)
    }
  }

  /// Prints a TLV's value; false when its bytes were not all captured.
  func cdpValue(
    _ type: UInt16, _ bytes: Span<UInt8>, _ start: Int, _ length: Int, _ end: Int,
    to out: inout TextBuffer
  ) -> Bool {
    let captured = start + length <= end
    switch type {
    case 0x01, 0x03, 0x06, 0x09, 0x14:
      out.append(byte: 0x27)
      var index = start
      while index < start + length {
        guard index < end else { return false }
        Self.writeCharacter(bytes[index], to: &out)
        index += 1
      }
      out.append(byte: 0x27)
    case 0x02, 0x16:
      return cdpAddresses(bytes, start, length, end, to: &out)
    case 0x04:
      guard captured else { return false }
      let value = bytes.be32(at: start)
      out.append("(0x")
      out.append(hex: value, width: 8)
      out.append("): ")
      var first = true
      Self.writeBitName(value, 0x01, "Router", first: &first, to: &out)
      Self.writeBitName(value, 0x02, "Transparent Bridge", first: &first, to: &out)
      Self.writeBitName(value, 0x04, "Source Route Bridge", first: &first, to: &out)
      Self.writeBitName(value, 0x08, "L2 Switch", first: &first, to: &out)
      Self.writeBitName(value, 0x10, "L3 capable", first: &first, to: &out)
      Self.writeBitName(value, 0x20, "IGMP snooping", first: &first, to: &out)
      Self.writeBitName(value, 0x40, "L1 capable", first: &first, to: &out)
      if first { out.append("none") }
    case 0x05:
      out.append("\n\t  ")
      var index = start
      while index < start + length {
        guard index < end else { return false }
        if bytes[index] == 0x0A {
          out.append("\n\t  ")
        } else {
          Self.writeCharacter(bytes[index], to: &out)
        }
        index += 1
      }
    case 0x07:
      if length % 5 != 0 {
        out.append(" [length ")
        out.append(decimal: length)
        out.append(" is not a multiple of 5]")
        return captured
      }
      out.append(" IPv4 Prefixes (")
      out.append(decimal: length / 5)
      out.append("):")
      var index = start
      while index < start + length {
        guard index + 5 <= end else { return false }
        out.append(byte: 0x20)
        IPv4Address(bytes, at: index).write(to: &out)
        out.append(byte: 0x2F)
        out.append(decimal: bytes[index + 4])
        index += 5
      }
    case 0x0A:
      guard captured else { return false }
      out.append(decimal: bytes.be16(at: start))
    case 0x0B:
      guard captured else { return false }
      out.append(bytes[start] != 0 ? "full" : "half")
    case 0x0E, 0x0F:
      guard captured else { return false }
      if length == 2 {
        out.append("unknown 0x")
        out.append(hex: bytes.be16(at: start), width: 4)
      } else {
        out.append("app ")
        out.append(decimal: bytes[start])
        out.append(", vlan ")
        out.append(decimal: bytes.be16(at: start + 1))
      }
    case 0x10:
      guard captured else { return false }
      var value: UInt64 = 0
      for index in start..<start + length { value = value << 8 | UInt64(bytes[index]) }
      Self.writeMilliUnits(value, to: &out)
      out.append(byte: 0x57)
    case 0x11:
      guard captured else { return false }
      out.append(decimal: bytes.be32(at: start))
      out.append(" bytes")
    case 0x12, 0x13:
      guard captured else { return false }
      out.append("0x")
      out.append(hexByte: bytes[start])
    case 0x17:
      guard start < end else { return false }
      out.append("0x")
      out.append(hexByte: bytes[start])
      if length > 1 {
        out.append(byte: 0x2F)
        var index = start + 1
        while index < start + length {
          guard index < end else { return false }
          Self.writeCharacter(bytes[index], to: &out)
          index += 1
        }
      }
    default:
      return captured
    }
    return true
  }

  /// `%1.2f` of `value / 1000.0` as printf rounds the double.
  static func writeMilliUnits(_ value: UInt64, to out: inout TextBuffer) {
    var hundredths = value / 10
    let rest = value % 10
    if rest > 5 {
      hundredths += 1
    } else if rest == 5 {
      // The double nearest value/1000 lies above or below the tie (fused multiply-add
      // gives the sign of its distance exactly); exactly on it, to even.
      let double = Double(value) / 1000.0
      let residual = (-Double(value)).addingProduct(double, 1000.0)
      if residual > 0 || (residual == 0 && hundredths % 2 == 1) { hundredths += 1 }
    }
    out.append(decimal: hundredths / 100)
    out.append(byte: 0x2E)
    out.appendDigits(hundredths % 100, count: 2)
  }

  /// An address list that does not fit its TLV: the reason, and false when the rest of the
  /// TLV (up to `stop`) was not captured.
  static func cdpInvalidAddress(
    _ reason: StaticString, _ stop: Int, _ end: Int, _ out: inout TextBuffer
  ) -> Bool {
    out.append(reason)
    return stop <= end
  }

  /// The addresses of an Address or Management Addresses TLV (tcpdump's `cdp_print_addr`);
  /// false when the bytes ran out.
  func cdpAddresses(
    _ bytes: Span<UInt8>, _ start: Int, _ length: Int, _ end: Int, to out: inout TextBuffer
  ) -> Bool {
    var position = start
    var left = length
    guard left >= 4 else {
      return Self.cdpInvalidAddress(" (not enough space for num)", position + left, end, &out)
    }
    guard position + 4 <= end else { return false }
    var count = bytes.be32(at: position)
    position += 4
    left -= 4
    while count > 0 {
      guard left >= 2 else {
        return Self.cdpInvalidAddress(" (not enough space for PT+PL)", position + left, end, &out)
      }
      guard position + 2 <= end else { return false }
      let protocolType = bytes[position]
      let protocolLength = Int(bytes[position + 1])
      position += 2
      left -= 2
      guard left >= protocolLength + 2 else {
        return Self.cdpInvalidAddress(" (not enough space for P+AL)", position + left, end, &out)
      }
      guard position + protocolLength + 2 <= end else { return false }
      let addressLength = Int(bytes.be16(at: position + protocolLength))
      // IPv4: an NLPID protocol of 1 byte, 0xcc; IPv6: an LLC/SNAP header with the IPv6
      // EtherType. Anything else is printed as bytes.
      let isIPv4 =
        protocolType == 1 && protocolLength == 1 && bytes[position] == 0xCC && addressLength == 4
      let isIPv6 =
        protocolType == 2 && protocolLength == 8
        && bytes.be64(at: position) == 0xAAAA_0300_0000_86DD && addressLength == 16
      if isIPv4 || isIPv6 {
        position += protocolLength + 2
        left -= protocolLength + 2
        guard left >= addressLength else {
          return Self.cdpInvalidAddress(" (not enough space for A)", position + left, end, &out)
        }
        guard position + addressLength <= end else { return false }
        out.append(isIPv4 ? "IPv4 (" : "IPv6 (")
        out.append(decimal: count)
        out.append(") ")
        if isIPv4 {
          IPv4Address(bytes, at: position).write(to: &out)
        } else {
          IPv6Address(bytes, at: position).write(to: &out)
        }
        position += addressLength
        left -= addressLength
      } else {
        out.append("pt=0x")
        out.append(hexByte: protocolType)
        out.append(", pl=")
        out.append(decimal: protocolLength)
        out.append(", pb=")
        for index in position..<position + protocolLength {
          out.append(byte: 0x20)
          out.append(hexByte: bytes[index])
        }
        position += protocolLength + 2
        left -= protocolLength + 2
        out.append(", al=")
        out.append(decimal: addressLength)
        out.append(", a=")
        guard left >= addressLength else {
          return Self.cdpInvalidAddress(" (not enough space for A)", position + left, end, &out)
        }
        for index in position..<position + addressLength {
          guard index < end else { return false }
          out.append(byte: 0x20)
          out.append(hexByte: bytes[index])
        }
        position += addressLength
        left -= addressLength
      }
      count -= 1
      if count > 0 { out.append(byte: 0x20) }
    }
    if left > 0 {
      out.append(" (")
      out.append(decimal: left)
      out.append(" bytes of stray data)")
    }
    return true
  }
}
