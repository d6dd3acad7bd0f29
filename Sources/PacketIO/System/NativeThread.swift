import Glibc

/// A plain POSIX thread for blocking loops: capture rings poll, and must not sit on the
/// concurrency pool's few threads.
///
/// Each thread is either joined (`join()`) or detached (`detach()`), once.
struct NativeThread {
  private let thread: pthread_t

  /// Starts `body` on a new thread.
  ///
  /// The corresponding C call is `pthread_create`.
  init(_ body: @escaping @Sendable () -> Void) {
    final class Body: @unchecked Sendable {
      let run: @Sendable () -> Void
      init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
    // SAFETY: the retained reference is the thread's argument; the new thread takes it back
    // (`takeRetainedValue`) exactly once, so the box lives until the body has run and is
    // then released. `pthread_create` fails only before the thread exists; the precondition
    // then stops the program, so the reference is never taken twice nor leaked in a running
    // program.
    let argument = Unmanaged.passRetained(Body(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
      &thread, nil,
      { argument in
        Unmanaged<Body>.fromOpaque(argument!).takeRetainedValue().run()
        return nil
      }, argument)
    precondition(status == 0, "pthread_create failed: \(status)")
    self.thread = thread
  }

  /// Waits for the thread to end.
  ///
  /// The corresponding C call is `pthread_join`.
  func join() { pthread_join(thread, nil) }

  /// Lets the thread end on its own, without being joined.
  ///
  /// The corresponding C call is `pthread_detach`.
  func detach() { pthread_detach(thread) }
}
