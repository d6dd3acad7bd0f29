/// Formats decoded frames as the ndjson of `rawtool read --json` (CONTRACT.md).
///
/// One line per frame: a `frame` object, then one key per layer kind in the order of its
/// first appearance; a kind that occurs more than once (QinQ, IP in IP, an ICMP error's
/// quote) is an array of objects, outermost first. Field names are the contract's.
///
/// Damaged layers: a truncated layer has `"truncated":true` and only the fields whose bytes
/// were captured (the decoder zero-fills the rest; they are left out here, judged from the
/// layer's `range`); a malformed layer has `"malformed":"<Malformation.description>"` and
/// the fields that could be read.
///
/// Choices where CONTRACT.md leaves room (documented for users):
/// - `vlan.dei` is an integer 0/1 (as tshark and the conformance oracle have it).
/// - `ipv6.extensions` is always present (`[]` when there are none).
/// - ARP that is not Ethernet/IPv4 (hardware type 1, protocol 0x0800, lengths 6 and 4) has
///   `hardware_type` and `protocol_type` (protocol addresses stay dotted when the protocol is
///   IPv4 with 4-byte addresses), and its `sender_mac`, `sender_ip`, `target_mac`,
///   `target_ip` hold the address bytes as hex strings.
/// - `sll.address` is MAC text when the address is 6 bytes long, otherwise hex of the
///   address bytes (at most 8).
/// - TCP options stop silently before an option whose length is missing, below 2 or runs
///   past the header; the decoder does not flag the layer for it. With `includeHex` (and a
///   complete layer) the list ends with `{"kind":"malformed","hex":…}`: the bytes from that
///   option's kind to the end of the options, so `craft --from-json` can rebuild them.
/// - With `includeHex`, a malformed layer has `hex`: its bytes to the end of the frame, less
///   the Ethernet padding printed as `eth.padding`.
/// - IPv6 extension header objects have `next_header`.
/// - `frame.interface` is the record's interface name, else its index, else an SLL2
///   header's interface index; `frame.direction` is the record's, else derived from an
///   SLL/SLL2 packet type (4 "outgoing" is `out`, 0–3 are `in`).
///
/// Writing allocates nothing once the buffer has grown (no `String` is built per field).
public struct JSONFormatter: Sendable {
  /// Whether `raw` and malformed layers carry their bytes as `hex` (`--hex`), and TCP options
  /// that cannot be decoded a final `malformed` entry.
  public var includeHex: Bool

  public init(includeHex: Bool = false) {
    self.includeHex = includeHex
  }

  /// Appends one ndjson line, ending in `\n`, for `frame`.
  /// - Parameters:
  ///   - frame: the frame as `FrameDecoder` decoded it from `bytes`.
  ///   - bytes: the captured bytes.
  ///   - record: the capture record (number, time, lengths, interface, direction).
  ///   - out: the buffer to append to.
  public func write(
    _ frame: DecodedFrame, bytes: Span<UInt8>, record: CaptureRecord, to out: inout TextBuffer
  ) {
    var top = JSONFields.object(&out)
    top.key("frame", &out)
    writeFrame(frame, record: record, to: &out)
    // The kinds, read once (without copying layers).
    let count = frame.count
    var kinds = InlineArray<16, LayerKind>(repeating: .raw)
    for index in 0..<count { kinds[index] = frame.kind(at: index) }
    for index in 0..<count {
      let kind = kinds[index]
      var seenBefore = false
      for earlier in 0..<index where kinds[earlier] == kind {
        seenBefore = true
        break
      }
      if seenBefore { continue }
      var occurrences = 0
      for later in index..<count where kinds[later] == kind { occurrences += 1 }
      top.key(kind.name, &out)
      if occurrences == 1 {
        writeLayer(at: index, of: frame, bytes: bytes, to: &out)
      } else {
        var list = JSONFields.array(&out)
        for later in index..<count where kinds[later] == kind {
          list.element(&out)
          writeLayer(at: later, of: frame, bytes: bytes, to: &out)
        }
        list.close(array: &out)
      }
    }
    top.close(object: &out)
    out.append(byte: UInt8(ascii: "\n"))
  }

  // MARK: Frame

