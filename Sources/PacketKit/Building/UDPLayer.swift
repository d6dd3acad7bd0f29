/// A UDP header to build (contract layer `udp`).
///
/// Defaults as scapy's `UDP()`: ports 53. `length` is 8 plus what follows unless given;
/// `checksum` is computed over the IPv4 or IPv6 pseudo-header and the datagram actually built
/// (a computed 0 is sent as 0xFFFF), or 0 when the layer is not directly under an IP layer.
public struct UDP: PacketLayer {
  /// Source port.
  public var srcPort: UInt16
  /// Destination port.
  public var dstPort: UInt16
  /// Length of header and data, in bytes; nil: computed.
  public var length: UInt16?
  /// Checksum; nil: computed.
  public var checksum: UInt16?

  public init(
    srcPort: UInt16 = 53, dstPort: UInt16 = 53, length: UInt16? = nil, checksum: UInt16? = nil
  ) {
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.length = length
    self.checksum = checksum
  }

  public var stackLayer: StackLayer { .udp(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .udp(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension UDP {
  func encode(payload: [UInt8], pseudoHeader: ChecksumContext?) throws(BuildError) -> [UInt8] {
    let total = 8 + payload.count
    guard length != nil || total <= 0xFFFF else {
      throw .invalidValue(layer: "udp", field: "length", value: "\(total)", reason: "exceeds 65535")
    }
    var writer = ByteWriter(capacity: total)
    UDPHeader(
      srcPort: srcPort, dstPort: dstPort, length: length ?? UInt16(total), checksum: checksum ?? 0
    ).encode(into: &writer)
    writer.write(contentsOf: payload)
    if checksum == nil, let pseudoHeader {
      let sum = pseudoHeader.checksum(protocol: 17, segment: writer.bytes)
      writer.setBE16(sum == 0 ? 0xFFFF : sum, at: 6)
    }
    return writer.bytes
  }
}
