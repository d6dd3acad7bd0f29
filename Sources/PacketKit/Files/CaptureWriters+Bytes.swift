// The writers' `write` for bytes held in an array or any sequence, and for a packet read
// from a file: `try writer.write(timestamp: time, bytes: try stack.build())`.

extension PcapWriter {
  /// Appends one packet record whose bytes are in an array (as the `Span` form of `write`).
  public mutating func write(timestamp: Timestamp, wireLength: Int? = nil, bytes: [UInt8])
    throws(CaptureFileError)
  {
    try write(timestamp: timestamp, wireLength: wireLength, bytes: bytes.span)
  }

  /// Appends one packet record whose bytes are any sequence (collected into an array first).
  public mutating func write(
    timestamp: Timestamp, wireLength: Int? = nil, bytes: some Sequence<UInt8>
  ) throws(CaptureFileError) {
    try write(timestamp: timestamp, wireLength: wireLength, bytes: Array(bytes).span)
  }

  /// Appends a packet read from a file, with its time and wire length. Its link type must
  /// be the writer's: a pcap file has one.
  public mutating func write(_ packet: CapturedPacket) throws(CaptureFileError) {
    try write(
      timestamp: packet.record.timestamp, wireLength: packet.record.wireLength,
      bytes: packet.bytes.span)
  }
}

extension PcapngWriter {
  /// Appends one packet whose bytes are in an array (as the `Span` form of `write`).
  public mutating func write(
    timestamp: Timestamp, wireLength: Int? = nil, bytes: [UInt8], linkType: LinkType,
    interfaceName: String? = nil, direction: CaptureRecord.Direction? = nil
  ) throws(CaptureFileError) {
    try write(
      timestamp: timestamp, wireLength: wireLength, bytes: bytes.span, linkType: linkType,
      interfaceName: interfaceName, direction: direction)
  }

  /// Appends one packet whose bytes are any sequence (collected into an array first).
  public mutating func write(
    timestamp: Timestamp, wireLength: Int? = nil, bytes: some Sequence<UInt8>,
    linkType: LinkType, interfaceName: String? = nil, direction: CaptureRecord.Direction? = nil
  ) throws(CaptureFileError) {
    try write(
      timestamp: timestamp, wireLength: wireLength, bytes: Array(bytes).span, linkType: linkType,
      interfaceName: interfaceName, direction: direction)
  }

  /// Appends a packet read from a file with its time, wire length, link type, interface
  /// name and direction.
  public mutating func write(_ packet: CapturedPacket) throws(CaptureFileError) {
    try write(
      timestamp: packet.record.timestamp, wireLength: packet.record.wireLength,
      bytes: packet.bytes.span, linkType: packet.record.linkType,
      interfaceName: packet.record.interfaceName, direction: packet.record.direction)
  }
}
