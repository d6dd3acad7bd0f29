import ArgumentParser
@preconcurrency import Glibc
import PacketIO
import PacketKit

/// `rawtool probe EXPR`: send packets and pair each with its reply (hping3, nping, scapy's
/// `sr`).
struct Probe: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "probe",
    abstract: "Send packets and show the reply to each, with its round-trip time.",
    discussion: """
      Every packet of EXPR is sent (each -c times) and its reply waited for; fields left \
      out are filled from the system as for send (source address from the route, MACs from \
      the interface and the neighbour table). The capture is open and filtered before the \
      first packet leaves. A reply matches as scapy's answers(): TCP and UDP by swapped \
      addresses and ports (a SYN's reply acknowledges seq + 1), ICMP/ICMPv6 echo by id and \
      seq, ARP by the address asked, neighbour solicitation by target, and any ICMP error \
      quoting the probe. One line per probe on stdout (the reply as read prints it, then \
      its rtt, or "no reply"); the summary on stderr. Round-trip times are kernel \
      timestamps, in nanoseconds with --json.

      Exit status: 0 when every probe met --expect (without --expect: got a reply), 1 when \
      one did not, 2 for a usage error.

      Examples:
        # hping3 -S -p 80 -c 1
        rawtool probe 'ipv4(dst=198.51.100.2)/tcp(dport=80, flags=S)'
        # ping -6 -c 5
        rawtool probe -c 5 --interval 1s 'ipv6(dst=2001:db8:2::2)/icmpv6()'
        rawtool probe --expect 'tcp(flags=SA)' \\
          'ipv4(dst=198.51.100.2)/tcp(dport=[22,80,443], flags=S)'
        rawtool probe --expect 'icmp(type=3, code=3)' 'ipv4(dst=192.0.2.9)/udp(dport=9)'
        # arping
        rawtool probe 'eth/arp(target_ip=192.0.2.1)'
        # a firewall test: no reply may come
        rawtool probe --expect none --timeout 500ms \\
          'ipv4(dst=198.51.100.2)/tcp(dport=23, flags=S)'
      """
  )

  @Option(
    name: [.customShort("i"), .customLong("interface")],
    help: "The interface to send on (default: the route's).", completion: .interfaces)
  var interface: String?

  @Option(
    name: .customShort("c", allowingJoined: true),
    help: "Send every packet of the expression this many times.")
  var count: Int = 1

  @Option(help: "Time between probes: 1s, 10ms, 250us (default: none).")
  var interval: String?

  @Option(help: "Probes per second: 2000, 10kpps.")
  var rate: String?

  @Option(help: "How long each probe waits for its reply: 1s, 200ms.")
  var timeout: String = "1s"

  @Option(help: "Send an unanswered probe again this many times.")
  var retry: Int = 0

  @Option(
    help: ArgumentHelp(
      "What every reply must hold, as an expression ('tcp(flags=SA)'), or none: no reply may come.",
      valueName: "expr|none"))
  var expect: String?

  @Option(help: "Seed for random field values (default: a new run each time).")
  var seed: UInt64?

  @Flag(
    help: "One JSON object per probe: {\"probe\":1,\"sent\":{…},\"reply\":{…}|null,\"rtt_ns\":…}.")
  var json = false

  @Argument(help: "The packet expression, e.g. 'ipv4(dst=192.0.2.2)/tcp(dport=80, flags=S)'.")
  var expression: String

  func validate() throws {
    guard count > 0 else { throw ValidationError("-c takes a positive number.") }
    guard retry >= 0 else { throw ValidationError("--retry takes 0 or more.") }
    if interval != nil && rate != nil {
      throw ValidationError("--interval and --rate are exclusive.")
    }
    if let interval, Pacer.interval(duration: interval) == nil {
      throw ValidationError("--interval takes a duration such as 1s, 10ms or 250us.")
    }
    if let rate, Pacer.interval(rate: rate) == nil {
      throw ValidationError("--rate takes a rate such as 2000, 10kpps or 1mpps.")
    }
    guard Pacer.interval(duration: timeout) != nil else {
      throw ValidationError("--timeout takes a duration such as 1s or 200ms.")
    }
  }

  func run() throws {
    let expectation = try Self.expectation(expect)
    var outgoing = try OutgoingPackets(
      expression: expression, seed: seed, interface: interface, repetitions: count,
      stepEchoSequence: true)
    var configuration = Prober.Configuration()
    configuration.timeoutNanoseconds = Pacer.interval(duration: timeout) ?? 1_000_000_000
    configuration.retries = retry
    configuration.intervalNanoseconds =
      interval.flatMap { Pacer.interval(duration: $0) } ?? rate.flatMap { Pacer.interval(rate: $0) }
      ?? 0
    StopSignal.install()
    var report = ProbeReport(json: json, expectation: expectation)
    var failure: (any Error)? = nil
    let summary: Prober.Summary
    do {
      var prober = try Prober(
        interface: outgoing.interface, linkLayer: outgoing.linkLayer,
        ipVersion: outgoing.ipVersion, configuration: configuration)
      for index in 0..<outgoing.packetsPerRound { try prober.checkMTU(outgoing.packet(index)) }
      summary = try prober.run(
        count: outgoing.total,
        packet: { index in
          do {
            return try outgoing.packet(index)
          } catch {
            failure = error
            return nil
          }
        }, shouldStop: { StopSignal.isRequested },
        report: { report.print($0) })
    } catch let error as SystemError {
      throw RuntimeFailure("\(error)")
    }
    StandardOutput.shared.flushOrExit()
    if let failure { throw failure }
    StandardError.write(report.summary(summary) + "\n")
    if !report.allMet || summary.probes < outgoing.total {
      throw QuietFailure()
    }
  }

  /// `--expect`'s value: nil without it, `.none` for `none`, else the parsed expression.
  static func expectation(_ text: String?) throws -> ProbeReport.Expectation? {
    guard let text else { return nil }
    if text == "none" { return .noReply }
    do {
      return .reply(try ReplyExpectation(ExpressionParser.parse(text)))
    } catch {
      throw UsageFailure("--expect: \(error)")
    }
  }
}
