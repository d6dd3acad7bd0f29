import CPacketIO
import PacketKit

/// A live capture through libpcap (the default sniff backend): owns a `pcap_t` and closes
/// it when it goes away.
///
/// Frames are lent to a closure as a `Span<UInt8>` with a `CaptureRecord`; they are valid
/// only inside it. Timestamps have nanosecond precision when libpcap offers it.
public struct PcapHandle: ~Copyable {
  /// How the handle is set up before activation (tcpdump's `-s -p -B --immediate -Q`).
  public struct Configuration: Sendable {
    /// Bytes kept of each packet (`-s`); 0 means 262144.
    public var snapshotLength: Int = 262_144
    /// Put the interface in promiscuous mode (tcpdump's default; `-p` turns it off).
    public var promiscuous: Bool = true
    /// Kernel buffer size, in bytes (`-B` takes KiB); nil leaves libpcap's default.
    public var bufferSize: Int? = nil
    /// Deliver each packet as it arrives rather than in batches.
    public var immediate: Bool = false
    /// How long the kernel may hold packets before delivering a batch, in milliseconds.
    public var timeoutMilliseconds: Int = 100
    /// Which direction to capture (`-Q`).
    public var direction: CaptureDirection = .both

    public init() {}
  }

  private let handle: OpaquePointer
  /// The interface captured (`any` for all).
  public let interfaceName: String
  /// The link type of the frames, as a file's link type.
  public let linkType: LinkType
  /// Whether timestamps carry nanoseconds (else microseconds).
  public let nanosecond: Bool
  /// A warning from activation (e.g. promiscuous mode not supported), if any.
  public let warning: String?
  private var number = 0

  /// Opens and activates a capture on `interface`.
  ///
  /// - Throws: `PcapError` from `pcap_create`, a setter or `pcap_activate` — its
  ///   description names the call and carries libpcap's message (no such device, permission).
  ///
  /// The corresponding C calls are `pcap_create`, `pcap_set_snaplen`, `pcap_set_promisc`,
  /// `pcap_set_buffer_size`, `pcap_set_immediate_mode`, `pcap_set_timeout`,
  /// `pcap_set_tstamp_precision`, `pcap_activate` and `pcap_setdirection`. Needs CAP_NET_RAW.
  public init(interface: String, configuration: Configuration) throws(PcapError) {
    let handle = try system_pcap_create(interface)
    let warning: String?
    let nanosecond: Bool
    let linkType: LinkType
    do throws(PcapError) {
      let snaplen = Int32(
        clamping: configuration.snapshotLength == 0 ? 262_144 : configuration.snapshotLength)
      try system_pcap_check(handle, "pcap_set_snaplen", pcap_set_snaplen(handle, snaplen))
      try system_pcap_check(
        handle, "pcap_set_promisc", pcap_set_promisc(handle, configuration.promiscuous ? 1 : 0))
      if let size = configuration.bufferSize {
        try system_pcap_check(
          handle, "pcap_set_buffer_size", pcap_set_buffer_size(handle, Int32(clamping: size)))
      }
      try system_pcap_check(
        handle, "pcap_set_immediate_mode",
        pcap_set_immediate_mode(handle, configuration.immediate ? 1 : 0))
      try system_pcap_check(
        handle, "pcap_set_timeout",
        pcap_set_timeout(handle, Int32(clamping: configuration.timeoutMilliseconds)))
      let precision = pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
      let status = try system_pcap_activate(handle)
      warning = status > 0 ? system_pcap_geterr(handle) : nil
      if configuration.direction != .both {
        let direction = configuration.direction == .inbound ? PCAP_D_IN : PCAP_D_OUT
        try system_pcap_check(handle, "pcap_setdirection", pcap_setdirection(handle, direction))
      }
      nanosecond =
        precision == 0
        && pcap_get_tstamp_precision(handle) == Int32(PCAP_TSTAMP_PRECISION_NANO)
      let dlt = UInt32(bitPattern: pcap_datalink(handle))
      linkType = LinkType(rawValue: dlt == UInt32(DLT_RAW) ? 101 : dlt)
    } catch {
      system_pcap_close(handle)
      throw error
    }
    self.handle = handle
    self.warning = warning
    self.nanosecond = nanosecond
    self.linkType = linkType
    interfaceName = interface
  }

  deinit { system_pcap_close(handle) }

  /// Compiles `filter` for this handle (its link type and the interface's netmask is not
  /// needed: broadcast tests are IPv4-independent here) and installs it in the kernel.
  ///
  /// - Throws: `PcapError` with the filter set when it does not compile.
  ///
  /// The corresponding C calls are `pcap_compile`, `pcap_setfilter` and `pcap_freecode`.
  public func setFilter(_ filter: String) throws(PcapError) {
    var program = bpf_program()
    try system_pcap_compile(
      handle, &program, filter: filter, optimize: true, netmask: PCAP_NETMASK_UNKNOWN)
    defer { pcap_freecode(&program) }
    try system_pcap_setfilter(handle, &program, filter: filter)
  }

