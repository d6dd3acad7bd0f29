// The transport part of a tcpdump -n line: TCP (flags, relative sequence numbers, options),
// UDP, ICMP and ICMPv6 (echo, errors with the quoted datagram's addresses, neighbour
// discovery, MLD).

extension OneLineFormatter {
  // MARK: TCP

  func writePorts(
    _ addresses: AddressPair, _ srcPort: UInt16, _ dstPort: UInt16, direct: Bool,
    to out: inout TextBuffer
  ) {
    if direct {
      addresses.writeSource(to: &out)
      out.append(byte: 0x2E)
    }
    out.append(decimal: srcPort)
    out.append(" > ")
    if direct {
      addresses.writeDestination(to: &out)
      out.append(byte: 0x2E)
    }
    out.append(decimal: dstPort)
    out.append(": ")
  }

  mutating func tcp(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ header: TCPHeader,
    addresses: AddressPair, direct: Bool, length: Int, to out: inout TextBuffer
  ) {
    let layer = frame[index]
    let start = layer.range.lowerBound
    if case .truncated(let cut) = layer.status, cut.available < TCPHeader.minimumLength {
      if cut.available >= 4 {
        writePorts(addresses, header.srcPort, header.dstPort, direct: direct, to: &out)
      } else {
        addresses.write(to: &out)
      }
      return out.append(" [|tcp]")
    }
    writePorts(addresses, header.srcPort, header.dstPort, direct: direct, to: &out)
    let headerLength = header.headerLength
    if header.dataOffset < 5 {
      out.append(" tcp ")
      out.append(decimal: length - headerLength)
      out.append(" [bad hdr length ")
      out.append(decimal: headerLength)
      out.append(" - too short, < 20]")
      return
    }
    let flags = UInt8(truncatingIfNeeded: header.flags)
    out.append("Flags [")
    if flags == 0 {
      out.append("none")
    } else {
      if flags & 0x01 != 0 { out.append(byte: UInt8(ascii: "F")) }
      if flags & 0x02 != 0 { out.append(byte: UInt8(ascii: "S")) }
      if flags & 0x04 != 0 { out.append(byte: UInt8(ascii: "R")) }
      if flags & 0x08 != 0 { out.append(byte: UInt8(ascii: "P")) }
      if flags & 0x10 != 0 { out.append(byte: UInt8(ascii: ".")) }
      if flags & 0x20 != 0 { out.append(byte: UInt8(ascii: "U")) }
      if flags & 0x40 != 0 { out.append(byte: UInt8(ascii: "E")) }
      if flags & 0x80 != 0 { out.append(byte: UInt8(ascii: "W")) }
    }
    out.append(byte: 0x5D)
    var seq = header.seq
    var ack = header.ack
    var sackBase: UInt32 = 0
    if !absoluteSequence && flags & 0x10 != 0 {
      let src: (UInt64, UInt64)
      let dst: (UInt64, UInt64)
      let isIPv6: Bool
      switch addresses {
      case .v4(let s, let d):
        src = (0, UInt64(s.rawValue))
        dst = (0, UInt64(d.rawValue))
        isIPv6 = false
      case .v6(let s, let d):
        src = (s.high, s.low)
        dst = (d.high, d.low)
        isIPv6 = true
      }
      let result = sequences.relative(
        src: src, dst: dst, isIPv6: isIPv6, srcPort: header.srcPort, dstPort: header.dstPort,
        seq: seq, ack: ack, syn: flags & 0x02 != 0)
      seq = result.seq
      ack = result.ack
      sackBase = result.reversed ? result.baseSeq : result.baseAck
    }
    if headerLength > length {
      out.append(" [bad hdr length ")
      out.append(decimal: headerLength)
      out.append(" - too long, > ")
      out.append(decimal: length)
      out.append(byte: 0x5D)
      return
    }
    let payload = length - headerLength
    if payload > 0 || flags & 0x07 != 0 {
      out.append(", seq ")
      out.append(decimal: seq)
      if payload > 0 {
        out.append(byte: 0x3A)
        out.append(decimal: seq &+ UInt32(truncatingIfNeeded: payload))
      }
    }
    if flags & 0x10 != 0 {
      out.append(", ack ")
      out.append(decimal: ack)
    }
    out.append(", win ")
    out.append(decimal: header.window)
    if flags & 0x20 != 0 {
      out.append(", urg ")
      out.append(decimal: header.urgent)
    }
    if headerLength > TCPHeader.minimumLength {
      out.append(", options [")
      guard
        tcpOptions(
          bytes, from: start + TCPHeader.minimumLength,
          length: headerLength - TCPHeader.minimumLength, sackBase: sackBase, to: &out)
      else { return }
      out.append(byte: 0x5D)
    }
    out.append(", length ")
    out.append(decimal: payload)
    if payload > 0, index + 1 < frame.count, frame[index + 1].kind != .raw {
      // DNS prints its own separator (a space: tcpdump's domain_print over TCP).
      if frame[index + 1].kind != .dns { out.append(": ") }
      _ = application(
        frame, wire: wireLength, bytes, index + 1, length: payload, over: .tcp, to: &out)
    }
  }

