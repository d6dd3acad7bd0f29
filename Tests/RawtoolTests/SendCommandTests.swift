import Foundation
import PacketIO
import Testing

/// `rawtool send` without the network (`--dry-run` on `lo`, usage errors) and `craft
/// --fragment`: the words of an expression are joined as `craft` joins them, errors carry
/// the caret, `-c 0` and `--duration` without `-c` are unlimited rounds, durations have one
/// syntax. The live side (`--rate` with `--duration`) is LiveSendDurationTests'.
@Suite("Send command")
struct SendCommandTests {
  @Test("unquoted words are joined as craft joins them")
  func wordsJoined() throws {
    let result = try Rawtool.run([
      "send", "--dry-run", "-i", "lo", "ipv4(src=192.0.2.1,", "dst=192.0.2.2)", "/",
      "udp(sport=1,", "dport=9)",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.output == "IP 192.0.2.1.1 > 192.0.2.2.9: UDP, length 0\n")
  }

  @Test("an expression error shows the caret, as craft does")
  func caret() throws {
    let result = try Rawtool.run(["send", "--dry-run", "-i", "lo", "ipv4(ttl=300)/udp"])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "rawtool: ipv4: field ttl: 300 is out of range 0...255\n  ipv4(ttl=300)/udp\n           ^\n"
    )
  }

  @Test(
    "usage errors",
    arguments: [
      (["-c", "0"], "Error: -c 0 (unlimited) needs --duration to end the run."),
      (["-c-1"], "Error: -c takes a number of rounds (0: unlimited)."),
      (
        ["--duration", "2x"],
        "Error: --duration takes a positive duration such as 2s, 250ms, 1m or 10."
      ),
      (
        ["--duration", "0s"],
        "Error: --duration takes a positive duration such as 2s, 250ms, 1m or 10."
      ),
      (["--fragment", "0"], "Error: --fragment takes a positive size."),
    ])
  func usageErrors(arguments: [String], message: String) throws {
    let result = try Rawtool.run(
      ["send", "--dry-run", "-i", "lo"] + arguments + ["ipv4(dst=192.0.2.2)/udp"])
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix(message + "\n"), "\(result.stderr)")
  }

  @Test("-c 0 and --duration without -c are unlimited rounds (a dry run shows 1000)")
  func unlimitedRounds() throws {
    for arguments in [["--duration", "1m"], ["-c", "0", "--duration", "2s"]] {
      let result = try Rawtool.run(
        ["send", "--dry-run", "-i", "lo"] + arguments
          + ["ipv4(src=192.0.2.1, dst=192.0.2.2)/udp(sport=1, dport=9)"])
      #expect(result.status == 0, "\(result.stderr)")
      #expect(result.output.split(separator: "\n").count == 1000)
    }
    let once = try Rawtool.run(
      ["send", "--dry-run", "-i", "lo", "ipv4(src=192.0.2.1, dst=192.0.2.2)/udp(sport=1, dport=9)"])
    #expect(once.output.split(separator: "\n").count == 1)
  }

  @Test("send and craft --fragment N cut every packet as fragment(size=N) does")
  func fragmentOption() throws {
    let expression =
      "ipv4(src=192.0.2.1, dst=192.0.2.2, id=7) / udp(sport=1, dport=9) / raw(length=40)"
    let sent = try Rawtool.run(["send", "--dry-run", "-i", "lo", "--fragment", "16", expression])
    #expect(sent.status == 0, "\(sent.stderr)")
    #expect(
      sent.output
        == "IP 192.0.2.1.1 > 192.0.2.2.9: UDP, length 40\nIP 192.0.2.1 > 192.0.2.2: ip-proto-17\nIP 192.0.2.1 > 192.0.2.2: ip-proto-17\n"
    )
    let crafted = try Rawtool.run(["craft", "--fragment", "16", expression, "--hex"])
    let written = try Rawtool.run([
      "craft", expression.replacingOccurrences(of: "id=7)", with: "id=7) / fragment(size=16)"),
      "--hex",
    ])
    #expect(crafted.status == 0, "\(crafted.stderr)")
    #expect(crafted.output.split(separator: "\n").count == 3)
    #expect(crafted.output == written.output)
    let both = try Rawtool.run([
      "craft", "--fragment", "8", "ipv4() / fragment(size=8) / udp()", "--hex",
    ])
    #expect(both.status == 2)
    #expect(
      both.stderr.hasPrefix("rawtool: fragment: give --fragment or fragment(...), not both\n"))
  }

  @Test("-c rounds of fragments: every round is cut")
  func fragmentIDsPerRound() throws {
    let result = try Rawtool.run([
      "send", "--dry-run", "-i", "lo", "-c", "3", "--seed", "5", "--fragment", "100",
      "ipv6(src=2001:db8::1, dst=2001:db8::2) / udp(sport=1, dport=9) / raw(length=100)",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.output.split(separator: "\n")
    #expect(lines.count == 9)
    #expect(lines.allSatisfy { $0.contains(" frag (") })
  }

  @Test("read --json prints tcp.flags_text, and --from-json takes it back")
  func flagsText() throws {
    let crafted = try Rawtool.run([
      "craft", "ipv4(src=192.0.2.1, dst=192.0.2.2) / tcp(flags=FPA)", "--json", "--time",
      "1700000000",
    ])
    #expect(crafted.output.contains(#""flags":25,"flags_text":"FPA","#), "\(crafted.output)")
    let rebuilt = try Rawtool.run(["craft", "--from-json", "-", "--json"], stdin: crafted.stdout)
    #expect(rebuilt.output == crafted.output)
  }
}

/// The one duration syntax (`Pacer.interval(duration:)`) of send, probe, trace and replay.
@Suite("Send durations")
struct SendDurationTests {
  @Test(
    "durations in nanoseconds",
    arguments: [
      ("2s", 2_000_000_000), ("250ms", 250_000_000), ("1m", 60_000_000_000),
      ("2min", 120_000_000_000), ("1h", 3_600_000_000_000), ("10", 10_000_000_000),
      ("0.5", 500_000_000), ("100us", 100_000), ("100µs", 100_000), ("7ns", 7),
      ("1.5S", 1_500_000_000),
    ] as [(String, UInt64)])
  func parses(text: String, nanoseconds: UInt64) {
    #expect(Pacer.interval(duration: text) == nanoseconds)
  }

  @Test("not durations", arguments: ["", "s", "2x", "-1s", "1e30h", "nan", "inf", "2 s"])
  func rejects(text: String) {
    #expect(Pacer.interval(duration: text) == nil)
  }
}
