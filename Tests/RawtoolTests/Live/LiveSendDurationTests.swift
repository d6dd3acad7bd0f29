import Foundation
import Testing

/// `send --rate/--interval --duration` without `-c`, and `-c 0 --duration`, on a veth pair
/// between two namespaces: the run keeps sending until the duration ends (before, it sent
/// one packet). Bounded: at most 2 s and a few hundred packets per run.
@Suite("Live: send durations", .serialized)
struct LiveSendDurationTests {
  @Test("live tests can run (fails under RAWTOOL_REQUIRE_LIVE=1 when they cannot)")
  func liveTestsCanRun() {
    if let reason = LiveNetwork.unavailableReason {
      let required = ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_LIVE"] == "1"
      #expect(!required, "live tests skipped: \(reason)")
    }
  }

  /// The packet count of `send`'s summary line.
  static func sent(_ stderr: String) -> Int? {
    stderr.split(separator: " ").first.flatMap { Int($0) }
  }

  @Test(
    "--rate or --interval with --duration and no -c send until the duration ends",
    .enabled(if: LiveNetwork.isAvailable))
  func sendsForTheDuration() throws {
    let net = try LiveNetwork(tag: "craftdur")
    defer { net.tearDown() }
    let expression =
      "eth(dst=ff:ff:ff:ff:ff:ff)/ipv4(src=192.0.2.1, dst=192.0.2.2, id=1)/udp(dport=9)"
    // (options, fewest and most packets expected)
    let runs: [([String], Int, Int)] = [
      (["--rate", "200", "--duration", "1s"], 100, 202),
      (["--interval", "10ms", "--duration", "500ms"], 25, 52),
      (["-c", "0", "--interval", "20ms", "--duration", "0.5"], 12, 27),
      (["-c", "5", "--interval", "10ms", "--duration", "1m"], 5, 5),
    ]
    for (options, fewest, most) in runs {
      let started = Date()
      let result = try net.run(
        net.a, [Rawtool.executable, "send", "-i", "vA"] + options + [expression], timeout: 10)
      let elapsed = Date().timeIntervalSince(started)
      #expect(result.status == 0, "\(options): \(result.stderr)")
      let count = Self.sent(result.stderr) ?? -1
      #expect((fewest...most).contains(count), "\(options): \(result.stderr)")
      #expect(elapsed < 5, "\(options) took \(elapsed) s")
    }
  }
}
