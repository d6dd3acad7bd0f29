/// Traceroute probes in the Paris manner, and what a received frame says about them.
///
/// Every probe of a trace carries the same flow identifier, so routers that balance load
/// per flow send them all one way (Augustin et al., "Avoiding traceroute anomalies with
/// Paris traceroute", IMC 2006):
/// - UDP: addresses and ports never change; the probe's number is a 2-byte payload word,
///   which changes the UDP checksum, and the checksum (quoted in ICMP errors) tells the probe.
/// - ICMP / ICMPv6 echo: identifier fixed; the probe's number is the sequence number, and a
///   payload word compensating it keeps the ICMP checksum (which some routers hash) constant.
/// - TCP SYN: addresses and ports fixed; the probe's number is the sequence number (quoted in
///   ICMP errors; a SYN-ACK or RST acknowledges it plus one).
///
/// Probes are raw IP packets (LinkType.raw); replies may be captured with any link type.
public struct TraceProbes: Sendable, Hashable {
  /// The transport of a trace's probes.
  public enum Method: String, Sendable, Hashable, CaseIterable {
    /// UDP datagrams to a port, traceroute's default.
    case udp
    /// TCP SYN segments.
    case tcp
    /// ICMP or ICMPv6 echo requests.
    case icmp
  }

  /// The source and destination of a trace.
  public enum Endpoints: Sendable, Hashable {
    /// An IPv4 trace from `source` to `destination`.
    case ipv4(source: IPv4Address, destination: IPv4Address)
    /// An IPv6 trace from `source` to `destination`.
    case ipv6(source: IPv6Address, destination: IPv6Address)
  }

  /// What a reply says about the probe it answers.
  public enum ReplyKind: String, Sendable, Hashable {
    /// A router's ICMP time exceeded (the probe's TTL ran out there).
    case timeExceeded = "time-exceeded"
    /// The destination itself answered (echo reply, SYN-ACK or RST, UDP port unreachable).
    case destination
    /// Another ICMP destination unreachable (`code` says why).
    case unreachable
  }

  /// A reply identified as an answer to one probe.
  public struct Reply: Sendable, Hashable {
    /// The probe's number (as given to `packet(hop:number:)`).
    public var number: UInt16
    /// What kind of answer it is.
    public var kind: ReplyKind
    /// The ICMP code of an unreachable message (0 otherwise).
    public var code: UInt8
    /// The answering address, as text (RFC 5952 for IPv6).
    public var responder: String
  }

  /// The probes' transport.
  public let method: Method
  /// Source and destination addresses.
  public let endpoints: Endpoints
  /// Source port (UDP, TCP) or echo identifier (ICMP).
  public let flowIdentifier: UInt16
  /// Destination port (UDP, TCP); unused for ICMP.
  public let port: UInt16

  /// Probes of `method` from and to `endpoints`.
  ///
  /// - Parameters:
  ///   - method: the probes' transport.
  ///   - endpoints: the source and destination addresses.
  ///   - flowIdentifier: the source port (UDP, TCP) or echo identifier (ICMP) every probe
  ///     carries.
  ///   - port: the destination port (UDP, TCP); traceroute's default for UDP is 33434, for
  ///     TCP 80.
  public init(method: Method, endpoints: Endpoints, flowIdentifier: UInt16, port: UInt16) {
    self.method = method
    self.endpoints = endpoints
    self.flowIdentifier = flowIdentifier
    self.port = port
  }

  /// The destination address as text.
  public var destinationText: String {
    switch endpoints {
    case .ipv4(_, let destination): "\(destination)"
    case .ipv6(_, let destination): "\(destination)"
    }
  }

  /// Whether the probes are IPv6.
  public var isIPv6: Bool {
    if case .ipv6 = endpoints { return true }
    return false
  }

  /// The raw IP packet of probe `number` with TTL (hop limit) `hop`.
  ///
  /// `number` must not be 0: for UDP it is mixed into the checksum, whose value 0 means "no
  /// checksum".
  public func packet(hop: UInt8, number: UInt16) -> [UInt8] {
    var layers: [StackLayer] = []
    switch endpoints {
    case .ipv4(let source, let destination):
      // The IPv4 id is the probe number too: harmless for load balancers, and a second
      // witness in quotes.
      layers.append(.ipv4(IPv4(id: number, ttl: hop, src: source, dst: destination)))
    case .ipv6(let source, let destination):
      layers.append(.ipv6(IPv6(hopLimit: hop, src: source, dst: destination)))
    }
    switch method {
    case .udp:
      layers.append(.udp(UDP(srcPort: flowIdentifier, dstPort: port)))
      layers.append(.payload(Payload([UInt8(number >> 8), UInt8(number & 0xFF)])))
    case .tcp:
      layers.append(
        .tcp(TCP(srcPort: flowIdentifier, dstPort: port, seq: Self.sequence(of: number))))
    case .icmp:
      // seq + ~seq is 0xFFFF (ones'-complement zero): the checksum stays the same.
      let compensation = ~number
      let payload = Payload([UInt8(compensation >> 8), UInt8(compensation & 0xFF)])
      if isIPv6 {
        layers.append(.icmpv6(ICMPv6(type: 128, id: flowIdentifier, seq: number)))
      } else {
        layers.append(.icmp(ICMP(type: 8, id: flowIdentifier, seq: number)))
      }
      layers.append(.payload(payload))
    }
    // Every value above fits its field, so building cannot fail.
    return (try? PacketStack(layers).build()) ?? []
  }

