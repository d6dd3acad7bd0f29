// Neighbour-discovery options (RFC 4861 §4.6): type, length in 8-byte units (type and length
// included), data.

/// A neighbour-discovery option (RFC 4861 §4.6), as iterated from a message.
public struct NDOption: Sendable, Hashable {
  /// Option type (1 source link-layer address, 2 target link-layer address, 3 prefix, 5 MTU, …).
  public var type: UInt8
  /// Length in bytes (8-byte units on the wire).
  public var length: Int
  /// The bytes after type and length, as offsets in the frame.
  public var dataRange: Range<Int>

  /// Calls `body` for each option in `range`, stopping at a zero length, at an option that
  /// runs past the end, or when `body` returns false. Returns false when the options were
  /// malformed (zero length or overrun).
  @discardableResult
  public static func forEach(in bytes: Span<UInt8>, range: Range<Int>, _ body: (NDOption) -> Bool)
    -> Bool
  {
    var offset = range.lowerBound
    while offset + 2 <= range.upperBound {
      let length = Int(bytes[offset + 1]) * 8
      guard length > 0, offset + length <= range.upperBound else { return false }
      if !body(
        NDOption(type: bytes[offset], length: length, dataRange: (offset + 2)..<(offset + length)))
      {
        return true
      }
      offset += length
    }
    return offset == range.upperBound
  }
}

// MARK: - Fields

extension FieldName {
  static let mac = FieldName("mac")
}

extension NDOption {
  /// Writes the options in `range` as the `options` list of `read --json`:
  /// `{"type":1,"length":8,"mac":"02:00:00:00:00:01"}`, or `hex` of the data for other
  /// options. The list stops at a zero length or an option that runs past the end.
  static func describe<V: FieldVisitor>(
    _ range: Range<Int>, _ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer
  ) {
    fields.list(.options, &out) { fields, out in
      forEach(in: bytes, range: range) { option in
        fields.object(&out) { fields, out in
          fields.number(.type, option.type, &out)
          fields.number(.length, UInt(option.length), &out)
          if (option.type == 1 || option.type == 2) && option.dataRange.count == 6 {
            fields.mac(.mac, MACAddress(bytes, at: option.dataRange.lowerBound), &out)
          } else {
            fields.hex(.hex, bytes.extracting(option.dataRange), &out)
          }
        }
        return true
      }
    }
  }
}

// MARK: - Building

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
