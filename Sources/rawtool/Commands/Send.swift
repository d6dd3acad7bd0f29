import ArgumentParser
@preconcurrency import Glibc
import PacketIO
import PacketKit

/// `rawtool send -i IFACE EXPR`: craft packets from an expression and send them;
/// `rawtool send -i IFACE --from-json FILE`: send what `read --json --hex` printed.
struct Send: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "send",
    abstract: "Craft packets from an expression and send them.",
    discussion: """
      Fields left out are filled from the system, as scapy and hping3 do: the IPv4/IPv6 \
      source from the route to the destination, the Ethernet source from the interface, the \
      Ethernet destination from the neighbour table (resolved by ARP or neighbour \
      solicitation when missing; an off-link destination gets its gateway's MAC), the ARP \
      sender from the interface. Without -i the route to the destination picks the \
      interface. A stack starting with eth goes out on the link layer (AF_PACKET); one \
      starting with ipv4 or ipv6 on a raw IP socket. Every expansion of the expression is \
      sent, -c times; random draws a new value for every packet (--seed repeats a run). \
      --dry-run prints the packets as they would leave. Needs CAP_NET_RAW.

      -c N sends every packet N times; -c 0, or --duration without -c, sends until \
      --duration ends (paced by --rate or --interval, or as fast as it can). Durations are \
      written 2s, 250ms, 1m or plain seconds. --fragment N cuts every packet into fragments \
      as fragment(size=N) written after the first IP layer does.

      Examples:
        # ping -c 1
        rawtool send 'ipv4(dst=192.0.2.2)/icmp(id=1)'
        # arping -c 1
        rawtool send -i eth0 'eth/arp(op=1, target_ip=192.0.2.2)'
        rawtool send -c 100 --rate 10kpps \\
          'ipv4(dst=192.0.2.2)/udp(sport=random, dport=9)/raw("x")'
        rawtool send --dry-run 'eth/ipv4(dst=192.0.2.0/30)/icmp()'
        rawtool send --rate 1000 --duration 2s ipv4(dst=192.0.2.2) / udp(dport=9)
        rawtool read --json --hex in.pcap > in.json         # edit it with jq
        rawtool send -i veth0 --from-json in.json

      --from-json FILE|- sends the packets of `read --json --hex` output (one object a line, \
      rebuilt as `craft --from-json` does: values given are written as is, fields left \
      out are computed), as they are, with the same pacing options; -i is required. Frames \
      (eth first) leave by AF_PACKET, raw IPv4/IPv6 packets by a raw IP socket. Bad JSON \
      syntax is exit status 2 before anything is sent; a packet that cannot be rebuilt is \
      exit status 1.
      """
  )

  @Option(
    name: [.customShort("i"), .customLong("interface")],
    help: "The interface to send on (default: the route's).", completion: .interfaces)
  var interface: String?

  @Argument(
    help: ArgumentHelp(
      "The packet expression, e.g. 'ipv4(dst=192.0.2.2)/icmp()' (several words are joined with spaces).",
      valueName: "expression"))
  var words: [String] = []

  /// The expression: the words joined with spaces, as `craft` joins them.
  var expression: String? { words.isEmpty ? nil : words.joined(separator: " ") }

  @Option(
    name: .customLong("from-json"),
    help: "Send the packets of `read --json --hex` output (ndjson; - for stdin) instead.",
    completion: .file())
  var jsonPath: String?

  @Option(
    name: .customShort("c", allowingJoined: true),
    help: "Send every packet of the expression this many times (0: until --duration ends).")
  var count: Int?

  @Option(help: "Time between packets: 10ms, 250us, 1s, 1m or plain seconds.")
  var interval: String?

  @Option(help: "Packets per second: 10kpps, 1mpps, 500.")
  var rate: String?

  @Flag(help: "Send as fast as possible, in batches (sendmmsg, qdisc bypass).")
  var flood = false

  @Option(
    help:
      "Stop after this long (2s, 250ms, 1m or plain seconds), whatever -c says; without -c, send until then."
  )
  var duration: String?

  @Option(
    help:
      "Cut every packet into fragments as scapy does: IPv4 data per fragment, IPv6 bytes per packet."
  )
  var fragment: Int?

  @Option(help: "Seed for random field values (default: a new run each time).")
  var seed: UInt64?

  @Flag(help: "Print the packets as they would leave (one line per packet) without sending.")
  var dryRun = false

  /// The most distinct packets a flood prepares when packets differ (random fields): the
  /// batch then repeats.
  static let floodPool = 65_536

  func validate() throws {
    if expression == nil && jsonPath == nil {
      throw ValidationError("give a packet expression or --from-json FILE.")
    }
    if expression != nil && jsonPath != nil {
      throw ValidationError("give a packet expression or --from-json FILE, not both.")
    }
    if jsonPath != nil && interface == nil {
      throw ValidationError("--from-json needs -i IFACE.")
    }
    if let count, count < 0 { throw ValidationError("-c takes a number of rounds (0: unlimited).") }
    if count == 0 && duration == nil {
      throw ValidationError("-c 0 (unlimited) needs --duration to end the run.")
    }
    if let fragment, fragment <= 0 { throw ValidationError("--fragment takes a positive size.") }
    if fragment != nil && jsonPath != nil {
      throw ValidationError("--fragment goes with an expression, not --from-json.")
    }
    if [interval != nil, rate != nil, flood].filter({ $0 }).count > 1 {
      throw ValidationError("--interval, --rate and --flood are exclusive.")
    }
    if let interval, Pacer.interval(duration: interval) == nil {
      throw ValidationError("--interval takes a duration such as 10ms, 250us or 1s.")
    }
    if let rate, Pacer.interval(rate: rate) == nil {
      throw ValidationError("--rate takes a rate such as 10kpps, 1mpps or 500.")
    }
    if let duration, (Pacer.interval(duration: duration) ?? 0) == 0 {
      throw ValidationError("--duration takes a positive duration such as 2s, 250ms, 1m or 10.")
    }
  }

  func run() throws {
    let repeats = rounds
    var outgoing: PacketSource
    if let jsonPath {
      outgoing = try .json(
        JSONPacketList(path: jsonPath, interface: interface ?? "", repetitions: repeats))
    } else {
      outgoing = .expression(
        try OutgoingPackets(
          expression: expression ?? "", seed: seed, interface: interface,
          repetitions: dryRun ? min(repeats, 1000) : repeats, fragmentSize: fragment))
    }
    let linkLayer = outgoing.linkLayer
    if dryRun {
      try printDryRun(&outgoing)
      return
    }
    let networkInterface = outgoing.interface
    guard networkInterface.isUp else {
      throw RuntimeFailure("\(networkInterface.name): interface is down")
    }
    let sender: Sender
    do {
      if linkLayer {
        let socket = try PacketSocket(
          interface: networkInterface, bypassQueueingDiscipline: flood)
        for index in 0..<outgoing.packetsPerRound { try socket.checkMTU(outgoing.packet(index)) }
        sender = Sender(packet: socket)
      } else {
        let socket = try RawIPSocket(version: outgoing.ipVersion, interface: networkInterface)
        for index in 0..<outgoing.packetsPerRound { try socket.checkMTU(outgoing.packet(index)) }
        sender = Sender(raw: socket)
      }
    } catch let error as SystemError {
      throw RuntimeFailure("\(error)")
    }
    StopSignal.install()
    let total = outgoing.total
    let start = Pacer.now()
    let deadline =
      duration.flatMap { Pacer.interval(duration: $0) }.map { start &+ $0 } ?? UInt64.max
    var tally = Tally()
    if flood {
      let index = networkInterface.index
      let destination: (([UInt8]) -> sockaddr_storage?)? =
        linkLayer ? nil : { packet in RawIPSocket.destination(of: packet, interfaceIndex: index) }
      let distinct = outgoing.varies ? min(total, Self.floodPool) : outgoing.packetsPerRound
      let packets = try (0..<distinct).map { try outgoing.packet($0) }
      let batch = FrameBatch(frames: packets, minimumSlots: 256, destination: destination)
      var position = 0
      while !StopSignal.isRequested && Pacer.now() < deadline {
        let wanted = min(batch.slots, total - tally.attempted)
        if wanted <= 0 { break }
        let result = sender.send(batch, start: position, count: wanted)
        tally.sent += result.sent
        tally.bytes += result.bytes
        position = (position + result.sent) % batch.slots
        if let error = result.error {
          if error.errno == ENOBUFS || error.errno == EAGAIN {
            sched_yield()  // the device queue is full: wait for room, then send the rest
          } else {
            tally.failed += 1
            position = (position + 1) % batch.slots
            tally.lastError = error
          }
        }
      }
    } else {
      var pacer = Pacer(
        intervalNanoseconds: interval.flatMap { Pacer.interval(duration: $0) }
          ?? rate.flatMap { Pacer.interval(rate: $0) } ?? 0)
      var index = 0
      while index < total && !StopSignal.isRequested && Pacer.now() < deadline {
        let packet = try outgoing.packet(index)
        pacer.wait()
        do {
          try sender.send(packet)
          tally.sent += 1
          tally.bytes += packet.count
        } catch {
          tally.failed += 1
          tally.lastError = error
        }
        index += 1
      }
    }
    let seconds = Double(Pacer.now() - start) / 1e9
    let rate = seconds > 0 ? Double(tally.sent) / seconds : 0
    StandardError.write(
      "\(tally.sent) packets sent, \(tally.bytes) bytes, \(tally.failed) failed, rate \(NumberText.oneDecimal(rate)) pps\n"
    )
    if let error = tally.lastError, tally.sent == 0 {
      throw RuntimeFailure("\(error)")
    }
  }

  /// How many rounds to send: `-c`; unlimited (the run ends with `--duration`) for `-c 0`
  /// and for `--duration` without `-c`; else 1.
  var rounds: Int {
    switch (count, duration) {
    case (0?, _), (nil, _?): Int.max
    case (let count?, _): count
    case (nil, nil): 1
    }
  }

  /// One line per packet that would be sent (the decoded packet, tcpdump style), at most
  /// 1000 rounds.
  func printDryRun(_ outgoing: inout PacketSource) throws {
    var formatter = OneLineFormatter(
      timestampStyle: .none, utcOffsetSeconds: 0, printLinkLayer: outgoing.linkLayer,
      nanosecondPrecision: false, absoluteSequence: true)
    let decoder = FrameDecoder(verifyChecksums: false)
    let linkType: LinkType = outgoing.linkLayer ? .ethernet : .raw
    var frame = DecodedFrame(linkType: linkType, capturedLength: 0, wireLength: 0)
    let output = StandardOutput.shared
    for index in 0..<min(outgoing.total, outgoing.packetsPerRound * 1000) {
      let packet = try outgoing.packet(index)
      let record = CaptureRecord(
        number: index + 1, timestamp: Timestamp(seconds: 0), capturedLength: packet.count,
        wireLength: packet.count, linkType: linkType)
      decoder.decode(packet.span, linkType: linkType, wireLength: packet.count, into: &frame)
      formatter.write(frame, bytes: packet.span, record: record, to: &output.buffer)
      output.packetDone()
    }
    output.flushOrExit()
  }
}

