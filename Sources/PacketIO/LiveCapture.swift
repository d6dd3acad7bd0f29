import CPacketIO
import Glibc
import PacketKit

/// A capture for waiting on replies: a TPACKET_V3 ring on one interface with its BPF filter
/// attached and the socket bound before the initializer returns, so a packet sent right
/// after `init` cannot have its reply missed.
///
/// The ring hands blocks over after `blockTimeoutMilliseconds` (1 ms by default; the kernel
/// rounds it up to one timer tick, 4 ms at HZ=250), so a reply is seen within a few
/// milliseconds of its arrival, while its timestamp is the kernel's, taken on arrival.
///
/// Wait with `waitForFrame(timeout:matching:)` here, or hand the capture to a thread that
/// delivers every frame as an `AsyncSequence` with `frames()`. Owns the socket and the
/// mapping (closed when it goes away).
///
/// Noncopyable (`~Copyable`): it owns the socket and the ring mapping, released when it goes away.
/// Pass it `borrowing` (or `inout`) to use it.
public struct LiveCapture: ~Copyable {
  /// How the ring is set up.
  ///
  /// The kernel hands a block over when it is full or when `blockTimeoutMilliseconds` has
  /// passed, whichever comes first; with sparse traffic every timeout takes a block however
  /// few frames it holds. A capture that is not read while frames come therefore holds
  /// `bufferSize / blockSize` timeouts of sparse traffic (the defaults: 512 blocks, about
  /// half a second at 1 ms) before the kernel drops frames; read as you go, or raise
  /// `bufferSize` or `blockTimeoutMilliseconds` to wait longer before reading.
  public struct Configuration: Sendable {
    /// Bytes kept of each frame; longer frames are cut.
    /// Default: `262_144`.
    public var snapshotLength: Int = 262_144
    /// Put the interface in promiscuous mode while the capture is open.
    /// Default: `false`.
    public var promiscuous: Bool = false
    /// Ring size, in bytes (rounded to whole blocks; at least two blocks).
    /// Default: `32 << 20`.
    public var bufferSize: Int = 32 << 20
    /// Block size, in bytes (a power of two, a multiple of the page size); frames longer
    /// than a block are cut to it.
    /// Default: `64 << 10`.
    public var blockSize: Int = 64 << 10
    /// How long the kernel keeps a partly filled block before handing it over, in ms.
    /// Default: `1`.
    public var blockTimeoutMilliseconds: Int = 1
    /// Which direction to deliver.
    /// Default: `.both`.
    public var direction: CaptureDirection = .both

    /// The default configuration: each property's default is given with it.
    public init() {}
  }

  private var ring: TPacketRing
  private var captured = 0

  /// The interface captured.
  public var interface: NetworkInterface { ring.interface }
  /// The link type of the frames (the interface's).
  public var linkType: LinkType { ring.linkType }

  /// Opens the capture on `interface` with `filter` attached.
  ///
  /// - Throws: `SystemError` from the first call that fails; EPERM carries the
  ///   CAP_NET_RAW hint.
  ///
  /// The corresponding C calls are those of `TPacketRing.init`. Needs CAP_NET_RAW.
  public init(
    interface: NetworkInterface, filter: borrowing BPFProgram,
    configuration: Configuration = Configuration()
  ) throws(SystemError) {
    ring = try TPacketRing(
      interface: interface, configuration: configuration.ring, filter: filter)
  }

  /// Opens the capture on the interface named `interfaceName` with the pcap-filter(7)
  /// expression `filter` (empty: every frame) compiled for its link type and attached.
  ///
  /// - Throws: `LiveCaptureError.system` for an unknown interface or a failed call,
  ///   `LiveCaptureError.filter` for an expression libpcap rejects.
  ///
  /// The corresponding C calls are `pcap_compile` and those of `TPacketRing.init`.
  /// Needs CAP_NET_RAW.
  public init(
    interfaceNamed interfaceName: String, filter: String,
    configuration: Configuration = Configuration()
  ) throws(LiveCaptureError) {
    let interface: NetworkInterface
    do {
      interface = try NetworkInterface.named(interfaceName)
    } catch {
      throw .system(error)
    }
    let program: BPFProgram
    do {
      program = try BPFProgram(
        filter: filter, linkType: interface.linkType,
        snapshotLength: max(1, configuration.snapshotLength))
    } catch {
      throw .filter(error)
    }
    do {
      try self.init(interface: interface, filter: program, configuration: configuration)
    } catch {
      throw .system(error)
    }
  }

