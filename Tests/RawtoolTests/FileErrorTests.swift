import Foundation
import Testing

/// Every file error names the file and what it holds instead of a capture, on one line,
/// with exit status 1 (a runtime failure).
@Suite("File errors")
struct FileErrorTests {
  /// Writes `bytes` to a fresh temporary file named `name` and returns its path.
  static func file(_ bytes: [UInt8], name: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-file-error-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    try Data(bytes).write(to: url)
    return url.path
  }

  /// Sixteen bytes of nothing in particular, after a magic.
  static let filler = [UInt8](repeating: 0x5A, count: 16)

  static let cases: [(name: String, bytes: [UInt8], message: String)] = [
    ("empty.pcap", [], "not a capture file: empty (0 bytes)"),
    (
      "x.pcap.gz", [0x1F, 0x8B, 0x08, 0x08] + filler,
      "not a capture file: gzip-compressed data (decompress it first, e.g. with zcat)"
    ),
    (
      "x.pcap.xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00] + filler,
      "not a capture file: xz-compressed data (decompress it first, e.g. with xzcat)"
    ),
    (
      "x.pcap.zst", [0x28, 0xB5, 0x2F, 0xFD] + filler,
      "not a capture file: Zstandard-compressed data (decompress it first, e.g. with zstdcat)"
    ),
    (
      "x.pcap.bz2", Array("BZh91AY&SY".utf8) + filler,
      "not a capture file: bzip2-compressed data (decompress it first, e.g. with bzcat)"
    ),
    (
      "x.pcap.lz4", [0x04, 0x22, 0x4D, 0x18] + filler,
      "not a capture file: LZ4-compressed data (decompress it first, e.g. with lz4cat)"
    ),
    (
      "x.zip", [0x50, 0x4B, 0x03, 0x04] + filler,
      "not a capture file: Zip archive (extract it first, e.g. with unzip)"
    ),
    (
      "x.elf", [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + filler,
      "not a capture file: ELF executable or library"
    ),
    ("x.pdf", Array("%PDF-1.7\n".utf8) + filler, "not a capture file: PDF document"),
    (
      "x.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + filler,
      "not a capture file: PNG image"
    ),
    ("notes.txt", Array("these are some notes, not packets\n".utf8), "not a capture file: text"),
    (
      "packets.json", Array("{\"frame\":{\"number\":1}}\n".utf8),
      "not a capture file: JSON text (rawtool's JSON goes to craft --from-json or send --from-json)"
    ),
    (
      "binary.bin", [0x00, 0x01, 0x02, 0x03] + filler,
      "not a capture file: unknown format (magic 0x00010203; rawtool reads pcap and pcapng)"
    ),
    ("short.pcap", [0xD4, 0xC3, 0xB2, 0xA1, 2, 0], "truncated file header, 6 of 24 bytes"),
  ]

  @Test("read and stats name the file and what it holds", arguments: 0..<cases.count)
  func namesTheFile(index: Int) throws {
    let (name, bytes, message) = Self.cases[index]
    let path = try Self.file(bytes, name: name)
    defer { try? FileManager.default.removeItem(atPath: path) }
    for command in ["read", "stats"] {
      let result = try Rawtool.run([command, path])
      #expect(result.status == 1, "\(command) \(name)")
      #expect(result.stderr == "rawtool: \(path): \(message)\n", "\(command) \(name)")
      #expect(result.stdout.isEmpty)
    }
  }

  @Test("Standard input is named as such")
  func standardInput() throws {
    let result = try Rawtool.run(
      ["read", "-"], stdin: Data([0x1F, 0x8B, 0x08, 0x00] + Self.filler))
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "rawtool: standard input: not a capture file: gzip-compressed data (decompress it first, e.g. with zcat)\n"
    )
    let empty = try Rawtool.run(["stats", "-"], stdin: Data())
    #expect(empty.status == 1)
    #expect(empty.stderr == "rawtool: standard input: not a capture file: empty (0 bytes)\n")
  }

  @Test("A directory and a missing file")
  func directoryAndMissing() throws {
    let directory = FileManager.default.temporaryDirectory.path
    let result = try Rawtool.run(["read", directory])
    #expect(result.status == 1)
    #expect(result.stderr == "rawtool: \(directory): not a capture file: a directory\n")
    let missing = try Rawtool.run(["stats", "/nonexistent/x.pcap"])
    #expect(missing.status == 1)
    #expect(
      missing.stderr == "rawtool: cannot open /nonexistent/x.pcap: No such file or directory\n")
  }

  @Test("A real gzip-compressed capture, made by gzip(1)", .enabled(if: Rawtool.hasProgram("gzip")))
  func realGzip() throws {
    let directory = FileManager.default.temporaryDirectory.appending(
      path: "rawtool-gzip-\(ProcessInfo.processInfo.processIdentifier)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let compressed = directory.appending(path: "mixed.pcap.gz").path
    let gzip = Process()
    gzip.executableURL = URL(filePath: "/bin/sh")
    gzip.arguments = ["-c", "gzip -c Fixtures/mixed.pcap > '\(compressed)'"]
    gzip.currentDirectoryURL = URL(filePath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    try gzip.run()
    gzip.waitUntilExit()
    let result = try Rawtool.run(["read", compressed])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "rawtool: \(compressed): not a capture file: gzip-compressed data (decompress it first, e.g. with zcat)\n"
    )
  }
}
