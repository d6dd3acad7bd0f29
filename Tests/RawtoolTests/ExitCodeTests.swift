import Foundation
import TestSupport
import Testing

/// Bad input gets one clear line on stderr and CONTRACT.md's exit status: 0 success,
/// 1 runtime failure, 2 usage error. Never a crash trace.
@Suite("Exit codes and errors")
struct ExitCodeTests {
  static let sample = "Fixtures/ethernet-ipv4-tcp.pcap"

  func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appending(path: "rawtool-exit-\(name)")
    try Data(bytes).write(to: url)
    return url.path
  }

  @Test("A missing file: exit 1, one line")
  func missingFile() throws {
    let result = try Rawtool.run(["read", "/nonexistent/x.pcap"])
    #expect(result.status == 1)
    #expect(
      result.stderr == "rawtool: cannot open /nonexistent/x.pcap: No such file or directory\n")
    #expect(result.stdout.isEmpty)
  }

  @Test("Not a capture file: exit 1, one line naming the file and the magic")
  func notACapture() throws {
    let path = try temporaryFile(
      [0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00] + [UInt8](repeating: 0, count: 20),
      name: "gif")
    let result = try Rawtool.run(["read", path])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "rawtool: \(path): not a capture file: unknown format (magic 0x47494638; rawtool reads pcap and pcapng)\n"
    )
  }

  @Test("A bad filter: exit 2 before any output")
  func badFilter() throws {
    let result = try Rawtool.run(["read", Self.sample, "tcp", "port"])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("rawtool: ") && result.stderr.contains("tcp port"))
    #expect(result.stderr.split(separator: "\n").count == 1)
  }

  @Test(
    "A bad option: exit 2",
    arguments: [
      ["read", "--bogus", sample], ["read", "-c", "0", sample], ["read"], ["nosuchcommand"],
    ])
  func badUsage(arguments: [String]) throws {
    let result = try Rawtool.run(arguments)
    #expect(result.status == 2)
    #expect(!result.stderr.isEmpty)
  }

  @Test("A cut final record: every whole record first, then a warning")
  func cutFinalRecord() throws {
    let whole = try #require(
      FileManager.default.contents(atPath: Fixtures.root.appending(path: Self.sample).path))
    let path = try temporaryFile(Array(whole.dropLast(10)), name: "cut.pcap")
    let full = try Rawtool.run(["read", Self.sample])
    let cut = try Rawtool.run(["read", path])
    let fullLines = full.output.split(separator: "\n")
    let cutLines = cut.output.split(separator: "\n")
    #expect(cutLines.count == fullLines.count - 1)
    #expect(Array(fullLines.prefix(cutLines.count)) == cutLines)
    #expect(cut.stderr.hasPrefix("rawtool: warning: record \(fullLines.count): truncated"))
    #expect(cut.status == 0)
  }

  @Test("An unsupported link type: read exits 1, one line naming it")
  func unsupportedLinkType() throws {
    // A classic pcap header with link type 147 (USER0) and one 4-byte record.
    var bytes: [UInt8] = [
      0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 147, 0, 0, 0,
    ]
    bytes += [0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4]
    let path = try temporaryFile(bytes, name: "user0.pcap")
    // stats counts such records (StatsUndecodedTests); read stops at the first.
    let result = try Rawtool.run(["read", path])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "rawtool: \(path): record 1: unsupported link type 147 (USER0); rawtool decodes EN10MB (1), RAW (12, 14, 101), IPV4 (228), IPV6 (229), LINUX_SLL (113), LINUX_SLL2 (276), NULL (0) and LOOP (108)\n"
    )
    let copy = FileManager.default.temporaryDirectory.appending(path: "rawtool-user0-copy.pcap")
      .path
    #expect(try Rawtool.run(["read", path, "-w", copy]).status == 0)
  }

  @Test("Standard input is read with -")
  func standardInput() throws {
    let whole = try #require(
      FileManager.default.contents(atPath: Fixtures.root.appending(path: Self.sample).path))
    let fromFile = try Rawtool.run(["read", Self.sample])
    let fromStdin = try Rawtool.run(["read", "-"], stdin: whole)
    #expect(fromStdin.status == 0 && fromStdin.output == fromFile.output)
  }

  @Test("-c stops after N packets that pass the filter")
  func countLimit() throws {
    let result = try Rawtool.run(["read", "-c", "3", Self.sample, "tcp"])
    #expect(result.status == 0)
    #expect(result.output.split(separator: "\n").count == 3)
  }

  @Test("-w writes the selected packets, readable by rawtool and by tcpdump")
  func writeFiltered() throws {
    for ext in ["pcap", "pcapng"] {
      let out = FileManager.default.temporaryDirectory.appending(path: "rawtool-w.\(ext)").path
      try? FileManager.default.removeItem(atPath: out)
      let write = try Rawtool.run(["read", "Fixtures/mixed.pcap", "-w", out, "udp"])
      #expect(write.status == 0 && write.output.isEmpty)
      let expected = try Rawtool.run(["read", "Fixtures/mixed.pcap", "udp"])
      let reread = try Rawtool.run(["read", out])
      #expect(reread.output == expected.output && !expected.output.isEmpty, "\(ext)")
    }
  }

  @Test(
    "--help, --version and completion scripts exit 0",
    arguments: [
      ["--help"], ["--version"], ["read", "--help"], ["stats", "--help"],
      ["--generate-completion-script", "bash"],
      ["--generate-completion-script", "zsh"], ["--generate-completion-script", "fish"],
    ])
  func help(arguments: [String]) throws {
    let result = try Rawtool.run(arguments)
    #expect(result.status == 0 && !result.output.isEmpty)
  }

  @Test(
    "Every corpus and fixture file: no crash in any output format",
    .enabled(if: Fixtures.corpusIsAvailable))
  func noCrash() throws {
    for path in Fixtures.all + Fixtures.corpus {
      for arguments in [
        ["read"], ["read", "-v"], ["read", "--json", "--hex"], ["read", "-XX", "-e"], ["stats"],
        ["stats", "--json"],
      ] {
        let result = try Rawtool.run(arguments + [path])
        #expect(
          result.status == 0 || result.status == 1,
          "\(Fixtures.name(path)) \(arguments): status \(result.status)")
        #expect(
          result.stderr.split(separator: "\n").count <= 2,
          "\(Fixtures.name(path)) \(arguments): \(result.stderr)")
      }
    }
  }
}
