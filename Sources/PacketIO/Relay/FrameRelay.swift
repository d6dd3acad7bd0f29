import Glibc
import PacketKit
import Synchronization

/// A queue of captured frames between a capture thread and the thread that prints or writes
/// them, so that formatting and writing output never keeps the capture from emptying the
/// kernel's buffer.
///
/// One producer (the capture thread, `push`) copies each frame into a large buffer allocated
/// once; one consumer (`deliver`) hands the frames, in order and with their records, to a
/// `FrameSink`. While the consumer is busy the producer goes on draining the kernel's ring
/// into the relay; only when the relay itself is full does the producer wait, and then the
/// kernel drops frames and counts them, so drop counts stay the kernel's, exact.
///
/// Neither side allocates per frame, and neither takes a lock: the two share two counters
/// (frames pushed, frames taken) and the position up to which bytes are free again.
public final class FrameRelay: @unchecked Sendable {
  // @unchecked Sendable: `slots` and `bytes` are written only by the producer in the part the
  // consumer has released, and read only by the consumer in the part the producer has
  // published (`pushed`, stored with release ordering after the writes, loaded with acquire
  // ordering before the reads); the reverse hand-over goes through `taken` and `freedBytes`.

  /// One frame in the relay: its record and where its bytes lie in `bytes`.
  private struct Slot {
    var record: CaptureRecord
    var start: Int
    var count: Int
    /// The producer's byte position after this frame: bytes before it are free once the
    /// frame is taken.
    var end: Int
  }

  /// How many bytes of frames the relay holds at most.
  public let byteCapacity: Int
  /// How many frames the relay holds at most.
  public let frameCapacity: Int

  private let slots: UnsafeMutablePointer<Slot>
  private let bytes: UnsafeMutablePointer<UInt8>
  /// Frames pushed so far (written by the producer).
  private let pushed = Atomic<Int>(0)
  /// Frames taken so far (written by the consumer).
  private let taken = Atomic<Int>(0)
  /// The byte position before which every byte is free again (written by the consumer).
  private let freedBytes = Atomic<Int>(0)
  /// Set by the producer when it will push no more.
  private let closed = Atomic<Bool>(false)
  /// Set by the consumer when it takes no more (its sink is finished).
  private let stopped = Atomic<Bool>(false)
  /// The producer's byte position (producer only).
  private var writtenBytes = 0
  /// Times the producer found the relay full and waited (producer only).
  public private(set) var waits = 0

  /// How long an idle side sleeps before it looks again, at most, in nanoseconds.
  private static let longestNap: UInt64 = 2_000_000
  /// How often the consumer hands freed space back while it works through a long batch.
  private static let releaseEvery = 1024

  /// The sizes that hold a ~600,000 frames per second flood of short frames for about a
  /// second while the output falls behind: 64 MiB of frame bytes, 512 Ki frames (the pages
  /// are touched only as the relay fills).
  public static let defaultByteCapacity = 64 << 20
  /// See `defaultByteCapacity`.
  public static let defaultFrameCapacity = 1 << 19

  /// A relay holding up to `byteCapacity` bytes of frames and up to `frameCapacity` frames.
  /// `byteCapacity` must hold the largest frame (the snapshot length).
  public init(
    byteCapacity: Int = FrameRelay.defaultByteCapacity,
    frameCapacity: Int = FrameRelay.defaultFrameCapacity
  ) {
    precondition(byteCapacity > 0 && frameCapacity > 0, "a relay needs room")
    self.byteCapacity = byteCapacity
    self.frameCapacity = frameCapacity
    slots = .allocate(capacity: frameCapacity)
    bytes = .allocate(capacity: byteCapacity)
  }

  deinit {
    let first = taken.load(ordering: .acquiring)
    let last = pushed.load(ordering: .acquiring)
    for index in first..<last { (slots + index % frameCapacity).deinitialize(count: 1) }
    slots.deallocate()
    bytes.deallocate()
  }

