import Glibc
import PacketKit

/// Replays captured frames on an interface, as `rawtool replay` does: from pcap / pcapng
/// files (streamed, or preloaded) or from frames in memory, each packet at an absolute
/// deadline from the start (see ``ReplayTiming``), rewritten on the way out when the
/// options carry a `PacketRewriter` (PacketKit).
///
/// Paced packets wait with `clock_nanosleep(TIMER_ABSTIME)` until
/// ``ReplayOptions/spinNanoseconds`` before their deadline, then spin on CLOCK_MONOTONIC;
/// how late each one left is kept in ``ReplayReport/lag``. Packets already due (after the
/// thread was held up) go out in one batch, so the schedule is caught up at top speed. At top speed, frames go out in
/// batches with `sendmmsg` on a socket that bypasses the queueing discipline. Records that
/// cannot be sent as captured (over the MTU, truncated, not Ethernet) are skipped and
/// counted. Nothing is allocated per packet.
///
/// ```swift
/// var replayer = try Replayer(
///   interface: try NetworkInterface.named("veth0"),
///   options: ReplayOptions(timing: .packetsPerSecond(10_000)))
/// let report = replayer.replay(files: ["capture.pcapng"])
/// print(report.summary)
/// ```
///
/// Needs CAP_NET_RAW (an AF_PACKET socket).
///
/// Noncopyable (`~Copyable`): it owns the socket it sends on, closed when it goes away. Pass it
/// `borrowing` (or `inout`) to use it.
public struct Replayer: ~Copyable {
  /// The interface frames leave by.
  public let interface: NetworkInterface
  /// How the replay sends.
  public let options: ReplayOptions
  private let socket: PacketSocket
  private var batch: ReplayBatch
  private let rewriter: PacketRewriter?
  private var run = RunState()

  /// Where a run is.
  private struct RunState {
    var schedule = ReplaySchedule(timing: .topSpeed)
    var report = ReplayReport()
    var start: UInt64 = 0
    var last: UInt64 = 0
    var stopped = false
    var progressInterval: UInt64 = 0
    var nextProgress: UInt64 = .max
    var scheduling: RealTimeScheduling? = nil
    var started = false
    /// Packets sent, failed or batched before the current loop over the input.
    var attemptedBeforeLoop = 0
    /// The current scheduling window: when it began, and how long the thread slept in it.
    var windowStart: UInt64 = 0
    var windowSlept: UInt64 = 0
  }

  /// Whether a fixed packet rate leaves gaps within twice the spin window: the thread
  /// then spins most of the time and starts on the ordinary scheduler.
  static func spinsMostly(_ options: ReplayOptions) -> Bool {
    guard case .packetsPerSecond(let rate) = options.timing else { return false }
    return 1e9 / rate <= 2 * Double(options.spinNanoseconds)
  }

  /// How often paced sending reconsiders SCHED_FIFO, in nanoseconds.
  static let schedulingWindow: UInt64 = 100_000_000

  /// Keeps SCHED_FIFO only while the thread sleeps most of the time: a real-time thread
  /// that spins (high rates) starves the kernel's own threads on its CPU (softirq work
  /// deferred to ksoftirqd, so receive queues overflow) until RT throttling stops it for
  /// tens of milliseconds. Busy over 80% of a window: ordinary scheduler; under 60%:
  /// SCHED_FIFO again.
  private mutating func adjustScheduling() {
    let elapsed = run.last &- run.windowStart
    let busy = elapsed > 0 ? 1 - Double(run.windowSlept) / Double(elapsed) : 1
    if let scheduling = run.scheduling, busy > 0.8 {
      scheduling.end()
      run.scheduling = nil
    } else if run.scheduling == nil, busy < 0.6, let priority = options.realTimePriority {
      let scheduling = RealTimeScheduling(priority: priority)
      if scheduling.isActive {
        run.scheduling = scheduling
        run.report.realTime = true
      }
    }
    run.windowStart = run.last
    run.windowSlept = 0
  }

