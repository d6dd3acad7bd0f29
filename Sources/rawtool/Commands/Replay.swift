import ArgumentParser
import PacketIO
import PacketKit

/// `rawtool replay -i IFACE FILE...`: send the records of capture files as captured.
struct Replay: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay",
    abstract: "Send the records of pcap / pcapng files on an interface, as captured.",
    discussion: """
      Records go out with their recorded timing (or --pps, --mbps, --multiplier, \
      --topspeed), each at an absolute deadline from the start, so errors never accumulate. \
      Files are streamed (memory stays flat) in order; - is standard input. --map-mac and \
      --map-ip rewrite addresses on the way out (--map-ip also inside ICMP / ICMPv6 error \
      quotes) and fix every checksum that covers them; a checksum that was wrong stays \
      wrong unless --fix-checksums. Records over the MTU, truncated records and records \
      that are not Ethernet are skipped and counted. At the end, on stderr: packets, bytes, \
      skipped, elapsed, pps, Mbps and the p50/p99 lag behind the schedule. Paced \
      replays run under SCHED_FIFO when allowed (wake-ups on time on a busy machine; \
      --no-realtime to keep the ordinary scheduler). Looped files up to 64 MiB are read \
      into memory once. Needs CAP_NET_RAW.

      Exit status: 0 when the input was sent; 1 for an unreadable or damaged file (every \
      good record before the damage is sent first), an unknown or down interface, or when \
      no packet could be sent; 2 for a usage error (bad option, bad mapping).

      Examples:
        rawtool replay -i veth0 capture.pcapng
        rawtool replay -i veth0 --topspeed --loop 10 capture.pcap
        rawtool replay -i veth0 --pps 10k --duration 60 capture.pcap
        rawtool replay -i veth0 --map-ip 192.0.2.0/24=198.51.100.0/24 capture.pcap
        tcpdump -w - -i eth1 | rawtool replay -i veth0 --topspeed -
      """
  )

  @Option(
    name: [.customShort("i"), .customLong("interface")], help: "The interface to send on.",
    completion: .interfaces)
  var interface: String

  @Argument(
    help: "pcap or pcapng files, sent in order; - reads standard input.", completion: .file())
  var files: [String]

  @Option(help: "Packets per second: 10k, 1.5m, 500.")
  var pps: String?

  @Option(help: "Megabits per second over the frames sent.")
  var mbps: Double?

  @Option(help: "Replay the recorded timing this many times faster (0.5: half speed).")
  var multiplier: Double?

  @Flag(help: "As fast as the interface takes them, in batches (sendmmsg).")
  var topspeed = false

  @Option(help: "Send the input this many times (0: until --duration or Ctrl-C).")
  var loop: Int = 1

  @Option(help: "Stop after this long: 600, 10s, 500ms.")
  var duration: String?

  @Option(name: .customLong("map-mac"), help: "Rewrite an Ethernet address: A=B (repeatable).")
  var mapMAC: [String] = []

  @Option(
    name: .customLong("map-ip"),
    help: "Rewrite IPv4/IPv6 addresses: A=B or PREFIX/N=PREFIX/N (repeatable; first match wins).")
  var mapIP: [String] = []

  @Flag(help: "Recompute every checksum, also those that were wrong in the capture.")
  var fixChecksums = false

  @Option(help: "Records captured shorter than on the wire: skip (default) or send.")
  var truncated: String = "skip"

  @Flag(help: "Read the files into memory before sending.")
  var preload = false

  @Option(help: "Print progress on stderr this often: 1s, 10s.")
  var statsInterval: String?

  @Option(help: "Paced replays: sleep until this long before each deadline, then spin: 150us.")
  var spin: String = "150us"

  @Flag(
    name: .customLong("no-realtime"),
    help: "Paced replays: keep the ordinary scheduler instead of SCHED_FIFO.")
  var noRealtime = false

  func validate() throws {
    if [pps != nil, mbps != nil, multiplier != nil, topspeed].filter({ $0 }).count > 1 {
      throw ValidationError("--pps, --mbps, --multiplier and --topspeed are exclusive.")
    }
    if let pps, Pacer.rate(pps) == nil {
      throw ValidationError("--pps takes a rate such as 10k, 1.5m or 500.")
    }
    if let mbps, !(mbps > 0 && mbps.isFinite) {
      throw ValidationError("--mbps takes a positive number.")
    }
    if let multiplier, !(multiplier > 0 && multiplier.isFinite) {
      throw ValidationError("--multiplier takes a positive number.")
    }
    if loop < 0 { throw ValidationError("--loop takes 0 (forever) or a positive count.") }
    if let duration, (Pacer.interval(duration: duration) ?? 0) == 0 {
      throw ValidationError("--duration takes a positive duration such as 600, 10s or 500ms.")
    }
    if let statsInterval, (Pacer.interval(duration: statsInterval) ?? 0) == 0 {
      throw ValidationError("--stats-interval takes a positive duration such as 1s.")
    }
    if Pacer.interval(duration: spin) == nil {
      throw ValidationError("--spin takes a duration such as 50us or 0.")
    }
    if !["skip", "send"].contains(truncated) {
      throw ValidationError("--truncated takes skip or send.")
    }
    if files.filter({ $0 == "-" }).count > 1 {
      throw ValidationError("standard input (-) can be read once.")
    }
  }

  func run() throws {
    let rewriter: PacketRewriter
    do {
      rewriter = PacketRewriter(
        macMappings: try mapMAC.map { text throws(RewriteRuleError) in try MACMapping(parsing: text)
        },
        addressMappings: try mapIP.map { text throws(RewriteRuleError) in
          try AddressMapping(parsing: text)
        },
        fixChecksums: fixChecksums)
    } catch {
      throw UsageFailure("\(error)")
    }
    let timing: ReplayTiming =
      topspeed
      ? .topSpeed
      : pps.flatMap { Pacer.rate($0) }.map { .packetsPerSecond($0) }
        ?? mbps.map { .megabitsPerSecond($0) } ?? .recorded(multiplier: multiplier ?? 1)
    let options = ReplayOptions(
      timing: timing, loops: loop,
      durationNanoseconds: duration.flatMap { Pacer.interval(duration: $0) },
      rewriter: rewriter, truncatedRecords: truncated == "send" ? .sendCaptured : .skip,
      preload: preload, spinNanoseconds: Pacer.interval(duration: spin) ?? 150_000,
      realTimePriority: noRealtime ? nil : 10)
    var replayer: Replayer
    do {
      replayer = try Replayer(interface: try NetworkInterface.named(interface), options: options)
    } catch {
      throw RuntimeFailure("\(error)")
    }
    StopSignal.install()
    // Without --stats-interval, a terminal's stderr gets a progress line redrawn in place
    // (percent of the input, once through the files per loop).
    let sizes = files.map { ProgressLine.size(of: $0) }
    let total = sizes.contains(nil) ? nil : sizes.reduce(0) { $0 + $1! } * max(loop, 1)
    var progressLine =
      statsInterval == nil ? ProgressLine(fileSize: loop == 0 ? nil : total, format: .pcap) : nil
    let interval =
      statsInterval.flatMap { Pacer.interval(duration: $0) }
      ?? (progressLine == nil ? nil : 100_000_000)
    let report = replayer.replay(
      files: files, progressInterval: interval,
      progress: { report in
        if progressLine != nil {
          progressLine!.show(
            packets: report.packets + report.skipped + report.failed, capturedBytes: report.bytes)
        } else {
          StandardError.write("rawtool: replay: \(report.summary)\n")
        }
      },
      shouldStop: { StopSignal.isRequested })
    progressLine?.finish()
    let attempted = report.packets + report.skipped + report.failed
    if report.fileError == nil || attempted > 0 { StandardError.write("\(report.summary)\n") }
    if let (path, error) = report.fileError {
      throw RuntimeFailure(error.message(path: path))
    }
    if report.packets == 0, let error = report.lastSendError {
      throw RuntimeFailure("\(error)")
    }
  }
}
