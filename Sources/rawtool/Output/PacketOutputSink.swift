import PacketIO
import PacketKit

/// A `PacketOutput` as the `FrameSink` a capture loop feeds (`sniff`): it takes frames
/// until the output's limit, and keeps the first failure to write instead of throwing it.
final class PacketOutputSink: FrameSink {
  /// Where the frames go.
  var output: PacketOutput
  /// What writing the file failed with.
  private(set) var failure: (any Error)? = nil

  init(_ output: consuming PacketOutput) { self.output = output }

  /// Whether the limit is reached or writing failed.
  var isFinished: Bool { output.isDone || failure != nil }

  /// Keeps `error` as the failure unless one is kept already.
  func fail(_ error: any Error) {
    if failure == nil { failure = error }
  }

  /// Prints or writes one frame unless finished; a failure is kept in `failure`.
  @inline(__always)
  func take(_ record: CaptureRecord, _ bytes: Span<UInt8>) {
    guard !isFinished else { return }
    do {
      try output.write(record, bytes)
    } catch {
      failure = error
    }
  }
}
