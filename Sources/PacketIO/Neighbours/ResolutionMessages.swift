import PacketKit

/// The frames that ask a link who has an address — an ARP request (IPv4) or a neighbour
/// solicitation (IPv6) — and the recognition of the answer in a received frame.
public enum ResolutionMessages {
  /// The Ethernet frame asking for `target`'s MAC from `mac` / `source`.
  ///
  /// IPv4: a broadcast ARP request with sender `mac` and `source` (0.0.0.0, an ARP probe,
  /// when nil). IPv6: a neighbour solicitation to the solicited-node multicast address of
  /// `target` (33:33:ff:…), hop limit 255, with a source link-layer address option; from
  /// `::` (and then without the option, RFC 4861 §4.3) when `source` is nil.
  public static func request(for target: IPAddress, from mac: MACAddress, source: IPAddress?)
    -> [UInt8]
  {
    let stack: PacketStack
    switch target {
    case .ipv4(let address):
      var sender = IPv4Address.any
      if case .ipv4(let given)? = source { sender = given }
      stack =
        Ethernet(src: mac, dst: .broadcast)
        / ARP(op: 1, senderMAC: mac, senderIP: sender, targetMAC: .zero, targetIP: address)
    case .ipv6(let address):
      var sender = IPv6Address.unspecified
      if case .ipv6(let given)? = source { sender = given }
      let group = target.solicitedNodeAddress!
      let options: [NDOptionSpec] =
        sender == .unspecified ? [] : [.sourceLinkLayerAddress(mac)]
      stack =
        Ethernet(src: mac, dst: IPAddress.ipv6(group).multicastMAC!)
        / IPv6(hopLimit: 255, src: sender, dst: group)
        / ICMPv6(type: 135, target: address, ndOptions: options)
    }
    // Every field is within range: building cannot fail.
    return (try? stack.build()) ?? []
  }

  /// The MAC `frame` (an Ethernet frame) gives for `target`, when it is the answer: an ARP
  /// reply whose sender is `target`, or a neighbour advertisement (without extension
  /// headers) whose target is `target` — its target link-layer address option, else the
  /// frame's source MAC. Nil for anything else.
  public static func answer(in frame: [UInt8], for target: IPAddress) -> MACAddress? {
    guard frame.count >= 14 else { return nil }
    let span = frame.span
    let type = span.be16(at: 12)
    switch target {
    case .ipv4(let address):
      // eth(14) + ARP: htype 1, ptype 0x0800, hlen 6, plen 4, op 2, sender MAC, sender IP.
      guard type == 0x0806, frame.count >= 42, span.be16(at: 14) == 1,
        span.be16(at: 16) == 0x0800, frame[18] == 6, frame[19] == 4, span.be16(at: 20) == 2,
        IPv4Address(span, at: 28) == address
      else { return nil }
      return MACAddress(span, at: 22)
    case .ipv6(let address):
      // eth(14) + IPv6(40, next header 58) + NA(type 136, 4 flag bytes, target) + options.
      guard type == 0x86DD, frame.count >= 14 + 40 + 24, frame[14] >> 4 == 6,
        frame[20] == 58, frame[54] == 136, IPv6Address(span, at: 62) == address
      else { return nil }
      var offset = 78
      while offset + 8 <= frame.count {
        let length = Int(frame[offset + 1]) * 8
        guard length > 0, offset + length <= frame.count else { break }
        if frame[offset] == 2 && length == 8 { return MACAddress(span, at: offset + 2) }
        offset += length
      }
      return MACAddress(span, at: 6)
    }
  }
}