  func writeFrame(_ frame: DecodedFrame, record: CaptureRecord, to out: inout TextBuffer) {
    var fields = JSONFields.object(&out)
    fields.int("number", record.number, &out)
    fields.key("time", &out)
    out.append(byte: UInt8(ascii: "\""))
    out.append(decimal: UInt64(clamping: record.timestamp.seconds))
    out.append(byte: UInt8(ascii: "."))
    out.append(decimal: record.timestamp.nanoseconds, width: 9)
    out.append(byte: UInt8(ascii: "\""))
    fields.int("caplen", record.capturedLength, &out)
    fields.int("len", record.wireLength, &out)
    fields.key("protocols", &out)
    out.append(byte: UInt8(ascii: "\""))
    frame.writeProtocols(to: &out)
    out.append(byte: UInt8(ascii: "\""))
    var cooked: LinuxCookedHeader? = nil
    var cookedExtent = 0
    if frame.count > 0 {
      let first = frame[0]
      if case .sll(let header) = first.header {
        cookedExtent = first.status.isComplete ? Int.max : first.range.count
        if cookedExtent >= (header.version == 2 ? 11 : 2) { cooked = header }
      }
    }
    if let name = record.interfaceName {
      fields.string("interface", name, &out)
    } else if let index = record.interfaceIndex {
      fields.int("interface", index, &out)
    } else if let cooked, cooked.version == 2, cookedExtent >= 8 {
      fields.int("interface", cooked.interfaceIndex, &out)
    }
    if let direction = record.direction {
      fields.plain("direction", direction == .outbound ? "out" : "in", &out)
    } else if let cooked, cooked.packetType <= 4 {
      fields.plain("direction", cooked.packetType == 4 ? "out" : "in", &out)
    }
    fields.close(object: &out)
  }

  // MARK: Layers

