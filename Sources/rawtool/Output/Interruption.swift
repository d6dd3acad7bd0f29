@preconcurrency import Glibc
import Synchronization

/// SIGINT and SIGTERM during `rawtool read`, handled as tcpdump does: the record loop stops
/// before the next record, the output (`-w` file or standard output) is flushed and closed,
/// and rawtool exits 0 with nothing on stderr (docs/robustness.md "Signals").
///
/// The handler only stores the signal number; `Read` checks `received` once per record.
/// `SA_RESETHAND`: a second SIGINT/SIGTERM kills at once (for a loop blocked reading a pipe
/// that sends nothing). `SA_RESTART`: interrupted reads and writes carry on. Both signals
/// are also unblocked: a parent that spawns rawtool from a thread that blocks them (as
/// libdispatch's worker threads do; posix_spawn passes the mask on) would otherwise leave
/// them pending, and rawtool deaf to them.
enum Interruption {
  /// The signal received (0: none).
  static let signal = Atomic<Int32>(0)

  /// Installs the handler for SIGINT and SIGTERM.
  static func install() {
    // Initialise the static before a handler can touch it.
    _ = signal.load(ordering: .relaxed)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { number in
      Interruption.signal.store(number, ordering: .relaxed)
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = Int32(SA_RESTART) | Int32(bitPattern: UInt32(SA_RESETHAND))
    _ = sigaction(SIGINT, &action, nil)
    _ = sigaction(SIGTERM, &action, nil)
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    _ = sigprocmask(SIG_UNBLOCK, &signals, nil)
  }

  /// The signal received since `install()`, or nil.
  @inline(__always)
  static var received: Int32? {
    let number = signal.load(ordering: .relaxed)
    return number == 0 ? nil : number
  }
}
