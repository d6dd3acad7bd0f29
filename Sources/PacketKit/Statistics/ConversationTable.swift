/// Conversations: traffic between two IP addresses, and between two TCP or UDP endpoints
/// (tshark's `-z conv,ip`, `-z conv,tcp`, `-z conv,udp`).
///
/// Undirected: A↔B and B↔A are one conversation. A is the source of its first packet, so
/// "A to B" is the direction the conversation started in. Conversations use the outer IP
/// header of a frame and the first TCP or UDP header that is not inside an ICMP error's
/// quote; a quoted datagram is not a conversation of its own. Like tshark, only layers whose
/// header is complete count: a truncated or malformed IP header counts in no conversation,
/// a truncated or malformed TCP/UDP header only in its IP pair. Unlike tshark, fragments
/// are not reassembled (the first fragment's UDP/TCP header counts, at that fragment's
/// size), and a tunnelled datagram (IP in IP) counts in the IP table for its outer pair
/// only, while its TCP/UDP conversation uses the inner addresses.
public struct ConversationTable: Sendable {
  /// An IPv4 or IPv6 address.
  public enum Address: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// An IPv4 address.
    case v4(IPv4Address)
    /// An IPv6 address.
    case v6(IPv6Address)

    /// The address as text.
    public var description: String {
      switch self {
      case .v4(let address): address.description
      case .v6(let address): address.description
      }
    }

