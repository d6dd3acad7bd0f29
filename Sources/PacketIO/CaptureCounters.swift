/// What a live capture counted, in tcpdump's three numbers.
///
/// "N packets captured, N received by filter, N dropped by kernel": `captured` are the
/// packets the program handled, `received` those the kernel filter accepted, `dropped`
/// those the kernel could not queue (buffer or ring full).
public struct CaptureCounters: Sendable, Hashable {
  /// Packets delivered to the program.
  public var captured: Int
  /// Packets that passed the kernel filter (libpcap `ps_recv`; AF_PACKET `tp_packets`).
  public var received: Int
  /// Packets the kernel dropped for lack of buffer room (`ps_drop`; `tp_drops`).
  public var dropped: Int

  /// Counters with the given values (all 0 by default).
  public init(captured: Int = 0, received: Int = 0, dropped: Int = 0) {
    self.captured = captured
    self.received = received
    self.dropped = dropped
  }

  /// tcpdump's summary, in three lines.
  public var summary: String {
    "\(captured) packet\(captured == 1 ? "" : "s") captured\n"
      + "\(received) packet\(received == 1 ? "" : "s") received by filter\n"
      + "\(dropped) packet\(dropped == 1 ? "" : "s") dropped by kernel\n"
  }
}

/// Which packets of an interface a capture sees (tcpdump `-Q`).
public enum CaptureDirection: String, Sendable, Hashable, CaseIterable {
  /// Received packets only.
  case inbound = "in"
  /// Sent packets only.
  case outbound = "out"
  /// Both (the default).
  case both = "inout"
}