  func writeLayer(
    at index: Int, of frame: DecodedFrame, bytes: Span<UInt8>, to out: inout TextBuffer
  ) {
    let layer = frame[index]
    let view = LayerExtent(layer)
    var fields = JSONFields.object(&out)
    var writer = JSONFieldWriter(fields: fields, includeHex: includeHex)
    if layer.header.describe(layer, frame, bytes, &writer, &out) {
      fields = writer.fields
    } else {
      switch layer.header {
      case .ipv6(let header):
        writeIPv6(header, view, bytes, &fields, &out)
      case .tcp(let header):
        writeTCP(header, layer, view, bytes, &fields, &out)
      case .icmp(let message):
        if view.has(1) { fields.int("type", message.type, &out) }
        if view.has(2) { fields.int("code", message.code, &out) }
        if view.has(4) { fields.int("checksum", message.checksum, &out) }
        if let valid = layer.checksumValid { fields.bool("checksum_valid", valid, &out) }
        if message.hasIdentifier {
          if view.has(6) { fields.int("id", message.id, &out) }
          if view.has(8) { fields.int("seq", message.seq, &out) }
        } else if view.has(8) {
          fields.int("rest", message.rest, &out)
        }
      case .icmpv6(let message):
        writeICMPv6(message, at: index, of: frame, view, bytes, &fields, &out)
      default:
        break
      }
    }
    switch layer.status {
    case .complete: break
    case .truncated: fields.bool("truncated", true, &out)
    case .malformed(let problem):
      fields.key("malformed", &out)
      out.append(byte: UInt8(ascii: "\""))
      problem.field.withUTF8Buffer { for byte in $0 { out.appendJSONEscaped(byte) } }
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: problem.value)
      out.append(": ")
      problem.reason.withUTF8Buffer { for byte in $0 { out.appendJSONEscaped(byte) } }
      out.append(byte: UInt8(ascii: "\""))
      if includeHex {
        fields.hex("hex", bytes.extracting(Self.malformedTail(layer, of: frame, bytes)), &out)
      }
    }
    fields.close(object: &out)
  }

  /// The bytes a malformed layer's `hex` carries: from the layer's first byte to the end of
  /// the captured frame, less the Ethernet padding that `eth.padding` prints. Decoding stops
  /// at a malformed layer, so these are all the bytes the JSON does not otherwise describe.
  static func malformedTail(_ layer: DecodedLayer, of frame: DecodedFrame, _ bytes: Span<UInt8>)
    -> Range<Int>
  {
    let start = min(layer.range.lowerBound, bytes.count)
    var end = bytes.count
    if layer.range.lowerBound > 0, frame.count > 0, frame.kind(at: 0) == .ethernet,
      let padding = frame.paddingRange, !padding.isEmpty, padding.upperBound <= bytes.count,
      padding.lowerBound >= start
    {
      end = padding.lowerBound
    }
    return start..<end
  }

  func writeIPv6(
    _ header: IPv6Header, _ view: LayerExtent, _ bytes: Span<UInt8>, _ fields: inout JSONFields,
    _ out: inout TextBuffer
  ) {
    if view.has(2) { fields.int("traffic_class", header.trafficClass, &out) }
    if view.has(4) { fields.int("flow_label", header.flowLabel, &out) }
    if view.has(6) { fields.int("payload_length", header.payloadLength, &out) }
    if view.has(7) { fields.int("next_header", header.nextHeader, &out) }
    if view.has(8) { fields.int("hop_limit", header.hopLimit, &out) }
    if view.has(24) { fields.ipv6("src", header.src, &out) }
    if view.has(40) { fields.ipv6("dst", header.dst, &out) }
    fields.key("extensions", &out)
    var list = JSONFields.array(&out)
    let range = header.extensionsRange
    if view.has(40), !range.isEmpty, range.upperBound <= bytes.count {
      IPv6ExtensionHeader.forEach(in: bytes, range: range, first: header.nextHeader) {
        extensionHeader in
        list.element(&out)
        var object = JSONFields.object(&out)
        object.int("type", extensionHeader.type, &out)
        object.int("length", extensionHeader.length, &out)
        object.int("next_header", extensionHeader.nextHeader, &out)
        if extensionHeader.type == 44 {
          object.int("fragment_offset", extensionHeader.fragmentOffset, &out)
          object.bool("mf", extensionHeader.mf, &out)
          object.int("id", extensionHeader.id, &out)
        } else if extensionHeader.type == 43 {
          object.int("routing_type", extensionHeader.routingType, &out)
          object.int("segments_left", extensionHeader.segmentsLeft, &out)
        }
        object.hex("hex", bytes.extracting(extensionHeader.bodyRange), &out)
        object.close(object: &out)
        return true
      }
    }
    list.close(array: &out)
  }

  func writeTCP(
    _ header: TCPHeader, _ layer: DecodedLayer, _ view: LayerExtent, _ bytes: Span<UInt8>,
    _ fields: inout JSONFields,
    _ out: inout TextBuffer
  ) {
    if view.has(2) { fields.int("src_port", header.srcPort, &out) }
    if view.has(4) { fields.int("dst_port", header.dstPort, &out) }
    if view.has(8) { fields.int("seq", header.seq, &out) }
    if view.has(12) { fields.int("ack", header.ack, &out) }
    if view.has(13) { fields.int("header_length", header.headerLength, &out) }
    if view.has(14) { fields.int("flags", header.flags, &out) }
    if view.has(16) { fields.int("window", header.window, &out) }
    if view.has(18) { fields.int("checksum", header.checksum, &out) }
    if let valid = layer.checksumValid { fields.bool("checksum_valid", valid, &out) }
    if view.has(20) { fields.int("urgent", header.urgent, &out) }
    if case .malformed = layer.status { return }
    guard view.has(20) else { return }
    fields.key("options", &out)
    var list = JSONFields.array(&out)
    let options = header.optionsRange.clamped(to: layer.range)
    if !options.isEmpty, options.upperBound <= bytes.count {
      TCPOption.forEach(in: bytes, range: options) { option in
        switch option {
        case .malformed(_, let offset):
          // With --hex, the undecodable rest of the options, so the header can be rebuilt
          // (not in a truncated layer: the option may be whole on the wire).
          if includeHex, layer.status.isComplete {
            list.element(&out)
            out.append("{\"kind\":\"malformed\",\"hex\":\"")
            out.append(hexBytes: bytes.extracting(offset..<min(options.upperBound, bytes.count)))
            out.append("\"}")
          }
          return false
        case .eol:
          list.element(&out)
          out.append("{\"kind\":\"eol\"}")
        case .nop:
          list.element(&out)
          out.append("{\"kind\":\"nop\"}")
        case .mss(let value):
          list.element(&out)
          out.append("{\"kind\":\"mss\",\"value\":")
          out.append(decimal: value)
          out.append(byte: UInt8(ascii: "}"))
        case .windowScale(let value):
          list.element(&out)
          out.append("{\"kind\":\"window_scale\",\"value\":")
          out.append(decimal: value)
          out.append(byte: UInt8(ascii: "}"))
        case .sackPermitted:
          list.element(&out)
          out.append("{\"kind\":\"sack_permitted\"}")
        case .sack(let blocks):
          list.element(&out)
          out.append("{\"kind\":\"sack\",\"blocks\":[")
          var offset = blocks.lowerBound
          while offset + 8 <= blocks.upperBound {
            if offset > blocks.lowerBound { out.append(byte: UInt8(ascii: ",")) }
            out.append(byte: UInt8(ascii: "["))
            out.append(decimal: bytes.be32(at: offset))
            out.append(byte: UInt8(ascii: ","))
            out.append(decimal: bytes.be32(at: offset + 4))
            out.append(byte: UInt8(ascii: "]"))
            offset += 8
          }
          out.append("]}")
        case .timestamp(let value, let echo):
          list.element(&out)
          out.append("{\"kind\":\"timestamp\",\"value\":")
          out.append(decimal: value)
          out.append(",\"echo\":")
          out.append(decimal: echo)
          out.append(byte: UInt8(ascii: "}"))
        case .unknown(let code, let data):
          list.element(&out)
          out.append("{\"kind\":\"unknown\",\"code\":")
          out.append(decimal: code)
          out.append(",\"hex\":\"")
          out.append(hexBytes: bytes.extracting(data))
          out.append("\"}")
        }
        return true
      }
    }
    list.close(array: &out)
    fields.int("payload_length", layer.payloadLength, &out)
  }

  func writeICMPv6(
    _ message: ICMPv6Message, at index: Int, of frame: DecodedFrame, _ view: LayerExtent,
    _ bytes: Span<UInt8>,
    _ fields: inout JSONFields, _ out: inout TextBuffer
  ) {
    let layer = frame[index]
    if view.has(1) { fields.int("type", message.type, &out) }
    if view.has(2) { fields.int("code", message.code, &out) }
    if view.has(4) { fields.int("checksum", message.checksum, &out) }
    if let valid = layer.checksumValid { fields.bool("checksum_valid", valid, &out) }
    if message.hasIdentifier {
      if view.has(6) { fields.int("id", message.id, &out) }
      if view.has(8) { fields.int("seq", message.seq, &out) }
    } else if view.has(8) {
      fields.int("rest", message.rest, &out)
    }
    guard layer.status.isComplete else { return }
    // The message body (target, options) is the `raw` layer that follows the header.
    let start = layer.range.lowerBound
    var end = layer.range.upperBound
    if index + 1 < frame.count, frame.kind(at: index + 1) == .raw,
      frame[index + 1].range.lowerBound == end
    {
      end = frame[index + 1].range.upperBound
    }
    end = min(end, bytes.count)
    if let target = message.targetOffset, start + target + 16 <= end {
      fields.ipv6("target", IPv6Address(bytes, at: start + target), &out)
    }
    if let optionsOffset = message.ndOptionsOffset, start + optionsOffset <= end {
      fields.key("options", &out)
      var list = JSONFields.array(&out)
      NDOption.forEach(in: bytes, range: (start + optionsOffset)..<end) { option in
        list.element(&out)
        var object = JSONFields.object(&out)
        object.int("type", option.type, &out)
        object.int("length", option.length, &out)
        if (option.type == 1 || option.type == 2) && option.dataRange.count == 6 {
          object.mac("mac", MACAddress(bytes, at: option.dataRange.lowerBound), &out)
        } else {
          object.hex("hex", bytes.extracting(option.dataRange), &out)
        }
        object.close(object: &out)
        return true
      }
      list.close(array: &out)
    }
  }
}
