import CPacketIO
import Glibc
import PacketKit
import Synchronization

/// A live capture through libpcap (the default sniff backend): owns a `pcap_t` and closes
/// it when it goes away.
///
/// Frames are lent to a closure as a `Span<UInt8>` with a `CaptureRecord`; they are valid
/// only inside it. Timestamps have nanosecond precision when libpcap offers it.
///
/// Waiting is ours, not libpcap's: the handle is put in non-blocking mode and `dispatch`
/// polls libpcap's selectable descriptor together with an eventfd that `Breaker.breakLoop`
/// writes, so `dispatch` returns after its timeout even in immediate mode (where libpcap's
/// own timeout has no effect) and a break wakes it from any thread or a signal handler.
///
/// Noncopyable (`~Copyable`): it owns the libpcap handle, closed when it goes away. Pass it
/// `borrowing` (or `inout`) to use it.
public struct PcapHandle: ~Copyable {
  /// How the handle is set up before activation (tcpdump's `-s -p -B --immediate -Q`).
  public struct Configuration: Sendable {
    /// Bytes kept of each packet (`-s`); 0 means 262144.
    /// Default: `262_144`.
    public var snapshotLength: Int = 262_144
    /// Put the interface in promiscuous mode (tcpdump's default; `-p` turns it off).
    public var promiscuous: Bool = true
    /// Kernel buffer size, in bytes (`-B` takes KiB); nil leaves libpcap's default.
    public var bufferSize: Int? = nil
    /// Deliver each packet as it arrives rather than in batches.
    /// Default: `false`.
    public var immediate: Bool = false
    /// How long the kernel may hold packets before delivering a batch, in milliseconds;
    /// also how long `dispatch` waits when not told otherwise (in immediate mode too).
    /// Default: `100`.
    public var timeoutMilliseconds: Int = 100
    /// Which direction to capture (`-Q`).
    /// Default: `.both`.
    public var direction: CaptureDirection = .both

    /// The default configuration: each property's default is given with it.
    public init() {}
  }

  private let handle: OpaquePointer
  /// libpcap's descriptor to poll for packets (`pcap_get_selectable_fd`).
  private let selectableDescriptor: Int32
  /// The wake-up shared with breakers.
  private let wakeup: PcapWakeup
  /// How long `dispatch` waits by default, in milliseconds (the configuration's timeout).
  public let timeoutMilliseconds: Int
  /// The interface captured (`any` for all).
  public let interfaceName: String
  /// The link type of the frames, as a file's link type.
  public let linkType: LinkType
  /// Whether timestamps carry nanoseconds (else microseconds).
  public let nanosecond: Bool
  /// A warning from activation (e.g. promiscuous mode not supported), if any.
  public let warning: String?
  private var number = 0
  /// Interface names by index, for SLL2 frames on `any`.
  private var interfaceNames = InterfaceNameCache()