  /// Opens an AF_PACKET socket on `interface` for a replay with `options`.
  ///
  /// - Throws: `SystemError` (EPERM without CAP_NET_RAW; ENETDOWN when the interface is
  ///   down).
  public init(interface: NetworkInterface, options: ReplayOptions = ReplayOptions())
    throws(SystemError)
  {
    guard interface.isUp else {
      throw SystemError(
        operation: "replay", errno: ENETDOWN, detail: "\(interface.name): interface is down")
    }
    let socket = try PacketSocket(
      interface: interface, bypassQueueingDiscipline: options.timing == .topSpeed)
    self.socket = socket
    self.interface = interface
    self.options = options
    let mtu = interface.mtu > 0 ? interface.mtu : 65_536
    let slotSize = mtu + Self.maximumLinkHeader
    let capacity = max(1, min(options.batchSize, (8 << 20) / slotSize))
    batch = ReplayBatch(capacity: capacity, slotSize: slotSize)
    rewriter = options.rewriter.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// An Ethernet header with two VLAN tags.
  static let maximumLinkHeader = 22

  /// Replays `paths` in order (`-` is standard input), `options.loops` times.
  ///
  /// Every path is opened first: an unreadable or unrecognised file ends the run before
  /// anything is sent. A file damaged further on ends the run after every whole record
  /// before the damage was sent; the report's ``ReplayReport/fileError`` says where.
  ///
  /// - Parameters:
  ///   - paths: the capture files, pcap or pcapng.
  ///   - progressInterval: nanoseconds between calls of `progress` (nil: never).
  ///   - progress: called with the report so far.
  ///   - shouldStop: polled once per packet; returning true ends the run (SIGINT).
  public mutating func replay(
    files paths: [String], progressInterval: UInt64? = nil,
    progress: (ReplayReport) -> Void = { _ in }, shouldStop: () -> Bool = { false }
  ) -> ReplayReport {
    run = RunState()
    for path in paths where path != "-" {
      do {
        _ = try CaptureFileReader(path: path)
      } catch {
        run.report.fileError = (path, error)
        return finish()
      }
    }
    if options.preload || (options.loops != 1 && Self.shouldPreloadLooped(paths, options)) {
      // The clock starts once the files are in memory.
      var frames = PreloadedFrames()
      var damaged: (path: String, error: CaptureFileError)? = nil
      for path in paths {
        do {
          var reader = try CaptureFileReader(path: path)
          try reader.forEachRecord { record, bytes in
            frames.append(record, bytes)
            return true
          }
        } catch {
          guard let error = error as? CaptureFileError else { continue }
          damaged = (path, error)
          break
        }
      }
      begin(progressInterval: progressInterval)
      replayPreloaded(frames, progress: progress, shouldStop: shouldStop)
      if run.report.fileError == nil { run.report.fileError = damaged }
      return finish()
    }
    begin(progressInterval: progressInterval)
    var loop = 0
    while !run.stopped && (options.loops == 0 || loop < options.loops) {
      for path in paths {
        do {
          var reader = try CaptureFileReader(path: path)
          try reader.forEachRecord { record, bytes in
            offer(
              bytes, record: record, timestamp: record.timestamp.nanosecondsSinceEpoch,
              progress: progress, shouldStop: shouldStop)
          }
        } catch {
          if let error = error as? CaptureFileError { run.report.fileError = (path, error) }
          run.stopped = true
        }
        run.schedule.endSource()
        if run.stopped { break }
      }
      loop += 1
      if endsAfterLoop() { break }
    }
    return finish()
  }

  /// Replays `frames` in order, `options.loops` times.
  ///
  /// - Parameters: as ``replay(files:progressInterval:progress:shouldStop:)``.
  public mutating func replay(
    frames: [ReplayFrame], progressInterval: UInt64? = nil,
    progress: (ReplayReport) -> Void = { _ in }, shouldStop: () -> Bool = { false }
  ) -> ReplayReport {
    begin(progressInterval: progressInterval)
    var loop = 0
    while !run.stopped && !frames.isEmpty && (options.loops == 0 || loop < options.loops) {
      for frame in frames {
        let record = CaptureRecord(
          number: 0, timestamp: Timestamp(seconds: 0), capturedLength: frame.bytes.count,
          wireLength: frame.wireLength, linkType: frame.linkType)
        guard
          offer(
            frame.bytes.span, record: record, timestamp: frame.timestampNanoseconds,
            progress: progress, shouldStop: shouldStop)
        else { break }
      }
      run.schedule.endSource()
      loop += 1
      if endsAfterLoop() { break }
    }
    return finish()
  }

  private mutating func replayPreloaded(
    _ frames: PreloadedFrames, progress: (ReplayReport) -> Void, shouldStop: () -> Bool
  ) {
    var loop = 0
    let span = frames.bytes.span
    while !run.stopped && !frames.entries.isEmpty && (options.loops == 0 || loop < options.loops) {
      for entry in frames.entries {
        if entry.startsSource { run.schedule.endSource() }
        let record = CaptureRecord(
          number: 0, timestamp: Timestamp(seconds: 0), capturedLength: entry.length,
          wireLength: entry.wireLength, linkType: entry.linkType)
        guard
          offer(
            span.extracting(entry.offset..<entry.offset + entry.length), record: record,
            timestamp: entry.timestamp, progress: progress, shouldStop: shouldStop)
        else { break }
      }
      run.schedule.endSource()
      loop += 1
      if endsAfterLoop() { break }
    }
  }

  // MARK: The per-packet path

  private mutating func begin(progressInterval: UInt64?) {
    run = RunState()
    if let priority = options.realTimePriority, options.timing != .topSpeed,
      !Self.spinsMostly(options)
    {
      let scheduling = RealTimeScheduling(priority: priority)
      run.report.realTime = scheduling.isActive
      run.scheduling = scheduling.isActive ? scheduling : nil
    }
    run.schedule = ReplaySchedule(timing: options.timing)
    if let progressInterval, progressInterval > 0 { run.progressInterval = progressInterval }
  }

  /// Whether a loop over the input ends the run: it sent nothing (every record skipped, so
  /// looping again would spin), or the duration is over. Records the count for the next
  /// loop.
  private mutating func endsAfterLoop() -> Bool {
    let attempted = run.report.packets + run.report.failed + batch.count
    defer { run.attemptedBeforeLoop = attempted }
    if attempted == run.attemptedBeforeLoop { return true }
    if let duration = options.durationNanoseconds, run.started,
      system_monotonicNanoseconds() &- run.start >= duration
    {
      run.report.stoppedEarly = true
      return true
    }
    return false
  }

  /// Starts the clock: deadlines count from the first packet offered.
  private mutating func startClock() {
    run.started = true
    run.start = system_monotonicNanoseconds()
    run.last = run.start
    run.windowStart = run.start
    if run.progressInterval > 0 { run.nextProgress = run.start + run.progressInterval }
  }

  private mutating func finish() -> ReplayReport {
    if batch.count > 0 { flush(shouldStop: { false }) }
    run.scheduling?.end()
    run.scheduling = nil
    run.report.elapsedNanoseconds = run.last - run.start
    return run.report
  }

  /// Schedules, copies, rewrites and sends (or batches) one record; false ends the run.
  private mutating func offer(
    _ bytes: Span<UInt8>, record: CaptureRecord, timestamp: Int64,
    progress: (ReplayReport) -> Void, shouldStop: () -> Bool
  ) -> Bool {
    if shouldStop() {
      run.stopped = true
      run.report.stoppedEarly = true
      return false
    }
    guard record.linkType == .ethernet, bytes.count >= 14 else {
      run.report.skippedUnsendable += 1
      return true
    }
    if bytes.count < record.wireLength && options.truncatedRecords == .skip {
      run.report.skippedTruncated += 1
      return true
    }
    guard bytes.count <= batch.slotSize, Self.fitsMTU(bytes, mtu: interface.mtu) else {
      run.report.skippedTooLong += 1
      return true
    }
    if !run.started { startClock() }
    let deadline = run.schedule.next(timestamp: timestamp, length: bytes.count)
    if let duration = options.durationNanoseconds, deadline >= duration {
      run.stopped = true
      run.report.stoppedEarly = true
      return false
    }
    // Paced: a packet not due yet first sends the packets still pending (a catch-up
    // batch), then waits for its deadline and goes alone; packets already due (after a
    // stall) are batched, so the schedule is caught up at top speed.
    let due = run.start &+ deadline
    let now = options.timing == .topSpeed ? 0 : system_monotonicNanoseconds()
    let early = options.timing != .topSpeed && now < due
    if early && batch.count > 0 { flush(shouldStop: shouldStop) }
    let slot = bytes.withUnsafeBytes { batch.append($0) }
    if let rewriter { rewriter.rewrite(slot, linkType: .ethernet) }
    if options.timing == .topSpeed {
      if batch.isFull { flush(shouldStop: shouldStop) }
      if let duration = options.durationNanoseconds, run.last - run.start >= duration {
        run.stopped = true
        run.report.stoppedEarly = true
        return false
      }
    } else if early {
      guard let sent = wait(until: due, shouldStop: shouldStop) else {
        batch.discard()
        run.stopped = true
        run.report.stoppedEarly = true
        return false
      }
      run.report.lag.record(sent &- due)
      flush(shouldStop: shouldStop)
    } else {
      run.report.lag.record(now &- due)
      if batch.isFull { flush(shouldStop: shouldStop) }
    }
    if options.timing != .topSpeed && run.last &- run.windowStart >= Self.schedulingWindow {
      adjustScheduling()
    }
    if run.last >= run.nextProgress {
      run.report.elapsedNanoseconds = run.last - run.start
      progress(run.report)
      while run.nextProgress <= run.last { run.nextProgress &+= run.progressInterval }
    }
    return true
  }

  /// Sleeps until `spinNanoseconds` before `deadline` (in steps of at most 100 ms, polling
  /// `shouldStop`), then spins to it; returns the time, or nil when asked to stop.
  private mutating func wait(until deadline: UInt64, shouldStop: () -> Bool) -> UInt64? {
    var now = system_monotonicNanoseconds()
    while now < deadline && deadline - now > options.spinNanoseconds {
      system_sleepUntil(
        monotonicNanoseconds: min(deadline - options.spinNanoseconds, now + 100_000_000))
      let woke = system_monotonicNanoseconds()
      run.windowSlept &+= woke &- now
      now = woke
      if deadline > now && deadline - now > options.spinNanoseconds && shouldStop() { return nil }
    }
    while now < deadline { now = system_monotonicNanoseconds() }
    return now
  }

  private mutating func flush(shouldStop: () -> Bool) {
    let result = batch.send(on: socket.fd, giveUp: shouldStop)
    run.report.packets += result.sent
    run.report.bytes += result.bytes
    run.report.failed += result.failed
    if let error = result.error { run.report.lastSendError = error }
    run.last = system_monotonicNanoseconds()
  }

  /// Whether looped input is small enough to hold in memory (or is standard input, which
  /// cannot be read twice).
  static func shouldPreloadLooped(_ paths: [String], _ options: ReplayOptions) -> Bool {
    var total = 0
    for path in paths {
      if path == "-" { return true }
      var status = stat()
      guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return false }
      total += Int(status.st_size)
    }
    return total <= options.preloadLoopedFilesUpTo
  }

