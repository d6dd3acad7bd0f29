/// How a frame answers a probe: directly, or as an ICMP/ICMPv6 error quoting it
/// (what a traceroute needs to tell a router from the destination).
public enum ReplyKind: Hashable, Sendable {
  /// The destination's own answer: a TCP segment, a UDP datagram, an echo reply, an ARP
  /// reply, a neighbour advertisement, ...
  case direct
  /// ICMP time exceeded (11) or ICMPv6 time exceeded (3): a router on the way.
  case timeExceeded
  /// ICMP destination unreachable (3) or ICMPv6 destination unreachable (1), with its code.
  /// The codes differ between the two: port unreachable is ICMP code 3 and ICMPv6 code 4
  /// (`isPortUnreachable`).
  case unreachable(code: UInt8, ipVersion: UInt8)
  /// Any other error quoting the probe: ICMP source quench (4), redirect (5), parameter
  /// problem (12); ICMPv6 packet too big (2), parameter problem (4).
  case otherError(type: UInt8, code: UInt8, ipVersion: UInt8)

  /// The kind of `frame` as a reply: the outermost ICMP or ICMPv6 error decides; any other
  /// frame is `direct`.
  public init(reply frame: DecodedFrame) {
    self = .direct
    for index in 0..<frame.count {
      switch frame.kind(at: index) {
      case .icmp:
        guard case .icmp(let message) = frame[index].header, message.isError else { return }
        switch message.type {
        case 11: self = .timeExceeded
        case 3: self = .unreachable(code: message.code, ipVersion: 4)
        default: self = .otherError(type: message.type, code: message.code, ipVersion: 4)
        }
        return
      case .icmpv6:
        guard case .icmpv6(let message) = frame[index].header, message.isError else { return }
        switch message.type {
        case 3: self = .timeExceeded
        case 1: self = .unreachable(code: message.code, ipVersion: 6)
        default: self = .otherError(type: message.type, code: message.code, ipVersion: 6)
        }
        return
      case .tcp, .udp, .raw: return
      default: continue
      }
    }
  }

  /// Whether this is an error rather than a direct answer.
  public var isError: Bool { self != .direct }

  /// ICMP port unreachable (3/3) or ICMPv6 port unreachable (1/4): what a closed UDP port
  /// (the end of a UDP traceroute) answers.
  public var isPortUnreachable: Bool {
    switch self {
    case .unreachable(3, 4), .unreachable(4, 6): true
    default: false
    }
  }
}
