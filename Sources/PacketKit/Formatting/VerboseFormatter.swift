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
  /// A formatter (it has no options).
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

  func end(_ out: inout TextBuffer) { out.append(byte: UInt8(ascii: "\n")) }

  func writeLayer(
    _ layer: DecodedLayer, frame: DecodedFrame, bytes: Span<UInt8>, to out: inout TextBuffer
  ) {
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
    layer.header.describe(layer, frame, bytes, &writer, &out)
  }
}
