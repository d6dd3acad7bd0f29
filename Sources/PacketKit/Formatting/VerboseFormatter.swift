/// Formats decoded frames for `rawtool read -v`: every field of every layer, one per line,
/// with its meaning, like a compact `tshark -V`.
///
/// ```
/// frame 1: 74 bytes on wire, 74 captured, time 1700000000.000001000
///     protocols eth:ipv4:tcp
/// eth
///     src 02:00:00:00:00:01
///     type 0x0800 (IPv4)
/// ipv4
///     checksum 0xb654 (correct)
/// tcp
///     flags 0x012 [SYN,ACK]
/// ```
/// Field names are the contract's (the JSON keys). A truncated layer says how many bytes it
/// had and lists only the fields that were captured; a malformed one gives the reason.
/// An incorrect IPv4 header checksum shows the expected value.
public struct VerboseFormatter: Sendable {
  public init() {}

  /// Appends the lines for `frame`, each ending in `\n`.
  public func write(
    _ frame: DecodedFrame, bytes: Span<UInt8>, record: CaptureRecord, to out: inout TextBuffer
  ) {
    out.append("frame ")
    out.append(decimal: record.number)
    out.append(": ")
    out.append(decimal: record.wireLength)
    out.append(" bytes on wire, ")
    out.append(decimal: record.capturedLength)
    out.append(" captured, time ")
    out.append(decimal: UInt64(clamping: record.timestamp.seconds))
    out.append(byte: UInt8(ascii: "."))
    out.append(decimal: record.timestamp.nanoseconds, width: 9)
    if let name = record.interfaceName {
      out.append(", interface ")
      out.append(name)
    } else if let index = record.interfaceIndex {
      out.append(", interface ")
      out.append(decimal: index)
    }
    if let direction = record.direction {
      out.append(direction == .outbound ? ", out" : ", in")
    }
    out.append("\n    protocols ")
    frame.writeProtocols(to: &out)
    out.append(byte: UInt8(ascii: "\n"))
    for index in 0..<frame.count {
      writeLayer(frame[index], frame: frame, bytes: bytes, to: &out)
    }
  }

  func line(_ name: StaticString, _ out: inout TextBuffer) {
    out.append("    ")
    out.append(name)
    out.append(byte: UInt8(ascii: " "))
  }

  func end(_ out: inout TextBuffer) { out.append(byte: UInt8(ascii: "\n")) }

  func number<T: UnsignedInteger & FixedWidthInteger>(
    _ name: StaticString, _ value: T, _ out: inout TextBuffer
  ) {
    line(name, &out)
    out.append(decimal: value)
    end(&out)
  }

  func hexNumber<T: UnsignedInteger & FixedWidthInteger>(
    _ name: StaticString, _ value: T, width: Int, _ meaning: StaticString? = nil,
    _ out: inout TextBuffer
  ) {
    line(name, &out)
    out.append("0x")
    out.append(hex: value, width: width)
    if let meaning {
      out.append(" (")
      out.append(meaning)
      out.append(")")
    }
    end(&out)
  }

  func checksum(_ value: UInt16, valid: Bool?, expected: UInt16?, _ out: inout TextBuffer) {
    line("checksum", &out)
    out.append("0x")
    out.append(hex: value, width: 4)
    switch valid {
    case true?: out.append(" (correct)")
    case false?:
      out.append(" (incorrect")
      if let expected {
        out.append(", should be 0x")
        out.append(hex: expected, width: 4)
      }
      out.append(")")
    case nil: out.append(" (unverified)")
    }
    end(&out)
  }

