import CPacketIO
import Glibc
import Synchronization

/// A program started in the background — a server, a capture — whose output is collected
/// in files, for live tests. `wait` or `stop` it; `deinit` kills it if it still runs.
///
/// Started with `posix_spawnp` (stdin from /dev/null, no signal blocked, default
/// dispositions, so SIGINT and SIGTERM reach it even from a test thread that blocks them)
/// and reaped with `waitpid`.
public final class RunningProgram: Sendable {
  /// The process id.
  public let pid: Int32
  /// The program and its arguments, as started.
  public let arguments: [String]
  private let output: Int32
  private let errors: Int32
  private let exitStatus = Mutex<Int32?>(nil)

  /// Starts `arguments[0]` (a path, or a name looked up in PATH) with the rest as its
  /// arguments.
  ///
  /// - Throws: `SystemError` when it cannot be started (ENOENT for a missing program).
  ///
  /// The corresponding C calls are `mkstemp` (twice, unlinked at once) and `posix_spawnp`
  /// with file actions and `POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF`.
  public init(_ arguments: [String]) throws(SystemError) {
    precondition(!arguments.isEmpty, "a command needs a program")
    let output = try Self.temporaryFile()
    let errors: Int32
    do {
      errors = try Self.temporaryFile()
    } catch {
      system_close(output)
      throw error
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output, 1)
    posix_spawn_file_actions_adddup2(&actions, errors, 2)
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
    let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let started = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
    guard started == 0 else {
      system_close(output)
      system_close(errors)
      throw SystemError(operation: "posix_spawn(\(arguments[0]))", errno: started)
    }
    self.pid = pid
    self.arguments = arguments
    self.output = output
    self.errors = errors
  }

  deinit {
    if isRunning {
      kill(pid, SIGKILL)
      _ = wait(timeoutSeconds: 5)
    }
    system_close(output)
    system_close(errors)
  }

  /// Whether the program still runs (reaps it when it has ended).
  ///
  /// The corresponding C call is `waitpid(pid, &status, WNOHANG)`.
  public var isRunning: Bool {
    exitStatus.withLock { status in
      if status != nil { return false }
      var raw: Int32 = 0
      let result = waitpid(pid, &raw, WNOHANG)
      if result == pid {
        status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : -(raw & 0x7f)
        return false
      }
      if result < 0 && Glibc.errno == ECHILD {
        status = -1
        return false
      }
      return true
    }
  }

  /// What the program has written to standard output so far.
  public var standardOutput: String { Self.contents(of: output) }
  /// What the program has written to standard error so far.
  public var standardError: String { Self.contents(of: errors) }

  /// Waits until standard output or standard error contains `text` (a capture printing
  /// "listening on"), checking every 10 ms for at most `timeoutSeconds`; false when it
  /// never did.
  public func waitForOutput(containing text: String, timeoutSeconds: Double = 10) -> Bool {
    let deadline = system_monotonicNanoseconds() + UInt64(max(0, timeoutSeconds) * 1e9)
    while true {
      if standardOutput.contains(text) || standardError.contains(text) { return true }
      if !isRunning || system_monotonicNanoseconds() >= deadline {
        return standardOutput.contains(text) || standardError.contains(text)
      }
      usleep(10_000)
    }
  }

  /// Waits for the end, at most `timeoutSeconds`, then kills the program (SIGKILL).
  /// The status is the exit code, or minus the signal that ended it.
  public func wait(timeoutSeconds: Double) -> CommandResult {
    let deadline = system_monotonicNanoseconds() + UInt64(max(0, timeoutSeconds) * 1e9)
    while isRunning {
      if system_monotonicNanoseconds() >= deadline {
        kill(pid, SIGKILL)
        while isRunning { usleep(1_000) }
        break
      }
      usleep(1_000)
    }
    return CommandResult(
      status: exitStatus.withLock { $0 } ?? -1, standardOutput: standardOutput,
      standardError: standardError)
  }

  /// Sends `signal` (SIGINT by default) and waits for the end, killing the program after
  /// `timeoutSeconds`.
  ///
  /// The corresponding C calls are `kill(pid, signal)` and `waitpid`.
  public func stop(signal: Int32 = SIGINT, timeoutSeconds: Double = 5) -> CommandResult {
    if isRunning { kill(pid, signal) }
    return wait(timeoutSeconds: timeoutSeconds)
  }

  /// A new file under /tmp, already unlinked.
  private static func temporaryFile() throws(SystemError) -> Int32 {
    var template = Array("/tmp/rawtool-output-XXXXXX".utf8CString)
    let fd = try valueOrErrno("mkstemp") { mkstemp(&template) }
    unlink(template)
    return fd
  }

  /// Everything written to `fd` so far.
  private static func contents(of fd: Int32) -> String {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    var offset = 0
    while true {
      let count = chunk.withUnsafeMutableBytes {
        pread(fd, $0.baseAddress, $0.count, off_t(offset))
      }
      if count < 0 && Glibc.errno == EINTR { continue }
      guard count > 0 else { break }
      bytes.append(contentsOf: chunk[..<count])
      offset += count
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
