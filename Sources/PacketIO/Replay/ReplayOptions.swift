import PacketKit

/// How a `Replayer` sends: timing, repetition, rewriting and what it does with records it
/// cannot send as they are.
public struct ReplayOptions: Sendable {
  /// What to do with a record captured shorter than it was on the wire.
  public enum TruncatedRecords: Sendable, Hashable {
    /// Skip it, and count it (the default).
    case skip
    /// Send the bytes that were captured (`--truncated send`).
    case sendCaptured
  }

  /// When each packet leaves.
  public var timing: ReplayTiming
  /// Times the whole input is sent; 0 repeats until `duration` or a stop.
  public var loops: Int
  /// The longest the run may take, in nanoseconds; nil for no limit.
  public var durationNanoseconds: UInt64?
  /// Address rewriting on the way out; nil (or an empty rewriter) sends records unchanged.
  public var rewriter: PacketRewriter?
  /// Records captured shorter than their wire length.
  public var truncatedRecords: TruncatedRecords
  /// Read every file into memory before the first packet leaves (always done for standard
  /// input when it loops).
  public var preload: Bool
  /// Frames sent per `sendmmsg` at top speed.
  public var batchSize: Int
  /// Paced sending sleeps (`clock_nanosleep`) until this long before a deadline, then
  /// spins to it, in nanoseconds. 150 µs by default: a sleeping thread's wake-up is late by
  /// up to its timer slack (50 µs) plus the scheduler's latency, so a 50 µs window let a
  /// 10 kpps replay miss by 48 µs at p99, where 150 µs keeps it at 13 µs (Benchmarks/replay.sh).
  public var spinNanoseconds: UInt64
  /// Paced sending runs under SCHED_FIFO at this priority (1...99) when the process may
  /// (CAP_SYS_NICE) and while the thread sleeps most of the time (it goes back to the
  /// ordinary scheduler while it is busy over 80% of a 100 ms window, at high rates, so it
  /// never starves the kernel's threads on its CPU); nil keeps the ordinary scheduler.
  /// See ``ReplayReport/realTime``.
  public var realTimePriority: Int32?
  /// Files looped (`loops` other than 1) whose total size is at most this many bytes are
  /// preloaded, so short files are not reopened on every loop.
  public var preloadLoopedFilesUpTo: Int

  /// Options with the defaults: recorded timing, one loop, no limit, no rewriting,
  /// truncated records skipped, streamed files (looped files up to 64 MiB preloaded),
  /// batches of 256, 150 µs spin, the ordinary scheduler.
  public init(
    timing: ReplayTiming = .recorded(multiplier: 1), loops: Int = 1,
    durationNanoseconds: UInt64? = nil, rewriter: PacketRewriter? = nil,
    truncatedRecords: TruncatedRecords = .skip, preload: Bool = false, batchSize: Int = 256,
    spinNanoseconds: UInt64 = 150_000, realTimePriority: Int32? = nil,
    preloadLoopedFilesUpTo: Int = 64 << 20
  ) {
    self.realTimePriority = realTimePriority
    self.preloadLoopedFilesUpTo = preloadLoopedFilesUpTo
    self.timing = timing
    self.loops = loops
    self.durationNanoseconds = durationNanoseconds
    self.rewriter = rewriter
    self.truncatedRecords = truncatedRecords
    self.preload = preload
    self.batchSize = batchSize
    self.spinNanoseconds = spinNanoseconds
  }
}
