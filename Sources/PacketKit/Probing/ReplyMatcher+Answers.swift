extension ReplyMatcher {
  /// How `reply` answers `probe`, or nil when it does not, following scapy's `answers()`.
  ///
  /// Beyond equal keys (`key(ofReply:bytes:)` equal to `key(ofProbe:bytes:)`, or its
  /// `anyRemote` for a probe to a multicast or broadcast address), the reply must:
  /// - not be a frame going the probe's way (the probe itself, captured on its way out);
  /// - for IP, be addressed to the probe's source (an IPv6 reply to a multicast probe may
  ///   go to a multicast address);
  /// - for ARP, have the reply op of the request's (2 for 1, 4 for 3);
  /// - for a direct TCP reply: the probe has no RST; a reply with SYN has ACK and answers a
  ///   SYN; unless the probe is a SYN without ACK, the reply's seq is within 2 of the probe's
  ///   ack; unless the reply is an RST without ACK, its ack is within 2 + the probe's payload
  ///   length of the probe's seq (so ack = seq + 1 for a SYN);
  /// - for UDP to or from a DNS port (53, 5353, 5355) carrying a DNS query: be the response
  ///   with its identifier and first question (PacketKit has no DNS layer yet; the header and
  ///   question are read from the payload);
  /// - for an ICMP query, be its reply type (echo reply 0 for echo request 8, 14 for 13, ...);
  ///   for an ICMPv6 echo reply, carry the request's data (compared over the bytes captured
  ///   of both);
  /// - for an ICMP or ICMPv6 error: quote the probe's source and (final) destination,
  ///   protocol and ports or identifiers (that is the key). With `strictQuote`, the first 8
  ///   bytes of the quoted transport header (TCP ports and seq, UDP ports, length and
  ///   checksum, ICMP type, code, checksum, id and seq) must also equal the probe's, which
  ///   tells apart probes of one flow sent with different TTLs (Paris traceroute).
  ///
  /// - Parameters:
  ///   - reply: a captured frame, decoded from `replyBytes`.
  ///   - probe: a probe, decoded from `probeBytes`.
  ///   - strictQuote: whether an error must quote the probe's first 8 transport bytes.
  ///   - replyBytes: the reply's captured bytes.
  ///   - probeBytes: the probe's bytes.
  /// - Returns: `direct`, `timeExceeded`, `unreachable(...)` or `otherError(...)`; nil when
  ///   `reply` does not answer `probe`.
  public static func match(
    reply: DecodedFrame, replyBytes: Span<UInt8>, probe: DecodedFrame, probeBytes: Span<UInt8>,
    strictQuote: Bool = false
  ) -> ReplyKind? {
    guard let probeKey = key(ofProbe: probe, bytes: probeBytes),
      let replyKey = key(ofReply: reply, bytes: replyBytes),
      replyKey == probeKey || replyKey.anyRemote == probeKey
    else { return nil }
    // A frame going the probe's way is the probe (or a copy of it), not a reply to it.
    if key(ofProbe: reply, bytes: replyBytes) == probeKey { return nil }
    guard let replyNetwork = networkIndex(of: reply), let probeNetwork = networkIndex(of: probe)
    else { return nil }
    switch (reply[replyNetwork].header, probe[probeNetwork].header) {
    case (.arp(let answer), .arp(let request)):
      return answer.op == request.op &+ 1 ? .direct : nil
    case (.ipv4(let answer), .ipv4(let request)):
      guard answer.dst == request.src else { return nil }
    case (.ipv6(let answer), .ipv6(let request)):
      if answer.dst != request.src {
        guard isGroup(request.dst, version: 6), isGroup(answer.dst, version: 6) else { return nil }
      }
    default:
      return nil
    }
    let kind = ReplyKind(reply: reply)
    let probeUpper = probeUpperIndex(probe, network: probeNetwork)
    if kind.isError {
      if strictQuote {
        guard let quote = quoteIndex(of: reply, network: replyNetwork), let probeUpper,
          quotedTransportMatches(
            reply, replyBytes, quote: quote, probe: probe, probeBytes, upper: probeUpper)
        else { return nil }
      }
      return kind
    }
    let replyUpper = replyNetwork + 1
    guard let probeUpper, replyUpper < reply.count else {
      return probeKey.kind == .ipProtocol ? .direct : nil
    }
    switch (reply[replyUpper].header, probe[probeUpper].header) {
    case (.tcp(let answer), .tcp(let request)):
      let payload = probe[probeUpper].payloadLength
      return tcpAnswers(answer, request, probePayloadLength: payload) ? .direct : nil
    case (.icmp(let answer), .icmp(let request)):
      return icmpReplyType(to: request.type) == answer.type ? .direct : nil
    case (.icmpv6(let answer), .icmpv6(let request)):
      if request.type == 128 {
        guard answer.type == 129,
          sameData(
            reply, replyBytes, after: replyUpper, probe, probeBytes, after: probeUpper)
        else { return nil }
      }
      return .direct
    case (.udp, .udp):
      return dnsAnswers(reply, replyBytes, udp: replyUpper, probe, probeBytes, udp: probeUpper)
        ? .direct : nil
    default:
      return nil
    }
  }

  /// Whether `reply` answers `probe` (`match(...)` is not nil).
  public static func answers(
    reply: DecodedFrame, replyBytes: Span<UInt8>, probe: DecodedFrame, probeBytes: Span<UInt8>,
    strictQuote: Bool = false
  ) -> Bool {
    match(
      reply: reply, replyBytes: replyBytes, probe: probe, probeBytes: probeBytes,
      strictQuote: strictQuote) != nil
  }

  /// The index of the probe's transport layer (TCP, UDP, ICMP, ICMPv6), if any.
  static func probeUpperIndex(_ probe: DecodedFrame, network: Int) -> Int? {
    switch probe[network].header {
    case .ipv4(let header): upperIndex(of: probe, network: network, protocol: header.protocol)
    case .ipv6(let header):
      upperIndex(of: probe, network: network, protocol: header.upperLayerProtocol)
    default: nil
    }
  }

  /// scapy's `TCP.answers` (reply `answer`, probe `request`), ports apart.
  static func tcpAnswers(_ answer: TCPHeader, _ request: TCPHeader, probePayloadLength: Int)
    -> Bool
  {
    let replyFlags = TCPFlags(rawValue: answer.flags)
    let probeFlags = TCPFlags(rawValue: request.flags)
    if probeFlags.contains(.rst) { return false }
    if replyFlags.contains(.syn) {
      guard replyFlags.contains(.ack), probeFlags.contains(.syn) else { return false }
    }
    let probeIsBareSYN = probeFlags.contains(.syn) && !probeFlags.contains(.ack)
    if !probeIsBareSYN && distance(request.ack, answer.seq) > 2 { return false }
    if replyFlags.contains(.rst) && !replyFlags.contains(.ack) { return true }
    return distance(request.seq, answer.ack) <= 2 + UInt32(clamping: probePayloadLength)
  }

  /// The distance between two 32-bit sequence numbers, modulo 2³².
  static func distance(_ a: UInt32, _ b: UInt32) -> UInt32 { min(a &- b, b &- a) }

  /// Whether the bytes after the ICMPv6 echo headers are the same, over what both captured.
  static func sameData(
    _ reply: DecodedFrame, _ replyBytes: Span<UInt8>, after replyHeader: Int,
    _ probe: DecodedFrame, _ probeBytes: Span<UInt8>, after probeHeader: Int
  ) -> Bool {
    func data(_ frame: DecodedFrame, after index: Int) -> Range<Int> {
      let start = frame[index].range.upperBound
      guard index + 1 < frame.count, frame.kind(at: index + 1) == .raw else {
        return start..<start
      }
      return frame[index + 1].range
    }
    let replyData = data(reply, after: replyHeader)
    let probeData = data(probe, after: probeHeader)
    let count = min(
      replyData.count, probeData.count, replyBytes.count - replyData.lowerBound,
      probeBytes.count - probeData.lowerBound)
    for offset in 0..<max(0, count)
    where replyBytes[replyData.lowerBound + offset] != probeBytes[probeData.lowerBound + offset] {
      return false
    }
    return true
  }

  /// Whether the quoted datagram's transport header starts with the probe's (the first
  /// 8 bytes, or fewer when the quote holds fewer, but at least the 4 bytes of ports or
  /// type, code and checksum).
  static func quotedTransportMatches(
    _ reply: DecodedFrame, _ replyBytes: Span<UInt8>, quote: Int, probe: DecodedFrame,
    _ probeBytes: Span<UInt8>, upper: Int
  ) -> Bool {
    let quotedUpper = quote + 1
    guard quotedUpper < reply.count, reply.kind(at: quotedUpper) == probe.kind(at: upper) else {
      return false
    }
    let quoted = reply[quotedUpper].range.lowerBound
    let sent = probe[upper].range.lowerBound
    let count = min(8, replyBytes.count - quoted, probeBytes.count - sent)
    guard count >= 4 else { return false }
    for offset in 0..<count where replyBytes[quoted + offset] != probeBytes[sent + offset] {
      return false
    }
    return true
  }
}
