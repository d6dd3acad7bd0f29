import CPacketIO
import Glibc

/// Runs a program to its end with a time limit, collecting its output (for `ip`, and for
/// commands a test runs inside a namespace). Not for hot paths.
enum ProgramRunner {
  /// Where `ip` (iproute2) lives, or nil when it is not installed.
  static let ipProgram: String? = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
    .first { access($0, X_OK) == 0 }

  /// Runs `ip arguments...` and throws unless it exits with 0.
  ///
  /// - Throws: `SystemError` `ip netns add x: <its stderr>` (errno 0 with the detail) when
  ///   it fails, ENOENT when `ip` is missing.
  static func ip(_ arguments: [String], timeoutSeconds: Double = 20) throws(SystemError) {
    guard let program = ipProgram else {
      throw SystemError(operation: "ip", errno: ENOENT, detail: "iproute2's ip is not installed")
    }
    let result = try run([program] + arguments, timeoutSeconds: timeoutSeconds)
    guard result.succeeded else {
      let reason = result.standardError.split(separator: "\n").first.map(String.init)
      throw SystemError(
        operation: "ip \(arguments.joined(separator: " "))", errno: 0,
        detail: reason ?? "exit status \(result.status)")
    }
  }

  /// Starts `arguments[0]` (a path, or a name looked up in PATH) with the rest as its
  /// arguments and waits at most `timeoutSeconds` (then SIGKILL). See `RunningProgram`.
  static func run(_ arguments: [String], timeoutSeconds: Double) throws(SystemError)
    -> CommandResult
  {
    try RunningProgram(arguments).wait(timeoutSeconds: timeoutSeconds)
  }
}
