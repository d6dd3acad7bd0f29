@preconcurrency import Glibc

/// A plain POSIX thread for blocking loops (capture rings poll; they must not sit on the
/// concurrency pool's few threads).
struct NativeThread {
  private let thread: pthread_t

  /// Starts `body` on a new thread.
  init(_ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {
      let body: @Sendable () -> Void
      init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
      &thread, nil,
      { argument in
        let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
        box.body()
        return nil
      }, box)
    precondition(status == 0, "pthread_create failed: \(status)")
    self.thread = thread
  }

  /// Waits for the thread to end.
  func join() { pthread_join(thread, nil) }
}
