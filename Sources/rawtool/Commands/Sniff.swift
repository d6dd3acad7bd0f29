import ArgumentParser
@preconcurrency import Glibc
import PacketIO
import PacketKit
import Synchronization

/// `rawtool sniff IFACE [FILTER...]`: live capture, like `tcpdump -i IFACE`.
struct Sniff: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Capture packets on an interface and print them or write them to a file.",
    discussion: """
      FILTER is a BPF expression, as in tcpdump. IFACE may be `any` (libpcap backend).
      SIGINT, SIGTERM or -c stop the capture; the file then holds every packet delivered,
      and the counts are printed on stderr as tcpdump prints them. Needs CAP_NET_RAW.

      Examples:
        rawtool sniff eth0 -c 10 'tcp port 80'
        rawtool sniff eth0 -w out.pcapng --backend af-packet --fanout 4
      """
  )

  enum Backend: String, ExpressibleByArgument, CaseIterable {
    case libpcap
    case afPacket = "af-packet"
  }

  @Argument(help: "The interface to capture on, or any.")
  var interface: String

  @Argument(help: "A BPF filter expression, as in tcpdump.")
  var filter: [String] = []

  @Option(name: .customShort("s"), help: "Bytes kept of each packet (0: 262144).")
  var snapshotLength: Int = 262_144

  @Flag(name: .customShort("p"), help: "Do not put the interface in promiscuous mode.")
  var noPromiscuous = false

  @Option(name: .customShort("B"), help: "Kernel capture buffer size, in KiB.")
  var bufferKiB: Int?

  @Flag(name: .customLong("immediate"), help: "Deliver packets as soon as they arrive.")
  var immediate = false

  @Option(name: .customShort("Q"), help: "Direction to capture: in, out or inout.")
  var direction: CaptureDirection = .both

  @Option(
    name: .customShort("c", allowingJoined: true), help: "Stop after this many packets.")
  var count: Int?

  @Option(
    name: .customShort("w"),
    help:
      "Write the packets to this file (pcapng when it ends in .pcapng) instead of printing them."
  )
  var writePath: String?

  @Option(help: "Capture backend: libpcap or af-packet.")
  var backend: Backend = .libpcap

  @Option(help: "Capture with this many af-packet rings and threads (PACKET_FANOUT by flow hash).")
  var fanout: Int?

  @Option(help: "Switch to this user after opening the capture and the output file.")
  var user: String?

  @OptionGroup(title: "Output")
  var output: OutputOptions

  func validate() throws {
    if let count, count <= 0 { throw ValidationError("-c takes a positive number of packets.") }
    if snapshotLength < 0 { throw ValidationError("-s takes a non-negative number of bytes.") }
    if let bufferKiB, bufferKiB <= 0 { throw ValidationError("-B takes a positive size in KiB.") }
    if let fanout {
      guard fanout >= 1 && fanout <= 64 else {
        throw ValidationError("--fanout takes 1 to 64 threads.")
      }
      guard backend == .afPacket else {
        throw ValidationError("--fanout needs --backend af-packet.")
      }
    }
    if backend == .afPacket && interface == "any" {
      throw ValidationError(
        "the af-packet backend captures one named interface; use --backend libpcap for any.")
    }
    if writePath != nil
      && (output.json || output.verbose > 0 || output.hex > 0 || output.hexASCII > 0)
    {
      throw ValidationError("-w writes packets; it does not go with --json, -v, -x or -X.")
    }
  }

  func run() throws {
    let expression = filter.joined(separator: " ")
    let snaplen = snapshotLength == 0 ? 262_144 : snapshotLength
    var networkInterface: NetworkInterface? = nil
    if interface != "any" {
      do {
        networkInterface = try NetworkInterface.named(interface)
      } catch {
        throw RuntimeFailure("\(error)")
      }
      if !networkInterface!.isUp { throw RuntimeFailure("\(interface): interface is down") }
    }
    // Compile first, without privileges: a bad filter is a usage error (exit 2).
    let program: BPFProgram
    do {
      program = try BPFProgram(
        filter: expression, linkType: networkInterface?.linkType ?? .linuxSLL,
        snapshotLength: snaplen)
    } catch {
      throw UsageFailure("\(error)")
    }
    let sink = SniffOutput(
      options: output, limit: count ?? Int.max, packetBuffered: output.packetBuffered)
    switch backend {
    case .libpcap:
      try captureWithLibpcap(expression: expression, snaplen: snaplen, sink: sink)
    case .afPacket:
      try captureWithRing(networkInterface!, program: program, snaplen: snaplen, sink: sink)
    }
  }

  /// Opens the -w file (before privileges are dropped) for frames of `linkType`.
  func openFile(_ sink: SniffOutput, linkType: LinkType, nanosecond: Bool) throws {
    guard let writePath else { return }
    sink.file = try CaptureSink(path: writePath, linkType: linkType, nanosecond: nanosecond)
  }

  func dropPrivileges() throws {
    guard let user else { return }
    do {
      try Privileges.drop(toUser: user)
    } catch {
      throw RuntimeFailure("\(error)")
    }
  }

  func captureWithLibpcap(expression: String, snaplen: Int, sink: SniffOutput) throws {
    var configuration = PcapHandle.Configuration()
    configuration.snapshotLength = snaplen
    configuration.promiscuous = !noPromiscuous
    configuration.bufferSize = bufferKiB.map { $0 * 1024 }
    configuration.immediate = immediate
    configuration.direction = direction
    var handle = try Self.open(interface, configuration, filter: expression)
    if let warning = handle.warning { StandardError.warn(warning) }
    try openFile(sink, linkType: handle.linkType, nanosecond: handle.nanosecond)
    try dropPrivileges()
    announce(linkType: handle.linkType, snaplen: snaplen)
    StopSignal.breaker = handle.breaker
    StopSignal.install()
    var failure: Error? = nil
    while !StopSignal.isRequested && !sink.isDone {
      do {
        _ = try handle.dispatch(limit: sink.remaining) { record, bytes in
          sink.handle(record, bytes)
        }
      } catch {
        failure = RuntimeFailure("\(error)")
        break
      }
      if sink.failure != nil { break }
    }
    // The breaker stays installed: breaking after the handle is gone does nothing, and
    // clearing it here could free it under a handler running on another thread.
    if failure == nil && sink.failure == nil && !sink.isDone {
      // Stopped by a signal: take what the kernel still holds, so the file has every packet
      // that arrived before the stop.
      _ = try? handle.drain(
        timeoutMilliseconds: configuration.timeoutMilliseconds, limit: sink.remaining
      ) {
        record, bytes in sink.handle(record, bytes)
      }
    }
    let stats = (try? handle.statistics()) ?? (received: 0, dropped: 0)
    try finish(sink, received: stats.received, dropped: stats.dropped, failure: failure)
  }

  /// Opens the libpcap handle and installs the filter; a filter error is a usage error.
  static func open(_ interface: String, _ configuration: PcapHandle.Configuration, filter: String)
    throws -> PcapHandle
  {
    do {
      let handle = try PcapHandle(interface: interface, configuration: configuration)
      if !filter.isEmpty { try handle.setFilter(filter) }
      return handle
    } catch let error where error.filter != nil {
      throw UsageFailure("\(error)")
    } catch {
      throw RuntimeFailure("\(error)")
    }
  }

  func captureWithRing(
    _ networkInterface: NetworkInterface, program: borrowing BPFProgram, snaplen: Int,
    sink: SniffOutput
  ) throws {
    var configuration = TPacketRing.Configuration()
    configuration.snapshotLength = snaplen
    configuration.promiscuous = !noPromiscuous
    if let bufferKiB { configuration.bufferSize = max(2 << 20, bufferKiB * 1024) }
    configuration.direction = direction
    if immediate { configuration.blockTimeoutMilliseconds = 1 }
    let threads = fanout ?? 1
    if threads > 1 {
      configuration.fanoutGroup = UInt16(truncatingIfNeeded: getpid())
      configuration.bufferSize /= threads
    }
    var workers: [RingWorker] = []
    do {
      for _ in 0..<threads {
        workers.append(
          RingWorker(
            ring: try TPacketRing(
              interface: networkInterface, configuration: configuration, filter: program)))
      }
    } catch {
      throw RuntimeFailure("\(error)")
    }
    try openFile(sink, linkType: networkInterface.linkType, nanosecond: true)
    try dropPrivileges()
    announce(linkType: networkInterface.linkType, snaplen: snaplen)
    StopSignal.install()
    var failure: Error? = nil
    if threads == 1 {
      let worker = workers[0]
      while !StopSignal.isRequested && !sink.isDone && sink.failure == nil {
        do {
          _ = try worker.ring.poll(timeoutMilliseconds: 100) { record, bytes in
            sink.handle(record, bytes)
          }
        } catch {
          failure = RuntimeFailure("\(error)")
          break
        }
      }
      if failure == nil && sink.failure == nil && !sink.isDone {
        _ = try? worker.ring.drain { record, bytes in sink.handle(record, bytes) }
      }
    } else {
      failure = mergeFanout(workers, sink: sink)
    }
    var received = 0
    var dropped = 0
    for worker in workers {
      if let stats = try? worker.ring.statistics() {
        received += stats.received
        dropped += stats.dropped
      }
    }
    try finish(sink, received: received, dropped: dropped, failure: failure)
  }

  /// Runs one thread per ring and hands their frames to `sink` in timestamp order: frames
  /// are held back until every ring has had the chance to deliver older ones (a block is
  /// handed over at the latest after its timeout).
  func mergeFanout(_ workers: [RingWorker], sink: SniffOutput) -> Error? {
    let shared = FanoutState()
    var threads: [NativeThread] = []
    for worker in workers {
      threads.append(
        NativeThread {
          while !shared.stop.load(ordering: .relaxed) {
            var batch: [PendingFrame] = []
            do {
              _ = try worker.ring.poll(timeoutMilliseconds: 50) { record, bytes in
                batch.append(PendingFrame(record: record, bytes: Array(unsafe: bytes)))
              }
            } catch {
              shared.errors.withLock { $0.append("\(error)") }
              return
            }
            if !batch.isEmpty { shared.pending.withLock { $0.append(contentsOf: batch) } }
          }
          var rest: [PendingFrame] = []
          _ = try? worker.ring.drain { record, bytes in
            rest.append(PendingFrame(record: record, bytes: Array(unsafe: bytes)))
          }
          shared.pending.withLock { $0.append(contentsOf: rest) }
        })
    }
    let holdBack: Int64 = 200_000_000  // ns: well above the ring's block timeout
    var held: [PendingFrame] = []
    var failure: Error? = nil
    while true {
      let stopping = StopSignal.isRequested || sink.isDone || sink.failure != nil
      if stopping { shared.stop.store(true, ordering: .relaxed) }
      if !stopping { usleep(20_000) }
      held.append(
        contentsOf: shared.pending.withLock { frames in
          defer { frames.removeAll(keepingCapacity: true) }
          return frames
        })
      held.sort { $0.record.timestamp < $1.record.timestamp }
      var now = timespec()
      clock_gettime(CLOCK_REALTIME, &now)
      let cutoff = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - holdBack
      var emitted = 0
      for frame in held {
        let time =
          frame.record.timestamp.seconds * 1_000_000_000 + Int64(frame.record.timestamp.nanoseconds)
        if !stopping && time > cutoff { break }
        if sink.isDone { break }
        var record = frame.record
        record.number = sink.captured + 1
        sink.handle(record, frame.bytes.span)
        emitted += 1
      }
      held.removeFirst(min(emitted, held.count))
      if let message = shared.errors.withLock({ $0.first }) {
        failure = RuntimeFailure(message)
        shared.stop.store(true, ordering: .relaxed)
      }
      if stopping || failure != nil {
        for thread in threads { thread.join() }
        // Frames delivered while the threads were stopping.
        var rest = shared.pending.withLock { $0 }
        rest.sort { $0.record.timestamp < $1.record.timestamp }
        for frame in held + rest where !sink.isDone {
          var record = frame.record
          record.number = sink.captured + 1
          sink.handle(record, frame.bytes.span)
        }
        return failure
      }
    }
  }

  /// tcpdump's first line, on stderr.
  func announce(linkType: LinkType, snaplen: Int) {
    StandardError.write(
      "rawtool: listening on \(interface), link-type \(linkType.name), snapshot length \(snaplen) bytes\n"
    )
  }

  /// Flushes output and the file, prints the counts, and reports a failure.
  func finish(_ sink: SniffOutput, received: Int, dropped: Int, failure: Error?) throws {
    StandardOutput.shared.flushOrExit()
    var closeFailure: Error? = nil
    if sink.file != nil {
      do { try sink.file!.close() } catch { closeFailure = error }
    }
    let counters = CaptureCounters(captured: sink.captured, received: received, dropped: dropped)
    StandardError.write(counters.summary)
    if let failure = sink.failure ?? failure ?? closeFailure { throw failure }
  }
}

