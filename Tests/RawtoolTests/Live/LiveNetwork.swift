import Foundation
import PacketKit
import Testing

/// Two network namespaces joined by a veth pair, for live tests (STYLE.md §9).
///
/// Side A: `vA` with 192.0.2.1/24 and 2001:db8::1/64; side B: `vB` with 192.0.2.2/24 and
/// 2001:db8::2/64 (IPv6 with `nodad`, usable at once). Names carry the test's tag and the
/// process id so parallel tests never collide. Nothing is sent outside these namespaces.
/// `tearDown()` deletes both namespaces (which destroys the veth pair); call it in a
/// `defer` right after `make`.
final class LiveNetwork: @unchecked Sendable {
  let a: String
  let b: String
  private var processes: [Background] = []
  private let lock = NSLock()

  /// Whether live tests can run: root, and `ip` and `tcpdump` installed. With
  /// RAWTOOL_REQUIRE_LIVE=1 (CI) a missing requirement is recorded as a failure.
  static var isAvailable: Bool {
    let reason = unavailableReason
    if let reason, ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_LIVE"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_LIVE=1 but live tests cannot run: \(reason)")
    }
    return reason == nil
  }

  /// Whether live tests must run (RAWTOOL_REQUIRE_LIVE=1, as CI sets it): a missing peer
  /// program then fails its test instead of skipping it.
  static var isRequired: Bool {
    ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_LIVE"] == "1"
  }

  /// Whether this is the sanitized run (Scripts/test-asan.sh sets RAWTOOL_SANITIZED=1): its
  /// rawtool is instrumented and several times slower, so timing bounds are widened there and
  /// held exactly in the normal run.
  static var isSanitized: Bool {
    ProcessInfo.processInfo.environment["RAWTOOL_SANITIZED"] == "1"
  }

  /// Why live tests are skipped, or nil when they can run.
  static var unavailableReason: String? {
    if geteuid() != 0 { return "not root (live tests create network namespaces)" }
    for program in ["ip", "tcpdump"] where !Rawtool.hasProgram(program) {
      return "\(program) is not installed"
    }
    return nil
  }

  /// Creates the namespaces and the veth pair, addresses up.
  init(tag: String) throws {
    let suffix = "\(tag)-\(getpid())"
    a = "rt-\(suffix)-a"
    b = "rt-\(suffix)-b"
    do {
      for command in [
        ["netns", "add", a], ["netns", "add", b],
        ["link", "add", "vA", "netns", a, "type", "veth", "peer", "name", "vB", "netns", b],
        ["-n", a, "addr", "add", "192.0.2.1/24", "dev", "vA"],
        ["-n", a, "addr", "add", "2001:db8::1/64", "dev", "vA", "nodad"],
        ["-n", b, "addr", "add", "192.0.2.2/24", "dev", "vB"],
        ["-n", b, "addr", "add", "2001:db8::2/64", "dev", "vB", "nodad"],
        ["-n", a, "link", "set", "lo", "up"], ["-n", b, "link", "set", "lo", "up"],
        ["-n", a, "link", "set", "vA", "up"], ["-n", b, "link", "set", "vB", "up"],
      ] {
        let result = try Self.run("/usr/sbin/ip", command, timeout: 10)
        guard result.status == 0 else {
          throw LiveError("ip \(command.joined(separator: " ")): \(result.stderr)")
        }
      }
    } catch {
      tearDown()
      throw error
    }
  }

  /// Stops every process started here and deletes both namespaces.
  func tearDown() {
    lock.lock()
    let started = processes
    processes = []
    lock.unlock()
    for process in started where process.isRunning {
      _ = process.stop(SIGKILL, timeout: 5)
    }
    _ = try? Self.run("/usr/sbin/ip", ["netns", "del", a], timeout: 10)
    _ = try? Self.run("/usr/sbin/ip", ["netns", "del", b], timeout: 10)
  }

  /// The MAC address of `interface` in namespace `ns`.
  func mac(_ ns: String, _ interface: String) throws -> String {
    let result = try run(ns, ["cat", "/sys/class/net/\(interface)/address"], timeout: 5)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Runs `arguments` inside namespace `ns` and waits (at most `timeout` seconds).
  @discardableResult
  func run(_ ns: String, _ arguments: [String], timeout: Double = 20) throws -> RunResult {
    try Self.run("/usr/sbin/ip", ["netns", "exec", ns] + arguments, timeout: timeout)
  }

  /// Starts `arguments` inside `ns` in the background; its stderr and stdout go to files
  /// read by `Background`. `ip netns exec` execs the program, so the process id is the
  /// program's own (signals reach it directly).
  func start(_ ns: String, _ arguments: [String]) throws -> Background {
    let background = try Background(["/usr/sbin/ip", "netns", "exec", ns] + arguments)
    lock.lock()
    processes.append(background)
    lock.unlock()
    return background
  }

  /// What a finished program printed.
  struct RunResult {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ executable: String, _ arguments: [String], timeout: Double) throws -> RunResult
  {
    let background = try Background([executable] + arguments)
    return background.wait(timeout: timeout)
  }

  /// A program running in the background, output collected in temporary files.
  ///
  /// Started with `posix_spawn` and reaped with `waitpid` (not Foundation's Process, whose
  /// exit notification can be missed when programs are killed).
  final class Background: @unchecked Sendable {
    let pid: pid_t
    let outPath: String
    let errPath: String
    private var status: Int32? = nil

    init(_ command: [String]) throws {
      let id = UUID().uuidString
      outPath = NSTemporaryDirectory() + "rt-live-\(id).out"
      errPath = NSTemporaryDirectory() + "rt-live-\(id).err"
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
      let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
      defer { for pointer in argv { free(pointer) } }
      // Test threads block signals; the program must start with none blocked and default
      // dispositions, or SIGINT would never reach it.
      var attributes = posix_spawnattr_t()
      posix_spawnattr_init(&attributes)
      defer { posix_spawnattr_destroy(&attributes) }
      var none = sigset_t()
      sigemptyset(&none)
      var all = sigset_t()
      sigfillset(&all)
      posix_spawnattr_setsigmask(&attributes, &none)
      posix_spawnattr_setsigdefault(&attributes, &all)
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
      var pid: pid_t = 0
      let result = posix_spawnp(&pid, command[0], &actions, &attributes, argv, environ)
      guard result == 0 else { throw LiveError("cannot start \(command[0]): \(result)") }
      self.pid = pid
    }

    deinit {
      if isRunning {
        kill(pid, SIGKILL)
        _ = wait(timeout: 5)
      }
      try? FileManager.default.removeItem(atPath: outPath)
      try? FileManager.default.removeItem(atPath: errPath)
    }

    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

    /// Whether the program still runs (reaps it when it has ended).
    var isRunning: Bool {
      if status != nil { return false }
      var raw: Int32 = 0
      let result = waitpid(pid, &raw, WNOHANG)
      if result == pid {
        status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : -(raw & 0x7f)
        return false
      }
      return result == 0
    }

    /// Waits until stderr contains `text` (a capture printing "listening on"), at most
    /// `timeout` seconds; false when it never did.
    func waitForStderr(_ text: String, timeout: Double = 10) -> Bool {
      let end = Date().addingTimeInterval(timeout)
      while Date() < end {
        if stderr.contains(text) { return true }
        if !isRunning { return stderr.contains(text) }
        usleep(20_000)
      }
      return false
    }

    /// Sends `signal` and waits for the end (SIGKILL after `timeout` seconds).
    func stop(_ signal: Int32 = SIGINT, timeout: Double = 10) -> RunResult {
      if isRunning { kill(pid, signal) }
      return wait(timeout: timeout)
    }

    /// Waits for the end, killing the program after `timeout` seconds. The status is the
    /// exit code, or minus the signal that ended it.
    func wait(timeout: Double) -> RunResult {
      let end = Date().addingTimeInterval(timeout)
      while isRunning && Date() < end { usleep(5_000) }
      if isRunning {
        kill(pid, SIGKILL)
        while isRunning { usleep(5_000) }
      }
      return RunResult(status: status ?? -1, stdout: stdout, stderr: stderr)
    }
  }

  struct LiveError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  /// The frames of a capture file (bytes only), in file order.
  static func frames(of path: String) throws -> [[UInt8]] {
    var reader = try CaptureFileReader(path: path)
    var frames: [[UInt8]] = []
    try reader.forEachRecord { _, bytes in
      frames.append(bytes.withUnsafeBufferPointer { Array($0) })
      return true
    }
    return frames
  }

  /// A fresh temporary path ending in `suffix`.
  static func temporaryPath(_ suffix: String) -> String {
    NSTemporaryDirectory() + "rt-live-\(UUID().uuidString)\(suffix)"
  }
}

/// Counts of each distinct frame, for multiset comparisons.
func histogram(_ frames: [[UInt8]]) -> [[UInt8]: Int] {
  frames.reduce(into: [:]) { $0[$1, default: 0] += 1 }
}

/// The frames of `expected` missing from `actual` (as multisets).
func missing(_ expected: [[UInt8]], from actual: [[UInt8]]) -> [[UInt8]] {
  var have = histogram(actual)
  var gone: [[UInt8]] = []
  for frame in expected {
    if let count = have[frame], count > 0 { have[frame] = count - 1 } else { gone.append(frame) }
  }
  return gone
}
