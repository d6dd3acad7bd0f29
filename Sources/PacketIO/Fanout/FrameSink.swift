import PacketKit

/// Where a capture loop hands its frames, one at a time and in order: a printer, a capture
/// file, a counter. `FanoutMerge` feeds one.
///
/// A sink is used from one thread at a time (the merging thread, or the loop that polls a
/// single ring).
public protocol FrameSink: AnyObject {
  /// Whether the sink takes no more frames: it has all it wants (a packet limit) or its
  /// output failed. A loop feeding it stops once this is true.
  var isFinished: Bool { get }

  /// Takes one frame. `bytes` (the frame from its link-layer header on) is valid only
  /// during the call.
  func take(_ record: CaptureRecord, _ bytes: Span<UInt8>)
}