  /// The number carried by a UDP probe's checksum: the checksum of probe `number`.
  ///
  /// Quotes carry the UDP checksum; this maps it back.
  public func udpChecksum(of number: UInt16) -> UInt16 {
    let bytes = packet(hop: 1, number: number)
    let offset = isIPv6 ? 40 : 20
    return UInt16(bytes[offset + 6]) << 8 | UInt16(bytes[offset + 7])
  }

  /// The TCP sequence number of probe `number`.
  static func sequence(of number: UInt16) -> UInt32 { UInt32(number) << 16 | 0x5052 }

  /// The reply `frame` (decoded from `bytes`) gives to one of these probes, or nil when it
  /// answers none of them.
  ///
  /// - Parameters:
  ///   - frame: a captured frame, decoded.
  ///   - checksums: for UDP, the map from a probe's checksum to its number (built with
  ///     `udpChecksum(of:)` as probes are sent); unused otherwise.
  public func reply(to frame: DecodedFrame, checksums: [UInt16: UInt16] = [:]) -> Reply? {
    // The outermost network layer: who answered.
    guard let outer = (0..<frame.count).first(where: { frame.kind(at: $0).isNetwork }) else {
      return nil
    }
    let responder: String
    let fromDestination: Bool
    switch (frame[outer].header, endpoints) {
    case (.ipv4(let ip), .ipv4(let source, let destination)):
      guard ip.dst == source else { return nil }
      responder = "\(ip.src)"
      fromDestination = ip.src == destination
    case (.ipv6(let ip), .ipv6(let source, let destination)):
      guard ip.dst == source else { return nil }
      responder = "\(ip.src)"
      fromDestination = ip.src == destination
    default:
      return nil
    }
    guard outer + 1 < frame.count else { return nil }
    switch frame[outer + 1].header {
    case .icmp(let message) where message.isError:
      // Time exceeded 11; unreachable 3, port unreachable (code 3) from the destination.
      let kind = Self.errorKind(
        type: message.type, code: message.code, timeExceeded: 11, unreachable: 3,
        portUnreachable: 3, fromDestination: fromDestination)
      return kind.flatMap { kind in
        quoted(in: frame, after: outer + 1, checksums: checksums).map {
          Reply(number: $0, kind: kind, code: message.code, responder: responder)
        }
      }
    case .icmpv6(let message) where message.isError:
      // Time exceeded 3; unreachable 1, port unreachable (code 4) from the destination.
      let kind = Self.errorKind(
        type: message.type, code: message.code, timeExceeded: 3, unreachable: 1,
        portUnreachable: 4, fromDestination: fromDestination)
      return kind.flatMap { kind in
        quoted(in: frame, after: outer + 1, checksums: checksums).map {
          Reply(number: $0, kind: kind, code: message.code, responder: responder)
        }
      }
    case .icmp(let message) where method == .icmp && !isIPv6 && message.type == 0:
      guard fromDestination, message.id == flowIdentifier else { return nil }
      return Reply(number: message.seq, kind: .destination, code: 0, responder: responder)
    case .icmpv6(let message) where method == .icmp && isIPv6 && message.type == 129:
      guard fromDestination, message.id == flowIdentifier else { return nil }
      return Reply(number: message.seq, kind: .destination, code: 0, responder: responder)
    case .tcp(let segment) where method == .tcp:
      guard fromDestination, segment.srcPort == port, segment.dstPort == flowIdentifier,
        segment.flags & (TCPFlags.rst.rawValue | TCPFlags.syn.rawValue) != 0
      else { return nil }
      let acknowledged = segment.ack &- 1
      guard acknowledged & 0xFFFF == 0x5052 else { return nil }
      return Reply(
        number: UInt16(acknowledged >> 16), kind: .destination, code: 0, responder: responder)
    default:
      return nil
    }
  }

  /// What an ICMP or ICMPv6 error of `type` and `code` says of a probe, given the
  /// protocol's numbers; nil for another error.
  private static func errorKind(
    type: UInt8, code: UInt8, timeExceeded: UInt8, unreachable: UInt8, portUnreachable: UInt8,
    fromDestination: Bool
  ) -> ReplyKind? {
    switch type {
    case timeExceeded: .timeExceeded
    case unreachable where code == portUnreachable && fromDestination: .destination
    case unreachable: .unreachable
    default: nil
    }
  }

  /// The number of the probe quoted after the ICMP error at `index`, when the quote is one
  /// of ours.
  private func quoted(in frame: DecodedFrame, after index: Int, checksums: [UInt16: UInt16])
    -> UInt16?
  {
    let ip = index + 1
    let transport = index + 2
    guard transport < frame.count else { return nil }
    switch (frame[ip].header, endpoints) {
    case (.ipv4(let quote), .ipv4(let source, let destination)):
      guard quote.src == source, quote.dst == destination else { return nil }
    case (.ipv6(let quote), .ipv6(let source, let destination)):
      guard quote.src == source, quote.dst == destination else { return nil }
    default:
      return nil
    }
    switch (frame[transport].header, method) {
    case (.udp(let datagram), .udp):
      guard datagram.srcPort == flowIdentifier, datagram.dstPort == port else { return nil }
      return checksums[datagram.checksum]
    case (.tcp(let segment), .tcp):
      guard segment.srcPort == flowIdentifier, segment.dstPort == port,
        segment.seq & 0xFFFF == 0x5052
      else { return nil }
      return UInt16(segment.seq >> 16)
    case (.icmp(let echo), .icmp) where echo.type == 8:
      return echo.id == flowIdentifier ? echo.seq : nil
    case (.icmpv6(let echo), .icmp) where echo.type == 128:
      return echo.id == flowIdentifier ? echo.seq : nil
    default:
      return nil
    }
  }
}

extension LayerKind {
  /// IPv4 or IPv6.
  var isNetwork: Bool { self == .ipv4 || self == .ipv6 }
}
