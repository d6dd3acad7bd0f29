import Foundation
import TestSupport
import Testing

/// Runs the built `rawtool` binary, as a user would (AssertExecuteCommand's idea).
enum Rawtool {
  /// The `rawtool` executable built beside this test bundle.
  static let executable: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    return URL(filePath: exe).deletingLastPathComponent().appending(path: "rawtool").path
  }()

  /// What a run printed and how it ended.
  struct Result {
    var stdout: Data
    var stderr: String
    var status: Int32
    var output: String { String(decoding: stdout, as: UTF8.self) }
  }

  /// Runs rawtool with `arguments` in the repository's folder, TZ=UTC, optional stdin.
  static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:])
    throws -> Result
  {
    try run(program: executable, arguments, stdin: stdin, environment: environment)
  }

  /// Runs any program (a path) with `arguments` in `directory` (default: the repository's
  /// folder), TZ=UTC, optional stdin.
  static func run(
    program: String, _ arguments: [String], in directory: URL = Fixtures.root,
    stdin: Data? = nil, environment: [String: String] = [:]
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(filePath: program)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["TZ"] = "UTC"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try process.run()
    if let stdin {
      try input.fileHandleForWriting.write(contentsOf: stdin)
      try input.fileHandleForWriting.close()
    }
    // Drain both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    let status =
      process.terminationReason == .uncaughtSignal
      ? -process.terminationStatus : process.terminationStatus
    return Result(stdout: outData, stderr: String(decoding: errData, as: UTF8.self), status: status)
  }

  /// Whether a program is on the PATH.
  static func hasProgram(_ name: String) -> Bool {
    let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(
      separator: ":")
    return paths.contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
  }
}