    /// Appends the address's text (RFC 5952 for IPv6).
    public func write(to out: inout TextBuffer) {
      switch self {
      case .v4(let address): address.write(to: &out)
      case .v6(let address): address.write(to: &out)
      }
    }
  }

  /// Which table a conversation belongs to.
  public enum Kind: Sendable, Hashable {
    /// By IP address pair.
    case ip
    /// By TCP address and port pair.
    case tcp
    /// By UDP address and port pair.
    case udp
  }

  /// One conversation's counts.
  public struct Conversation: Sendable, Hashable {
    /// IP, TCP or UDP.
    public var kind: Kind
    /// The source of the first packet.
    public var a: Address
    /// The other end.
    public var b: Address
    /// A's port (TCP and UDP; 0 for IP).
    public var aPort: UInt16
    /// B's port (TCP and UDP; 0 for IP).
    public var bPort: UInt16
    /// Packets from A to B.
    public var packetsAToB: Int
    /// Wire bytes from A to B.
    public var bytesAToB: Int
    /// Packets from B to A.
    public var packetsBToA: Int
    /// Wire bytes from B to A.
    public var bytesBToA: Int
    /// The earliest packet's time.
    public var firstTime: Timestamp
    /// The latest packet's time.
    public var lastTime: Timestamp

    /// Packets both ways.
    public var packets: Int { packetsAToB &+ packetsBToA }
    /// Wire bytes both ways.
    public var bytes: Int { bytesAToB &+ bytesBToA }

    mutating func add(
      fromA: Bool, bytes: Int, time: Timestamp
    ) {
      if fromA {
        packetsAToB &+= 1
        bytesAToB &+= bytes
      } else {
        packetsBToA &+= 1
        bytesBToA &+= bytes
      }
      if time < firstTime { firstTime = time }
      if time > lastTime { lastTime = time }
    }
  }

  /// An undirected pair of endpoints, the lower (address, port) first.
  struct Key: Hashable, Sendable {
    var kind: Kind
    var low: Address
    var lowPort: UInt16
    var high: Address
    var highPort: UInt16

    init(kind: Kind, src: Address, srcPort: UInt16, dst: Address, dstPort: UInt16) {
      self.kind = kind
      if (src, srcPort) <= (dst, dstPort) {
        (low, lowPort, high, highPort) = (src, srcPort, dst, dstPort)
      } else {
        (low, lowPort, high, highPort) = (dst, dstPort, src, srcPort)
      }
    }
  }

  private(set) var table: [Key: Conversation] = [:]

  /// An empty table.
  public init() {}

  /// The endpoints one frame contributes: its outer IP pair and its first TCP or UDP
  /// header outside an ICMP quote, with the IP header that encloses it.
  struct Endpoints {
    var outer: (src: Address, dst: Address)? = nil
    var enclosing: (src: Address, dst: Address)? = nil
    var transport: (kind: Kind, srcPort: UInt16, dstPort: UInt16)? = nil
    var done = false

    /// Looks at the next layer, outermost first; sets `done` when later layers cannot matter.
    mutating func visit(_ layer: DecodedLayer) {
      guard !done else { return }
      if layer.isQuoted {
        done = true
        return
      }
      if case .ipv4(let header) = layer.header {
        // Only complete headers count, as in tshark, whose taps run only after the header
        // dissected without error (a status describes the header, not its payload).
        guard layer.status.isComplete else {
          done = true
          return
        }
        enclosing = (.v4(header.src), .v4(header.dst))
        if outer == nil { outer = enclosing }
      } else if case .ipv6(let header) = layer.header {
        guard layer.status.isComplete else {
          done = true
          return
        }
        enclosing = (.v6(header.src), .v6(header.dst))
        if outer == nil { outer = enclosing }
      } else if case .tcp(let header) = layer.header {
        if enclosing != nil, layer.status.isComplete {
          transport = (.tcp, header.srcPort, header.dstPort)
        }
        done = true
      } else if case .udp(let header) = layer.header {
        if enclosing != nil, layer.status.isComplete {
          transport = (.udp, header.srcPort, header.dstPort)
        }
        done = true
      } else if !layer.kind.carriesDatagram {
        // Link layers and tunnels lead to the datagram that is the conversation; any other
        // layer (ICMP, ARP, an application, raw bytes) ends the walk.
        done = true
      }
    }
  }

  /// Counts one frame of `bytes` wire bytes.
  public mutating func add(
    _ frame: borrowing DecodedFrame, time: Timestamp, bytes: Int
  ) {
    var endpoints = Endpoints()
    for index in 0..<frame.count where !endpoints.done {
      endpoints.visit(frame[index])
    }
    add(endpoints, time: time, bytes: bytes)
  }

  mutating func add(_ endpoints: Endpoints, time: Timestamp, bytes: Int) {
    if let enclosing = endpoints.enclosing, let transport = endpoints.transport {
      count(
        Key(
          kind: transport.kind, src: enclosing.src, srcPort: transport.srcPort,
          dst: enclosing.dst, dstPort: transport.dstPort),
        src: enclosing.src, srcPort: transport.srcPort, bytes: bytes, time: time)
    }
    if let outer = endpoints.outer {
      count(
        Key(kind: .ip, src: outer.src, srcPort: 0, dst: outer.dst, dstPort: 0),
        src: outer.src, srcPort: 0, bytes: bytes, time: time)
    }
  }

  private mutating func count(
    _ key: Key, src: Address, srcPort: UInt16, bytes: Int, time: Timestamp
  ) {
    if let existing = table.index(forKey: key) {
      let a = table.values[existing].a
      let aPort = table.values[existing].aPort
      table.values[existing].add(
        fromA: src == a && srcPort == aPort, bytes: bytes, time: time)
      return
    }
    let fromLow = src == key.low && srcPort == key.lowPort
    table[key] = Conversation(
      kind: key.kind, a: fromLow ? key.low : key.high, b: fromLow ? key.high : key.low,
      aPort: fromLow ? key.lowPort : key.highPort, bPort: fromLow ? key.highPort : key.lowPort,
      packetsAToB: 1, bytesAToB: bytes, packetsBToA: 0, bytesBToA: 0, firstTime: time,
      lastTime: time)
  }

  /// Conversations of `kind`, most bytes first (then most packets, then by endpoints),
  /// at most `top` of them.
  public func top(_ top: Int, of kind: Kind) -> [Conversation] {
    var list = table.values.filter { $0.kind == kind }
    list.sort { lhs, rhs in
      if lhs.bytes != rhs.bytes { return lhs.bytes > rhs.bytes }
      if lhs.packets != rhs.packets { return lhs.packets > rhs.packets }
      return (lhs.a, lhs.aPort, lhs.b, lhs.bPort) < (rhs.a, rhs.aPort, rhs.b, rhs.bPort)
    }
    return Array(list.prefix(max(0, top)))
  }

  /// How many conversations of `kind` there are.
  public func count(of kind: Kind) -> Int {
    table.values.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
  }
}
