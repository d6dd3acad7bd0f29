// ICMPv6 in tcpdump's -v text (print-icmp6.c): the checksum verdict before the message.

extension OneLineFormatter {
  /// `[icmp6 sum ok] ` or `[bad icmp6 cksum 0xdead -> 0x1234!] `, when the whole message was
  /// captured and the datagram is not a fragment (also with `-K`, as tcpdump).
  func icmpv6Checksum(
    _ frame: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int,
    _ message: ICMPv6Message, length: Int, to out: inout TextBuffer
  ) {
    let start = frame[index].range.lowerBound
    // tcpdump checks ICMPv6 checksums at -v whatever -K says.
    guard verbosity > 0, length > 0, !Self.isFragmentPayload(frame, index),
      start + length <= bytes.count, index > 0, case .ipv6(let header) = frame[index - 1].header
    else { return }
    let sum = Self.transportSum(
      frame, bytes, index, start..<(start + length), addresses: .v6(header.src, header.dst),
      protocol: 58)
    if sum.isValid {
      out.append("[icmp6 sum ok] ")
    } else {
      out.append("[bad icmp6 cksum 0x")
      out.append(hex: message.checksum, width: 4)
      out.append(" -> 0x")
      out.append(hex: Self.checksumShouldBe(stored: message.checksum, sum: sum), width: 4)
      out.append("!] ")
    }
  }

  /// Whether tcpdump's -v text leaves out the final `, length N` of this message type (it
  /// prints it after the name of neighbour discovery messages instead, or not at all).
  static func icmpv6VerboseOmitsLength(_ type: UInt8) -> Bool {
    switch type {
    case 1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 143: true
    default: false
    }
  }
}

extension OneLineFormatter {
  /// tcpdump's `hex_print` after a prefix (`print_unknown_data`): `PREFIX0x0000:  0201 0200`,
  /// sixteen bytes a line, of the bytes captured.
  static func writeHexLines(
    _ bytes: Span<UInt8>, from start: Int, count: Int, prefix: StaticString,
    to out: inout TextBuffer
  ) {
    let end = min(start + max(0, count), bytes.count)
    var index = start
    while index < end {
      if (index - start) % 16 == 0 {
        out.append(prefix)
        out.append("0x")
        out.append(hex: UInt(index - start), width: 4)
        out.append(": ")
      }
      out.append(byte: 0x20)
      out.append(hexByte: bytes[index])
      if index + 1 < end { out.append(hexByte: bytes[index + 1]) }
      index += 2
    }
  }

  /// The neighbour discovery part of a router/neighbour/redirect message at `-v`: the router
  /// advertisement's line, the neighbour advertisement's flags, then each option on a line
  /// of its own (tcpdump's `icmp6_opt_print`). `end` is where the message ends.
  func icmpv6NeighbourDiscovery(
    _ bytes: Span<UInt8>, start: Int, type: UInt8, end: Int, to out: inout TextBuffer
  ) {
    var options = start + 8
    switch type {
    case 134:
      guard start + 16 <= bytes.count else { return out.append(" [|icmp6]") }
      let flags = bytes[start + 5]
      out.append("\n\thop limit ")
      out.append(decimal: bytes[start + 4])
      out.append(", Flags [")
      Self.writeFlagNames(
        flags, (0x80, "managed"), (0x40, "other stateful"), (0x20, "home agent"),
        (0x02, "ipv6 only"), to: &out)
      out.append("], pref ")
      Self.writeRoutePreference(flags, to: &out)
      out.append(", router lifetime ")
      out.append(decimal: bytes.be16(at: start + 6))
      out.append("s, reachable time ")
      out.append(decimal: bytes.be32(at: start + 8))
      out.append("ms, retrans timer ")
      out.append(decimal: bytes.be32(at: start + 12))
      out.append("ms")
      options = start + 16
    case 135:
      options = start + 24
    case 136:
      guard start + 8 <= bytes.count else { return }
      out.append(", Flags [")
      Self.writeFlagNames(
        bytes[start + 4], (0x80, "router"), (0x40, "solicited"), (0x20, "override"),
        (0, ""), to: &out)
      out.append(byte: 0x5D)
      options = start + 24
    case 137:
      options = start + 40
    default:
      break
    }
    if !icmpv6Options(bytes, from: options, end: end, to: &out) { out.append(" [|icmp6]") }
  }

  /// `flag, flag` for the bits of `value` set, in the order given, or `none`.
  static func writeFlagNames(
    _ value: UInt8, _ a: (UInt8, StaticString), _ b: (UInt8, StaticString),
    _ c: (UInt8, StaticString), _ d: (UInt8, StaticString), to out: inout TextBuffer
  ) {
    var first = true
    for flag in 0..<4 {
      let (mask, name) = flag == 0 ? a : flag == 1 ? b : flag == 2 ? c : d
      guard mask != 0 && value & mask != 0 else { continue }
      if !first { out.append(", ") }
      first = false
      out.append(name)
    }
    if first { out.append("none") }
  }

