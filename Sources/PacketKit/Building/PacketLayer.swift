/// A layer of a packet to build: `Ethernet`, `VLAN`, `ARP`, `IPv4`, `IPv6`, `TCP`, `UDP`,
/// `ICMP`, `ICMPv6` or `Payload`. Layers are stacked with `/`, outermost first.
public protocol PacketLayer: Sendable, Hashable {
  /// The layer as an element of a stack.
  var stackLayer: StackLayer { get }
  /// The layer held by `stackLayer`, when it is of this type.
  init?(_ stackLayer: StackLayer)
}

/// Stacks two layers: `Ethernet() / IPv4()`.
public func / <Outer: PacketLayer, Inner: PacketLayer>(outer: Outer, inner: Inner) -> PacketStack {
  PacketStack([outer.stackLayer, inner.stackLayer])
}

/// Puts a layer under a stack: `Ethernet() / IPv4() / TCP()`.
public func / <Inner: PacketLayer>(outer: PacketStack, inner: Inner) -> PacketStack {
  PacketStack(outer.layers + [inner.stackLayer])
}

/// Puts a stack under a layer (an ICMP error quoting a datagram): `IPv4() / ICMP() / (IPv4() / UDP())`.
public func / <Outer: PacketLayer>(outer: Outer, inner: PacketStack) -> PacketStack {
  PacketStack([outer.stackLayer] + inner.layers)
}

/// Joins two stacks.
public func / (outer: PacketStack, inner: PacketStack) -> PacketStack {
  PacketStack(outer.layers + inner.layers)
}