  /// Whether the network-layer part of an Ethernet frame (after any VLAN tags) fits `mtu`.
  static func fitsMTU(_ frame: Span<UInt8>, mtu: Int) -> Bool {
    guard mtu > 0 else { return true }
    var header = 14
    while frame.count >= header + 4 {
      let type = UInt16(frame[header - 2]) << 8 | UInt16(frame[header - 1])
      guard type == 0x8100 || type == 0x88A8 || type == 0x9100 else { break }
      header += 4
    }
    return frame.count - header <= mtu
  }
}

/// Records read into memory before a replay (`--preload`): one flat byte array.
struct PreloadedFrames {
  struct Entry {
    var offset: Int
    var length: Int
    var wireLength: Int
    var timestamp: Int64
    var linkType: LinkType
    /// The first record of a file after the first: the schedule starts a new source.
    var startsSource: Bool
  }
  var bytes: [UInt8] = []
  var entries: [Entry] = []
  private var lastNumber = Int.max

  mutating func append(_ record: CaptureRecord, _ frame: Span<UInt8>) {
    let startsSource = record.number <= lastNumber && !entries.isEmpty
    lastNumber = record.number
    entries.append(
      Entry(
        offset: bytes.count, length: frame.count, wireLength: record.wireLength,
        timestamp: record.timestamp.nanosecondsSinceEpoch, linkType: record.linkType,
        startsSource: startsSource))
    frame.withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
  }
}
