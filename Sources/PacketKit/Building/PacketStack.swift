/// Layers to build, outermost first: `Ethernet(dst: mac) / IPv4(dst: ip) / TCP() / Payload("hi")`.
///
/// `build()` writes every layer, computing the fields left nil (types, protocols, lengths,
/// header lengths, checksums) from the stack the way scapy does; a value given is written
/// as is, even when wrong. `PacketStack(frame, bytes:)` makes a stack from a decoded frame,
/// and `stack.ipv4`, `stack.tcp`, ... edit a layer in place.
public struct PacketStack: Sendable, Hashable {
  /// The layers, outermost first.
  public var layers: [StackLayer]
  /// Bytes written after the last layer, outside every length and checksum (Ethernet
  /// padding or a trailer); empty by default.
  public var trailer: [UInt8] = []

  /// A stack of `layers`, outermost first, with no trailer.
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
    return tail + trailer
  }
}
