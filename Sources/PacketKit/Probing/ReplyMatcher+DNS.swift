// A DNS response answers a DNS query when it has the query's identifier and (when both
// have one) its first question. The `dns` layer the decoder appends after UDP gives the
// header; the first question is read with the same name reader (compression pointers
// followed, loops refused).

extension ReplyMatcher {
  /// Whether a UDP port is one DNS is decoded on (DNS, mDNS, LLMNR).
  static func isDNSPort(_ port: UInt16) -> Bool { DNSService.isPort(port) }

  /// The DNS header of the layer after `index`, with the message's bounds, if it is DNS.
  static func dnsMessage(_ frame: DecodedFrame, after index: Int)
    -> (header: DNSHeader, message: DNSMessageBounds)?
  {
    guard index + 1 < frame.count, case .dns(let header) = frame[index + 1].header else {
      return nil
    }
    let range = frame[index + 1].range
    let start = range.lowerBound + header.prefixLength
    guard range.upperBound - start >= DNSHeader.headerLength else { return nil }
    return (
      header,
      DNSMessageBounds(start: start, end: range.upperBound, declaredEnd: range.upperBound)
    )
  }

  /// For a UDP probe to or from a DNS port that carries a DNS query: whether the reply is
  /// the response with the query's identifier and (when both have one) its first question,
  /// names compared without regard to ASCII case. A probe that carries a DNS response is
  /// answered by nothing; a probe that is not DNS is answered as UDP (true).
  static func dnsAnswers(
    _ reply: DecodedFrame, _ replyBytes: Span<UInt8>, udp replyUDP: Int,
    _ probe: DecodedFrame, _ probeBytes: Span<UInt8>, udp probeUDP: Int
  ) -> Bool {
    guard case .udp(let header) = probe[probeUDP].header,
      isDNSPort(header.srcPort) || isDNSPort(header.dstPort),
      let query = dnsMessage(probe, after: probeUDP)
    else { return true }
    if query.header.qr { return false }
    guard let response = dnsMessage(reply, after: replyUDP), response.header.qr,
      response.header.id == query.header.id
    else { return false }
    guard query.header.qdcount > 0 && response.header.qdcount > 0 else { return true }
    var asked = DNSSectionReader(query.message)
    var answered = DNSSectionReader(response.message)
    guard let question = asked.question(probeBytes) else { return true }
    guard let echoed = answered.question(replyBytes),
      echoed.type == question.type && echoed.qclass == question.qclass
    else { return false }
    return sameName(
      probeBytes, question.name, query.message, replyBytes, echoed.name, response.message)
  }

  /// Whether two names are the same, ASCII letters compared without regard to case.
  static func sameName(
    _ aBytes: Span<UInt8>, _ aOffset: Int, _ aMessage: DNSMessageBounds,
    _ bBytes: Span<UInt8>, _ bOffset: Int, _ bMessage: DNSMessageBounds
  ) -> Bool {
    var a = DNSNameReader(at: aOffset, in: aMessage)
    var b = DNSNameReader(at: bOffset, in: bMessage)
    while true {
      let aLabel = a.next(aBytes, aMessage)
      let bLabel = b.next(bBytes, bMessage)
      guard let aLabel, let bLabel else {
        return aLabel == nil && bLabel == nil && a.outcome == .done && b.outcome == .done
      }
      guard aLabel.count == bLabel.count else { return false }
      for offset in 0..<aLabel.count
      where lowercased(aBytes[aLabel.lowerBound + offset])
        != lowercased(bBytes[bLabel.lowerBound + offset])
      {
        return false
      }
    }
  }

  /// An ASCII letter in lower case; any other byte as it is.
  static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }
}