  /// tcpdump's option loop. Returns false when it ended the line (`[bad opt]` or `[|tcp]`).
  func tcpOptions(
    _ bytes: Span<UInt8>, from start: Int, length: Int, sackBase: UInt32,
    to out: inout TextBuffer
  ) -> Bool {
    var left = length
    var cursor = start
    var separated = false
    let captured = bytes.count
    while left > 0 {
      if separated { out.append(byte: 0x2C) }
      guard cursor < captured else {
        out.append(" [|tcp]")
        return false
      }
      let kind = bytes[cursor]
      cursor += 1
      var optionLength = 1
      if kind > 1 {
        guard cursor < captured else {
          out.append(" [|tcp]")
          return false
        }
        optionLength = Int(bytes[cursor])
        cursor += 1
        if optionLength < 2 || optionLength > left {
          out.append("[bad opt]")
          if separated { out.append(byte: 0x5D) }
          return false
        }
        left -= 1
      }
      left -= 1
      // LENCHECK: `need` data bytes must be inside the header (else bad) and captured (else cut).
      var problem = 0  // 1 bad, 2 truncated
      func check(_ need: Int) -> Bool {
        if need > left {
          problem = 1
          return false
        }
        if cursor + need > captured {
          problem = 2
          return false
        }
        return true
      }
      var dataLength = 0
      switch kind {
      case 0: out.append("eol")
      case 1: out.append("nop")
      case 2:
        out.append("mss")
        dataLength = 2
        if check(2) {
          out.append(byte: 0x20)
          out.append(decimal: bytes.be16(at: cursor))
        }
      case 3:
        out.append("wscale")
        dataLength = 1
        if check(1) {
          out.append(byte: 0x20)
          out.append(decimal: bytes[cursor])
        }
      case 4: out.append("sackOK")
      case 5:
        out.append("sack")
        dataLength = optionLength - 2
        if dataLength % 8 != 0 {
          out.append(" invalid sack")
        } else {
          out.append(byte: 0x20)
          out.append(decimal: dataLength / 8)
          out.append(byte: 0x20)
          var block = 0
          while block < dataLength {
            guard check(block + 8) else { break }
            out.append(byte: 0x7B)
            out.append(decimal: bytes.be32(at: cursor + block) &- sackBase)
            out.append(byte: 0x3A)
            out.append(decimal: bytes.be32(at: cursor + block + 4) &- sackBase)
            out.append(byte: 0x7D)
            block += 8
          }
        }
      case 6, 7, 11, 12, 13:
        switch kind {
        case 6: out.append("echo")
        case 7: out.append("echoreply")
        case 11: out.append("cc")
        case 12: out.append("ccnew")
        default: break
        }
        dataLength = 4
        if check(4) {
          out.append(byte: 0x20)
          out.append(decimal: bytes.be32(at: cursor))
        }
      case 8:
        out.append("TS")
        dataLength = 8
        if check(8) {
          out.append(" val ")
          out.append(decimal: bytes.be32(at: cursor))
          out.append(" ecr ")
          out.append(decimal: bytes.be32(at: cursor + 4))
        }
      case 28:
        out.append("uto")
        dataLength = 2
        if check(2) {
          let value = bytes.be16(at: cursor)
          out.append(" 0x")
          out.append(hex: value)
          out.append(byte: 0x20)
          out.append(decimal: value & 1 != 0 ? UInt32(value >> 1) * 60 : UInt32(value >> 1))
        }
      case 254:
        out.append("exp")
        dataLength = optionLength - 2
        if check(dataLength) {
          if dataLength < 2 {
            problem = 1
          } else {
            out.append(byte: 0x2D)
            out.append(hex: bytes.be16(at: cursor), width: 4)
          }
        }
      default:
        switch kind {
        case 19: out.append("md5")
        case 20: out.append("scps")
        case 29: out.append("tcp-ao")
        case 30: out.append("mptcp")
        case 34: out.append("tfo")
        default:
          out.append("unknown-")
          out.append(decimal: kind)
        }
        dataLength = optionLength - 2
        if dataLength > 0 { out.append(" 0x") }
        for offset in 0..<max(0, dataLength) {
          guard check(offset + 1) else { break }
          out.append(hexByte: bytes[cursor + offset])
        }
      }
      if problem == 1 {
        out.append("[bad opt]")
        if separated { out.append(byte: 0x5D) }
        return false
      }
      if problem == 2 {
        out.append(" [|tcp]")
        if separated { out.append(byte: 0x3E) }
        return false
      }
      cursor += dataLength
      left -= dataLength
      let seen = dataLength + (kind > 1 ? 2 : 1)
      if seen != optionLength {
        out.append("[len ")
        out.append(decimal: optionLength)
        out.append(byte: 0x5D)
      }
      separated = true
      if kind == 0 { break }
    }
    return true
  }