  // MARK: Producer

  /// Whether the consumer takes no more frames: the producer should stop capturing.
  public var isStopRequested: Bool { stopped.load(ordering: .relaxed) }

  /// Copies one frame into the relay (producer only). When the relay is full it waits for
  /// the consumer to make room.
  ///
  /// - Returns: false, with the frame not queued, when the consumer has stopped taking frames.
  @discardableResult
  public func push(_ record: CaptureRecord, _ frame: Span<UInt8>) -> Bool {
    let count = frame.count
    precondition(count <= byteCapacity, "a frame larger than the relay")
    var start = writtenBytes % byteCapacity
    // A frame never wraps around the end: the bytes left there are skipped.
    let skip = start + count > byteCapacity ? byteCapacity - start : 0
    let index = pushed.load(ordering: .relaxed)
    var nap: UInt64 = 20_000
    while index - taken.load(ordering: .acquiring) >= frameCapacity
      || writtenBytes + skip + count - freedBytes.load(ordering: .acquiring) > byteCapacity
    {
      if isStopRequested { return false }
      waits += 1
      Self.sleep(nanoseconds: nap)
      nap = min(nap * 2, Self.longestNap)
    }
    if skip > 0 { start = 0 }
    frame.withUnsafeBufferPointer { source in
      if let base = source.baseAddress { (bytes + start).update(from: base, count: count) }
    }
    writtenBytes += skip + count
    (slots + index % frameCapacity).initialize(
      to: Slot(record: record, start: start, count: count, end: writtenBytes))
    pushed.store(index + 1, ordering: .releasing)
    return true
  }

  /// Says that no more frames come (producer only): the consumer returns once it has handed
  /// over the frames queued.
  public func close() { closed.store(true, ordering: .releasing) }

  // MARK: Consumer

  /// Asks the producer to stop (consumer only); the frames still queued are not delivered.
  public func requestStop() { stopped.store(true, ordering: .relaxed) }

  /// Hands every frame to `sink`, in the order pushed, as they come, until the producer has
  /// closed the relay and every frame is delivered, or until `sink` is finished (then asks
  /// the producer to stop). Sleeps while the relay is empty.
  ///
  /// - Returns: the number of frames handed to `sink`.
  @discardableResult
  public func deliver(into sink: some FrameSink) -> Int {
    var next = taken.load(ordering: .relaxed)
    var delivered = 0
    var freed = freedBytes.load(ordering: .relaxed)
    var nap: UInt64 = 20_000
    while !sink.isFinished {
      let isClosed = closed.load(ordering: .acquiring)
      let available = pushed.load(ordering: .acquiring)
      if available == next {
        if isClosed { return delivered }
        Self.sleep(nanoseconds: nap)
        nap = min(nap * 2, Self.longestNap)
        continue
      }
      nap = 20_000
      while next < available && !sink.isFinished {
        let slot = (slots + next % frameCapacity).move()
        let frame = UnsafeBufferPointer(start: bytes + slot.start, count: slot.count)
        sink.take(slot.record, frame.span)
        next += 1
        delivered += 1
        freed = slot.end
        if (next & (Self.releaseEvery - 1)) == 0 { release(next, freed) }
      }
      release(next, freed)
    }
    requestStop()
    return delivered
  }

  /// Hands the slots before `next` and the bytes before `freed` back to the producer.
  @inline(__always)
  private func release(_ next: Int, _ freed: Int) {
    freedBytes.store(freed, ordering: .releasing)
    taken.store(next, ordering: .releasing)
  }

  /// The frames queued and not yet taken.
  public var queued: Int { pushed.load(ordering: .acquiring) - taken.load(ordering: .acquiring) }

  private static func sleep(nanoseconds: UInt64) {
    var time = timespec(tv_sec: 0, tv_nsec: Int(nanoseconds))
    _ = nanosleep(&time, nil)
  }
}
