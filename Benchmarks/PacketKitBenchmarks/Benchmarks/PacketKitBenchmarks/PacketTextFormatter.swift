import PacketKit

/// A formatter that appends a decoded frame's text to a buffer: what the formatting
/// benchmarks run, one-line or JSON.
protocol PacketTextFormatter {
  /// Appends the text for `frame`, decoded from `bytes`, to `out`.
  mutating func write(
    _ frame: DecodedFrame, bytes: Span<UInt8>, record: CaptureRecord, to out: inout TextBuffer)
}

extension OneLineFormatter: PacketTextFormatter {}
extension JSONFormatter: PacketTextFormatter {}
