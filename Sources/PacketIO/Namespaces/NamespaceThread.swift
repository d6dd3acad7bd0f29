import CPacketIO
import Glibc

/// Runs a closure on a thread of its own that first joins a network namespace, and waits for
/// it: the caller's thread never changes namespace, and the helper thread ends with the call.
enum NamespaceThread {
  /// Runs `body` on a new thread inside the network namespace `namespaceFD` refers to.
  /// `T` may be noncopyable (a `PacketSocket` opened inside).
  ///
  /// - Throws: `SystemError` when the thread cannot start or `setns` fails (EPERM without
  ///   CAP_SYS_ADMIN); otherwise what `body` throws.
  ///
  /// The corresponding C calls are `pthread_create`, `setns(fd, CLONE_NEWNET)` on that
  /// thread, and `pthread_join`.
  static func run<T: ~Copyable>(
    inNamespace namespaceFD: Int32, name: String, _ body: () throws -> T
  ) throws -> T {
    try withoutActuallyEscaping(body) { escapable in
      let call = Call<T>(namespaceFD: namespaceFD, name: name, body: escapable)
      let context = Unmanaged.passRetained(call as AnyObject).toOpaque()
      var thread = pthread_t()
      let created = pthread_create(
        &thread, nil,
        { context in
          let call = Unmanaged<AnyObject>.fromOpaque(context!).takeRetainedValue()
          (call as! any PerformableCall).perform()
          return nil
        }, context)
      guard created == 0 else {
        Unmanaged<AnyObject>.fromOpaque(context).release()
        throw SystemError(operation: "pthread_create", errno: created)
      }
      pthread_join(thread, nil)
      return try call.result()
    }
  }
}

/// A call the helper thread can perform without knowing its result type.
private protocol PerformableCall: AnyObject {
  func perform()
}

/// The closure, the namespace and, once run, what came out. Only one thread touches it at
/// a time: the helper while it runs, the caller after `pthread_join`.
private final class Call<T: ~Copyable>: PerformableCall, @unchecked Sendable {
  let namespaceFD: Int32
  let name: String
  var body: (() throws -> T)?
  var value: T? = nil
  var error: (any Error)? = nil

  init(namespaceFD: Int32, name: String, body: @escaping () throws -> T) {
    self.namespaceFD = namespaceFD
    self.name = name
    self.body = body
  }

  func perform() {
    defer { body = nil }
    guard CPacketIO_setns(namespaceFD, CPacketIO_CLONE_NEWNET) == 0 else {
      error = SystemError(operation: "setns(\(name))", errno: Glibc.errno)
      return
    }
    do {
      value = try body!()
    } catch {
      self.error = error
    }
  }

  /// The value, or the error, taken out.
  func result() throws -> T {
    if let error { throw error }
    guard let value = value.take() else {
      throw SystemError(operation: "setns(\(name))", errno: EINTR)
    }
    return value
  }
}