/// Where a send run's packets come from: an expression, or `--from-json`.
enum PacketSource {
  case expression(OutgoingPackets)
  case json(JSONPacketList)

  var interface: NetworkInterface {
    switch self {
    case .expression(let packets): packets.interface
    case .json(let packets): packets.interface
    }
  }
  var linkLayer: Bool {
    switch self {
    case .expression(let packets): packets.linkLayer
    case .json(let packets): packets.linkLayer
    }
  }
  var ipVersion: Int {
    switch self {
    case .expression(let packets): packets.ipVersion
    case .json(let packets): packets.ipVersion
    }
  }
  var packetsPerRound: Int {
    switch self {
    case .expression(let packets): packets.packetsPerRound
    case .json(let packets): packets.packets.count
    }
  }
  var total: Int {
    switch self {
    case .expression(let packets): packets.total
    case .json(let packets): packets.total
    }
  }
  var varies: Bool {
    switch self {
    case .expression(let packets): packets.varies
    case .json: false
    }
  }

  mutating func packet(_ index: Int) throws -> [UInt8] {
    switch self {
    case .expression(var packets):
      defer { self = .expression(packets) }
      return try packets.packet(index)
    case .json(let packets):
      return packets.packets[index % packets.packets.count]
    }
  }
}

/// The packets of `send --from-json`, sent as they are, `-c` times.
struct JSONPacketList {
  let interface: NetworkInterface
  let linkLayer: Bool
  let ipVersion: Int
  let packets: [[UInt8]]
  let total: Int

