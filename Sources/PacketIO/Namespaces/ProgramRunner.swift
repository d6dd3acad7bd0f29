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
  /// arguments, stdin from /dev/null, no signal blocked, and waits at most `timeoutSeconds`
  /// (then SIGKILL).
  ///
  /// The corresponding C calls are `mkstemp` (two files for the output), `posix_spawnp`,
  /// `waitpid(WNOHANG)` every millisecond or two, `kill(SIGKILL)` at the deadline, and
  /// `pread` of the files.
  static func run(_ arguments: [String], timeoutSeconds: Double) throws(SystemError)
    -> CommandResult
  {
    precondition(!arguments.isEmpty, "a command needs a program")
    let output = try TemporaryFile()
    let errors = try TemporaryFile()
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output.fd, 1)
    posix_spawn_file_actions_adddup2(&actions, errors.fd, 2)
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
      throw SystemError(operation: "posix_spawn(\(arguments[0]))", errno: started)
    }
    let deadline =
      system_monotonicNanoseconds() + UInt64(max(0, timeoutSeconds) * 1_000_000_000)
    var raw: Int32 = 0
    while true {
      let reaped = waitpid(pid, &raw, WNOHANG)
      if reaped == pid { break }
      if reaped < 0 && Glibc.errno != EINTR {
        throw SystemError(operation: "waitpid(\(arguments[0]))", errno: Glibc.errno)
      }
      if system_monotonicNanoseconds() >= deadline {
        kill(pid, SIGKILL)
        while waitpid(pid, &raw, 0) < 0 && Glibc.errno == EINTR {}
        break
      }
      usleep(1_000)
    }
    let status = (raw & 0x7f) == 0 ? (raw >> 8) & 0xff : -(raw & 0x7f)
    return CommandResult(
      status: status, standardOutput: output.contents(), standardError: errors.contents())
  }
}

/// A file under /tmp, unlinked at once and closed in `deinit`, that a child process writes
/// its output to.
private struct TemporaryFile: ~Copyable {
  let fd: Int32

  init() throws(SystemError) {
    var template = Array("/tmp/rawtool-output-XXXXXX".utf8CString)
    let fd = try valueOrErrno("mkstemp") { mkstemp(&template) }
    unlink(template)
    self.fd = fd
  }

  deinit { system_close(fd) }

  /// Everything written to the file.
  func contents() -> String {
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