  /// Opens and activates a capture on `interface`.
  ///
  /// - Throws: `PcapError` from `pcap_create`, a setter or `pcap_activate` — its
  ///   description names the call and carries libpcap's message (no such device, permission).
  ///
  /// On `any`, frames have SLL2 headers (`LINKTYPE_LINUX_SLL2`, as tcpdump 4.99 asks for),
  /// and each record carries the name of its interface (the index in the SLL2 header, looked
  /// up once per index).
  ///
  /// The corresponding C calls are `pcap_create`, `pcap_set_snaplen`, `pcap_set_promisc`,
  /// `pcap_set_buffer_size`, `pcap_set_immediate_mode`, `pcap_set_timeout`,
  /// `pcap_set_tstamp_precision`, `pcap_activate`, `pcap_set_datalink`, `pcap_setdirection`, `pcap_setnonblock`,
  /// `pcap_get_selectable_fd` and `eventfd`. Needs CAP_NET_RAW.
  public init(interface: String, configuration: Configuration) throws(PcapError) {
    let handle = try system_pcap_create(interface)
    let warning: String?
    let nanosecond: Bool
    let linkType: LinkType
    let selectable: Int32
    let wakeup: PcapWakeup
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
      if interface == "any" {
        // As tcpdump 4.99: SLL2 carries each packet's interface index. libpcap before 1.10
        // does not offer it, and the capture stays SLL.
        _ = pcap_set_datalink(handle, DLT_LINUX_SLL2)
      }
      if configuration.direction != .both {
        let direction = configuration.direction == .inbound ? PCAP_D_IN : PCAP_D_OUT
        try system_pcap_check(handle, "pcap_setdirection", pcap_setdirection(handle, direction))
      }
      nanosecond =
        precision == 0
        && pcap_get_tstamp_precision(handle) == Int32(PCAP_TSTAMP_PRECISION_NANO)
      let dlt = UInt32(bitPattern: pcap_datalink(handle))
      linkType = LinkType(rawValue: dlt == UInt32(DLT_RAW) ? 101 : dlt)
      try system_pcap_setnonblock(handle)
      selectable = try system_pcap_get_selectable_fd(handle)
      do {
        wakeup = PcapWakeup(descriptor: try system_eventfd())
      } catch {
        throw PcapError(function: "eventfd", status: PCAP_ERROR, message: "\(error)")
      }
    } catch {
      system_pcap_close(handle)
      throw error
    }
    self.handle = handle
    self.selectableDescriptor = selectable
    self.wakeup = wakeup
    self.timeoutMilliseconds = max(0, configuration.timeoutMilliseconds)
    self.warning = warning
    self.nanosecond = nanosecond
    self.linkType = linkType
    interfaceName = interface
  }

  deinit {
    wakeup.invalidate()
    system_pcap_close(handle)
  }

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
  public var breaker: Breaker { Breaker(wakeup: wakeup) }

  /// Stops a waiting or the next `dispatch` of its handle: it returns 0 at once.
  ///
  /// A breaker may outlive its handle: it shares a reference-counted wake-up with the
  /// handle, which marks it closed in its `deinit`, so `breakLoop` afterwards does nothing
  /// (the eventfd stays open until the last breaker goes, so no descriptor is reused).
  public struct Breaker: Sendable {
    let wakeup: PcapWakeup

    /// Asks the handle's `dispatch` to return. Async-signal-safe: one atomic load, one
    /// atomic store and one `write(2)`; allocates nothing and takes no lock.
    ///
    /// The corresponding C call is `write(eventfd, &one, 8)`.
    public func breakLoop() { wakeup.signal() }
  }

  /// Waits for packets, up to `timeoutMilliseconds` (the configuration's timeout when nil),
  /// and hands each to `body`, at most `limit` (0: what is ready, as libpcap counts it).
  ///
  /// Returns as soon as packets were handed over; a break returns 0 at once, before or
  /// during the wait. The wait allocates nothing.
  ///
  /// - Returns: the number of packets handled; 0 after a timeout with nothing, or after
  ///   `breakLoop`.
  /// - Throws: `PcapError` when the capture fails (interface gone).
  ///
  /// The corresponding C calls are `poll` (libpcap's selectable descriptor and the
  /// break eventfd) and `pcap_dispatch(p, cnt, callback, user)` in non-blocking mode.
  public mutating func dispatch(
    limit: Int, timeoutMilliseconds: Int? = nil, _ body: (CaptureRecord, Span<UInt8>) -> Void
  ) throws(PcapError) -> Int {
    let timeout = UInt64(max(0, timeoutMilliseconds ?? self.timeoutMilliseconds))
    let deadline = system_monotonicNanoseconds() + timeout * 1_000_000
    var descriptors = (
      pollfd(fd: selectableDescriptor, events: Int16(POLLIN), revents: 0),
      pollfd(fd: wakeup.descriptor, events: Int16(POLLIN), revents: 0)
    )
    while true {
      if wakeup.takeRequest() { return 0 }
      let handled = try dispatchReady(limit: limit, body)
      if handled > 0 { return handled }
      let now = system_monotonicNanoseconds()
      guard now < deadline else { return 0 }
      let remaining = Int32(clamping: (deadline - now + 999_999) / 1_000_000)
      let ready = try withUnsafeMutableBytes(of: &descriptors) { (raw) throws(PcapError) in
        do {
          return try system_poll(raw.bindMemory(to: pollfd.self), timeoutMilliseconds: remaining)
        } catch {
          throw PcapError(function: "poll", status: PCAP_ERROR, message: "\(error)")
        }
      }
      if ready > 0 && descriptors.0.revents & Int16(POLLNVAL | POLLHUP) != 0 {
        throw PcapError(
          function: "poll", status: PCAP_ERROR,
          message: "\(interfaceName): the capture socket was closed")
      }
    }
  }

  /// Hands over what libpcap has ready without waiting.
  private mutating func dispatchReady(limit: Int, _ body: (CaptureRecord, Span<UInt8>) -> Void)
    throws(PcapError) -> Int
  {
    let result: Int32 = withoutActuallyEscaping(body) { escaping in
      var context = DispatchContext(
        body: escaping, linkType: linkType, nanosecond: nanosecond, number: number,
        interfaceName: interfaceName == "any" ? nil : interfaceName,
        namesByIndex: interfaceName == "any" && linkType == .linuxSLL2 ? interfaceNames : nil)
      // The context holds the only reference while packets are handled, so adding a name
      // does not copy the cache.
      interfaceNames = InterfaceNameCache()
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
      if let names = context.namesByIndex { interfaceNames = names }
      return status
    }
    if result == PCAP_ERROR_BREAK { return 0 }
    try system_pcap_check(handle, "pcap_dispatch", result)
    return Int(result)
  }

  /// Hands over what the kernel still holds after a stop: waits one timeout (the kernel
  /// then releases its partly filled buffer block) and dispatches without waiting until
  /// nothing is left, at most `limit` packets.
  ///
  /// The corresponding C call is `pcap_dispatch`.
  public mutating func drain(
    timeoutMilliseconds: Int, limit: Int, _ body: (CaptureRecord, Span<UInt8>) -> Void
  ) throws(PcapError) -> Int {
    system_sleepUntil(
      monotonicNanoseconds: system_monotonicNanoseconds() + UInt64(timeoutMilliseconds + 20)
        * 1_000_000)
    var total = 0
    var quiet = 0
    // The first call may only clear a pending break.
    while quiet < 2 && (limit <= 0 || total < limit) {
      let handled = try dispatch(
        limit: limit <= 0 ? 0 : limit - total, timeoutMilliseconds: 0, body)
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

/// The eventfd that wakes a waiting `PcapHandle.dispatch`, shared by the handle and its
/// breakers; the last one to go closes it.
final class PcapWakeup: Sendable {
  /// The eventfd polled by `dispatch` and written by `signal`.
  let descriptor: Int32
  /// A break was asked for and not yet seen by `dispatch`.
  private let requested = Atomic<Bool>(false)
  /// The handle is still open.
  private let open = Atomic<Bool>(true)

  init(descriptor: Int32) { self.descriptor = descriptor }

  deinit { system_close(descriptor) }

  /// Asks for a break, unless the handle is gone. Async-signal-safe (lock-free atomics
  /// and `write`).
  func signal() {
    guard open.load(ordering: .acquiring) else { return }
    requested.store(true, ordering: .releasing)
    system_eventfd_signal(descriptor)
  }

  /// Whether a break was asked for; clears the request and the eventfd.
  func takeRequest() -> Bool {
    guard requested.exchange(false, ordering: .acquiringAndReleasing) else { return false }
    system_eventfd_clear(descriptor)
    return true
  }

  /// Marks the handle closed: later breaks do nothing.
  func invalidate() { open.store(false, ordering: .releasing) }
}

/// The state `pcap_dispatch`'s C callback reaches through its `user` pointer.
private struct DispatchContext {
  let body: (CaptureRecord, Span<UInt8>) -> Void
  let linkType: LinkType
  let nanosecond: Bool
  var number: Int
  let interfaceName: String?
  /// Set for SLL2 frames on `any`: names looked up by the header's interface index.
  var namesByIndex: InterfaceNameCache?

  mutating func handle(_ header: pcap_pkthdr, _ bytes: UnsafePointer<UInt8>) {
    number += 1
    var name = interfaceName
    if namesByIndex != nil && header.caplen >= 8 {
      // SLL2: the interface index is bytes 4-7, big-endian.
      let index =
        UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8 | UInt32(bytes[7])
      name = namesByIndex!.name(ofIndex: index)
    }
    let fraction = UInt32(clamping: header.ts.tv_usec) &* (nanosecond ? 1 : 1_000)
    let record = CaptureRecord(
      number: number,
      timestamp: Timestamp(
        seconds: Int64(header.ts.tv_sec), nanoseconds: min(fraction, 999_999_999)),
      capturedLength: Int(header.caplen), wireLength: Int(header.len), linkType: linkType,
      interfaceName: name)
    let buffer = UnsafeBufferPointer(start: bytes, count: Int(header.caplen))
    body(record, buffer.span)
  }
}
