import Foundation
import Testing

/// Scripts/install.sh on a fresh prefix, as a new machine would get it: the binary runs, a
/// manual page opens with `man` for rawtool and for every command, and the installed bash
/// completion offers files for file arguments and interface names for interfaces.
///
/// Needs python3 and `man` (man-db); without them the test is skipped, and recorded as a
/// failure when RAWTOOL_REQUIRE_MAN=1 (CI).
@Suite("Install step", .serialized)
struct InstallTests {
  static let repository = URL(filePath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static var toolsPresent: Bool {
    let present = Rawtool.hasProgram("man") && Rawtool.hasProgram("python3")
    if !present && ProcessInfo.processInfo.environment["RAWTOOL_REQUIRE_MAN"] == "1" {
      Issue.record("RAWTOOL_REQUIRE_MAN=1 but man or python3 is missing")
    }
    return present
  }

  /// Runs `program arguments` (found on the PATH) in `directory`; returns standard output,
  /// standard error and the exit status.
  static func run(
    _ program: String, _ arguments: [String], in directory: URL = repository,
    environment: [String: String] = [:]
  ) throws -> (output: String, error: String, status: Int32) {
    let result = try Rawtool.run(
      program: "/usr/bin/env", [program] + arguments, in: directory, environment: environment)
    return (result.output, result.stderr, result.status)
  }

  /// Installs into a fresh prefix with Scripts/install.sh and the rawtool under test; the
  /// caller removes the prefix.
  static func install(_ name: String) throws -> URL {
    let prefix = try temporaryDirectory(name)
    let install = try run(
      "bash", ["Scripts/install.sh", "--prefix", prefix.path, "--binary", Rawtool.executable])
    #expect(install.status == 0, "\(install.error)")
    return prefix
  }

  /// A fresh directory, removed by the caller.
  static func temporaryDirectory(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-install-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    try? FileManager.default.removeItem(at: url)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The commands rawtool has, from its own definition (so a new command is covered).
  static func commandNames() throws -> [String] {
    let dump = try Rawtool.run(["--experimental-dump-help"])
    let json = try JSONSerialization.jsonObject(with: dump.stdout) as? [String: Any]
    let command = json?["command"] as? [String: Any]
    let subcommands = command?["subcommands"] as? [[String: Any]] ?? []
    return subcommands.compactMap { $0["commandName"] as? String }.filter { $0 != "help" }
  }

  /// The words bash completion offers for `rawtool WORDS...` (the last word being completed),
  /// with the installed completion script, run in `directory`.
  static func bashCompletions(_ script: String, _ words: [String], in directory: URL) throws
    -> [String]
  {
    let quoted = words.map { "'\($0)'" }.joined(separator: " ")
    let program = """
      source '\(script)'
      COMP_WORDS=(rawtool \(quoted))
      COMP_CWORD=\(words.count)
      COMP_LINE="${COMP_WORDS[*]}"
      COMP_POINT=${#COMP_LINE}
      _rawtool rawtool "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let result = try run("bash", ["-c", program], in: directory)
    #expect(result.status == 0, "\(result.error)")
    return result.output.split(separator: "\n").map(String.init)
  }

  @Test("install.sh into a temporary prefix: binary, man pages, completions")
  func installsEverything() throws {
    guard Self.toolsPresent else { return }
    let prefix = try Self.install("prefix")
    defer { try? FileManager.default.removeItem(at: prefix) }

    let installed = prefix.appending(path: "bin/rawtool").path
    let version = try Self.run(installed, ["--version"])
    #expect(version.status == 0 && !version.output.isEmpty)

    let manPath = prefix.appending(path: "share/man").path
    let commands = try Self.commandNames()
    #expect(commands.count >= 9)
    for page in ["rawtool"] + commands.map({ "rawtool-\($0)" }) {
      let man = try Self.run(
        "man", ["-M", manPath, page], environment: ["MANPAGER": "cat", "MANWIDTH": "100"])
      #expect(man.status == 0, "man \(page): \(man.error)")
      #expect(man.output.contains(page.uppercased() + "(1)"), "man \(page)")
      #expect(man.output.contains("SYNOPSIS") && man.output.contains("OPTIONS"), "man \(page)")
    }
    let read = try Self.run(
      "man", ["-M", manPath, "rawtool-read"], environment: ["MANPAGER": "cat", "MANWIDTH": "200"])
    #expect(read.output.contains("Decode and print the packets of a pcap or pcapng file."))
    #expect(read.output.contains("rawtool read [options] [<file>] [<filter> ...]"))
    let craft = try Self.run(
      "man", ["-M", manPath, "rawtool-craft"], environment: ["MANPAGER": "cat", "MANWIDTH": "200"])
    #expect(craft.output.contains("tcp: src_port (sport), dst_port (dport)"))

    for path in [
      "share/bash-completion/completions/rawtool", "share/zsh/site-functions/_rawtool",
      "share/fish/vendor_completions.d/rawtool.fish",
    ] {
      let text = try String(contentsOf: prefix.appending(path: path), encoding: .utf8)
      #expect(text.contains("/sys/class/net"), "\(path) completes interfaces")
    }
    let zsh = try String(
      contentsOf: prefix.appending(path: "share/zsh/site-functions/_rawtool"), encoding: .utf8)
    #expect(zsh.contains("':file:_files'"), "zsh completes files for read and stats")
    let fish = try String(
      contentsOf: prefix.appending(path: "share/fish/vendor_completions.d/rawtool.fish"),
      encoding: .utf8)
    #expect(
      fish.contains("__rawtool_should_offer_completions_for_positional \"rawtool read\" -eq 1' -F"),
      "fish completes files for read")
  }

  @Test("Bash completion: files for read, interfaces for sniff and -i")
  func bashCompletion() throws {
    guard Self.toolsPresent else { return }
    let prefix = try Self.install("completion")
    defer { try? FileManager.default.removeItem(at: prefix) }
    let script = prefix.appending(path: "share/bash-completion/completions/rawtool").path

    let work = try Self.temporaryDirectory("files")
    defer { try? FileManager.default.removeItem(at: work) }
    for name in ["Fixture-a.pcap", "Fixture-b.pcapng", "Other.pcap"] {
      try Data().write(to: work.appending(path: name))
    }
    for command in ["read", "stats"] {
      let files = try Self.bashCompletions(script, [command, "F"], in: work)
      #expect(Set(files) == ["Fixture-a.pcap", "Fixture-b.pcapng"], "\(command): \(files)")
    }
    let written = try Self.bashCompletions(script, ["read", "-w", "O"], in: work)
    #expect(written == ["Other.pcap"])

    let interfaces = try FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")
    #expect(interfaces.contains("lo"))
    let sniff = try Self.bashCompletions(script, ["sniff", ""], in: work)
    #expect(Set(sniff) == Set(interfaces + ["any"]), "\(sniff)")
    let loopback = try Self.bashCompletions(script, ["sniff", "l"], in: work)
    #expect(loopback.contains("lo") && loopback.allSatisfy { $0.hasPrefix("l") })
    for command in ["send", "replay", "probe", "trace"] {
      let offered = try Self.bashCompletions(script, [command, "-i", ""], in: work)
      #expect(Set(offered) == Set(interfaces), "\(command) -i: \(offered)")
    }
  }

  @Test("install.sh refuses an unknown option with exit 2")
  func badOption() throws {
    let result = try Self.run("bash", ["Scripts/install.sh", "--nonsense"])
    #expect(result.status == 2)
    #expect(result.error.hasPrefix("usage: "))
  }
}
