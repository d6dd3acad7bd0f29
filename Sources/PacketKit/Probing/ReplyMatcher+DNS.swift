// DNS (RFC 1035 §4.1): a 12-byte header — id, flags (QR is the top bit), then the counts of
// questions, answers, authority and additional records — and the question section, each
// question a name (length-prefixed labels ending in 0, or a compression pointer) then
// type and class. PacketKit has no DNS layer yet; these few fields are read from the UDP
// payload to match a response to its query.

extension ReplyMatcher {
  /// Whether a UDP port is one DNS is decoded on (DNS, mDNS, LLMNR).
  static func isDNSPort(_ port: UInt16) -> Bool { port == 53 || port == 5353 || port == 5355 }

  /// The payload bytes after the layer at `index` (the `raw` layer that follows it), as
  /// offsets in the captured bytes.
  static func payload(of frame: DecodedFrame, after index: Int, bytes: Span<UInt8>) -> Range<Int> {
    let start = min(frame[index].range.upperBound, bytes.count)
    guard index + 1 < frame.count, frame.kind(at: index + 1) == .raw else { return start..<start }
    let range = frame[index + 1].range
    return range.lowerBound..<min(range.upperBound, bytes.count)
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
      isDNSPort(header.srcPort) || isDNSPort(header.dstPort)
    else { return true }
    let query = payload(of: probe, after: probeUDP, bytes: probeBytes)
    guard query.count >= 12 else { return true }
    if probeBytes[query.lowerBound + 2] & 0x80 != 0 { return false }
    let response = payload(of: reply, after: replyUDP, bytes: replyBytes)
    guard response.count >= 12, replyBytes[response.lowerBound + 2] & 0x80 != 0,
      replyBytes.be16(at: response.lowerBound) == probeBytes.be16(at: query.lowerBound)
    else { return false }
    let queryQuestions = probeBytes.be16(at: query.lowerBound + 4)
    let responseQuestions = replyBytes.be16(at: response.lowerBound + 4)
    guard queryQuestions > 0 && responseQuestions > 0 else { return true }
    // The first question: its name, then type and class.
    var end = query.lowerBound + 12
    while end < query.upperBound {
      let length = probeBytes[end]
      if length == 0 {
        end += 1
        break
      }
      if length >= 0xC0 {
        end += 2
        break
      }
      end += 1 + Int(length)
    }
    end = min(end + 4, query.upperBound)
    let count = end - query.lowerBound - 12
    guard response.count - 12 >= count else { return false }
    for offset in 0..<count {
      let a = probeBytes[query.lowerBound + 12 + offset]
      let b = replyBytes[response.lowerBound + 12 + offset]
      if a != b && lowercased(a) != lowercased(b) { return false }
    }
    return true
  }

  /// An ASCII letter in lower case; any other byte as it is.
  static func lowercased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
  }
}
