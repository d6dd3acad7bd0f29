@preconcurrency import Glibc
import PacketIO
import Synchronization

/// SIGINT and SIGTERM stop a command cleanly: the handler only records the signal (and breaks
/// a libpcap loop, when one runs); the command's loop checks `isRequested`, then flushes its
/// output and prints its statistics (docs/robustness.md "Signals and pipes").
///
/// Both signals are also unblocked: a parent that spawns rawtool from a thread that blocks
/// them (as libdispatch's worker threads do; posix_spawn passes the mask on) would otherwise
/// leave them pending, and rawtool deaf to them.
enum StopSignal {
  /// What the handler does to the system call a signal interrupts.
  enum Mode {
    /// Live loops (sniff, send, probe, trace): no `SA_RESTART`, so a blocking `poll`
    /// returns at once and the loop sees the request.
    case interruptWaits
    /// `rawtool read`, as tcpdump: `SA_RESTART`, so a read or write under way completes and
    /// the record loop stops before the next record; `SA_RESETHAND`, so a second signal
    /// kills at once (for a loop blocked reading a pipe that sends nothing).
    case finishCallsThenStop
  }

  /// The signal received (0: none). Set by the handler; read by the loops.
  static let signal = Atomic<Int32>(0)
  /// The libpcap loop to break, when one runs.
  nonisolated(unsafe) static var breaker: PcapHandle.Breaker?

  /// Whether a stop was asked for.
  @inline(__always)
  static var isRequested: Bool { signal.load(ordering: .relaxed) != 0 }

  /// Installs the handler for SIGINT and SIGTERM, and unblocks both.
  static func install(_ mode: Mode = .interruptWaits) {
    // Initialise the statics before a handler can touch them.
    _ = signal.load(ordering: .relaxed)
    _ = breaker
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { number in
      StopSignal.signal.store(number, ordering: .relaxed)
      StopSignal.breaker?.breakLoop()
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags =
      switch mode {
      case .interruptWaits: 0
      case .finishCallsThenStop: Int32(SA_RESTART) | Int32(bitPattern: UInt32(SA_RESETHAND))
      }
    _ = sigaction(SIGINT, &action, nil)
    _ = sigaction(SIGTERM, &action, nil)
    var stops = sigset_t()
    sigemptyset(&stops)
    sigaddset(&stops, SIGINT)
    sigaddset(&stops, SIGTERM)
    _ = pthread_sigmask(SIG_UNBLOCK, &stops, nil)
  }
}