  // MARK: UDP

  mutating func udp(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ header: UDPHeader,
    addresses: AddressPair, direct: Bool, length: Int, fragment: Bool, to out: inout TextBuffer
  ) {
    let layer = frame[index]
    if case .truncated(let cut) = layer.status {
      if cut.available >= 4 {
        writePorts(addresses, header.srcPort, header.dstPort, direct: direct, to: &out)
      } else {
        addresses.write(to: &out)
      }
      return out.append(" [|udp]")
    }
    writePorts(addresses, header.srcPort, header.dstPort, direct: direct, to: &out)
    let udpLength = Int(header.length)
    if udpLength < UDPHeader.headerLength {
      out.append("truncated-udplength ")
      out.append(decimal: udpLength)
      return
    }
    let data = udpLength - UDPHeader.headerLength
    let available = length - UDPHeader.headerLength
    if data > available && !fragment {
      out.append("UDP, bad length ")
      out.append(decimal: data)
      out.append(" > ")
      out.append(decimal: available)
      return
    }
    if index + 1 < frame.count,
      application(frame, wire: wireLength, bytes, index + 1, length: data, over: .udp, to: &out)
    {
      return
    }
    out.append("UDP, length ")
    out.append(decimal: data)
  }

  // MARK: ICMP

  func icmp(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ message: ICMPv4Message,
    length: Int, to out: inout TextBuffer
  ) {
    let layer = frame[index]
    guard layer.status.isComplete else { return out.append(" [|icmp]") }
    let start = layer.range.lowerBound
    let quote = start + 8
    // The quoted datagram's destination, protocol and (for port unreachable) destination port.
    let quotedHeader = quote + 20 <= bytes.count
    let quotedDst = quotedHeader ? IPv4Address(bytes, at: quote + 16) : IPv4Address.any
    out.append("ICMP ")
    switch message.type {
    case 0, 8:
      out.append(message.type == 8 ? "echo request, id " : "echo reply, id ")
      out.append(decimal: message.id)
      out.append(", seq ")
      out.append(decimal: message.seq)
    case 3:
      guard quotedHeader else { return out.append(" [|icmp]") }
      switch message.code {
      case 0, 1, 6, 7, 9, 10, 11, 12, 13, 14, 15:
        let network =
          message.code == 0 || message.code == 6 || message.code == 9 || message.code == 11
        out.append(network ? "net " : "host ")
        quotedDst.write(to: &out)
        switch message.code {
        case 6, 7: out.append(" unreachable - unknown")
        case 9, 10: out.append(" unreachable - admin prohibited")
        case 11, 12: out.append(" unreachable - tos prohibited")
        case 13: out.append(" unreachable - admin prohibited filter")
        case 14: out.append(" unreachable - host precedence violation")
        case 15: out.append(" unreachable - precedence cutoff")
        default: out.append(" unreachable")
        }
      case 2:
        quotedDst.write(to: &out)
        out.append(" protocol ")
        out.append(decimal: bytes[quote + 9])
        out.append(" unreachable")
      case 3:
        let proto = bytes[quote + 9]
        let portOffset = quote + Int(bytes[quote] & 0x0F) * 4 + 2
        guard portOffset + 2 <= bytes.count else { return out.append(" [|icmp]") }
        quotedDst.write(to: &out)
        switch proto {
        case 6: out.append(" tcp port ")
        case 17: out.append(" udp port ")
        default:
          out.append(" protocol ")
          out.append(decimal: proto)
          out.append(" port ")
        }
        out.append(decimal: bytes.be16(at: portOffset))
        out.append(" unreachable")
      case 4:
        quotedDst.write(to: &out)
        out.append(" unreachable - need to frag")
        let mtu = UInt16(truncatingIfNeeded: message.rest)
        if mtu != 0 {
          out.append(" (mtu ")
          out.append(decimal: mtu)
          out.append(byte: 0x29)
        }
      case 5:
        quotedDst.write(to: &out)
        out.append(" unreachable - source route failed")
      case 8:
        quotedDst.write(to: &out)
        out.append(" unreachable - source host isolated")
      default:
        quotedDst.write(to: &out)
        out.append(" unreachable - #")
        out.append(decimal: message.code)
      }
    case 4:
      out.append("source quench")
    case 5:
      guard quotedHeader else { return out.append(" [|icmp]") }
      switch message.code {
      case 2, 3: out.append("redirect-tos ")
      default: out.append("redirect ")
      }
      quotedDst.write(to: &out)
      switch message.code {
      case 0, 2: out.append(" to net ")
      case 1, 3: out.append(" to host ")
      default: out.append(" to ")
      }
      IPv4Address(rawValue: message.rest).write(to: &out)
    case 9: out.append("router advertisement")
    case 10: out.append("router solicitation")
    case 11:
      out.append(message.code == 1 ? "ip reassembly time exceeded" : "time exceeded in-transit")
    case 12:
      if message.code == 0 {
        out.append("parameter problem - octet ")
        out.append(decimal: UInt8(truncatingIfNeeded: message.rest >> 24))
      } else {
        out.append("parameter problem code ")
        out.append(decimal: message.code)
      }
    case 13, 14:
      out.append(message.type == 13 ? "time stamp query id " : "time stamp reply id ")
      out.append(decimal: message.id)
      out.append(" seq ")
      out.append(decimal: message.seq)
      if message.type == 14 {
        guard start + 20 <= bytes.count else { return out.append(" [|icmp]") }
        out.append(": org ")
        writeMilliseconds(bytes.be32(at: start + 8), to: &out)
        out.append(", recv ")
        writeMilliseconds(bytes.be32(at: start + 12), to: &out)
        out.append(", xmit ")
        writeMilliseconds(bytes.be32(at: start + 16), to: &out)
      }
    case 15: out.append("information request")
    case 16: out.append("information reply")
    case 17: out.append("address mask request")
    case 18:
      guard start + 12 <= bytes.count else { return out.append(" [|icmp]") }
      out.append("address mask is 0x")
      out.append(hex: bytes.be32(at: start + 8), width: 8)
    default:
      out.append("type-#")
      out.append(decimal: message.type)
    }
    out.append(", length ")
    out.append(decimal: length)
  }

