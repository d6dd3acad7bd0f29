// Typed views of header fields stored as raw integers: the stored fields stay as they are
// (the formatters and the JSON read them), these read and write the same bits.

extension TCPHeader {
  /// The flags field as ``TCPFlags``: `tcp.flagSet.contains(.syn)`. Same bits as `flags`.
  public var flagSet: TCPFlags {
    get { TCPFlags(rawValue: flags) }
    set { flags = newValue.rawValue & 0x0FFF }
  }
}

extension IPv4Header {
  /// The protocol field as an ``IPProtocol``: `ip.ipProtocol == .tcp`. Same byte as `protocol`.
  public var ipProtocol: IPProtocol {
    get { IPProtocol(rawValue: self.protocol) }
    set { self.protocol = newValue.rawValue }
  }
}

extension IPv6Header {
  /// The protocol after the extension headers as an ``IPProtocol`` (same byte as
  /// `upperLayerProtocol`): `.tcp` for TCP whatever extension headers come first.
  public var ipProtocol: IPProtocol { IPProtocol(rawValue: upperLayerProtocol) }
}

extension IPv4 {
  /// The protocol to write as an ``IPProtocol``; nil: computed from the next layer.
  /// Same value as `protocol`.
  public var ipProtocol: IPProtocol? {
    get { self.protocol.map(IPProtocol.init(rawValue:)) }
    set { self.protocol = newValue?.rawValue }
  }
}