  /// A token that stops `dispatch` from another thread or a signal handler.
  public var breaker: Breaker { Breaker(handle: handle) }

  /// Stops a running `dispatch` (`pcap_breakloop`, async-signal-safe in libpcap ≥ 1.10 on
  /// Linux: it sets a flag and writes to an eventfd).
  public struct Breaker: @unchecked Sendable {
    let handle: OpaquePointer
    /// The corresponding C call is `pcap_breakloop(p)`.
    public func breakLoop() { pcap_breakloop(handle) }
  }

  /// Waits for packets (up to the timeout) and hands each to `body`, at most `limit`.
  ///
  /// - Returns: the number of packets handled; 0 after a timeout with nothing, or after
  ///   `breakLoop`.
  /// - Throws: `PcapError` when the capture fails (interface gone).
  ///
  /// The corresponding C call is `pcap_dispatch(p, cnt, callback, user)`.
  public mutating func dispatch(
    limit: Int, _ body: (CaptureRecord, Span<UInt8>) -> Void
  ) throws(PcapError) -> Int {
    let result: Int32 = withoutActuallyEscaping(body) { escaping in
      var context = DispatchContext(
        body: escaping, linkType: linkType, nanosecond: nanosecond, number: number,
        interfaceName: interfaceName == "any" ? nil : interfaceName)
      let status = withUnsafeMutablePointer(to: &context) { pointer in
        pcap_dispatch(
          handle, Int32(clamping: limit),
          { user, header, bytes in
            guard let user, let header, let bytes else { return }
            let context = UnsafeMutableRawPointer(user).assumingMemoryBound(
              to: DispatchContext.self)
            context.pointee.handle(header.pointee, bytes)
          }, UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: UInt8.self))
      }
      number = context.number
      return status
    }
    if result == PCAP_ERROR_BREAK { return 0 }
    try system_pcap_check(handle, "pcap_dispatch", result)
    return Int(result)
  }

  /// Hands over what the kernel still holds after a stop: waits one timeout (the kernel
  /// then releases its partly filled buffer block), switches to non-blocking mode and
  /// dispatches until nothing is left, at most `limit` packets.
  ///
  /// The corresponding C calls are `pcap_setnonblock(p, 1)` and `pcap_dispatch`.
  public mutating func drain(
    timeoutMilliseconds: Int, limit: Int, _ body: (CaptureRecord, Span<UInt8>) -> Void
  ) throws(PcapError) -> Int {
    var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
    _ = pcap_setnonblock(handle, 1, &errbuf)
    system_sleepUntil(
      monotonicNanoseconds: system_monotonicNanoseconds() + UInt64(timeoutMilliseconds + 20)
        * 1_000_000)
    var total = 0
    var quiet = 0
    // The first call may only clear a pending pcap_breakloop.
    while quiet < 2 && (limit <= 0 || total < limit) {
      let handled = try dispatch(limit: limit <= 0 ? 0 : limit - total, body)
      total += handled
      quiet = handled == 0 ? quiet + 1 : 0
    }
    return total
  }

  /// The kernel's counts so far: received by filter and dropped.
  ///
  /// The corresponding C call is `pcap_stats(p, &stats)`.
  public func statistics() throws(PcapError) -> (received: Int, dropped: Int) {
    let stats = try system_pcap_stats(handle)
    return (Int(stats.ps_recv), Int(stats.ps_drop))
  }
}

/// The state `pcap_dispatch`'s C callback reaches through its `user` pointer.
private struct DispatchContext {
  let body: (CaptureRecord, Span<UInt8>) -> Void
  let linkType: LinkType
  let nanosecond: Bool
  var number: Int
  let interfaceName: String?

  mutating func handle(_ header: pcap_pkthdr, _ bytes: UnsafePointer<UInt8>) {
    number += 1
    let fraction = UInt32(clamping: header.ts.tv_usec) &* (nanosecond ? 1 : 1_000)
    let record = CaptureRecord(
      number: number,
      timestamp: Timestamp(
        seconds: Int64(header.ts.tv_sec), nanoseconds: min(fraction, 999_999_999)),
      capturedLength: Int(header.caplen), wireLength: Int(header.len), linkType: linkType,
      interfaceName: interfaceName)
    let buffer = UnsafeBufferPointer(start: bytes, count: Int(header.caplen))
    body(record, buffer.span)
  }
}