  /// `medium`, `high`, `rsv` or `low`: a route preference (bits 3-4).
  static func writeRoutePreference(_ flags: UInt8, to out: inout TextBuffer) {
    switch (flags >> 3) & 3 {
    case 0: out.append("medium")
    case 1: out.append("high")
    case 2: out.append("rsv")
    default: out.append("low")
    }
  }

  /// A lifetime in seconds: `86400s`, or `infinity` for all ones.
  static func writeLifetime(_ value: UInt32, to out: inout TextBuffer) {
    if value == UInt32.max { return out.append("infinity") }
    out.append(decimal: value)
    out.append(byte: 0x73)
  }

  /// The options from `start` to `end`; false when one runs past the capture.
  func icmpv6Options(_ bytes: Span<UInt8>, from start: Int, end: Int, to out: inout TextBuffer)
    -> Bool
  {
    var cursor = start
    // tcpdump reads up to the end of the IP payload (its snapend), padding left out.
    let limit = min(bytes.count, end)
    while cursor < limit {
      guard cursor + 1 < limit else { return false }
      let type = bytes[cursor]
      let units = Int(bytes[cursor + 1])
      let length = units << 3
      guard units > 0, cursor + length <= limit else { return false }
      out.append("\n\t  ")
      switch type {
      case 1: out.append("source link-address")
      case 2: out.append("destination link-address")
      case 3: out.append("prefix info")
      case 4: out.append("redirected header")
      case 5: out.append("mtu")
      case 25: out.append("rdnss")
      case 31: out.append("dnssl")
      case 7: out.append("advertisement interval")
      case 8: out.append("homeagent information")
      case 24: out.append("route info")
      default: out.append("unknown")
      }
      out.append(" option (")
      out.append(decimal: type)
      out.append("), length ")
      out.append(decimal: length)
      out.append(" (")
      out.append(decimal: units)
      out.append("): ")
      switch type {
      case 1, 2:
        writeLinkAddress(bytes, cursor + 2, length - 2, to: &out)
      case 3:
        guard cursor + 32 <= bytes.count else { return false }
        IPv6Address(bytes, at: cursor + 16).write(to: &out)
        out.append(byte: 0x2F)
        out.append(decimal: bytes[cursor + 2])
        if units != 4 { out.append("badlen") }
        out.append(", Flags [")
        Self.writeFlagNames(
          bytes[cursor + 3], (0x80, "onlink"), (0x40, "auto"), (0x20, "router"), (0, ""),
          to: &out)
        out.append("], valid time ")
        Self.writeLifetime(bytes.be32(at: cursor + 4), to: &out)
        out.append(", pref. time ")
        Self.writeLifetime(bytes.be32(at: cursor + 8), to: &out)
      case 4:
        // tcpdump dumps from the first option, whatever this option's place.
        Self.writeHexLines(bytes, from: start, count: length, prefix: "\n\t    ", to: &out)
      case 5:
        out.append(byte: 0x20)
        out.append(decimal: bytes.be32(at: cursor + 4))
        if units != 1 { out.append("bad option length") }
      case 25:
        out.append(" lifetime ")
        out.append(decimal: bytes.be32(at: cursor + 4))
        out.append("s,")
        for index in 0..<((units - 1) / 2) {
          out.append(" addr: ")
          IPv6Address(bytes, at: cursor + 8 + 16 * index).write(to: &out)
        }
      case 31:
        out.append(" lifetime ")
        out.append(decimal: bytes.be32(at: cursor + 4))
        out.append("s, domain(s):")
      case 7:
        out.append(byte: 0x20)
        out.append(decimal: bytes.be32(at: cursor + 4))
        out.append("ms")
      case 8:
        out.append(" preference ")
        out.append(decimal: bytes.be16(at: cursor + 4))
        out.append(", lifetime ")
        out.append(decimal: bytes.be16(at: cursor + 6))
      case 24:
        guard units <= 3 else { return false }
        var prefix = InlineArray<16, UInt8>(repeating: 0)
        for index in 0..<(8 * (units - 1)) { prefix[index] = bytes[cursor + 8 + index] }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = high << 8 | UInt64(prefix[index]) }
        for index in 8..<16 { low = low << 8 | UInt64(prefix[index]) }
        IPv6Address(high: high, low: low).write(to: &out)
        out.append(byte: 0x2F)
        out.append(decimal: bytes[cursor + 2])
        out.append(", pref=")
        Self.writeRoutePreference(bytes[cursor + 3], to: &out)
        out.append(", lifetime=")
        Self.writeLifetime(bytes.be32(at: cursor + 4), to: &out)
      default:
        if verbosity <= 1 {
          Self.writeHexLines(bytes, from: cursor + 2, count: length - 2, prefix: "\n\t  ", to: &out)
          return true
        }
      }
      if verbosity > 1 {
        Self.writeHexLines(bytes, from: cursor + 2, count: length - 2, prefix: "\n\t    ", to: &out)
      }
      cursor += length
    }
    return true
  }
}