  /// Loads `path` for sending on `name`.
  ///
  /// - Throws: `UsageFailure` (JSON syntax, no packet, a link type that cannot be sent, IPv4
  ///   and IPv6 mixed on a raw socket); `RuntimeFailure` (unreadable file, a packet that
  ///   cannot be rebuilt, an unknown interface).
  init(path: String, interface name: String, repetitions: Int) throws {
    let loaded = try JSONPacketInput.load(path)
    guard let first = loaded.first else { throw UsageFailure("\(path): no packet to send") }
    for packet in loaded {
      guard [.ethernet, .raw, .ipv4, .ipv6].contains(packet.linkType) else {
        throw UsageFailure(
          "cannot send a packet of link type \(packet.linkType) (Ethernet or raw IP only)")
      }
    }
    let linkLayer = first.linkType == .ethernet
    self.linkLayer = linkLayer
    guard loaded.allSatisfy({ ($0.linkType == .ethernet) == linkLayer }) else {
      throw UsageFailure("--from-json: Ethernet frames and raw IP packets cannot be mixed")
    }
    let versions = Set(loaded.map { ($0.bytes.first ?? 0) >> 4 })
    if !linkLayer && versions.count > 1 {
      throw UsageFailure("--from-json: IPv4 and IPv6 packets cannot be mixed on one raw socket")
    }
    ipVersion = linkLayer ? 4 : Int(versions.first ?? 4) == 6 ? 6 : 4
    packets = loaded.map(\.bytes)
    let (product, overflow) = packets.count.multipliedReportingOverflow(by: repetitions)
    total = overflow ? Int.max : product
    do {
      interface = try NetworkInterface.named(name)
    } catch {
      throw RuntimeFailure("\(error)")
    }
  }
}

/// What a send run counted.
struct Tally {
  var sent = 0
  var bytes = 0
  var failed = 0
  var lastError: SystemError? = nil
  var attempted: Int { sent + failed }
}

/// The socket of a send run: link layer or raw IP.
final class Sender {
  private var packet: PacketSocket?
  private var raw: RawIPSocket?

  init(packet: consuming PacketSocket) { self.packet = consume packet }
  init(raw: consuming RawIPSocket) { self.raw = consume raw }

  func send(_ bytes: [UInt8]) throws(SystemError) {
    if packet != nil { try packet!.send(bytes) } else { try raw!.send(bytes) }
  }

  func send(_ batch: borrowing FrameBatch, start: Int, count: Int)
    -> (sent: Int, bytes: Int, error: SystemError?)
  {
    packet != nil
      ? packet!.send(batch, start: start, count: count)
      : raw!.send(batch, start: start, count: count)
  }
}
