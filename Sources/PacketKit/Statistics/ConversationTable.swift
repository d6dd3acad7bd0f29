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

    /// A number per kind, for hashing.
    var code: UInt8 {
      switch self {
      case .ip: 0
      case .tcp: 1
      case .udp: 2
      }
    }
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

  /// An address as two words (IPv4 in the low 32 bits of `lower`), ordered as `Address` is
  /// within one family.
  struct AddressBits: Sendable, Equatable {
    var upper: UInt64
    var lower: UInt64

    init(_ address: IPv4Address) {
      upper = 0
      lower = UInt64(address.rawValue)
    }

    init(_ address: IPv6Address) {
      upper = address.high
      lower = address.low
    }

    /// Whether (`self`, `port`) comes before (`other`, `otherPort`).
    @inline(__always)
    func precedes(_ port: UInt16, _ other: AddressBits, _ otherPort: UInt16) -> Bool {
      if upper != other.upper { return upper < other.upper }
      if lower != other.lower { return lower < other.lower }
      return port < otherPort
    }

    func address(isIPv6: Bool) -> Address {
      isIPv6
        ? .v6(IPv6Address(high: upper, low: lower))
        : .v4(IPv4Address(rawValue: UInt32(truncatingIfNeeded: lower)))
    }
  }

  /// One conversation as stored, 96 bytes: an undirected pair of endpoints, the lower
  /// (address, port) first, which end is A, and the counts.
  struct Entry: Sendable {
    var low: AddressBits
    var high: AddressBits
    var lowPort: UInt16
    var highPort: UInt16
    var kind: Kind
    var isIPv6: Bool
    /// Whether A (the source of the first packet) is the low end.
    var aIsLow: Bool
    var packetsAToB: Int
    var bytesAToB: Int
    var packetsBToA: Int
    var bytesBToA: Int
    var firstSeconds: Int64
    var lastSeconds: Int64
    var firstNanoseconds: UInt32
    var lastNanoseconds: UInt32

    var firstTime: Timestamp {
      Timestamp(seconds: firstSeconds, checkedNanoseconds: firstNanoseconds)
    }
    var lastTime: Timestamp {
      Timestamp(seconds: lastSeconds, checkedNanoseconds: lastNanoseconds)
    }

    /// Counts one packet from `fromA`'s end.
    @inline(__always)
    mutating func add(fromA: Bool, bytes: Int, time: Timestamp) {
      if fromA {
        packetsAToB &+= 1
        bytesAToB &+= bytes
      } else {
        packetsBToA &+= 1
        bytesBToA &+= bytes
      }
      if time < firstTime {
        firstSeconds = time.seconds
        firstNanoseconds = time.nanoseconds
      }
      if lastTime < time {
        lastSeconds = time.seconds
        lastNanoseconds = time.nanoseconds
      }
    }

    /// The conversation as the report shows it.
    var conversation: Conversation {
      let lowAddress = low.address(isIPv6: isIPv6)
      let highAddress = high.address(isIPv6: isIPv6)
      return Conversation(
        kind: kind, a: aIsLow ? lowAddress : highAddress, b: aIsLow ? highAddress : lowAddress,
        aPort: aIsLow ? lowPort : highPort, bPort: aIsLow ? highPort : lowPort,
        packetsAToB: packetsAToB, bytesAToB: bytesAToB, packetsBToA: packetsBToA,
        bytesBToA: bytesBToA, firstTime: firstTime, lastTime: lastTime)
    }
  }

  /// Bytes one stored conversation takes, not counting the index (see `bytesPerConversation`).
  static let entryBytes = MemoryLayout<Entry>.stride

  /// The most bytes of memory one conversation takes once the table has outgrown its first
  /// chunk: its entry (96 bytes) and at most six 4-byte index slots (the index is at most
  /// half full and doubles, and while it doubles the old slots live beside the new ones).
  /// Entries are kept in chunks of `chunkSize` that are never moved or copied, so the
  /// entries need no room to spare while the table grows.
  public static let bytesPerConversation = entryBytes + 6 * HashSlots.bytesPerSlot

  /// Entries per chunk of the store.
  static var chunkSize: Int { ConversationStore.chunkSize }

  /// The entries, in order of first packet.
  private var store = ConversationStore()
  /// Entries stored.
  var entryCount: Int { store.count }
  /// The index from endpoints to entries.
  private var slots = HashSlots()
  /// Conversations per kind (`Kind` order).
  private var kindCounts: (ip: Int, tcp: Int, udp: Int) = (0, 0, 0)

  /// An empty table.
  public init() {}

  /// The entry numbered `index`.
  @inline(__always)
  private func storedEntry(_ index: Int) -> Entry { store.pointer(index).pointee }

  /// Bytes the table holds now: its entries' chunks (at their capacity) and its index.
  public var byteCount: Int {
    store.byteCount &+ slots.byteCount
  }

  @inline(__always)
  private func hash(
    _ kind: Kind, _ isIPv6: Bool, _ low: AddressBits, _ lowPort: UInt16, _ high: AddressBits,
    _ highPort: UInt16
  ) -> UInt64 {
    let tail =
      UInt64(lowPort) << 32 | UInt64(highPort) << 16 | UInt64(isIPv6 ? 4 : 0)
      | UInt64(kind.code)
    return slots.hash(low.upper, low.lower, high.upper, high.lower, tail)
  }

  private func hash(of index: Int) -> UInt64 {
    let stored = storedEntry(index)
    return hash(
      stored.kind, stored.isIPv6, stored.low, stored.lowPort, stored.high, stored.highPort)
  }

  /// The IP addresses of one header.
  struct IPPair {
    var src: AddressBits
    var dst: AddressBits
    var isIPv6: Bool
  }

  /// The endpoints one frame contributes: its outer IP pair and its first TCP or UDP
  /// header outside an ICMP quote, with the IP header that encloses it.
  struct Endpoints {
    var outer: IPPair? = nil
    var enclosing: IPPair? = nil
    var transport: (kind: Kind, srcPort: UInt16, dstPort: UInt16)? = nil
    var done = false

    /// Looks at the next layer, outermost first; sets `done` when later layers cannot matter.
    mutating func visit(_ layer: DecodedLayer) {
      withUnsafePointer(to: layer) { visit($0) }
    }

    /// `visit(_:)` of a layer read where it is, not copied.
    @inline(__always)
    mutating func visit(_ layer: UnsafePointer<DecodedLayer>) {
      guard !done else { return }
      if layer.pointee.isQuoted {
        done = true
        return
      }
      switch layer.pointee.header {
      case .ipv4(let header):
        // Only complete headers count, as in tshark, whose taps run only after the header
        // dissected without error (a status describes the header, not its payload).
        guard layer.pointee.status.isComplete else {
          done = true
          return
        }
        enclosing = IPPair(
          src: AddressBits(header.src), dst: AddressBits(header.dst), isIPv6: false)
        if outer == nil { outer = enclosing }
      case .ipv6(let header):
        guard layer.pointee.status.isComplete else {
          done = true
          return
        }
        enclosing = IPPair(
          src: AddressBits(header.src), dst: AddressBits(header.dst), isIPv6: true)
        if outer == nil { outer = enclosing }
      case .tcp(let header):
        if enclosing != nil, layer.pointee.status.isComplete {
          transport = (.tcp, header.srcPort, header.dstPort)
        }
        done = true
      case .udp(let header):
        if enclosing != nil, layer.pointee.status.isComplete {
          transport = (.udp, header.srcPort, header.dstPort)
        }
        done = true
      default:
        // Link layers and tunnels lead to the datagram that is the conversation; any other
        // layer (ICMP, ARP, an application, raw bytes) ends the walk.
        if !layer.pointee.kind.carriesDatagram { done = true }
      }
    }
  }

  /// Counts one frame of `bytes` wire bytes.
  public mutating func add(
    _ frame: borrowing DecodedFrame, time: Timestamp, bytes: Int
  ) {
    var endpoints = Endpoints()
    frame.withLayerPointer { layers in
      for index in 0..<frame.count where !endpoints.done {
        endpoints.visit(layers + index)
      }
    }
    add(endpoints, time: time, bytes: bytes)
  }

  mutating func add(_ endpoints: Endpoints, time: Timestamp, bytes: Int) {
    // `count` writes the store's entries in place: make the store this table's own first.
    if !isKnownUniquelyReferenced(&store) { store = store.copy() }
    if let enclosing = endpoints.enclosing, let transport = endpoints.transport {
      count(
        transport.kind, enclosing, srcPort: transport.srcPort, dstPort: transport.dstPort,
        bytes: bytes, time: time)
    }
    if let outer = endpoints.outer {
      count(.ip, outer, srcPort: 0, dstPort: 0, bytes: bytes, time: time)
    }
  }

  /// Counts one packet in the conversation of `kind` between `pair`'s ends; the store must
  /// be this table's own (`add` makes it so).
  private mutating func count(
    _ kind: Kind, _ pair: IPPair, srcPort: UInt16, dstPort: UInt16, bytes: Int, time: Timestamp
  ) {
    // The lower (address, port) first; on a tie the source (it is then A).
    let srcIsLow = !pair.dst.precedes(dstPort, pair.src, srcPort)
    let low = srcIsLow ? pair.src : pair.dst
    let high = srcIsLow ? pair.dst : pair.src
    let lowPort = srcIsLow ? srcPort : dstPort
    let highPort = srcIsLow ? dstPort : srcPort
    var slot = slots.start(hash(kind, pair.isIPv6, low, lowPort, high, highPort))
    while let index = slots.entry(at: slot) {
      let stored = store.pointer(index)
      if stored.pointee.low == low && stored.pointee.high == high
        && stored.pointee.lowPort == lowPort && stored.pointee.highPort == highPort
        && stored.pointee.kind == kind && stored.pointee.isIPv6 == pair.isIPv6
      {
        let fromA =
          stored.pointee.aIsLow
          ? pair.src == low && srcPort == lowPort : pair.src == high && srcPort == highPort
        stored.pointee.add(fromA: fromA, bytes: bytes, time: time)
        return
      }
      slot = slots.next(slot)
    }
    let entry = Entry(
      low: low, high: high, lowPort: lowPort, highPort: highPort, kind: kind,
      isIPv6: pair.isIPv6, aIsLow: srcIsLow, packetsAToB: 1, bytesAToB: bytes, packetsBToA: 0,
      bytesBToA: 0, firstSeconds: time.seconds, lastSeconds: time.seconds,
      firstNanoseconds: time.nanoseconds, lastNanoseconds: time.nanoseconds)
    store.append(entry)
    switch kind {
    case .ip: kindCounts.ip &+= 1
    case .tcp: kindCounts.tcp &+= 1
    case .udp: kindCounts.udp &+= 1
    }
    if slots.insert(store.count &- 1, at: slot) { growIndex() }
  }

  @inline(never)
  private mutating func growIndex() {
    var grown = slots.doubled()
    for index in 0..<entryCount { grown.place(index, hash: hash(of: index)) }
    slots = grown
  }

  /// Whether `lhs` is listed before `rhs`: most bytes first, then most packets, then by
  /// (A, A's port, B, B's port), IPv4 before IPv6.
  static func ranks(_ lhs: Entry, before rhs: Entry) -> Bool {
    let leftBytes = lhs.bytesAToB &+ lhs.bytesBToA
    let rightBytes = rhs.bytesAToB &+ rhs.bytesBToA
    if leftBytes != rightBytes { return leftBytes > rightBytes }
    let leftPackets = lhs.packetsAToB &+ lhs.packetsBToA
    let rightPackets = rhs.packetsAToB &+ rhs.packetsBToA
    if leftPackets != rightPackets { return leftPackets > rightPackets }
    if lhs.isIPv6 != rhs.isIPv6 { return !lhs.isIPv6 }
    let (leftA, leftAPort, leftB, leftBPort) =
      lhs.aIsLow
      ? (lhs.low, lhs.lowPort, lhs.high, lhs.highPort)
      : (lhs.high, lhs.highPort, lhs.low, lhs.lowPort)
    let (rightA, rightAPort, rightB, rightBPort) =
      rhs.aIsLow
      ? (rhs.low, rhs.lowPort, rhs.high, rhs.highPort)
      : (rhs.high, rhs.highPort, rhs.low, rhs.lowPort)
    if leftA != rightA || leftAPort != rightAPort {
      return leftA.precedes(leftAPort, rightA, rightAPort)
    }
    return leftB.precedes(leftBPort, rightB, rightBPort)
  }

  /// Conversations of `kind`, most bytes first (then most packets, then by endpoints),
  /// at most `top` of them.
  public func top(_ top: Int, of kind: Kind) -> [Conversation] {
    guard top > 0 else { return [] }
    var best: [Entry] = []
    if top >= 256 {
      // A long list: sort them all.
      for index in 0..<store.count where storedEntry(index).kind == kind {
        best.append(storedEntry(index))
      }
      best.sort { Self.ranks($0, before: $1) }
      return best.prefix(top).map(\.conversation)
    }
    // A short list: keep the best `top` in order while walking the table once.
    best.reserveCapacity(top)
    for index in 0..<store.count {
      let entry = storedEntry(index)
      if entry.kind == kind {
        if best.count == top {
          guard Self.ranks(entry, before: best[top &- 1]) else { continue }
          best.removeLast()
        }
        var lower = 0
        var upper = best.count
        while lower < upper {
          let middle = (lower &+ upper) / 2
          if Self.ranks(best[middle], before: entry) {
            lower = middle &+ 1
          } else {
            upper = middle
          }
        }
        best.insert(entry, at: lower)
      }
    }
    return best.map(\.conversation)
  }

  /// How many conversations of `kind` there are.
  public func count(of kind: Kind) -> Int {
    switch kind {
    case .ip: kindCounts.ip
    case .tcp: kindCounts.tcp
    case .udp: kindCounts.udp
    }
  }
}
