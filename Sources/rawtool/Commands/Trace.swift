import ArgumentParser
@preconcurrency import Glibc
import PacketIO
import PacketKit

/// `rawtool trace DEST`: a Paris traceroute over UDP, TCP or ICMP, IPv4 or IPv6.
struct Trace: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trace",
    abstract: "Find the routers on the way to a destination (Paris traceroute).",
    discussion: """
      Every probe of a trace has the same addresses, protocol and ports (ICMP: identifier \
      and checksum), so routers that balance load per flow send them all one way; probes \
      are told apart by the UDP checksum, the TCP sequence number or the ICMP sequence \
      number, which routers quote back. All hops of a round are in flight at once (one \
      probe per --interval). The header goes to stderr, one line per hop to stdout, as \
      traceroute prints them. Exit status 0 when the destination answered, 1 when not. \
      Needs CAP_NET_RAW.

      Examples:
        # traceroute -n -U (Paris: one flow)
        rawtool trace 198.51.100.2
        # tcptraceroute, IPv6
        rawtool trace --proto tcp --port 443 2001:db8:2::2
        # traceroute -I, one JSON object per probe
        rawtool trace --proto icmp --json 198.51.100.2
      """
  )

  @Option(
    name: [.customShort("i"), .customLong("interface")],
    help: "The interface to send on (default: the route's).", completion: .interfaces)
  var interface: String?

  @Option(name: .customLong("proto"), help: "Probe protocol: udp, tcp or icmp.")
  var method: TraceProbes.Method = .udp

  @Option(help: "Destination port (UDP default 33434, TCP default 80).")
  var port: UInt16?

  @Option(name: .customLong("max-ttl"), help: "The largest TTL (hop limit) probed.")
  var maxTTL: Int = 30

  @Option(help: "Probes per hop.")
  var queries: Int = 3

  @Option(help: "How long to wait for the replies of a round after its last probe: 1s, 500ms.")
  var timeout: String = "1s"

  @Option(help: "Time between probes (bounds the rate): 1ms, 10ms.")
  var interval: String = "1ms"

  @Flag(help: "One JSON object per probe instead of traceroute's lines.")
  var json = false

  @Argument(help: "The destination: an IPv4 or IPv6 address.")
  var destination: String

  func validate() throws {
    guard (1...255).contains(maxTTL) else { throw ValidationError("--max-ttl takes 1 to 255.") }
    guard (1...10).contains(queries) else { throw ValidationError("--queries takes 1 to 10.") }
    guard Pacer.interval(duration: timeout) != nil else {
      throw ValidationError("--timeout takes a duration such as 1s or 500ms.")
    }
    guard Pacer.interval(duration: interval) != nil else {
      throw ValidationError("--interval takes a duration such as 1ms.")
    }
    guard IPv4Address(destination) != nil || IPv6Address(destination) != nil else {
      throw ValidationError("the destination must be an IPv4 or IPv6 address: \(destination)")
    }
  }

  func run() throws {
    let route: Route
    let endpoints: TraceProbes.Endpoints
    do {
      let chosen = try interface.map { name throws(SystemError) in try NetworkInterface.named(name)
      }
      // validate() checked that the destination is an address.
      route = try RoutingTable().route(to: IPAddress(destination)!, through: chosen)
      endpoints = try Self.endpoints(route)
    } catch {
      throw RuntimeFailure("\(error)")
    }
    let probes = TraceProbes(
      method: method, endpoints: endpoints,
      flowIdentifier: UInt16(truncatingIfNeeded: 33_000 + Int(getpid()) % 16_000),
      port: port ?? (method == .tcp ? 80 : 33434))
    var configuration = Tracer.Configuration()
    configuration.maxHops = maxTTL
    configuration.queries = queries
    configuration.timeoutNanoseconds = Pacer.interval(duration: timeout) ?? 1_000_000_000
    configuration.intervalNanoseconds = Pacer.interval(duration: interval) ?? 1_000_000
    var results: [Tracer.ProbeResult]
    do {
      var tracer = try Tracer(
        interface: route.interface, probes: probes, configuration: configuration)
      // The header once the sockets are open: a failure stays one line.
      StandardError.write(
        "trace to \(destination), \(maxTTL) hops max, \(method.rawValue)"
          + (method == .icmp ? "" : " port \(probes.port)")
          + ", from \(route.source.map { "\($0)" } ?? "?") on \(route.interface.name)\n")
      results = try tracer.run()
    } catch {
      throw RuntimeFailure("\(error)")
    }
    results.sort { ($0.hop, $0.query) < ($1.hop, $1.query) }
    let output = StandardOutput.shared
    if json {
      for result in results {
        output.buffer.append(Self.json(result))
        output.packetDone()
      }
    } else {
      var hop = 0
      var line = ""
      var lastAddress: String? = nil
      for result in results {
        if result.hop != hop {
          if hop != 0 { output.buffer.append(line + "\n") }
          hop = result.hop
          line = hop < 10 ? " \(hop) " : "\(hop) "
          lastAddress = nil
        }
        line += Self.text(result, lastAddress: &lastAddress)
      }
      if hop != 0 { output.buffer.append(line + "\n") }
    }
    output.flushOrExit()
    if !results.contains(where: { $0.reply?.kind == .destination }) {
      throw RuntimeFailure("\(destination) did not answer within \(maxTTL) hops")
    }
  }

  /// The trace's source and destination from its route.
  ///
  /// - Throws: `SystemError` when the route gives no source address (the interface has no
  ///   address of the destination's family).
  static func endpoints(_ route: Route) throws(SystemError) -> TraceProbes.Endpoints {
    switch (route.source, route.destination) {
    case (.ipv4(let source)?, .ipv4(let destination)):
      return .ipv4(source: source, destination: destination)
    case (.ipv6(let source)?, .ipv6(let destination)):
      return .ipv6(source: source, destination: destination)
    default:
      throw SystemError(
        operation: "route to \(route.destination)", errno: EADDRNOTAVAIL,
        detail: "no source address on \(route.interface.name)")
    }
  }

  /// A probe as traceroute prints it: ` *`, or the address when it changed, then the time
  /// and a `!H`-style note for an unreachable.
  static func text(_ result: Tracer.ProbeResult, lastAddress: inout String?) -> String {
    guard let reply = result.reply else { return " *" }
    var text = ""
    if reply.responder != lastAddress {
      text += " \(reply.responder)"
      lastAddress = reply.responder
    }
    text += "  \(NumberText.milliseconds(result.rttNanoseconds ?? 0)) ms"
    if reply.kind == .unreachable { text += " " + unreachableNote(reply) }
    return text
  }

  /// traceroute's note for an ICMP unreachable code (`!N`, `!H`, `!P`, `!X`, `!<n>`).
  static func unreachableNote(_ reply: TraceProbes.Reply) -> String {
    let v6 = reply.responder.contains(":")
    switch (v6, reply.code) {
    case (false, 0), (true, 0): return "!N"
    case (false, 1), (true, 3): return "!H"
    case (false, 2): return "!P"
    case (false, 13), (true, 1): return "!X"
    case (true, 4): return "!P"
    default: return "!<\(reply.code)>"
    }
  }

  /// The contract's JSON object for one probe.
  static func json(_ result: Tracer.ProbeResult) -> String {
    let address = result.reply.map { "\"\($0.responder)\"" } ?? "null"
    let rtt = result.rttNanoseconds.map { String($0) } ?? "null"
    let reply = result.reply.map { "\"\($0.kind.rawValue)\"" } ?? "null"
    return
      "{\"ttl\":\(result.hop),\"query\":\(result.query),\"address\":\(address),\"rtt_ns\":\(rtt),\"reply\":\(reply)}\n"
  }
}

extension TraceProbes.Method: ExpressibleByArgument {}
