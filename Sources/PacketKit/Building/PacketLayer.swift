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
  var stack = outer
  stack.layers.append(inner.stackLayer)
  return stack
}

/// Puts a stack under a layer (an ICMP error quoting a datagram): `IPv4() / ICMP() / (IPv4() / UDP())`.
public func / <Outer: PacketLayer>(outer: Outer, inner: PacketStack) -> PacketStack {
  var stack = inner
  stack.layers.insert(outer.stackLayer, at: 0)
  return stack
}

/// Joins two stacks; their trailers are written after everything, the outer's first.
public func / (outer: PacketStack, inner: PacketStack) -> PacketStack {
  var stack = PacketStack(outer.layers + inner.layers)
  stack.trailer = outer.trailer + inner.trailer
  return stack
}
