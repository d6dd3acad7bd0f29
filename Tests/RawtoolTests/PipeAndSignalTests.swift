import Foundation
import Glibc
import TestSupport
import Testing

/// A closed pipe and SIGINT/SIGTERM end `rawtool read` quietly: exit 0, nothing on stderr,
/// and a `-w` file whose every record is whole (docs/robustness.md "Signals and pipes").
@Suite("Pipes and signals", .serialized)
struct PipeAndSignalTests {
  /// A pcap file of `bigPackets` packets: the records of Fixtures/mixed.pcap repeated.
  static let big: (path: String, packets: Int, bytes: [UInt8]) = {
    let fixture = try! [UInt8](
      Data(contentsOf: Fixtures.root.appending(path: "Fixtures/mixed.pcap")))
    let header = Array(fixture[0..<24])
    // Whole records of the fixture (little-endian pcap): header 16 bytes, incl_len at +8.
    var records: [[UInt8]] = []
    var offset = 24
    while offset + 16 <= fixture.count {
      let length = fixture[(offset + 8)..<(offset + 12)].reversed().reduce(0) { $0 << 8 | Int($1) }
      records.append(Array(fixture[offset..<(offset + 16 + length)]))
      offset += 16 + length
    }
    var bytes = header
    var packets = 0
    while packets < bigPackets {
      bytes += records[packets % records.count]
      packets += 1
    }
    let path = FileManager.default.temporaryDirectory
      .appending(path: "rawtool-big-\(getpid()).pcap").path
    try! Data(bytes).write(to: URL(filePath: path))
    // The file is shared by the suite's tests: remove it when the test process ends.
    atexit {
      unlink(
        FileManager.default.temporaryDirectory.appending(path: "rawtool-big-\(getpid()).pcap").path)
    }
    return (path, packets, bytes)
  }()
  static let bigPackets = 200_000

  /// A running rawtool with pipes for stdin (optional), stdout and stderr; stderr is
  /// drained in the background.
  final class Child: @unchecked Sendable {
    let process = Process()
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    private var errorData = Data()
    private let group = DispatchGroup()

    init(_ arguments: [String], feedStdin: Bool = false) throws {
      // Writing to a child that has exited must fail with EPIPE, not kill the test runner.
      signal(SIGPIPE, SIG_IGN)
      process.executableURL = URL(filePath: Rawtool.executable)
      process.arguments = arguments
      process.currentDirectoryURL = Fixtures.root
      var environment = ProcessInfo.processInfo.environment
      environment["TZ"] = "UTC"
      process.environment = environment
      process.standardInput = feedStdin ? stdin : FileHandle.nullDevice
      process.standardOutput = stdout
      process.standardError = stderr
      try process.run()
      group.enter()
      DispatchQueue.global().async {
        self.errorData = self.stderr.fileHandleForReading.readDataToEndOfFile()
        self.group.leave()
      }
    }

    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the exit; the status (negative: killed by that signal) and stderr.
    func wait() -> (status: Int32, stderr: String) {
      process.waitUntilExit()
      group.wait()
      let status =
        process.terminationReason == .uncaughtSignal
        ? -process.terminationStatus : process.terminationStatus
      return (status, String(decoding: errorData, as: UTF8.self))
    }
  }

