import CPacketIO
import Glibc
import Synchronization

/// A named network namespace (`ip netns add`), for live tests: code and programs run inside
/// it see only its interfaces, so packets sent there never reach the host's network.
///
/// ```swift
/// let namespace = try NetworkNamespace(prefix: "mytest")
/// defer { namespace.delete() }
/// let names = try namespace.run { try NetworkInterface.all().map(\.name) }   // ["lo"]
/// ```
///
/// The namespace is deleted by `delete()` or, at the latest, in `deinit`. Deleting it
/// removes every interface created in it (a veth pair goes with either end). Needs root
/// (CAP_SYS_ADMIN) and iproute2's `ip`.
public final class NetworkNamespace: Sendable, CustomStringConvertible {
  /// The name under /run/netns, as `ip netns` shows it.
  public let name: String
  private let deleted = Mutex(false)
  private let programs = Mutex<[RunningProgram]>([])

  /// Creates a namespace called `name`, with its loopback interface up.
  ///
  /// - Throws: `SystemError` when `ip netns add` fails (the name exists, no privilege).
  ///
  /// The corresponding commands are `ip netns add NAME` and `ip -n NAME link set lo up`.
  public init(name: String) throws(SystemError) {
    self.name = name
    do {
      try ProgramRunner.ip(["netns", "add", name])
    } catch {
      // Not ours (it may exist already): deinit must not delete it.
      deleted.withLock { $0 = true }
      throw error
    }
    do {
      try ProgramRunner.ip(["-n", name, "link", "set", "lo", "up"])
    } catch {
      delete()
      throw error
    }
  }

  /// Creates a namespace with a name no other test of any process uses:
  /// `PREFIX-PID-COUNTER`.
  public convenience init(prefix: String = "rawtool") throws(SystemError) {
    try self.init(name: Self.uniqueName(prefix: prefix))
  }

  deinit { delete() }

  /// `PREFIX-PID-COUNTER`, with a counter shared by the whole process.
  public static func uniqueName(prefix: String) -> String {
    let number = counter.withLock { value in
      value += 1
      return value
    }
    return "\(prefix)-\(getpid())-\(number)"
  }

  private static let counter = Mutex(0)

  /// Whether namespaces can be made here: running as root with `ip` installed; nil when
  /// they can, else the reason (`not root`, `ip (iproute2) is not installed`).
  public static var unavailableReason: String? {
    if geteuid() != 0 { return "not root (network namespaces need CAP_SYS_ADMIN)" }
    if ProgramRunner.ipProgram == nil { return "ip (iproute2) is not installed" }
    return nil
  }

  /// Deletes the namespace, after killing the programs `start` started in it that still
  /// run; does nothing the second time. Other programs still running inside keep it alive
  /// until they end, without its name.
  ///
  /// The corresponding command is `ip netns delete NAME`.
  public func delete() {
    let first = deleted.withLock { done in
      defer { done = true }
      return !done
    }
    guard first else { return }
    let started = programs.withLock { list in
      defer { list = [] }
      return list
    }
    for program in started where program.isRunning {
      _ = program.stop(signal: SIGKILL, timeoutSeconds: 5)
    }
    _ = try? ProgramRunner.ip(["netns", "delete", name])
  }

  /// Runs `body` on a new thread that has joined the namespace, and returns what it returns
  /// (or throws what it throws). The calling thread stays where it is.
  ///
  /// Everything `body` opens — sockets, `PacketSocket`, `TPacketRing`, `PcapHandle` — belongs
  /// to the namespace and stays there after `body` returns, so it can be opened here and
  /// used from any thread. `NetworkInterface.all()`, `RoutingTable` and `NeighbourTable`
  /// called inside see the namespace's interfaces, routes and neighbours. Do not start
  /// Swift tasks inside `body` and expect them to run in the namespace: they run on the
  /// concurrency pool's threads.
  ///
  /// - Throws: `SystemError` when the namespace cannot be opened or joined (EPERM without
  ///   CAP_SYS_ADMIN), otherwise what `body` throws.
  ///
  /// The corresponding C calls are `open("/run/netns/NAME")`, `pthread_create`,
  /// `setns(fd, CLONE_NEWNET)` on the new thread, and `pthread_join`.
  public func run<T: ~Copyable>(_ body: () throws -> T) throws -> T {
    let fd = try openHandle()
    defer { system_close(fd) }
    return try NamespaceThread.run(inNamespace: fd, name: name, body)
  }

  /// Runs a program inside the namespace and waits for its end (at most `timeoutSeconds`,
  /// then SIGKILL); `/sys` inside shows the namespace's interfaces.
  ///
  /// - Parameters:
  ///   - arguments: the program (a path or a name looked up in PATH) and its arguments:
  ///     `["ping", "-c", "1", "192.0.2.2"]`.
  ///   - timeoutSeconds: how long the program may run before SIGKILL (30 s by default).
  /// - Throws: `SystemError` when the program cannot be started; a program that fails is
  ///   reported in the result's `status`.
  ///
  /// The corresponding command is `ip netns exec NAME arguments...`.
  public func execute(_ arguments: [String], timeoutSeconds: Double = 30) throws(SystemError)
    -> CommandResult
  {
    guard let ip = ProgramRunner.ipProgram else {
      throw SystemError(operation: "ip", errno: ENOENT, detail: "iproute2's ip is not installed")
    }
    return try ProgramRunner.run(
      [ip, "netns", "exec", name] + arguments, timeoutSeconds: timeoutSeconds)
  }

