// IPv4's builder: the header `craft` writes.

/// An IPv4 header to build (contract layer `ipv4`).
///
/// Defaults as scapy's `IP()`: id 1, ttl 64, source and destination 127.0.0.1. Optional
/// fields are computed unless given: `headerLength` from the options, `totalLength` from
/// what is built, `protocol` from the next layer (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, 4 IPv4,
/// 41 IPv6, else 0), `checksum` over the header. A given value is written as is.
public struct IPv4: PacketLayer {
  /// Header length, in bytes (a multiple of 4, 20...60); nil: 20 + padded options.
  public var headerLength: Int?
  /// Type of service (DSCP and ECN), the whole byte.
  public var tos: UInt8
  /// Total length, in bytes; nil: computed.
  public var totalLength: UInt16?
  /// Identification.
  public var id: UInt16
  /// Don't fragment.
  public var df: Bool
  /// More fragments.
  public var mf: Bool
  /// Fragment offset, in bytes (a multiple of 8).
  public var fragmentOffset: Int
  /// Time to live (hop count).
  public var ttl: UInt8
  /// Protocol of the payload; nil: computed.
  public var `protocol`: UInt8?
  /// Header checksum; nil: computed.
  public var checksum: UInt16?
  /// Source address.
  public var src: IPv4Address
  /// Destination address.
  public var dst: IPv4Address
  /// Option bytes, padded with zeros to a multiple of 4 when built.
  public var options: [UInt8]

  /// An IPv4 header to build; lengths, protocol and checksum are computed unless given, the
  /// other defaults are scapy's: TTL 64, id 1, source and destination 127.0.0.1.
  public init(
    headerLength: Int? = nil, tos: UInt8 = 0, totalLength: UInt16? = nil, id: UInt16 = 1,
    df: Bool = false, mf: Bool = false, fragmentOffset: Int = 0, ttl: UInt8 = 64,
    protocol proto: UInt8? = nil, checksum: UInt16? = nil,
    src: IPv4Address = IPv4Address(127, 0, 0, 1), dst: IPv4Address = IPv4Address(127, 0, 0, 1),
    options: [UInt8] = []
  ) {
    self.headerLength = headerLength
    self.tos = tos
    self.totalLength = totalLength
    self.id = id
    self.df = df
    self.mf = mf
    self.fragmentOffset = fragmentOffset
    self.ttl = ttl
    self.protocol = proto
    self.checksum = checksum
    self.src = src
    self.dst = dst
    self.options = options
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .ipv4(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .ipv4(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension IPv4 {
  /// The options as written: padded with zeros to a multiple of 4 bytes.
  var paddedOptions: [UInt8] {
    options + repeatElement(0, count: (4 - options.count % 4) % 4)
  }

  /// The header's real length, in bytes: 20 plus the padded options.
  var computedHeaderLength: Int { 20 + paddedOptions.count }

  /// The last router of the single LSRR (131) or SSRR (137) option, if there is exactly
  /// one such option with routers (scapy's pseudo-header destination).
  var sourceRouteDestination: IPv4Address? {
    var found: [IPv4Address?] = []
    var offset = 0
    while offset < options.count {
      let kind = options[offset]
      if kind == 0 { break }
      if kind == 1 {
        offset += 1
        continue
      }
      guard offset + 1 < options.count else { break }
      let length = Int(options[offset + 1])
      guard length >= 2, offset + length <= options.count else { break }
      if kind == 131 || kind == 137 {
        let routers = (length - 3) / 4
        if routers > 0 {
          let last = offset + 3 + (routers - 1) * 4
          found.append(
            IPv4Address(options[last], options[last + 1], options[last + 2], options[last + 3]))
        } else {
          found.append(nil)
        }
      }
      offset += length
    }
    return found.count == 1 ? found[0] : nil
  }

  func encode(into writer: inout ByteWriter, next: StackLayer?, payloadLength: Int)
    throws(BuildError)
  {
    let options = paddedOptions
    guard options.count <= 40 || headerLength != nil else {
      throw .invalidValue(
        layer: "ipv4", field: FieldName.options.string, value: "\(options.count) bytes",
        reason: "exceed 40 bytes")
    }
    if let headerLength, headerLength < 0 || headerLength > 60 || headerLength % 4 != 0 {
      throw .invalidValue(
        layer: "ipv4", field: FieldName.headerLength.string, value: "\(headerLength)",
        reason: "is not a multiple of 4 in 0...60")
    }
    guard fragmentOffset >= 0, fragmentOffset % 8 == 0, fragmentOffset <= 0x1FFF * 8 else {
      throw .invalidValue(
        layer: "ipv4", field: FieldName.fragmentOffset.string, value: "\(fragmentOffset)",
        reason: "is not a multiple of 8 in 0...65528")
    }
    let total = 20 + options.count + payloadLength
    guard totalLength != nil || total <= 0xFFFF else {
      throw .invalidValue(
        layer: "ipv4", field: FieldName.totalLength.string, value: "\(total)",
        reason: "exceeds 65535")
    }
    let start = writer.count
    var header = IPv4Header(
      ihl: UInt8((headerLength ?? 20 + options.count) / 4), tos: tos,
      totalLength: totalLength ?? UInt16(total), id: id, df: df, mf: mf,
      fragmentOffset: fragmentOffset, ttl: ttl, protocol: self.protocol ?? next?.ipProtocol ?? 0,
      checksum: checksum ?? 0, src: src, dst: dst)
    header.encode(into: &writer, options: options.span)
    if checksum == nil {
      var sum = InternetChecksum()
      sum.add(Array(writer.bytes[start...]))
      header.checksum = sum.checksum
      writer.setBE16(header.checksum, at: start + IPv4Layout.checksum)
    }
  }
}
