/// A TCP header to build (contract layer `tcp`).
///
/// Defaults as scapy's `TCP()`: source port 20, destination port 80, flags S, window 8192,
/// sequence and acknowledgment 0. `headerLength` is 20 plus the padded options unless given;
/// `checksum` is computed over the IPv4 or IPv6 pseudo-header and the segment actually built,
/// or 0 when the layer is not directly under an IP layer (as scapy).
public struct TCP: PacketLayer {
  /// Source port.
  public var srcPort: UInt16
  /// Destination port.
  public var dstPort: UInt16
  /// Sequence number.
  public var seq: UInt32
  /// Acknowledgment number.
  public var ack: UInt32
  /// Header length, in bytes (a multiple of 4, 20...60); nil: computed.
  public var headerLength: Int?
  /// Flags (the 12-bit field: 3 reserved bits, AE, CWR...FIN).
  public var flags: TCPFlags
  /// Window, raw (unscaled).
  public var window: UInt16
  /// Checksum; nil: computed.
  public var checksum: UInt16?
  /// Urgent pointer.
  public var urgent: UInt16
  /// Options, in order; padded with zeros to a multiple of 4 bytes when built.
  public var options: [TCPOptionSpec]

  public init(
    srcPort: UInt16 = 20, dstPort: UInt16 = 80, seq: UInt32 = 0, ack: UInt32 = 0,
    headerLength: Int? = nil, flags: TCPFlags = .syn, window: UInt16 = 8192,
    checksum: UInt16? = nil, urgent: UInt16 = 0, options: [TCPOptionSpec] = []
  ) {
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.seq = seq
    self.ack = ack
    self.headerLength = headerLength
    self.flags = flags
    self.window = window
    self.checksum = checksum
    self.urgent = urgent
    self.options = options
  }

  public var stackLayer: StackLayer { .tcp(self) }

  public init?(_ stackLayer: StackLayer) {
    guard case .tcp(let layer) = stackLayer else { return nil }
    self = layer
  }
}

extension TCP {
  /// The options as written: each option's bytes, then zeros to a multiple of 4 bytes.
  var encodedOptions: [UInt8] {
    var bytes = options.flatMap(\.encoded)
    bytes.append(contentsOf: repeatElement(0, count: (4 - bytes.count % 4) % 4))
    return bytes
  }

  func encode(payload: [UInt8], pseudoHeader: ChecksumContext?) throws(BuildError) -> [UInt8] {
    let options = encodedOptions
    guard options.count <= 40 || headerLength != nil else {
      throw .invalidValue(
        layer: "tcp", field: "options", value: "\(options.count) bytes", reason: "exceed 40 bytes")
    }
    if let headerLength, headerLength < 0 || headerLength > 60 || headerLength % 4 != 0 {
      throw .invalidValue(
        layer: "tcp", field: "header_length", value: "\(headerLength)",
        reason: "is not a multiple of 4 in 0...60")
    }
    guard flags.rawValue <= 0x0FFF else {
      throw .invalidValue(
        layer: "tcp", field: "flags", value: "\(flags.rawValue)", reason: "exceeds 12 bits")
    }
    var writer = ByteWriter(capacity: 20 + options.count + payload.count)
    TCPHeader(
      srcPort: srcPort, dstPort: dstPort, seq: seq, ack: ack,
      dataOffset: UInt8((headerLength ?? 20 + options.count) / 4), flags: flags.rawValue,
      window: window, checksum: checksum ?? 0, urgent: urgent
    ).encode(into: &writer, options: options.span)
    writer.write(contentsOf: payload)
    if checksum == nil, let pseudoHeader {
      writer.setBE16(pseudoHeader.checksum(protocol: 6, segment: writer.bytes), at: 16)
    }
    return writer.bytes
  }
}
