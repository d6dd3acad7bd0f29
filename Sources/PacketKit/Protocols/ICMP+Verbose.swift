// ICMP in tcpdump's -v text (print-icmp.c): the checksum verdict when it is wrong, and the
// datagram an error quotes, printed as IP on a line of its own.

extension OneLineFormatter {
  /// ` (wrong icmp cksum dead (->1234)!)` when the whole message was captured, is not in a
  /// fragment and its checksum is wrong; then, for an error (unreachable, source quench,
  /// redirect, time exceeded, parameter problem), `\n\t` and the quoted datagram's text.
  mutating func icmpVerbose(
    _ frame: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int,
    _ message: ICMPv4Message, length: Int, to out: inout TextBuffer
  ) {
    let start = frame[index].range.lowerBound
    if verifiesChecksums, !Self.isFragmentPayload(frame, index), start + length <= bytes.count {
      var sum = InternetChecksum()
      sum.add(bytes.extracting(start..<(start + length)))
      if !sum.isValid {
        out.append(" (wrong icmp cksum ")
        out.append(hex: message.checksum)
        out.append(" (->")
        out.append(hex: Self.checksumShouldBe(stored: message.checksum, sum: sum))
        out.append(")!)")
      }
    }
    switch message.type {
    case 3, 4, 5, 11, 12:
      guard index + 1 < frame.count, case .ipv4(let quoted) = frame[index + 1].header else {
        return
      }
      out.append("\n\t")
      // The quote is printed with the length its own header announces, as tcpdump does.
      ipv4(frame, wire: Int.max, bytes, index + 1, quoted, to: &out)
    default:
      break
    }
  }
}
