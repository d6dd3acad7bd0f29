// DNS in tcpdump's -v and -vv text (print-domain.c): SOA data, the questions of a response
// (` q: A? example.com.`) and the sections a one-line text leaves out (` ns:`, ` ar:`).

extension DNSLinePrinter {
  /// ` mname rname serial refresh retry expire minimum`; false where tcpdump's bytes run out.
  func writeStartOfAuthority(_ bytes: Span<UInt8>, _ data: Int, _ out: inout TextBuffer) -> Bool {
    out.append(byte: UInt8(ascii: " "))
    guard let rname = writeName(bytes, data, &out) else { return false }
    out.append(byte: UInt8(ascii: " "))
    guard let numbers = writeName(bytes, rname, &out), has(numbers, 20) else { return false }
    for index in 0..<5 {
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be32(at: numbers + 4 * index))
    }
    return true
  }

  /// A response's questions at `-vv`: ` q: A? example.com.`, comma-separated; the offset
  /// after them, or nil.
  func writeQuestionSection(
    _ bytes: Span<UInt8>, _ offset: Int, _ count: UInt16, _ out: inout TextBuffer
  ) -> Int? {
    var position = offset
    for index in 0..<Int(count) {
      if index != 0 { out.append(byte: UInt8(ascii: ",")) }
      out.append(" q:")
      guard let next = writeQuestion(bytes, position, &out) else { return nil }
      position = next
    }
    return position
  }

  /// The sections after the questions (a query) or the answers (a response) at `-vv`: the
  /// answers without a label, then ` ns:` and ` ar:`; false where tcpdump prints ` [|domain]`.
  func writeSections(
    _ bytes: Span<UInt8>, _ offset: Int, _ counts: (UInt16, UInt16, UInt16),
    _ out: inout TextBuffer
  ) -> Bool {
    var position = offset
    for section in 0..<3 {
      var remaining = section == 0 ? counts.0 : section == 1 ? counts.1 : counts.2
      if section == 0 {
        guard remaining > 0 else { continue }
      } else {
        guard position < snapend, remaining > 0 else {
          if remaining > 0 { return false }
          continue
        }
        out.append(section == 1 ? " ns:" : " ar:")
      }
      guard let first = writeRecord(bytes, position, &out) else { return false }
      position = first
      remaining -= 1
      while position < snapend && remaining > 0 {
        out.append(byte: UInt8(ascii: ","))
        guard let next = writeRecord(bytes, position, &out) else { return false }
        position = next
        remaining -= 1
      }
      if remaining > 0 { return false }
    }
    return true
  }
}
