/// Formats decoded frames as the ndjson of `rawtool read --json`.
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
/// Choices documented for users:
/// - `vlan.dei` is an integer 0/1 (as tshark and the conformance oracle have it).
/// - `ipv6.extensions` is always present (`[]` when there are none): see `IPv6Protocol`.
/// - ARP that is not Ethernet/IPv4 (hardware type 1, protocol 0x0800, lengths 6 and 4) has
///   `hardware_type` and `protocol_type` (protocol addresses stay dotted when the protocol is
///   IPv4 with 4-byte addresses), and its `sender_mac`, `sender_ip`, `target_mac`,
///   `target_ip` hold the address bytes as hex strings.
/// - `sll.address` is MAC text when the address is 6 bytes long, otherwise hex of the
///   address bytes (at most 8).
/// - TCP options: see `TCPOption.describe`.
/// - With `includeHex`, a malformed layer has `hex`: its bytes to the end of the frame, less
///   the Ethernet padding printed as `eth.padding`; so has a truncated layer cut by the end
///   of an ICMP error's quote rather than by the capture (a quoted TCP header is often 8
///   bytes long).
/// - `frame.interface` is the record's interface name, else its index, else an SLL2
///   header's interface index; `frame.direction` is the record's, else derived from an
///   SLL/SLL2 packet type (4 "outgoing" is `out`, 0–3 are `in`).
///
/// Writing allocates nothing once the buffer has grown (no `String` is built per field).
public struct JSONFormatter: Sendable {
  /// Whether `raw` and malformed layers (and layers cut by an ICMP error's quote) carry their
  /// bytes as `hex` (`--hex`), TCP options that cannot be decoded a final `malformed` entry,
  /// and an `eol` option followed by bytes that are not zero those bytes.
  public var includeHex: Bool

  /// A formatter; `includeHex` (default false) is `--hex`.
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
    var writer = JSONFieldWriter(includeHex: includeHex, &out)
    layer.header.describe(layer, frame, bytes, &writer, &out)
    var fields = writer.fields
    switch layer.status {
    case .complete: break
    case .truncated(let cut):
      fields.bool(FieldName.truncated.text, true, &out)
      // Cut by an ICMP error's quote, not by the capture: every byte the sender put there
      // is here, so `craft --from-json` can rebuild the layer from them.
      if includeHex && cut.bound == .quote {
        fields.hex(
          FieldName.hex.text, bytes.extracting(Self.malformedTail(layer, of: frame, bytes)), &out)
      }
    case .malformed(let problem):
      fields.key(FieldName.malformed.text, &out)
      out.append(byte: UInt8(ascii: "\""))
      problem.field.withUTF8Buffer { for byte in $0 { out.appendJSONEscaped(byte) } }
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: problem.value)
      out.append(": ")
      problem.reason.withUTF8Buffer { for byte in $0 { out.appendJSONEscaped(byte) } }
      out.append(byte: UInt8(ascii: "\""))
      if includeHex {
        fields.hex(
          FieldName.hex.text, bytes.extracting(Self.malformedTail(layer, of: frame, bytes)), &out)
      }
    }
    fields.close(object: &out)
  }

  /// The bytes a malformed layer's `hex` carries (and a layer's cut by a quote): from the
  /// layer's first byte to the end of the captured frame, less the Ethernet padding that
  /// `eth.padding` prints. Decoding stops at such a layer, so these are all the bytes the
  /// JSON does not otherwise describe.
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

}
