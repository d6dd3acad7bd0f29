/// An ICMP message header to build (contract layer `icmp`).
///
/// Defaults as scapy's `ICMP()`: echo request (type 8), code 0, id 0, seq 0. The checksum
/// covers the whole message (an error's quoted datagram included) unless given.
public struct ICMP: PacketLayer {
  /// Message type.
  public var type: UInt8
  /// Message code.
  public var code: UInt8
  /// Checksum; nil: computed.
  public var checksum: UInt16?
  /// The 4 bytes after the checksum, as a big-endian integer.
  public var rest: UInt32

  public init(type: UInt8 = 8, code: UInt8 = 0, checksum: UInt16? = nil, rest: UInt32 = 0) {
    self.type = type
    self.code = code
    self.checksum = checksum
    self.rest = rest
  }

  /// An echo, timestamp or information message with identifier and sequence number.
  public init(type: UInt8 = 8, code: UInt8 = 0, checksum: UInt16? = nil, id: UInt16, seq: UInt16) {
    self.init(type: type, code: code, checksum: checksum, rest: UInt32(id) << 16 | UInt32(seq))
  }

  /// Identifier: the high half of `rest`.
  public var id: UInt16 {
    get { UInt16(truncatingIfNeeded: rest >> 16) }
    set { rest = rest & 0xFFFF | UInt32(newValue) << 16 }
  }

  /// Sequence number: the low half of `rest`.
  public var seq: UInt16 {
    get { UInt16(truncatingIfNeeded: rest) }
    set { rest = rest & 0xFFFF_0000 | UInt32(newValue) }
  }

  public var stackLayer: StackLayer { .icmp(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .icmp(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension ICMP {
  func encode(payload: [UInt8]) -> [UInt8] {
    var writer = ByteWriter(capacity: 8 + payload.count)
    ICMPv4Message(type: type, code: code, checksum: checksum ?? 0, rest: rest)
      .encode(into: &writer)
    writer.write(contentsOf: payload)
    if checksum == nil {
      var sum = InternetChecksum()
      sum.add(writer.bytes)
      writer.setBE16(sum.checksum, at: 2)
    }
    return writer.bytes
  }
}
