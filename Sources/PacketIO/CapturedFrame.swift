import PacketKit

/// A frame copied out of a live capture: its bytes and its record, owned, so it can be kept,
/// sent across tasks and compared after the capture has moved on.
///
/// The timestamp is the kernel's software receive timestamp (CLOCK_REALTIME), the clock of
/// the software transmit timestamps `TransmitTimestamp` reports: a reply's
/// `timestampNanoseconds` minus its probe's transmit timestamp is the round-trip time.
public struct CapturedFrame: Sendable, Hashable {
  /// The frame's bytes, from its link-layer header on (at most the snapshot length).
  public var bytes: [UInt8]
  /// Number, timestamp, lengths, link type, interface and direction of the frame.
  public var record: CaptureRecord

  /// Copies `bytes` out of a capture.
  public init(record: CaptureRecord, bytes: Span<UInt8>) {
    self.record = record
    self.bytes = bytes.withUnsafeBufferPointer { Array($0) }
  }

  /// Wraps bytes already owned.
  public init(record: CaptureRecord, bytes: [UInt8]) {
    self.record = record
    self.bytes = bytes
  }

  /// The link type of `bytes` (Ethernet on most interfaces; Ethernet on `lo` too).
  public var linkType: LinkType { record.linkType }

  /// Whether the frame was received or sent by this host; nil when the capture does not say.
  public var direction: CaptureRecord.Direction? { record.direction }

  /// The kernel's receive timestamp, in nanoseconds since the Unix epoch (CLOCK_REALTIME).
  public var timestampNanoseconds: UInt64 {
    UInt64(clamping: record.timestamp.nanosecondsSinceEpoch)
  }
}