/// What fanout threads share with the merging thread.
final class FanoutState: Sendable {
  let pending = Mutex<[PendingFrame]>([])
  let stop = Atomic<Bool>(false)
  let errors = Mutex<[String]>([])
}

/// One af-packet ring, owned by the thread that polls it.
final class RingWorker: @unchecked Sendable {
  var ring: TPacketRing
  init(ring: consuming TPacketRing) { self.ring = ring }
}

/// A frame copied out of a ring, waiting to be merged in timestamp order.
struct PendingFrame: @unchecked Sendable {
  var record: CaptureRecord
  var bytes: [UInt8]
}

extension Array where Element == UInt8 {
  /// A copy of `span`'s bytes.
  init(unsafe span: Span<UInt8>) {
    self = span.withUnsafeBufferPointer { Array($0) }
  }
}

/// Where captured packets go: the -w file or the printer; counts them and stops at -c.
final class SniffOutput {
  var file: CaptureSink? = nil
  var printer: PacketPrinter?
  let decoder: FrameDecoder
  var frame = DecodedFrame(linkType: .ethernet, capturedLength: 0, wireLength: 0)
  let limit: Int
  let packetBuffered: Bool
  private(set) var captured = 0
  var failure: Error? = nil

  init(options: OutputOptions, limit: Int, packetBuffered: Bool) {
    printer = PacketPrinter(options: options)
    decoder = FrameDecoder(verifyChecksums: options.needsChecksums)
    self.limit = limit
    self.packetBuffered = packetBuffered
  }

  var isDone: Bool { captured >= limit }
  var remaining: Int { limit == Int.max ? 0 : limit - captured }

  /// Writes or prints one packet, unless -c is reached or writing failed.
  @inline(__always)
  func handle(_ record: CaptureRecord, _ bytes: Span<UInt8>) {
    guard captured < limit, failure == nil else { return }
    captured += 1
    if file != nil {
      do {
        try file!.write(record: record, bytes: bytes)
        if packetBuffered { try file!.close() }
      } catch {
        failure = error
      }
      return
    }
    decoder.decode(bytes, linkType: record.linkType, wireLength: record.wireLength, into: &frame)
    printer!.print(frame, bytes: bytes, record: record)
  }
}
