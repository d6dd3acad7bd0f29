@preconcurrency import Glibc
import PacketIO
import Synchronization

/// SIGINT and SIGTERM stop a live command cleanly: the handler only sets a flag (and breaks
/// a libpcap loop); the loops check the flag, then flush files and print statistics.
enum StopSignal {
  /// Set by the handler; read by capture and send loops.
  static let requested = Atomic<Bool>(false)
  /// The libpcap loop to break, when one runs.
  nonisolated(unsafe) static var breaker: PcapHandle.Breaker?

  /// Whether a stop was asked for.
  static var isRequested: Bool { requested.load(ordering: .relaxed) }

  /// Installs the handler for SIGINT and SIGTERM, without SA_RESTART so a blocking `poll`
  /// returns at once.
  static func install() {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in
      StopSignal.requested.store(true, ordering: .relaxed)
      StopSignal.breaker?.breakLoop()
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
    // A parent may have started us with these blocked; a capture must still stop on them.
    var stops = sigset_t()
    sigemptyset(&stops)
    sigaddset(&stops, SIGINT)
    sigaddset(&stops, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &stops, nil)
  }
}
