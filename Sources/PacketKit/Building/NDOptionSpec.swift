/// A neighbour-discovery option to build (RFC 4861 §4.6).
///
/// In expressions: `options=[source_mac=02:00:00:00:00:01, target_mac=..., mtu=1500,
/// (type, 02:00:00:00:00:01), (type, 0x...)]`.
public enum NDOptionSpec: Sendable, Hashable {
  /// Source link-layer address (type 1).
  case sourceLinkLayerAddress(MACAddress)
  /// Target link-layer address (type 2).
  case targetLinkLayerAddress(MACAddress)
  /// MTU (type 5): 2 reserved bytes and the MTU.
  case mtu(UInt32)
  /// Any option: type and the bytes after type and length, padded with zeros to a multiple
  /// of 8 bytes in all.
  case raw(type: UInt8, bytes: [UInt8])

  /// The option's bytes on the wire, length in 8-byte units computed.
  public var encoded: [UInt8] {
    let type: UInt8
    var data: [UInt8]
    switch self {
    case .sourceLinkLayerAddress(let mac):
      type = 1
      data = mac.octets
    case .targetLinkLayerAddress(let mac):
      type = 2
      data = mac.octets
    case .mtu(let mtu):
      type = 5
      var writer = ByteWriter(capacity: 6)
      writer.writeBE16(0)
      writer.writeBE32(mtu)
      data = writer.bytes
    case .raw(let rawType, let bytes):
      type = rawType
      data = bytes
    }
    let total = (data.count + 2 + 7) / 8 * 8
    data.append(contentsOf: repeatElement(0, count: total - 2 - data.count))
    return [type, UInt8(truncatingIfNeeded: total / 8)] + data
  }
}
