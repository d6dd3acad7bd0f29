import Foundation
import Glibc
import TestSupport
import Testing

/// Offline commands need no privileges (CONTRACT.md; docs/robustness.md "Privileges"): as
/// user and group nobody (65534), with no supplementary groups and no capabilities, `read`,
/// `stats` and `--help` print what they print as root. The binary and a fixture are copied
/// to a fresh folder under /tmp (mode 755/644) because the repository may not be readable
/// by nobody. Needs root (to switch user) and setpriv(1) or runuser(8); otherwise skipped,
/// or failed in CI (RAWTOOL_REQUIRE_PRIVILEGE=1).
@Suite("Privileges")
struct PrivilegeTests {
  /// The command that runs the rest of its arguments as nobody, when there is one.
  static let dropPrivileges: [String]? = {
    guard getuid() == 0 else { return nil }
    if Rawtool.hasProgram("setpriv") {
      return [
        "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--",
      ]
    }
    if Rawtool.hasProgram("runuser") { return ["runuser", "-u", "nobody", "--"] }
    return nil
  }()

  static var available: Bool {
    if dropPrivileges == nil
      && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_PRIVILEGE"] == "1"
    {
      Issue.record("RAWTOOL_REQUIRE_PRIVILEGE=1 but not root or no setpriv/runuser")
    }
    return dropPrivileges != nil
  }

  /// Runs `command` through `/usr/bin/env` (PATH lookup) with TZ=UTC in /tmp.
  func run(_ command: [String]) throws -> Rawtool.Result {
    let process = Process()
    process.executableURL = URL(filePath: "/usr/bin/env")
    process.arguments = command
    process.currentDirectoryURL = URL(filePath: "/tmp")
    var environment = ProcessInfo.processInfo.environment
    environment["TZ"] = "UTC"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    nonisolated(unsafe) var errorData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errorData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Rawtool.Result(
      stdout: outData, stderr: String(decoding: errorData, as: UTF8.self),
      status: process.terminationStatus)
  }

  /// Runs `command`, trying again (a few times) when the freshly copied binary cannot be
  /// executed yet: its write descriptor can live on for a moment in a child another test
  /// forked meanwhile (ETXTBSY).
  func runCopied(_ command: [String]) throws -> Rawtool.Result {
    var result = try run(command)
    for _ in 0..<10 where result.status == 126 && result.stderr.contains("Text file busy") {
      usleep(200_000)
      result = try run(command)
    }
    return result
  }

  @Test(
    "read, stats and --help work as nobody, as they do as root",
    .enabled(if: PrivilegeTests.available))
  func offlineCommandsAsNobody() throws {
    let drop = try #require(Self.dropPrivileges)
    let manager = FileManager.default
    let folder = "/tmp/rawtool-nobody-\(getpid())"
    try? manager.removeItem(atPath: folder)
    try manager.createDirectory(
      atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
    defer { try? manager.removeItem(atPath: folder) }
    let binary = folder + "/rawtool"
    let fixture = folder + "/mixed.pcap"
    try manager.copyItem(atPath: Rawtool.executable, toPath: binary)
    try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary)
    try manager.copyItem(
      atPath: Fixtures.root.appending(path: "Fixtures/mixed.pcap").path, toPath: fixture)
    try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: fixture)

    let who = try run(drop + ["id", "-u"])
    #expect(who.output == "65534\n", "not running as nobody: \(who.stderr)")

    for arguments in [
      ["read", fixture], ["read", "-v", fixture], ["read", "--json", fixture, "tcp"],
      ["stats", fixture], ["--help"], ["read", "--help"],
    ] {
      let asRoot = try runCopied([binary] + arguments)
      let asNobody = try runCopied(drop + [binary] + arguments)
      #expect(asNobody.status == 0, "\(arguments): \(asNobody.stderr)")
      #expect(asNobody.stderr == "", "\(arguments)")
      #expect(!asNobody.stdout.isEmpty, "\(arguments)")
      #expect(asNobody.stdout == asRoot.stdout, "\(arguments)")
    }
    // A file nobody may not read: the usual one-line error, exit 1.
    try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: fixture)
    let denied = try run(drop + [binary, "read", fixture])
    #expect(denied.status == 1)
    #expect(denied.stderr == "rawtool: cannot open \(fixture): Permission denied\n")
  }
}
