import ArgumentParser
@preconcurrency import Glibc
import PacketIO
import PacketKit

/// `rawtool sniff IFACE [FILTER...]`: live capture, like `tcpdump -i IFACE`.
struct Sniff: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sniff",
    abstract: "Capture packets on an interface and print them or write them to a file.",
    discussion: """
      FILTER is a BPF expression, as in tcpdump. IFACE may be `any` (libpcap backend). \
      SIGINT, SIGTERM or -c stop the capture; the file then holds every packet delivered, \
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

  @Argument(
    help: ArgumentHelp(
      "The interface to capture on, or any (or give it with -i).", valueName: "interface"),
    completion: .interfacesOrAny)
  var positionalInterface: String?

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
      "Write the packets to this file (pcapng when it ends in .pcapng) instead of printing them.",
    completion: .file())
  var writePath: String?

  @Option(help: "Capture backend: libpcap or af-packet.")
  var backend: Backend = .libpcap

  @Option(help: "Capture with this many af-packet rings and threads (PACKET_FANOUT by flow hash).")
  var fanout: Int?

  @Option(help: "Switch to this user after opening the capture and the output file.")
  var user: String?

  @OptionGroup(title: "Output")
  var output: OutputOptions

  @OptionGroup(title: "Capture files (with -w)")
  var rotation: RotationOptions

  // MARK: tcpdump's habits

  @Option(
    name: .customShort("i"),
    help: "The interface, as tcpdump's -i (the positional IFACE is then part of the filter).",
    completion: .interfacesOrAny)
  var interfaceOption: String?

  /// The interface: `-i` or the first positional argument.
  var interface: String { interfaceOption ?? positionalInterface ?? "" }

  /// The filter words: with `-i`, the first positional argument is one of them.
  var filterWords: [String] {
    guard interfaceOption != nil, let positionalInterface else { return filter }
    return [positionalInterface] + filter
  }

  func validate() throws {
    if let count, count <= 0 { throw ValidationError("-c takes a positive number of packets.") }
    if interfaceOption == nil && positionalInterface == nil {
      throw ValidationError("give an interface (IFACE or -i IFACE).")
    }
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
      && output.printsText
    {
      throw ValidationError("-w writes packets; it does not go with --json, -v, -x or -X.")
    }
    try rotation.validate(writePath: writePath)
  }

  func run() throws {
    let expression = filterWords.joined(separator: " ")
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
        filter: expression, linkType: networkInterface?.linkType ?? .linuxSLL2,
        snapshotLength: snaplen)
    } catch {
      throw UsageFailure("\(error)")
    }
    switch backend {
    case .libpcap:
      try captureWithLibpcap(expression: expression, snaplen: snaplen)
    case .afPacket:
      try captureWithRing(networkInterface!, program: program, snaplen: snaplen)
    }
  }

  /// Where the frames go: the -w file (opened before privileges are dropped) for frames of
  /// `linkType`, or the printer.
  func openOutput(linkType: LinkType, nanosecond: Bool) throws -> PacketOutputSink {
    PacketOutputSink(
      try PacketOutput(
        options: output, writePath: writePath, linkType: linkType, nanosecond: nanosecond,
        limit: count ?? Int.max, flushesFileEachPacket: output.packetBuffered,
        snapshotLength: snapshotLength == 0 ? 262_144 : snapshotLength,
        rotation: try rotation.rotation()))
  }

  /// With -G: flushes the file of a window that has ended, between packets.
  func flushEndedWindow(_ sink: PacketOutputSink) {
    guard rotation.seconds != nil, sink.failure == nil else { return }
    do {
      try sink.output.flushEndedWindow(now: Int64(time(nil)))
    } catch {
      sink.fail(error)
    }
  }

  func dropPrivileges() throws {
    guard let user else { return }
    do {
      try Privileges.drop(toUser: user)
    } catch {
      throw RuntimeFailure("\(error)")
    }
  }

  func captureWithLibpcap(expression: String, snaplen: Int) throws {
    var configuration = PcapHandle.Configuration()
    configuration.snapshotLength = snaplen
    configuration.promiscuous = !noPromiscuous
    configuration.bufferSize = bufferKiB.map { $0 * 1024 }
    configuration.immediate = immediate
    configuration.direction = direction
    var handle = try Self.open(interface, configuration, filter: expression)
    if let warning = handle.warning { StandardError.warn(warning) }
    let sink = try openOutput(linkType: handle.linkType, nanosecond: handle.nanosecond)
    try dropPrivileges()
    announce(linkType: handle.linkType, snaplen: snaplen)
    StopSignal.breaker = handle.breaker
    StopSignal.install()
    if !sink.output.isWritingFile {
      // Printing: through a relay (Sniff+Relay.swift).
      let capture = RelayedPcap(handle)
      let failure = relayLibpcap(capture, into: sink)
      let stats = (try? capture.handle.statistics()) ?? (received: 0, dropped: 0)
      return try finish(sink, received: stats.received, dropped: stats.dropped, failure: failure)
    }
    var failure: Error? = nil
    while !StopSignal.isRequested && !sink.output.isDone {
      do {
        _ = try handle.dispatch(limit: sink.output.remaining) { record, bytes in
          sink.take(record, bytes)
        }
      } catch {
        failure = RuntimeFailure("\(error)")
        break
      }
      if sink.failure != nil { break }
      flushEndedWindow(sink)
    }
    // The breaker stays installed: breaking after the handle is gone does nothing, and
    // clearing it here could free it under a handler running on another thread.
    if failure == nil && sink.failure == nil && !sink.output.isDone {
      // Stopped by a signal: take what the kernel still holds, so the file has every packet
      // that arrived before the stop.
      _ = try? handle.drain(
        timeoutMilliseconds: configuration.timeoutMilliseconds, limit: sink.output.remaining
      ) {
        record, bytes in sink.take(record, bytes)
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
    _ networkInterface: NetworkInterface, program: borrowing BPFProgram, snaplen: Int
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
    var members: [FanoutMember] = []
    do {
      for _ in 0..<threads {
        members.append(
          FanoutMember(
            ring: try TPacketRing(
              interface: networkInterface, configuration: configuration, filter: program)))
      }
    } catch {
      throw RuntimeFailure("\(error)")
    }
    let sink = try openOutput(linkType: networkInterface.linkType, nanosecond: true)
    try dropPrivileges()
    announce(linkType: networkInterface.linkType, snaplen: snaplen)
    StopSignal.install()
    var failure: Error? = nil
    if threads == 1 && !sink.output.isWritingFile {
      // Printing: through a relay (Sniff+Relay.swift).
      failure = relayRing(members[0], into: sink)
    } else if threads == 1 {
      let member = members[0]
      while !StopSignal.isRequested && !sink.isFinished {
        do {
          _ = try member.ring.poll(timeoutMilliseconds: 100) { record, bytes in
            sink.take(record, bytes)
          }
        } catch {
          failure = RuntimeFailure("\(error)")
          break
        }
        flushEndedWindow(sink)
      }
      if failure == nil && sink.failure == nil && !sink.output.isDone {
        _ = try? member.ring.drain { record, bytes in sink.take(record, bytes) }
      }
    } else {
      let merge = FanoutMerge(members: members)
      failure = merge.run(
        into: sink,
        until: {
          flushEndedWindow(sink)
          return StopSignal.isRequested
        }
      ).map {
        RuntimeFailure("\($0)")
      }
    }
    var received = 0
    var dropped = 0
    for member in members {
      if let stats = try? member.ring.statistics() {
        received += stats.received
        dropped += stats.dropped
      }
    }
    try finish(sink, received: received, dropped: dropped, failure: failure)
  }

  /// tcpdump's first line, on stderr.
  func announce(linkType: LinkType, snaplen: Int) {
    StandardError.write(
      "rawtool: listening on \(interface), link-type \(linkType.name), snapshot length \(snaplen) bytes\n"
    )
  }

  /// Flushes output and the file, prints the counts, and reports a failure.
  func finish(_ sink: PacketOutputSink, received: Int, dropped: Int, failure: Error?) throws {
    var closeFailure: Error? = nil
    do { try sink.output.close() } catch { closeFailure = error }
    let counters = CaptureCounters(
      captured: sink.output.count, received: received, dropped: dropped)
    StandardError.write(counters.summary)
    if let failure = sink.failure ?? failure ?? closeFailure { throw failure }
  }
}
