/// One packet of a capture file, owning its bytes: its record, and its frame decoded on
/// demand.
///
/// Made by ``CaptureFile``. Copying a packet shares its bytes (an array); reading
/// ``frame`` decodes the bytes each time it is read (a few hundred nanoseconds; keep the
/// result in a local to read several layers).
public struct CapturedPacket: Sendable, Hashable {
  /// The record: number, time, lengths, link type, interface and direction.
  public var record: CaptureRecord
  /// The captured bytes (`record.capturedLength` of them), link-layer header first.
  public var bytes: [UInt8]

  /// A packet of `bytes` described by `record`.
  public init(record: CaptureRecord, bytes: [UInt8]) {
    self.record = record
    self.bytes = bytes
  }

  /// The frame decoded from ``bytes`` with the record's link type and wire length
  /// (checksums verified, as `FrameDecoder()` does by default).
  public var frame: DecodedFrame {
    FrameDecoder().decode(bytes, linkType: record.linkType, wireLength: record.wireLength)
  }

  /// The frame as builder layers, to change fields and build again with fresh lengths and
  /// checksums (see ``PacketStack/init(_:bytes:)``).
  public var stack: PacketStack { PacketStack(frame, bytes: bytes.span) }

  /// When the packet was captured (`record.timestamp`).
  public var timestamp: Timestamp { record.timestamp }
}
