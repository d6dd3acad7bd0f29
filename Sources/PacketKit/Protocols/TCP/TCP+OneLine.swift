// TCP as a tcpdump -n line prints it: flags, relative sequence numbers, window, options
// (print-tcp.c), then the application layer the ports name.

extension OneLineFormatter {
  mutating func tcp(
    _ frame: borrowing Span<DecodedLayer>, wire wireLength: Int, _ bytes: Span<UInt8>, _ index: Int,
    _ header: TCPHeader,
    addresses: AddressPair, direct: Bool, length: Int, to out: inout TextBuffer
  ) {
    let layer = frame[index]
    let start = layer.range.lowerBound
    // Cut short by the capture, or by the IP datagram's end (a first fragment holding part
    // of the header): tcpdump checks the header against both.
    let truncatedAt: Int? =
      if case .truncated(let cut) = layer.status, cut.available < TCPHeader.minimumLength {
        cut.available
      } else if length < TCPHeader.minimumLength {
        length
      } else {
        nil
      }
    if let available = truncatedAt {
      if available >= 4 {
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
    if quick {
      // tcpdump's `%u` of an unsigned difference: a header longer than the segment wraps.
      out.append("tcp ")
      out.append(decimal: UInt32(truncatingIfNeeded: length - headerLength))
      if headerLength > length { writeTCPHeaderTooLong(headerLength, length, to: &out) }
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
    if verbosity > 0 {
      tcpChecksum(frame, bytes, index, header, addresses: addresses, length: length, to: &out)
    }
    let payload = length - headerLength
    if payload > 0 || flags & 0x07 != 0 || verbosity > 1 {
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
          length: headerLength - TCPHeader.minimumLength, sackBase: sackBase, flags: flags,
          to: &out)
      else { return }
      out.append(byte: 0x5D)
    }
    out.append(", length ")
    out.append(decimal: payload)
    if verbosity > 0, payload > 0, flags & 0x04 != 0 {
      return tcpResetData(bytes, from: start + headerLength, length: payload, to: &out)
    }
    let next = index + 1 < frame.count ? frame[index + 1].kind : .raw
    if payload > 0, next != .raw, next != .http {
      // DNS prints its own separator (a space: tcpdump's domain_print over TCP).
      if next != .dns { out.append(": ") }
      _ = application(
        frame, wire: wireLength, bytes, index + 1, length: payload, over: .tcp, to: &out)
    } else if payload > 0, !layer.isQuoted,
      HTTPProtocol.isTCPDumpPort(header.srcPort, header.dstPort)
    {
      // tcpdump prints every payload on its HTTP ports as HTTP, a message head or not, and
      // HTTP on other ports not at all.
      out.append(": ")
      http(bytes, from: start + headerLength, length: payload, to: &out)
    } else if payload > 0, next == .raw, !layer.isQuoted,
      let printer = PayloadText.tcp(srcPort: header.srcPort, dstPort: header.dstPort)
    {
      payloadText(
        printer, bytes, start: start + headerLength, end: start + length, length: payload,
        to: &out)
    }
  }

  /// tcpdump's option loop. Returns false when it ended the line (`[bad opt]` or `[|tcp]`).
  /// `flags` is the segment's flags byte (MPTCP options print by it).
  func tcpOptions(
    _ bytes: Span<UInt8>, from start: Int, length: Int, sackBase: UInt32, flags: UInt8,
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
      case 30:
        out.append("mptcp")
        dataLength = optionLength - 2
        if check(dataLength) {
          let option = bytes.extracting((cursor - 2)..<(cursor + dataLength))
          if !MPTCPOptionText.write(option, tcpFlags: flags, to: &out) { problem = 1 }
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
}
