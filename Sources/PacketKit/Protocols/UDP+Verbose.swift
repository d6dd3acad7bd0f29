// UDP in tcpdump's -v text (print-udp.c): the checksum verdict before the payload's text.

extension OneLineFormatter {
  /// `[udp sum ok] `, `[bad udp cksum 0xdead -> 0xf5f2!] ` or `[no cksum] `: over IPv6 from
  /// `-v` on, over IPv4 from `-vv` on; nothing for a fragment or a payload not captured whole.
  /// `data` is the payload length tcpdump uses (the UDP length or what the IP length leaves,
  /// whichever is less).
  func udpChecksum(
    _ frame: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int,
    _ header: UDPHeader, addresses: AddressPair, data: Int, to out: inout TextBuffer
  ) {
    guard checksVerbose, !Self.isFragmentPayload(frame, index) else { return }
    let start = frame[index].range.lowerBound
    let end = start + UDPHeader.headerLength + max(0, data)
    if case .v4 = addresses {
      guard verbosity > 1 else { return }
      if header.checksum == 0 { return out.append("[no cksum] ") }
    }
    guard end <= bytes.count else { return }
    let sum = Self.transportSum(frame, bytes, index, start..<end, addresses: addresses, protocol: 17)
    if sum.isValid {
      out.append("[udp sum ok] ")
    } else {
      out.append("[bad udp cksum 0x")
      out.append(hex: header.checksum, width: 4)
      out.append(" -> 0x")
      out.append(hex: Self.checksumShouldBe(stored: header.checksum, sum: sum), width: 4)
      out.append("!] ")
    }
  }
}
