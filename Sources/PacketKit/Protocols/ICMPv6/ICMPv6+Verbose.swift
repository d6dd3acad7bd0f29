// ICMPv6 in tcpdump's -v text (print-icmp6.c): the checksum verdict before the message.

extension OneLineFormatter {
  /// `[icmp6 sum ok] ` or `[bad icmp6 cksum 0xdead -> 0x1234!] `, when the whole message was
  /// captured and the datagram is not a fragment.
  func icmpv6Checksum(
    _ frame: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int,
    _ message: ICMPv6Message, length: Int, to out: inout TextBuffer
  ) {
    let start = frame[index].range.lowerBound
    guard checksVerbose, length > 0, !Self.isFragmentPayload(frame, index),
      start + length <= bytes.count, index > 0, case .ipv6(let header) = frame[index - 1].header
    else { return }
    let sum = Self.transportSum(
      frame, bytes, index, start..<(start + length), addresses: .v6(header.src, header.dst),
      protocol: 58)
    if sum.isValid {
      out.append("[icmp6 sum ok] ")
    } else {
      out.append("[bad icmp6 cksum 0x")
      out.append(hex: message.checksum, width: 4)
      out.append(" -> 0x")
      out.append(hex: Self.checksumShouldBe(stored: message.checksum, sum: sum), width: 4)
      out.append("!] ")
    }
  }

  /// Whether tcpdump's -v text leaves out the final `, length N` of this message type (it
  /// prints it after the name of neighbour discovery messages instead, or not at all).
  static func icmpv6VerboseOmitsLength(_ type: UInt8) -> Bool {
    switch type {
    case 1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 143: true
    default: false
    }
  }
}
