// TCP (RFC 9293 §3.1)
//
//  0               16              32
// +---------------+---------------+
// |  Source Port  |   Dest Port   |
// |        Sequence Number        |
// |     Acknowledgment Number     |
// |Off|Rsv|A|C|E|U|A|P|R|S|F| Win |   data offset 4 bits, 3 reserved, AE, CWR..FIN
// |   Checksum    |    Urgent     |
// |    Options (data offset > 5)  |
// +-------------------------------+
// Options are iterated from their range (TCPOptions.swift), not stored.

/// Field offsets of the TCP header.
enum TCPLayout {
  static let srcPort = 0
  static let dstPort = 2
  static let seq = 4
  static let ack = 8
  static let offsetAndFlags = 12
  static let window = 14
  static let checksum = 16
  static let urgent = 18
  static let minimumLength = 20
}

/// A TCP header with every wire field.
public struct TCPHeader: Sendable, Hashable {
  /// Source port.
  public var srcPort: UInt16
  /// Destination port.
  public var dstPort: UInt16
  /// Sequence number.
  public var seq: UInt32
  /// Acknowledgment number.
  public var ack: UInt32
  /// The data offset field: header length in 4-byte words.
  public var dataOffset: UInt8
  /// The 12-bit flags field: 3 reserved bits, AE (NS), CWR, ECE, URG, ACK, PSH, RST, SYN, FIN.
  public var flags: UInt16
  /// Window, raw (unscaled).
  public var window: UInt16
  /// Checksum as stored.
  public var checksum: UInt16
  /// Urgent pointer.
  public var urgent: UInt16
  /// The options' bytes, as offsets in the frame.
  public var optionsRange: Range<Int>

  /// The smallest header, in bytes.
  public static let minimumLength = TCPLayout.minimumLength

  /// Header length, in bytes (data offset × 4).
  @inlinable public var headerLength: Int { Int(dataOffset) &* 4 }

  public init(
    srcPort: UInt16, dstPort: UInt16, seq: UInt32 = 0, ack: UInt32 = 0, dataOffset: UInt8 = 5,
    flags: UInt16 = 0, window: UInt16 = 8192, checksum: UInt16 = 0, urgent: UInt16 = 0
  ) {
    self.srcPort = srcPort
    self.dstPort = dstPort
    self.seq = seq
    self.ack = ack
    self.dataOffset = dataOffset
    self.flags = flags
    self.window = window
    self.checksum = checksum
    self.urgent = urgent
    optionsRange = 0..<0
  }

  /// Reads the fixed header at `offset`; the caller has checked that 20 bytes are there.
  /// `optionsRange` covers the option bytes that are within `bytes`.
  @inlinable
  public init(unchecked bytes: Span<UInt8>, at offset: Int) {
    srcPort = bytes.be16(at: offset)
    dstPort = bytes.be16(at: offset + 2)
    seq = bytes.be32(at: offset + 4)
    ack = bytes.be32(at: offset + 8)
    let word = bytes.be16(at: offset + 12)
    dataOffset = UInt8(word >> 12)
    flags = word & 0x0FFF
    window = bytes.be16(at: offset + 14)
    checksum = bytes.be16(at: offset + 16)
    urgent = bytes.be16(at: offset + 18)
    let start = offset + 20
    optionsRange = start..<max(start, min(offset + Int(word >> 12) * 4, bytes.count))
  }

  /// Decodes a header strictly from the start of `bytes`.
  public init(decoding bytes: Span<UInt8>) throws(DecodeError) {
    guard bytes.count >= 20 else {
      throw .truncated(
        .init(layer: .tcp, needed: 20, available: bytes.count, offset: 0, bound: .capture))
    }
    self.init(unchecked: bytes, at: 0)
    if dataOffset < 5 {
      throw .malformed(
        Malformation(field: "header_length", reason: "less than 20 bytes", value: headerLength))
    }
    guard bytes.count >= headerLength else {
      throw .truncated(
        .init(layer: .tcp, needed: headerLength, available: bytes.count, offset: 0, bound: .capture)
      )
    }
  }

  /// Appends the header: the fixed 20 bytes, then `options`.
  public func encode(into writer: inout ByteWriter, options: Span<UInt8>) {
    writer.writeBE16(srcPort)
    writer.writeBE16(dstPort)
    writer.writeBE32(seq)
    writer.writeBE32(ack)
    writer.writeBE16(UInt16(dataOffset & 0x0F) << 12 | (flags & 0x0FFF))
    writer.writeBE16(window)
    writer.writeBE16(checksum)
    writer.writeBE16(urgent)
    for index in 0..<options.count { writer.writeU8(options[index]) }
  }
}
