// A stack's layers by type: `stack.ipv4?.ttl = 1`.

extension PacketStack {
  /// The outermost layer of type `Layer`, read and written in place.
  ///
  /// Setting a value replaces that layer; setting nil removes it. Setting when the stack
  /// has no layer of that type does nothing.
  public subscript<Layer: PacketLayer>(_ type: Layer.Type) -> Layer? {
    get {
      for layer in layers { if let typed = Layer(layer) { return typed } }
      return nil
    }
    set {
      guard let index = layers.firstIndex(where: { Layer($0) != nil }) else { return }
      if let newValue { layers[index] = newValue.stackLayer } else { layers.remove(at: index) }
    }
  }

  /// The outermost Ethernet layer (`self[Ethernet.self]`).
  public var ethernet: Ethernet? {
    get { self[Ethernet.self] }
    set { self[Ethernet.self] = newValue }
  }
  /// The outermost VLAN tag (`self[VLAN.self]`).
  public var vlan: VLAN? {
    get { self[VLAN.self] }
    set { self[VLAN.self] = newValue }
  }
  /// The outermost ARP layer (`self[ARP.self]`).
  public var arp: ARP? {
    get { self[ARP.self] }
    set { self[ARP.self] = newValue }
  }
  /// The outermost IPv4 layer (`self[IPv4.self]`).
  public var ipv4: IPv4? {
    get { self[IPv4.self] }
    set { self[IPv4.self] = newValue }
  }
  /// The outermost IPv6 layer (`self[IPv6.self]`).
  public var ipv6: IPv6? {
    get { self[IPv6.self] }
    set { self[IPv6.self] = newValue }
  }
  /// The outermost TCP layer (`self[TCP.self]`).
  public var tcp: TCP? {
    get { self[TCP.self] }
    set { self[TCP.self] = newValue }
  }
  /// The outermost UDP layer (`self[UDP.self]`).
  public var udp: UDP? {
    get { self[UDP.self] }
    set { self[UDP.self] = newValue }
  }
  /// The outermost ICMP layer (`self[ICMP.self]`).
  public var icmp: ICMP? {
    get { self[ICMP.self] }
    set { self[ICMP.self] = newValue }
  }
  /// The outermost ICMPv6 layer (`self[ICMPv6.self]`).
  public var icmpv6: ICMPv6? {
    get { self[ICMPv6.self] }
    set { self[ICMPv6.self] = newValue }
  }
  /// The first payload layer (`self[Payload.self]`).
  public var payload: Payload? {
    get { self[Payload.self] }
    set { self[Payload.self] = newValue }
  }
}
