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
    case .ipv6(let header):
      number("version", header.version, &out)
      if view.has(2) { hexNumber("traffic_class", header.trafficClass, width: 2, nil, &out) }
      if view.has(4) { hexNumber("flow_label", header.flowLabel, width: 5, nil, &out) }
      if view.has(6) { number("payload_length", header.payloadLength, &out) }
      if view.has(7) {
        line("next_header", &out)
        out.append(decimal: header.nextHeader)
        Self.protocolName(header.nextHeader, &out)
        end(&out)
      }
      if view.has(8) { number("hop_limit", header.hopLimit, &out) }
      if view.has(24) {
        line("src", &out)
        header.src.write(to: &out)
        end(&out)
      }
      if view.has(40) {
        line("dst", &out)
        header.dst.write(to: &out)
        end(&out)
      }
      let range = header.extensionsRange
      if view.has(40), !range.isEmpty, range.upperBound <= bytes.count {
        IPv6ExtensionHeader.forEach(in: bytes, range: range, first: header.nextHeader) { ext in
          out.append("    extension ")
          out.append(decimal: ext.type)
          Self.protocolName(ext.type, &out)
          out.append(", length ")
          out.append(decimal: ext.length)
          if ext.type == 44 {
            out.append(", fragment_offset ")
            out.append(decimal: ext.fragmentOffset)
            out.append(ext.mf ? ", mf true, id " : ", mf false, id ")
            out.append(decimal: ext.id)
          } else if ext.type == 43 {
            out.append(", routing_type ")
            out.append(decimal: ext.routingType)
            out.append(", segments_left ")
            out.append(decimal: ext.segmentsLeft)
          }
          out.append(", hex ")
          out.append(hexBytes: bytes.extracting(ext.bodyRange))
          end(&out)
          return true
        }
      }
    case .tcp(let header):
      writeTCP(header, layer, view, bytes, &out)
    case .icmp(let message):
      writeICMP(
        type: message.type, code: message.code, checksum: message.checksum, rest: message.rest,
        identifier: message.hasIdentifier, layer, view, &out)
    case .icmpv6(let message):
      writeICMP(
        type: message.type, code: message.code, checksum: message.checksum, rest: message.rest,
        identifier: message.hasIdentifier, layer, view, &out)
    default:
      break
    }
  }

  func writeTCP(
    _ header: TCPHeader, _ layer: DecodedLayer, _ view: LayerExtent, _ bytes: Span<UInt8>,
    _ out: inout TextBuffer
  ) {
    if view.has(2) { number("src_port", header.srcPort, &out) }
    if view.has(4) { number("dst_port", header.dstPort, &out) }
    if view.has(8) { number("seq", header.seq, &out) }
    if view.has(12) { number("ack", header.ack, &out) }
    if view.has(13) {
      line("header_length", &out)
      out.append(decimal: header.headerLength)
      out.append(" bytes")
      end(&out)
    }
    if view.has(14) {
      line("flags", &out)
      out.append("0x")
      out.append(hex: header.flags, width: 3)
      out.append(" [")
      var first = true
      let names: [(UInt16, StaticString)] = [
        (0x100, "AE"), (0x080, "CWR"), (0x040, "ECE"), (0x020, "URG"), (0x010, "ACK"),
        (0x008, "PSH"), (0x004, "RST"), (0x002, "SYN"), (0x001, "FIN"),
      ]
      for (bit, name) in names where header.flags & bit != 0 {
        if !first { out.append(byte: UInt8(ascii: ",")) }
        first = false
        out.append(name)
      }
      if header.flags & 0xE00 != 0 { out.append(first ? "reserved" : ",reserved") }
      out.append("]")
      end(&out)
    }
    if view.has(16) { number("window", header.window, &out) }
    if view.has(18) { checksum(header.checksum, valid: layer.checksumValid, expected: nil, &out) }
    if view.has(20) { number("urgent", header.urgent, &out) }
    let options = header.optionsRange.clamped(to: layer.range)
    if !options.isEmpty, options.upperBound <= bytes.count, view.has(20) {
      line("options", &out)
      var first = true
      TCPOption.forEach(in: bytes, range: options) { option in
        if !first { out.append(", ") }
        first = false
        switch option {
        case .eol: out.append("eol")
        case .nop: out.append("nop")
        case .mss(let value):
          out.append("mss ")
          out.append(decimal: value)
        case .windowScale(let value):
          out.append("window_scale ")
          out.append(decimal: value)
        case .sackPermitted: out.append("sack_permitted")
        case .sack(let blocks):
          out.append("sack")
          var offset = blocks.lowerBound
          while offset + 8 <= blocks.upperBound {
            out.append(byte: UInt8(ascii: " "))
            out.append(decimal: bytes.be32(at: offset))
            out.append(byte: UInt8(ascii: "-"))
            out.append(decimal: bytes.be32(at: offset + 4))
            offset += 8
          }
        case .timestamp(let value, let echo):
          out.append("timestamp ")
          out.append(decimal: value)
          out.append(" echo ")
          out.append(decimal: echo)
        case .unknown(let code, let data):
          out.append("unknown ")
          out.append(decimal: code)
          out.append(" 0x")
          out.append(hexBytes: bytes.extracting(data))
        case .malformed(let code, _):
          out.append("malformed option ")
          out.append(decimal: code)
        }
        return true
      }
      end(&out)
    }
    if view.has(20), !isMalformed(layer) {
      number("payload_length", UInt(layer.payloadLength), &out)
    }
  }

  func isMalformed(_ layer: DecodedLayer) -> Bool {
    if case .malformed = layer.status { return true }
    return false
  }

  func writeICMP(
    type: UInt8, code: UInt8, checksum value: UInt16, rest: UInt32, identifier: Bool,
    _ layer: DecodedLayer, _ view: LayerExtent, _ out: inout TextBuffer
  ) {
    if view.has(1) {
      line("type", &out)
      out.append(decimal: type)
      out.append(
        layer.kind == .icmp ? Self.icmpTypeName(type) : Self.icmpv6TypeName(type))
      end(&out)
    }
    if view.has(2) { number("code", code, &out) }
    if view.has(4) { checksum(value, valid: layer.checksumValid, expected: nil, &out) }
    if identifier {
      if view.has(6) { number("id", UInt16(truncatingIfNeeded: rest >> 16), &out) }
      if view.has(8) { number("seq", UInt16(truncatingIfNeeded: rest), &out) }
    } else if view.has(8) {
      hexNumber("rest", rest, width: 8, nil, &out)
    }
  }

  static func protocolName(_ value: UInt8, _ out: inout TextBuffer) {
    if let name = IPProtocol(rawValue: value).name {
      out.append(" (")
      out.append(name)
      out.append(")")
    }
  }

  static func icmpTypeName(_ type: UInt8) -> StaticString {
    switch type {
    case 0: " (echo reply)"
    case 3: " (destination unreachable)"
    case 4: " (source quench)"
    case 5: " (redirect)"
    case 8: " (echo request)"
    case 11: " (time exceeded)"
    case 12: " (parameter problem)"
    case 13: " (timestamp request)"
    case 14: " (timestamp reply)"
    case 15: " (information request)"
    case 16: " (information reply)"
    default: ""
    }
  }

  static func icmpv6TypeName(_ type: UInt8) -> StaticString {
    switch type {
    case 1: " (destination unreachable)"
    case 2: " (packet too big)"
    case 3: " (time exceeded)"
    case 4: " (parameter problem)"
    case 128: " (echo request)"
    case 129: " (echo reply)"
    case 130: " (multicast listener query)"
    case 131: " (multicast listener report)"
    case 133: " (router solicitation)"
    case 134: " (router advertisement)"
    case 135: " (neighbor solicitation)"
    case 136: " (neighbor advertisement)"
    case 137: " (redirect)"
    case 143: " (multicast listener report v2)"
    default: ""
    }
  }
}