  func writeLayer(
    _ layer: DecodedLayer, frame: DecodedFrame, bytes: Span<UInt8>, to out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    out.append(layer.kind.name)
    switch layer.status {
    case .complete: break
    case .truncated(let cut):
      out.append(" [truncated: ")
      out.append(decimal: cut.available)
      out.append(" of ")
      out.append(decimal: cut.needed)
      out.append(" bytes]")
    case .malformed(let problem):
      out.append(" [malformed: ")
      out.append(problem.description)
      out.append("]")
    }
    if layer.isQuoted { out.append(" (quoted by ICMP error)") }
    end(&out)
    var writer = VerboseFieldWriter()
    if layer.header.describe(layer, frame, bytes, &writer, &out) { return }
    switch layer.header {
    case .ethernet(let header):
      if view.has(6) {
        line("dst", &out)
        header.dst.write(to: &out)
        end(&out)
      }
      if view.has(12) {
        line("src", &out)
        header.src.write(to: &out)
        end(&out)
      }
      if view.has(14) {
        if header.isLength {
          number("length", header.typeOrLength, &out)
        } else {
          line("type", &out)
          out.append("0x")
          out.append(hex: header.typeOrLength, width: 4)
          out.append(" (")
          out.append(EtherType(rawValue: header.typeOrLength).description)
          out.append(")")
          end(&out)
        }
      }
      if layer.range.lowerBound == 0, let padding = frame.paddingRange, !padding.isEmpty,
        padding.upperBound <= bytes.count
      {
        line("padding", &out)
        out.append(hexBytes: bytes.extracting(padding))
        out.append(" (")
        out.append(decimal: padding.count)
        out.append(" bytes)")
        end(&out)
      }
    case .vlan(let tag):
      if view.has(2) {
        number("id", tag.id, &out)
        number("pcp", tag.pcp, &out)
        number("dei", UInt8(tag.dei ? 1 : 0), &out)
      }
      if view.has(4) {
        hexNumber("type", tag.type, width: 4, nil, &out)
      }
      hexNumber("tpid", tag.tpid, width: 4, nil, &out)
    case .sll(let header):
      if view.has(header.version == 2 ? 11 : 2) {
        line("packet_type", &out)
        out.append(decimal: header.packetType)
        out.append(Self.packetTypeMeaning(header.packetType))
        end(&out)
      }
      number("arphrd_type", header.arphrdType, &out)
      line("address", &out)
      if let mac = header.mac {
        mac.write(to: &out)
      } else {
        for index in 0..<min(Int(header.addressLength), 8) {
          out.append(hexByte: UInt8(truncatingIfNeeded: header.address >> UInt64(56 - 8 * index)))
        }
      }
      end(&out)
      hexNumber("protocol", header.protocol, width: 4, nil, &out)
      if header.version == 2 { number("ifindex", header.interfaceIndex, &out) }
    case .null(let header):
      line("family", &out)
      out.append(decimal: header.family)
      out.append(header.isIPv4 ? " (IPv4)" : header.isIPv6 ? " (IPv6)" : "")
      end(&out)
    case .arp(let message):
      number("hardware_type", message.hardwareType, &out)
      hexNumber("protocol_type", message.protocolType, width: 4, nil, &out)
      number("hardware_length", message.hardwareLength, &out)
      number("protocol_length", message.protocolLength, &out)
      line("op", &out)
      out.append(decimal: message.op)
      switch message.op {
      case 1: out.append(" (request)")
      case 2: out.append(" (reply)")
      case 3: out.append(" (reverse request)")
      case 4: out.append(" (reverse reply)")
      default: break
      }
      end(&out)
      if message.isEthernetIPv4 && layer.status.isComplete {
        line("sender_mac", &out)
        message.senderMAC.write(to: &out)
        end(&out)
        line("sender_ip", &out)
        message.senderIP.write(to: &out)
        end(&out)
        line("target_mac", &out)
        message.targetMAC.write(to: &out)
        end(&out)
        line("target_ip", &out)
        message.targetIP.write(to: &out)
        end(&out)
      } else if message.addressesRange.upperBound <= bytes.count {
        line("addresses", &out)
        out.append(hexBytes: bytes.extracting(message.addressesRange))
        end(&out)
      }
    case .ipv4(let header):
      writeIPv4(header, layer, view, bytes, &out)
    case .raw:
      number("length", UInt(layer.range.count), &out)
      if layer.range.upperBound <= bytes.count {
        line("hex", &out)
        out.append(hexBytes: bytes.extracting(layer.range))
        end(&out)
      }
    default:
      break
    }
  }

  func writeIPv4(
    _ header: IPv4Header, _ layer: DecodedLayer, _ view: LayerExtent, _ bytes: Span<UInt8>,
    _ out: inout TextBuffer
  ) {
    if view.has(1) {
      number("version", header.version, &out)
      line("header_length", &out)
      out.append(decimal: header.headerLength)
      out.append(" bytes")
      end(&out)
    }
    if view.has(2) {
      line("tos", &out)
      out.append("0x")
      out.append(hex: header.tos, width: 2)
      out.append(" (DSCP ")
      out.append(decimal: header.tos >> 2)
      out.append(", ECN ")
      out.append(decimal: header.tos & 3)
      out.append(")")
      end(&out)
    }
    if view.has(4) { number("total_length", header.totalLength, &out) }
    if view.has(6) { number("id", header.id, &out) }
    if view.has(8) {
      line("flags", &out)
      out.append(header.reservedFlag ? "reserved " : "")
      out.append(header.df ? "df true, " : "df false, ")
      out.append(header.mf ? "mf true" : "mf false")
      end(&out)
      line("fragment_offset", &out)
      out.append(decimal: header.fragmentOffset)
      out.append(" bytes")
      end(&out)
    }
    if view.has(9) { number("ttl", header.ttl, &out) }
    if view.has(10) {
      line("protocol", &out)
      out.append(decimal: header.protocol)
      Self.protocolName(header.protocol, &out)
      end(&out)
    }
    if view.has(12) {
      var expected: UInt16? = nil
      let headerRange = layer.range.lowerBound..<(layer.range.lowerBound + header.headerLength)
      if layer.checksumValid == false, headerRange.upperBound <= bytes.count {
        var sum = InternetChecksum()
        sum.add(bytes.extracting(headerRange))
        sum.add(word: ~header.checksum)
        expected = sum.checksum
      }
      checksum(header.checksum, valid: layer.checksumValid, expected: expected, &out)
    }
    if view.has(16) {
      line("src", &out)
      header.src.write(to: &out)
      end(&out)
    }
    if view.has(20) {
      line("dst", &out)
      header.dst.write(to: &out)
      end(&out)
    }
    let options = header.optionsRange.clamped(to: layer.range)
    if !options.isEmpty, options.upperBound <= bytes.count {
      line("options", &out)
      out.append(hexBytes: bytes.extracting(options))
      end(&out)
    }
  }

  static func protocolName(_ value: UInt8, _ out: inout TextBuffer) {
    if let name = IPProtocol(rawValue: value).name {
      out.append(" (")
      out.append(name)
      out.append(")")
    }
  }

  static func packetTypeMeaning(_ value: UInt16) -> StaticString {
    switch value {
    case 0: " (to us)"
    case 1: " (broadcast)"
    case 2: " (multicast)"
    case 3: " (to another host)"
    case 4: " (sent by us)"
    default: ""
    }
  }
}