  /// ICMP timestamps: milliseconds since midnight UTC as `HH:MM:SS.mmm`.
  func writeMilliseconds(_ value: UInt32, to out: inout TextBuffer) {
    let seconds = value / 1000
    out.append(decimal: seconds / 3600, width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: seconds / 60 % 60, width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: seconds % 60, width: 2)
    out.append(byte: 0x2E)
    out.append(decimal: value % 1000, width: 3)
  }

  // MARK: ICMPv6

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
    case 133: out.append("router solicitation")
    case 134: out.append("router advertisement")
    case 135, 136:
      out.append(
        message.type == 135 ? "neighbor solicitation, who has " : "neighbor advertisement, tgt is ")
      guard start + 24 <= bytes.count else { return out.append(" [|icmp6]") }
      IPv6Address(bytes, at: start + 8).write(to: &out)
    case 137:
      out.append("redirect")
      guard start + 40 <= bytes.count else { return out.append(" [|icmp6]") }
      out.append(", ")
      IPv6Address(bytes, at: start + 24).write(to: &out)
      out.append(" to ")
      IPv6Address(bytes, at: start + 8).write(to: &out)
    case 143:
      out.append("multicast listener report v2, ")
      out.append(decimal: UInt16(truncatingIfNeeded: message.rest))
      out.append(" group record(s)")
    default:
      writeICMPv6Name(message.type, to: &out)
    }
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