  /// Waits for the first frame for which `predicate` returns true and returns a copy of it.
  ///
  /// Frames read before it that do not match are passed over (they are gone for later
  /// calls); frames after it stay in the ring for the next call. Returns nil when
  /// `timeout` passes with no match — on time, within the poll's millisecond, when nothing
  /// arrives at all.
  ///
  /// - Throws: `SystemError` from `poll` (the interface went away).
  ///
  /// The corresponding C call is `poll(fd, POLLIN | POLLERR, remaining)`.
  public mutating func waitForFrame(
    timeout: Duration, matching predicate: (CaptureRecord, Span<UInt8>) -> Bool
  ) throws(SystemError) -> CapturedFrame? {
    let deadline = system_monotonicNanoseconds() + Self.nanoseconds(timeout)
    var found: CapturedFrame? = nil
    while true {
      let now = system_monotonicNanoseconds()
      let remaining = now >= deadline ? 0 : Int32(clamping: (deadline - now + 999_999) / 1_000_000)
      captured += try ring.read(timeoutMilliseconds: remaining) { record, bytes in
        guard predicate(record, bytes) else { return true }
        found = CapturedFrame(record: record, bytes: bytes)
        return false
      }
      if let found { return found }
      if system_monotonicNanoseconds() >= deadline { return nil }
    }
  }

  /// Lends frames to `body` as they come, waiting up to `timeoutMilliseconds` for the first;
  /// `body` returns false to stop after a frame (the next call continues after it).
  ///
  /// - Returns: the number of frames lent (0 after the timeout).
  /// - Throws: `SystemError` from `poll` (the interface went away).
  ///
  /// The corresponding C call is `poll(fd, POLLIN | POLLERR, timeout)`.
  public mutating func read(
    timeoutMilliseconds: Int32, _ body: (CaptureRecord, Span<UInt8>) -> Bool
  ) throws(SystemError) -> Int {
    let handled = try ring.read(timeoutMilliseconds: timeoutMilliseconds, body)
    captured += handled
    return handled
  }

  /// Frames read so far, and the kernel's counts: frames that passed the filter and frames
  /// dropped because the ring was full.
  ///
  /// The corresponding C call is `getsockopt(SOL_PACKET, PACKET_STATISTICS)`.
  public mutating func counters() throws(SystemError) -> CaptureCounters {
    let stats = try ring.statistics()
    return CaptureCounters(captured: captured, received: stats.received, dropped: stats.dropped)
  }

  /// Hands the capture to a dedicated thread that delivers every frame, in order, as an
  /// `AsyncSequence`; the filter is already attached, so nothing sent after this call is
  /// missed.
  public consuming func frames() -> CaptureStream {
    CaptureStream(ring: ring, captured: captured)
  }

  /// `duration` in nanoseconds (0 for a negative one).
  static func nanoseconds(_ duration: Duration) -> UInt64 {
    let (seconds, attoseconds) = duration.components
    guard seconds >= 0 && attoseconds >= 0 else { return 0 }
    return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
  }
}

/// Why a `LiveCapture` could not be opened by interface name and filter expression.
public enum LiveCaptureError: Error, CustomStringConvertible, Sendable {
  /// No such interface, or a socket call failed (EPERM: no CAP_NET_RAW).
  case system(SystemError)
  /// libpcap could not compile the filter.
  case filter(PcapError)

  /// A one-line reason, for stderr.
  public var description: String {
    switch self {
    case .system(let error): "\(error)"
    case .filter(let error): "\(error)"
    }
  }
}

extension LiveCapture.Configuration {
  /// The ring's configuration.
  var ring: TPacketRing.Configuration {
    var ring = TPacketRing.Configuration()
    ring.snapshotLength = snapshotLength
    ring.promiscuous = promiscuous
    ring.bufferSize = bufferSize
    ring.blockSize = blockSize
    ring.blockTimeoutMilliseconds = blockTimeoutMilliseconds
    ring.direction = direction
    return ring
  }
}
