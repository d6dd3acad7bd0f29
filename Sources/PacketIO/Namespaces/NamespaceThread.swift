import CPacketIO
import Glibc

/// Runs a closure on a thread of its own that first joins a network namespace, and waits for
/// it: the caller's thread never changes namespace, and the helper thread ends with the call.
enum NamespaceThread {
  /// Runs `body` on a new thread inside the network namespace `namespaceFD` refers to.
  ///
  /// - Throws: `SystemError` when the thread cannot start or `setns` fails (EPERM without
  ///   CAP_SYS_ADMIN); otherwise what `body` throws.
  ///
  /// The corresponding C calls are `pthread_create`, `setns(fd, CLONE_NEWNET)` on that
  /// thread, and `pthread_join`.
  static func run<T>(inNamespace namespaceFD: Int32, name: String, _ body: () throws -> T) throws
    -> T
  {
    try withoutActuallyEscaping(body) { escapable in
      let call = Call(namespaceFD: namespaceFD, name: name) { () throws -> Any in try escapable() }
      let context = Unmanaged.passRetained(call).toOpaque()
      var thread = pthread_t()
      let created = pthread_create(
        &thread, nil,
        { context in
          let call = Unmanaged<Call>.fromOpaque(context!).takeRetainedValue()
          call.perform()
          return nil
        }, context)
      guard created == 0 else {
        Unmanaged<Call>.fromOpaque(context).release()
        throw SystemError(operation: "pthread_create", errno: created)
      }
      pthread_join(thread, nil)
      switch call.outcome {
      case .success(let value): return value as! T
      case .failure(let error): throw error
      case nil: throw SystemError(operation: "setns(\(name))", errno: EINTR)
      }
    }
  }

  /// The closure, the namespace and, once run, what came out. Only one thread touches it
  /// at a time: the helper while it runs, the caller after `pthread_join`.
  private final class Call: @unchecked Sendable {
    let namespaceFD: Int32
    let name: String
    let body: () throws -> Any
    var outcome: Result<Any, any Error>? = nil

    init(namespaceFD: Int32, name: String, body: @escaping () throws -> Any) {
      self.namespaceFD = namespaceFD
      self.name = name
      self.body = body
    }

    func perform() {
      guard CPacketIO_setns(namespaceFD, CPacketIO_CLONE_NEWNET) == 0 else {
        outcome = .failure(SystemError(operation: "setns(\(name))", errno: Glibc.errno))
        return
      }
      do {
        outcome = .success(try body())
      } catch {
        outcome = .failure(error)
      }
    }
  }
}
