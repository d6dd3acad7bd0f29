// TCP in tcpdump's -v text (print-tcp.c): the checksum verdict after the flags, and the data
// of a reset segment.

extension OneLineFormatter {
  /// `, cksum 0x282f (correct)` or `, cksum 0xdead (incorrect -> 0x282f)`, when the whole
  /// segment was captured and the datagram is not a fragment.
  func tcpChecksum(
    _ frame: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int,
    _ header: TCPHeader, addresses: AddressPair, length: Int, to out: inout TextBuffer
  ) {
    let start = frame[index].range.lowerBound
    guard checksVerbose, !Self.isFragmentPayload(frame, index), start + length <= bytes.count
    else { return }
    let sum = Self.transportSum(frame, bytes, index, start..<(start + length), addresses: addresses, protocol: 6)
    out.append(", cksum 0x")
    out.append(hex: header.checksum, width: 4)
    if sum.isValid {
      out.append(" (correct)")
    } else {
      out.append(" (incorrect -> 0x")
      out.append(hex: Self.checksumShouldBe(stored: header.checksum, sum: sum), width: 4)
      out.append(byte: 0x29)
    }
  }

  /// ` [bad hdr length 24 - too long, > 20]`: a data offset past the segment.
  func writeTCPHeaderTooLong(_ headerLength: Int, _ length: Int, to out: inout TextBuffer) {
    out.append(" [bad hdr length ")
    out.append(decimal: headerLength)
    out.append(" - too long, > ")
    out.append(decimal: length)
    out.append(byte: 0x5D)
  }

  /// ` [RST data]`: up to 30 bytes of a reset segment's payload, as tcpdump prints them
  /// (`[!RST` when the capture cut the payload, `+` when it is longer than 30 bytes).
  func tcpResetData(_ bytes: Span<UInt8>, from start: Int, length: Int, to out: inout TextBuffer) {
    out.append(start + length <= bytes.count ? " [RST" : " [!RST")
    var count = length
    if count > 30 {
      count = 30
      out.append(byte: 0x2B)
    }
    out.append(byte: 0x20)
    var offset = start
    while count > 0 && offset < bytes.count {
      Self.writeCharacter(bytes[offset], to: &out)
      offset += 1
      count -= 1
    }
    out.append(byte: 0x5D)
  }

  /// A byte as tcpdump's `fn_print_char` prints it: `M-` for the high bit, `^` and the
  /// letter for a control character.
  static func writeCharacter(_ byte: UInt8, to out: inout TextBuffer) {
    var character = byte
    if character >= 0x80 {
      character &= 0x7F
      out.append("M-")
    }
    if character < 0x20 || character == 0x7F {
      character ^= 0x40
      out.append(byte: 0x5E)
    }
    out.append(byte: character)
  }

  /// Whether the layer at `index` is the start of a fragmented datagram's payload (tcpdump
  /// checks no checksum there): IPv4 with more fragments, IPv6 with a fragment header.
  static func isFragmentPayload(_ frame: borrowing Span<DecodedLayer>, _ index: Int) -> Bool {
    guard index > 0 else { return false }
    switch frame[index - 1].header {
    case .ipv4(let header): return header.isFragment
    case .ipv6(let header): return header.isFragment
    default: return false
    }
  }
}
