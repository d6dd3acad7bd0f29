// HTTP in tcpdump's -v text (print-http.c through txtproto_print): the payload's length, then
// every text line of the message, each on a line of its own after a tab.

extension OneLineFormatter {
  /// `, length: N` and `\n\tLINE` for each line, up to the first line that is not printable
  /// text; a last line without its line ending ends with ` [|http]`, as do bytes the capture
  /// cut.
  func httpVerbose(
    _ bytes: Span<UInt8>, from start: Int, length: Int, captured: Int, to out: inout TextBuffer
  ) {
    out.append(", length: ")
    out.append(decimal: length)
    var lineStart = 0
    var index = 0
    while index < length {
      guard index < captured else { return out.append(" [|http]") }
      let byte = bytes[start + index]
      var skip = 0
      if byte == UInt8(ascii: "\n") {
        skip = 1
      } else if byte == UInt8(ascii: "\r") {
        guard index + 1 < length else { return }
        guard index + 1 < captured else { return out.append(" [|http]") }
        guard bytes[start + index + 1] == UInt8(ascii: "\n") else { return }
        skip = 2
      } else if !((byte >= 0x20 && byte <= 0x7E) || byte == UInt8(ascii: "\t")) {
        return
      }
      if skip > 0 {
        out.append("\n\t")
        out.append(frameBytes: bytes, (start + lineStart)..<(start + index))
        index += skip
        lineStart = index
      } else {
        index += 1
      }
    }
    if lineStart < length {
      out.append("\n\t")
      out.append(frameBytes: bytes, (start + lineStart)..<(start + index))
      out.append(" [|http]")
    }
  }
}