  static func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  }

  /// `rawtool read FILE` of a `-w` output: every record whole, so no error and no warning.
  static func readBack(_ path: String) throws -> [Substring] {
    let result = try Rawtool.run(["read", path])
    #expect(result.status == 0, "\(path): \(result.stderr)")
    #expect(result.stderr == "", "\(path) has a cut or damaged record")
    return Array(result.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast())
  }

  /// The one-line text of the first `count` packets of the big file.
  static func expectedLines(_ count: Int) throws -> [Substring] {
    let result = try Rawtool.run(["read", "-c", "\(max(count, 1))", big.path])
    return Array(result.output.split(separator: "\n").prefix(count))
  }

  @Test("read big.pcap | head -1: exit 0, nothing on stderr, exits as soon as head is gone")
  func headClosesPipe() throws {
    let child = try Child(["read", Self.big.path])
    let reader = child.stdout.fileHandleForReading
    var first = Data()
    while !first.contains(0x0A) {
      guard let chunk = try reader.read(upToCount: 4096), !chunk.isEmpty else { break }
      first += chunk
    }
    let closed = ContinuousClock.now
    try reader.close()
    // Poll: waitUntilExit itself may return up to tenths of a second late.
    while child.process.isRunning && Self.seconds(since: closed) < 10 { usleep(500) }
    let afterClose = Self.seconds(since: closed)
    let (status, stderr) = child.wait()
    #expect(first.contains(0x0A))
    #expect(status == 0)
    #expect(stderr == "")
    // The whole file takes several times as long (measured below); rawtool stops at its
    // next 64 KiB write.
    #expect(afterClose < 2, "rawtool ran \(afterClose) s after the pipe closed")

    let start = ContinuousClock.now
    let whole = try Rawtool.run(["read", Self.big.path])
    let full = Self.seconds(since: start)
    #expect(whole.status == 0)
    print(
      "PipeAndSignalTests: exit \(String(format: "%.3f", afterClose)) s after head closed; "
        + "whole \(Self.big.packets)-packet file \(String(format: "%.3f", full)) s")
  }

  @Test(
    "Through a shell pipeline (bash -o pipefail): rawtool read | head -1, rawtool read -w - | head -c 100",
    arguments: [(["read"], "head -1", 1), (["read", "-w", "-"], "head -c 100 | wc -l", 1)])
  func shellPipeline(arguments: [String], head: String, lines: Int) throws {
    guard Rawtool.hasProgram("bash") && Rawtool.hasProgram("head") else { return }
    let errors = FileManager.default.temporaryDirectory
      .appending(path: "rawtool-head-\(getpid()).err").path
    defer { try? FileManager.default.removeItem(atPath: errors) }
    let process = Process()
    process.executableURL = URL(filePath: "/usr/bin/env")
    process.arguments = [
      "bash", "-c",
      "set -o pipefail; \"$0\" \(arguments.joined(separator: " ")) \"$1\" 2>\"$2\" | \(head)",
      Rawtool.executable, Self.big.path, errors,
    ]
    let out = Pipe()
    process.standardOutput = out
    let start = ContinuousClock.now
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "pipeline status (rawtool's under pipefail)")
    #expect(text.split(separator: "\n").count == lines)
    // An empty stderr file (stat, not String(contentsOfFile:): FoundationEssentials leaks
    // its 4 KiB read buffer for an empty file, which fails the ASan run).
    var info = stat()
    #expect(stat(errors, &info) == 0 && info.st_size == 0, "rawtool wrote to stderr")
    #expect(Self.seconds(since: start) < 10)
  }

  @Test(
    "read - -w OUT stopped by SIGINT/SIGTERM while reading: exit 0, quiet, every record whole",
    arguments: [(SIGINT, ".pcap"), (SIGTERM, ".pcap"), (SIGINT, ".pcapng"), (SIGTERM, ".pcapng")])
  func signalWhileWriting(signal: Int32, suffix: String) throws {
    let output = FileManager.default.temporaryDirectory
      .appending(path: "rawtool-signal-\(getpid())-\(signal)\(suffix)").path
    defer { try? FileManager.default.removeItem(atPath: output) }
    let child = try Child(["read", "-", "-w", output], feedStdin: true)
    let writer = child.stdin.fileHandleForWriting
    let big = Self.big.bytes
    // Chunks of 2000 records (about 200 KB, over the 64 KiB pipe buffer: once the first is
    // written, rawtool is in its record loop with the handler installed).
    let chunk = 24 + 2000 * (big.count - 24) / Self.big.packets
    var sent = 0
    let signalAfter = Int.random(in: 1...4)
    var chunks = 0
    var signalled = false
    while sent < big.count {
      let end = sent == 0 ? chunk : min(big.count, sent + chunk)
      do {
        try writer.write(contentsOf: big[sent..<end])
      } catch {
        break  // rawtool has stopped reading: EPIPE
      }
      sent = end
      chunks += 1
      if chunks == signalAfter {
        usleep(UInt32.random(in: 0...20_000))
        child.send(signal)
        signalled = true
      }
      if signalled && chunks > signalAfter + 3 { break }
    }
    try? writer.close()
    let (status, stderr) = child.wait()
    #expect(status == 0)
    #expect(stderr == "")
    let lines = try Self.readBack(output)
    // Stopped early (the rest of the input never reached the file)...
    #expect(lines.count < Self.big.packets)
    // ...and what is there is the input's first packets, each whole.
    #expect(lines == (try Self.expectedLines(lines.count)))
  }

  @Test(
    "read FILE -w OUT stopped by a signal at a random moment: exit 0, every record whole",
    arguments: [SIGINT, SIGTERM, SIGINT, SIGTERM])
  func signalReadingFile(signal: Int32) throws {
    let output = FileManager.default.temporaryDirectory
      .appending(path: "rawtool-signal-file-\(getpid())-\(signal).pcap").path
    try? FileManager.default.removeItem(atPath: output)
    defer { try? FileManager.default.removeItem(atPath: output) }
    let child = try Child(["read", Self.big.path, "-w", output])
    // The file is created after the handler is installed.
    let start = ContinuousClock.now
    while !FileManager.default.fileExists(atPath: output) && Self.seconds(since: start) < 10 {
      usleep(200)
    }
    usleep(UInt32.random(in: 0...150_000))
    child.send(signal)
    let (status, stderr) = child.wait()
    #expect(status == 0)
    #expect(stderr == "")
    let lines = try Self.readBack(output)
    #expect(lines == (try Self.expectedLines(lines.count)))
  }

  @Test(
    "read to a slow stdout stopped by SIGINT/SIGTERM: exit 0, quiet, whole lines",
    arguments: [SIGINT, SIGTERM])
  func signalWhilePrinting(signal: Int32) throws {
    let child = try Child(["read", Self.big.path])
    let reader = child.stdout.fileHandleForReading
    var text = Data()
    // Read slowly: rawtool blocks in write(2) on the full pipe when the signal comes.
    while text.count < 256 * 1024 {
      guard let chunk = try reader.read(upToCount: 16 * 1024), !chunk.isEmpty else { break }
      text += chunk
      usleep(1000)
    }
    child.send(signal)
    text += reader.readDataToEndOfFile()
    let (status, stderr) = child.wait()
    #expect(status == 0)
    #expect(stderr == "")
    #expect(text.last == 0x0A)
    let lines = String(decoding: text, as: UTF8.self).split(separator: "\n")
    #expect(lines.count < Self.big.packets)
    #expect(lines == (try Self.expectedLines(lines.count)))
  }
}
