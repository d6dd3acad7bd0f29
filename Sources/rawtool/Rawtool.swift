import ArgumentParser
@preconcurrency import Glibc

/// The `rawtool` command: configuration only; one file per subcommand in `Commands/`.
///
/// Exit codes: 0 success, 1 runtime failure with a one-line reason on
/// stderr, 2 usage error (bad option, bad expression, bad filter).
@main
struct Rawtool: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rawtool",
    abstract: "Capture, decode, craft and send raw network packets.",
    discussion: """
      Offline commands (read, stats, craft) never need privileges; sniff, send, replay, probe \
      and trace need root or CAP_NET_RAW (`setcap cap_net_raw,cap_net_admin+eip rawtool`).

      Every command has its own help (`rawtool help craft`) and manual page (`man rawtool`, \
      `man rawtool-read`, ...; Scripts/install.sh installs them with the shell completions). \
      Colour: --color on read, sniff and craft; NO_COLOR turns it off.

      Examples:
        rawtool read Fixtures/mixed.pcap
        rawtool read --json Fixtures/mixed.pcap 'tcp port 80'
        rawtool stats Fixtures/mixed.pcap
        rawtool craft 'eth / ipv4(dst=192.0.2.2) / tcp(dport=80)' -w syn.pcap
        rawtool interfaces
        rawtool sniff veth0 -c 10 'icmp or arp'
        rawtool send -i veth0 -c 3 --interval 100ms 'ipv4(dst=192.0.2.2) / icmp(id=1)'
        rawtool replay -i veth0 --pps 10k --map-ip 192.0.2.0/24=198.51.100.0/24 in.pcap
        rawtool probe 'ipv4(dst=192.0.2.2) / tcp(dport=80, flags=S)' --expect 'tcp(flags=SA)'
        rawtool trace --proto tcp 198.51.100.2
      """,
    version: "0.1.0",
    // Each subcommand states its `commandName`: deriving it from the type's name demangles
    // the type at every start (8M instructions of a `read`'s start-up).
    subcommands: [
      Read.self, Stats.self, Craft.self, Sniff.self, Send.self, Replay.self, Probe.self,
      Trace.self,
      ListInterfaces.self,
    ]
  )

  static func main() {
    signal(SIGPIPE, SIG_IGN)
    do {
      var command = try parseAsRoot()
      try command.run()
      StandardOutput.shared.flushOrExit()
      Glibc.exit(0)
    } catch let failure as RuntimeFailure {
      StandardOutput.shared.flushOrExit()
      StandardError.write("rawtool: \(failure.message)\n")
      Glibc.exit(1)
    } catch is QuietFailure {
      StandardOutput.shared.flushOrExit()
      Glibc.exit(1)
    } catch let failure as UsageFailure {
      StandardOutput.shared.flushOrExit()
      StandardError.write("rawtool: \(failure.message)\n")
      Glibc.exit(2)
    } catch {
      StandardOutput.shared.flushOrExit()
      let code = exitCode(for: error)
      if code == .success {
        // --help, --version and completion scripts go to stdout.
        print(fullMessage(for: error))
        Glibc.exit(0)
      }
      StandardError.write(fullMessage(for: error) + "\n")
      Glibc.exit(code == .failure ? 1 : 2)
    }
  }
}
