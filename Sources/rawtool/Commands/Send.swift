import ArgumentParser
@preconcurrency import Glibc
import PacketIO
import PacketKit

/// `rawtool send -i IFACE EXPR`: craft packets from an expression and send them.
struct Send: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Craft packets from an expression and send them on an interface.",
    discussion: """
      A stack starting with eth goes out on the link layer (AF_PACKET); the source MAC
      defaults to the interface's. A stack starting with ipv4 or ipv6 goes out on a raw IP
      socket (the kernel picks the next hop's MAC). Every expansion of the expression is sent,
      -c times. Needs CAP_NET_RAW, except with --dry-run.

      Examples:
        rawtool send -i eth0 'eth(dst=ff:ff:ff:ff:ff:ff)/arp(op=1, target_ip=192.0.2.2)'
        rawtool send -i eth0 -c 100 --rate 10kpps 'ipv4(dst=192.0.2.2)/udp(dport=9)/raw("x")'
        rawtool send -i eth0 --dry-run 'ipv4(dst=192.0.2.0/30)/icmp()'
      """
  )

  @Option(name: [.customShort("i"), .customLong("interface")], help: "The interface to send on.")
  var interface: String

  @Argument(help: "The packet expression (see CONTRACT.md), e.g. 'ipv4(dst=192.0.2.2)/icmp()'.")
  var expression: String

  @Option(
    name: .customShort("c", allowingJoined: true),
    help: "Send every packet of the expression this many times.")
  var count: Int?

  @Option(help: "Time between packets: 10ms, 250us, 1s.")
  var interval: String?

  @Option(help: "Packets per second: 10kpps, 1mpps, 500.")
  var rate: String?

  @Flag(help: "Send as fast as possible, in batches (sendmmsg, qdisc bypass).")
  var flood = false

  @Option(help: "Stop after this many seconds, whatever -c says.")
  var duration: Double?

  @Option(help: "Seed for random field values.")
  var seed: UInt64 = 0

  @Flag(help: "Print what would be sent (one line per packet) without sending.")
  var dryRun = false

  func validate() throws {
    if let count, count <= 0 { throw ValidationError("-c takes a positive number.") }
    if [interval != nil, rate != nil, flood].filter({ $0 }).count > 1 {
      throw ValidationError("--interval, --rate and --flood are exclusive.")
    }
    if let interval, Pacer.interval(duration: interval) == nil {
      throw ValidationError("--interval takes a duration such as 10ms, 250us or 1s.")
    }
    if let rate, Pacer.interval(rate: rate) == nil {
      throw ValidationError("--rate takes a rate such as 10kpps, 1mpps or 500.")
    }
    if let duration, !(duration > 0) { throw ValidationError("--duration takes positive seconds.") }
  }

  func run() throws {
    var parsed: PacketExpression
    do {
      parsed = try ExpressionParser.parse(expression)
    } catch {
      throw UsageFailure("\(error)")
    }
    guard let first = parsed.layers.first else { throw UsageFailure("empty expression") }
    let linkLayer: Bool
    switch first.name {
    case "eth", "ether": linkLayer = true
    case "ipv4", "ip", "ipv6": linkLayer = false
    default:
      throw UsageFailure(
        "send needs a stack starting with eth (link layer) or ipv4/ipv6 (raw IP), not \(first.name)"
      )
    }
    let networkInterface: NetworkInterface
    do {
      networkInterface = try NetworkInterface.named(interface)
    } catch {
      throw RuntimeFailure("\(error)")
    }
    // The interface's MAC as the default source, set before building so checksums and
    // expansions see it.
    if linkLayer, let mac = networkInterface.mac,
      !first.fields.contains(where: { $0.name == "src" })
    {
      parsed.layers[0].fields.append(
        FieldExpression(
          name: "src", position: first.position,
          value: ValueExpression(position: first.position, kind: .mac(mac))))
    }
    let packets: [[UInt8]]
    do {
      packets = try PacketCrafter.packets(from: parsed, seed: seed)
    } catch {
      throw UsageFailure("\(error)")
    }
    guard !packets.isEmpty else { throw UsageFailure("the expression makes no packet") }
    let repeats = count ?? 1
    if dryRun {
      printDryRun(packets, linkLayer: linkLayer, repeats: repeats)
      return
    }
    guard networkInterface.isUp else { throw RuntimeFailure("\(interface): interface is down") }
    let sender: Sender
    do {
      if linkLayer {
        let socket = try PacketSocket(
          interface: networkInterface, bypassQueueingDiscipline: flood)
        for packet in packets { try socket.checkMTU(packet) }
        sender = Sender(packet: socket)
      } else {
        let version = Int(packets[0][0] >> 4)
        let socket = try RawIPSocket(version: version, interface: networkInterface)
        for packet in packets { try socket.checkMTU(packet) }
        sender = Sender(raw: socket)
      }
    } catch {
      throw RuntimeFailure("\(error)")
    }
    StopSignal.install()
    let total = count.map { $0 * packets.count }
    let start = Pacer.now()
    let deadline = duration.map { start + UInt64($0 * 1e9) } ?? UInt64.max
    var tally = Tally()
    if flood {
      let index = networkInterface.index
      let destination: (([UInt8]) -> sockaddr_storage?)? =
        linkLayer ? nil : { packet in RawIPSocket.destination(of: packet, interfaceIndex: index) }
      let batch = FrameBatch(frames: packets, minimumSlots: 256, destination: destination)
      var position = 0
      while !StopSignal.isRequested && Pacer.now() < deadline {
        let wanted = min(batch.slots, total.map { $0 - tally.attempted } ?? batch.slots)
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
      let limit = total ?? packets.count
      var index = 0
      while index < limit && !StopSignal.isRequested && Pacer.now() < deadline {
        pacer.wait()
        let packet = packets[index % packets.count]
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
      "\(tally.sent) packets sent, \(tally.bytes) bytes, \(tally.failed) failed, rate \(Self.format(rate)) pps\n"
    )
    if let error = tally.lastError, tally.sent == 0 {
      throw RuntimeFailure("\(error)")
    }
  }

  static func format(_ rate: Double) -> String {
    let scaled = (rate * 10).rounded() / 10
    return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
  }

  /// One line per packet that would be sent (the decoded packet, tcpdump style).
  func printDryRun(_ packets: [[UInt8]], linkLayer: Bool, repeats: Int) {
    var formatter = OneLineFormatter(
      timestampStyle: .none, utcOffsetSeconds: 0, printLinkLayer: linkLayer,
      nanosecondPrecision: false, absoluteSequence: true)
    let decoder = FrameDecoder(verifyChecksums: false)
    let linkType: LinkType = linkLayer ? .ethernet : .raw
    var frame = DecodedFrame(linkType: linkType, capturedLength: 0, wireLength: 0)
    let output = StandardOutput.shared
    var number = 0
    for _ in 0..<min(repeats, 1000) {
      for packet in packets {
        number += 1
        let record = CaptureRecord(
          number: number, timestamp: Timestamp(seconds: 0), capturedLength: packet.count,
          wireLength: packet.count, linkType: linkType)
        decoder.decode(packet.span, linkType: linkType, wireLength: packet.count, into: &frame)
        formatter.write(frame, bytes: packet.span, record: record, to: &output.buffer)
        output.packetDone()
      }
    }
    output.flushOrExit()
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
