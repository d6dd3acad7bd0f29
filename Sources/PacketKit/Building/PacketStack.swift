/// Layers to build, outermost first: `Ethernet(dst: mac) / IPv4(dst: ip) / TCP() / Payload("hi")`.
///
/// `build()` writes every layer, computing the fields left nil (types, protocols, lengths,
/// header lengths, checksums) from the stack the way scapy does; a value given is written
/// as is, even when wrong.
public struct PacketStack: Sendable, Hashable {
  /// The layers, outermost first.
  public var layers: [StackLayer]

  public init(_ layers: [StackLayer]) { self.layers = layers }

  /// A stack of one layer.
  public init(_ layer: some PacketLayer) { layers = [layer.stackLayer] }

  /// The packet's bytes.
  ///
  /// Layers are written innermost first, so each header is written once its payload exists:
  /// lengths and checksums then cover the bytes actually built.
  ///
  /// - Throws: `BuildError.invalidValue` for a value that cannot be put on the wire (a VLAN
  ///   id above 4095, a fragment offset that is not a multiple of 8, a datagram longer than
  ///   its length field can say, ...).
  public func build() throws(BuildError) -> [UInt8] {
    var tail: [UInt8] = []
    for index in layers.indices.reversed() {
      tail = try encode(at: index, payload: tail)
    }
    return tail
  }

  /// Layer `index` written before `payload`, the bytes of every layer after it.
  func encode(at index: Int, payload: [UInt8]) throws(BuildError) -> [UInt8] {
    let next = index + 1 < layers.count ? layers[index + 1] : nil
    let previous = index > 0 ? layers[index - 1] : nil
    var writer = ByteWriter(capacity: 64 + payload.count)
    switch layers[index] {
    case .ethernet(let layer):
      try layer.encode(into: &writer, next: next)
    case .vlan(let layer):
      try layer.encode(into: &writer, next: next)
    case .arp(let layer):
      layer.encode(into: &writer)
    case .ipv4(let layer):
      try layer.encode(into: &writer, next: next, payloadLength: payload.count)
    case .ipv6(let layer):
      try layer.encode(into: &writer, next: next, payloadLength: payload.count)
    case .tcp(let layer):
      return try layer.encode(
        payload: payload, pseudoHeader: ChecksumContext(previous, upper: layers[index]))
    case .udp(let layer):
      return try layer.encode(
        payload: payload, pseudoHeader: ChecksumContext(previous, upper: layers[index]))
    case .icmp(let layer):
      return layer.encode(payload: payload)
    case .icmpv6(let layer):
      var pseudo: ChecksumContext? = nil
      if case .ipv6 = previous { pseudo = ChecksumContext(previous, upper: layers[index]) }
      return layer.encode(payload: payload, pseudoHeader: pseudo)
    case .payload(let layer):
      writer.write(contentsOf: layer.bytes)
    }
    writer.write(contentsOf: payload)
    return writer.bytes
  }
}

extension StackLayer {
  /// The EtherType announcing this layer, when it has one.
  var etherType: UInt16? {
    switch self {
    case .ipv4: 0x0800
    case .ipv6: 0x86DD
    case .arp: 0x0806
    case .vlan(let tag): tag.tpid
    default: nil
    }
  }

  /// The IP protocol number announcing this layer, when it has one.
  var ipProtocol: UInt8? {
    switch self {
    case .tcp: 6
    case .udp: 17
    case .icmp: 1
    case .icmpv6: 58
    case .ipv4: 4
    case .ipv6: 41
    default: nil
    }
  }
}