  /// Starts a program inside the namespace in the background — a server, a capture — and
  /// returns at once; `delete()` kills it if it still runs then.
  ///
  /// - Parameter arguments: the program and its arguments: `["nc", "-l", "-k", "8080"]`.
  /// - Throws: `SystemError` when it cannot be started.
  ///
  /// The corresponding command is `ip netns exec NAME arguments...`, which execs the
  /// program: the process id is the program's own, so signals reach it directly.
  public func start(_ arguments: [String]) throws(SystemError) -> RunningProgram {
    guard let ip = ProgramRunner.ipProgram else {
      throw SystemError(operation: "ip", errno: ENOENT, detail: "iproute2's ip is not installed")
    }
    let program = try RunningProgram([ip, "netns", "exec", name] + arguments)
    programs.withLock { $0.append(program) }
    return program
  }

  /// Runs `ip -n NAME arguments...` and throws unless it succeeds: `["addr", "add",
  /// "192.0.2.1/24", "dev", "vA"]`.
  public func ip(_ arguments: [String]) throws(SystemError) {
    try ProgramRunner.ip(["-n", name] + arguments)
  }

  /// Writes `value` to the sysctl `key` of this namespace (`net.ipv4.ip_forward`), through
  /// /proc/sys from a thread inside it.
  ///
  /// The corresponding C calls are `open("/proc/sys/KEY-with-slashes", O_WRONLY)` and
  /// `write`, on a thread that joined the namespace.
  public func setSysctl(_ key: String, to value: String) throws(SystemError) {
    let path = "/proc/sys/" + key.replacing(".", with: "/")
    do {
      try run { () throws in
        let fd = try valueOrErrno("open(\(path))") { open(path, O_WRONLY | O_CLOEXEC) }
        defer { system_close(fd) }
        let bytes = Array((value + "\n").utf8)
        _ = try valueOrErrno("write(\(path))") { write(fd, bytes, bytes.count) }
      }
    } catch let error as SystemError {
      throw error
    } catch {
      throw SystemError(operation: "sysctl \(key)", errno: 0, detail: "\(error)")
    }
  }

  /// Waits until every interface in `names` is up and running (IFF_RUNNING: the kernel's
  /// link watcher has seen the carrier, so queues are active and IPv6 is ready), checking
  /// every 10 ms for at most `timeoutSeconds`.
  ///
  /// - Throws: `SystemError` naming the interfaces still down (ETIMEDOUT).
  public func waitUntilRunning(_ names: [String], timeoutSeconds: Double = 5) throws(SystemError) {
    let deadline = system_monotonicNanoseconds() + UInt64(timeoutSeconds * 1_000_000_000)
    while true {
      let running: Set<String>
      do {
        running = try run { Set(try NetworkInterface.all().filter(\.isRunning).map(\.name)) }
      } catch let error as SystemError {
        throw error
      } catch {
        throw SystemError(operation: "\(name): interfaces", errno: 0, detail: "\(error)")
      }
      let waiting = names.filter { !running.contains($0) }
      if waiting.isEmpty { return }
      if system_monotonicNanoseconds() >= deadline {
        throw SystemError(
          operation: "\(name): \(waiting.joined(separator: ", "))", errno: ETIMEDOUT,
          detail: "not running after \(timeoutSeconds) s")
      }
      usleep(10_000)
    }
  }

  /// Turns IPv6 duplicate address detection off for every interface created from now on
  /// (`net.ipv6.conf.{all,default}.accept_dad=0`), so link-local addresses are usable at once.
  public func disableDuplicateAddressDetection() throws(SystemError) {
    try setSysctl("net.ipv6.conf.all.accept_dad", to: "0")
    try setSysctl("net.ipv6.conf.default.accept_dad", to: "0")
  }

  /// Deletes the namespaces named `PREFIX-PID-...` whose process no longer exists (left
  /// behind by a test run that was killed); returns their names.
  ///
  /// The corresponding C calls are `opendir("/run/netns")` and `kill(pid, 0)`; the
  /// command is `ip netns delete` for each.
  @discardableResult
  public static func deleteStale(prefix: String) -> [String] {
    guard let directory = opendir("/run/netns") else { return [] }
    var stale: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard name.hasPrefix(prefix + "-") else { continue }
      let rest = name.dropFirst(prefix.count + 1)
      guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }), pid > 0
      else { continue }
      if kill(pid, 0) != 0 && Glibc.errno == ESRCH { stale.append(name) }
    }
    closedir(directory)
    for name in stale { _ = try? ProgramRunner.ip(["netns", "delete", name]) }
    return stale
  }

  /// The namespace's name.
  public var description: String { name }

  /// A descriptor of the namespace (`/run/netns/NAME`, or `/var/run/netns/NAME`).
  private func openHandle() throws(SystemError) -> Int32 {
    for directory in ["/run/netns/", "/var/run/netns/"] {
      let fd = open(directory + name, O_RDONLY | O_CLOEXEC)
      if fd >= 0 { return fd }
    }
    throw SystemError(operation: "open(/run/netns/\(name))", errno: Glibc.errno)
  }
}
