/// Formats a frame's bytes as tcpdump's `-A` does: after the line, the bytes that follow the
/// link-layer header (as `HexDumpFormatter` counts it) as text, then a newline; every byte with
/// `includeLinkLayer` (`-AA`).
///
/// Printable characters, tabs, spaces and newlines are kept; a carriage return is dropped
/// when a line feed follows it or it is one of the last two bytes, and printed as `.`
/// otherwise; every other byte is `.`. Nothing is printed when no byte follows the link
/// layer (tcpdump 4.99's `ascii_print`).
public enum AsciiDumpFormatter {
  /// Appends the text dump of `bytes` (nothing when no byte follows the link-layer header);
  /// with `includeLinkLayer`, from the frame's first byte (`-AA`).
  public static func write(
    _ frame: DecodedFrame, bytes: Span<UInt8>, includeLinkLayer: Bool = false,
    to out: inout TextBuffer
  ) {
    let start =
      includeLinkLayer
      ? 0 : min(bytes.count, HexDumpFormatter.linkHeaderLength(frame, bytes: bytes))
    guard start < bytes.count else { return }
    var index = start
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      let left = bytes.count - index
      if byte == 0x0D {
        if left > 1 && bytes[index] != 0x0A { out.append(byte: 0x2E) }
      } else if (byte > 0x20 && byte < 0x7F) || byte == 0x09 || byte == 0x20 || byte == 0x0A {
        out.append(byte: byte)
      } else {
        out.append(byte: 0x2E)
      }
    }
    out.append(byte: 0x0A)
  }
}
