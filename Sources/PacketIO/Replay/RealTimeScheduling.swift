import Glibc

/// Runs the calling thread under SCHED_FIFO while a paced replay sends, and puts its old
/// policy back afterwards: a real-time thread wakes from `clock_nanosleep` within
/// microseconds even on a busy machine, where an ordinary thread can wait for the
/// scheduler for milliseconds. The kernel keeps 5% of each CPU for other threads (RT
/// throttling), so a spinning replay cannot lock a CPU up.
///
/// The corresponding C calls are `pthread_getschedparam` and `pthread_setschedparam`.
struct RealTimeScheduling {
  private let policy: Int32
  private let parameters: sched_param
  /// Whether the switch happened (it needs CAP_SYS_NICE or root).
  let isActive: Bool

  /// Switches the calling thread to SCHED_FIFO at `priority` (1...99) when allowed.
  init(priority: Int32) {
    var policy: Int32 = 0
    var parameters = sched_param()
    pthread_getschedparam(pthread_self(), &policy, &parameters)
    self.policy = policy
    self.parameters = parameters
    var wanted = sched_param()
    wanted.sched_priority = max(1, min(99, priority))
    isActive = pthread_setschedparam(pthread_self(), SCHED_FIFO, &wanted) == 0
  }

  /// Puts the old policy back.
  func end() {
    guard isActive else { return }
    var parameters = self.parameters
    pthread_setschedparam(pthread_self(), policy, &parameters)
  }
}
