import PacketKit
import Synchronization

/// Merges the frames of a fanout group's rings into one stream in timestamp order, as a
/// capture on a single ring would have delivered them, and hands it to a `FrameSink`.
///
/// Each member is polled by a thread of its own, which copies its frames into a shared
/// queue; the calling thread sorts them by timestamp and holds a frame back until every
/// ring has had the chance to deliver older ones: `holdBackNanoseconds`, well above the
/// ring's block timeout (a block is handed over at the latest after it). Frames are
/// renumbered 1, 2, 3… in the merged order.
public struct FanoutMerge {
  /// The rings merged.
  public let members: [FanoutMember]
  /// How long a frame is held back, in nanoseconds of its timestamp behind the clock.
  public let holdBackNanoseconds: Int64

  /// How long a member's thread waits for a block, in milliseconds.
  private static let pollTimeoutMilliseconds: Int32 = 50
  /// How often the merging thread takes the frames queued, in nanoseconds.
  private static let mergePeriodNanoseconds: UInt64 = 20_000_000

  /// A merge of `members`' frames, each held back `holdBackNanoseconds` (200 ms by default).
  public init(members: [FanoutMember], holdBackNanoseconds: Int64 = 200_000_000) {
    self.members = members
    self.holdBackNanoseconds = holdBackNanoseconds
  }

  /// Polls every member on its own thread and hands their frames to `sink` in timestamp
  /// order, until `stopRequested()` returns true (a signal), `sink.isFinished`, or a ring
  /// fails. The threads then stop, and what the rings still hold is handed over, sorted,
  /// while the sink takes it: every frame delivered before the stop reaches the sink.
  ///
  /// - Returns: the first ring's failure (`SystemError` from `poll`), or nil.
  ///
  /// The merge copies each frame once (the rings' blocks go back to the kernel at once).
  public func run(into sink: some FrameSink, until stopRequested: () -> Bool) -> SystemError? {
    let queue = FanoutQueue()
    let threads = members.map { member in NativeThread { Self.poll(member, into: queue) } }
    var held: [CapturedFrame] = []
    var delivered = 0
    func deliver(_ frame: CapturedFrame) {
      var record = frame.record
      delivered += 1
      record.number = delivered
      sink.take(record, frame.bytes.span)
    }
    while true {
      let stopping = stopRequested() || sink.isFinished
      if stopping { queue.requestStop() }
      if !stopping {
        system_sleepUntil(
          monotonicNanoseconds: system_monotonicNanoseconds() + Self.mergePeriodNanoseconds)
      }
      held.append(contentsOf: queue.takeFrames())
      held.sort { $0.record.timestamp < $1.record.timestamp }
      let cutoff = Int64(system_realtimeNanoseconds()) - holdBackNanoseconds
      var emitted = 0
      for frame in held {
        if !stopping && frame.record.timestamp.nanosecondsSinceEpoch > cutoff { break }
        if sink.isFinished { break }
        deliver(frame)
        emitted += 1
      }
      held.removeFirst(emitted)
      let failure = queue.failure
      if failure != nil { queue.requestStop() }
      if stopping || failure != nil {
        for thread in threads { thread.join() }
        // Frames delivered while the threads were stopping.
        var rest = queue.takeFrames()
        rest.sort { $0.record.timestamp < $1.record.timestamp }
        for frame in held + rest where !sink.isFinished { deliver(frame) }
        return failure
      }
    }
  }

  /// A member's thread: polls its ring until the merge stops, then drains it.
  private static func poll(_ member: FanoutMember, into queue: FanoutQueue) {
    while !queue.isStopRequested {
      var batch: [CapturedFrame] = []
      do {
        _ = try member.ring.poll(timeoutMilliseconds: pollTimeoutMilliseconds) { record, bytes in
          batch.append(CapturedFrame(record: record, bytes: bytes))
        }
      } catch {
        queue.fail(error)
        return
      }
      if !batch.isEmpty { queue.append(batch) }
    }
    var rest: [CapturedFrame] = []
    _ = try? member.ring.drain { record, bytes in
      rest.append(CapturedFrame(record: record, bytes: bytes))
    }
    queue.append(rest)
  }
}

/// What the members' threads share with the merging thread: the frames copied and not yet
/// merged, the stop request, and the first failure.
private final class FanoutQueue: Sendable {
  private let frames = Mutex<[CapturedFrame]>([])
  private let stop = Atomic<Bool>(false)
  private let firstFailure = Mutex<SystemError?>(nil)

  var isStopRequested: Bool { stop.load(ordering: .relaxed) }
  func requestStop() { stop.store(true, ordering: .relaxed) }

  func append(_ batch: [CapturedFrame]) { frames.withLock { $0.append(contentsOf: batch) } }

  /// The frames queued, in arrival order; the queue is left empty.
  func takeFrames() -> [CapturedFrame] {
    frames.withLock { frames in
      defer { frames.removeAll(keepingCapacity: true) }
      return frames
    }
  }

  /// Records a ring's failure (only the first is kept).
  func fail(_ error: SystemError) { firstFailure.withLock { if $0 == nil { $0 = error } } }

  var failure: SystemError? { firstFailure.withLock { $0 } }
}
