/// Prints one line per packet the way `tcpdump -n` (4.99) does.
///
/// Addresses and ports are numeric (tcpdump 4.99's `-n` turns off both), TCP sequence numbers
/// are relative per conversation unless `absoluteSequence` is set (`-S`), and `printLinkLayer`
/// adds tcpdump's `-e` link-layer prefix. Text is written straight into a `TextBuffer`:
/// formatting allocates nothing, except that the first segment of a new TCP conversation
/// may grow the sequence table.
///
/// Each call to `write` appends one line, newline included (a VXLAN packet two: tcpdump prints
/// the inner frame on a line of its own). Timestamps use a fixed
/// `utcOffsetSeconds` (tcpdump calls `localtime` per packet, so it follows DST changes).
///
/// Differences from `tcpdump -n` that remain (every fixture in `Fixtures/` was compared line
/// by line with and without `-e`; all other lines are identical):
/// - Application protocols print tcpdump's text for the layers rawtool decodes (DNS, DHCP,
///   DHCPv6, NTP, HTTP, VXLAN: `4660+ A? example.com. (29)`, through
///   `OneLineFormatter.application` in ProtocolRegistry.swift), and for the payloads that
///   `PayloadText` (Protocols/PayloadText/) names although they stay `raw` in the layers:
///   SYSLOG (`SYSLOG user.notice, length: 29`), Telnet (`[telnet IP, DO TIMING MARK]`), STP
///   and CDP after 802.2 LLC. Others print `UDP, length N` or stop at TCP's `length N` where
///   tcpdump decodes more. TLS, which tcpdump does not decode, prints
///   `TLS ClientHello sni example.com alpn h2` (docs/conformance.md).
/// - Protocols rawtool does not decode print tcpdump's generic form: ESP, SCTP, … give
///   `src > dst:  ip-proto-N LEN`. An unknown EtherType prints the Ethernet header (as tcpdump does)
///   but no hex dump.
/// - 802.3/LLC frames other than STP and CDP print the LLC header, `LLC, dsap IP (0x06)
///   Individual, ssap IP (0x06) Command, ctrl 0x03, length 38` (with `-e` after `… 802.3,
///   length 38: `), not tcpdump's SNAP, IPX, NetBEUI or OSI payload decoding.
/// - Short forms: ICMP router advertisements (no lifetime/addresses), ICMPv6 node information
///   and router renumbering (name only), MLDv2 queries, the TCP options md5, scps, tcp-ao
///   and tfo (hex bytes), `exp` options other than plain RFC 6994, ARP with non-IPv4
///   protocol addresses. An ICMPv6 message shorter than 8 bytes prints ` [|icmp6]` where
///   tcpdump prints its type name.
/// - A datagram whose IPv4 total length or IPv6 payload length exceeds the frame prints
///   tcpdump's `truncated-ip - N bytes missing! ` and then its contents, re-decoded with the
///   announced length; transport lengths then come from the headers (tcpdump uses the bytes
///   present). An IPv4 total length of 0 (TSO) uses the frame's length.
/// - SLL2 interface names come from `CaptureRecord.interfaceName` (`?` when nil): the caller
///   gives the name tcpdump prints, the header's index looked up with `if_indextoname` on the
///   machine that prints (`rawtool read` does).
/// - Truncation markers (`[|ether]`, `[|ip]`, `[|ip6]`, `[|tcp]` with tcpdump's `>` after a cut
///   option, `[|udp]`, `[|icmp]`, `[|arp]`, `[|hbhopt]`) match tcpdump's on the fixtures;
///   `[|icmp6]`, `[|dstopt]`, `[|vlan]`, `[|sll]`, `[|null]` follow the same pattern but were
///   not checked against tcpdump. tcpdump-only markers (`[|dns]`, …) never occur.
public struct OneLineFormatter: Sendable {
  /// How each line's time is printed.
  public var timestampStyle: TimestampStyle
  /// Seconds east of UTC for `time` and `dateTime` (local time display). The CLI computes it;
  /// 0 prints UTC.
  public var utcOffsetSeconds: Int
  /// Whether to print the link-layer header first (tcpdump `-e`).
  public var printLinkLayer: Bool
  /// Whether fractions of a second have 9 digits instead of 6 (tcpdump `--nano`).
  public var nanosecondPrecision: Bool
  /// Whether TCP sequence numbers are printed as on the wire (tcpdump `-S`).
  public var absoluteSequence: Bool

  /// tcpdump's `-v` level: 0 prints the one-line text, 1 to 3 add what `-v`, `-vv` and
  /// `-vvv` add (IP header details, checksum verdicts, more of each protocol).
  public var verbosity = 0
  /// tcpdump's `-q`: less protocol information (`tcp 0`, `UDP, length 11`).
  public var quick = false
  /// Whether `-v` text checks checksums (tcpdump's `-K` turns it off).
  public var verifiesChecksums = true

  var previous: Timestamp?
  var first: Timestamp?
  var sequences = TCPSequenceTable()
  /// The second of the day whose `HH:MM:SS` text `clockText` holds (-1: none yet): packets
  /// come many to a second, so the clock is formatted once per second.
  var clockSecond = -1
  /// `HH:MM:SS` of `clockSecond`, its 8 bytes as one word.
  var clockText: UInt64 = 0

  /// A formatter with tcpdump's defaults unless given: `HH:MM:SS.ffffff` in UTC, no link
  /// layer, microseconds, relative TCP sequence numbers.
  public init(
    timestampStyle: TimestampStyle = .time, utcOffsetSeconds: Int = 0,
    printLinkLayer: Bool = false, nanosecondPrecision: Bool = false,
    absoluteSequence: Bool = false
  ) {
    self.timestampStyle = timestampStyle
    self.utcOffsetSeconds = utcOffsetSeconds
    self.printLinkLayer = printLinkLayer
    self.nanosecondPrecision = nanosecondPrecision
    self.absoluteSequence = absoluteSequence
  }

  /// Appends one line for `frame`, ending in a newline.
  ///
  /// Mutating because `delta` and `sinceFirst` timestamps and relative TCP sequence numbers
  /// depend on the packets written before; use one formatter per capture, in packet order.
  /// - Parameters:
  ///   - frame: the frame decoded from `bytes`.
  ///   - bytes: the captured bytes the frame's ranges refer to.
  ///   - record: the capture record (time, lengths, interface name).
  ///   - out: the buffer to append to.
  public mutating func write(
    _ frame: DecodedFrame, bytes: Span<UInt8>, record: CaptureRecord, to out: inout TextBuffer
  ) {
    writeTimestamp(record.timestamp, to: &out)
    // One span over the layers, passed down.
    frame.withLayers { layers in
      link(
        layers, wire: frame.wireLength, bytes, linkType: frame.linkType, record: record, to: &out)
    }
    out.append(byte: 0x0A)
  }

  /// Forgets the timestamps and TCP conversations seen so far.
  public mutating func reset() {
    previous = nil
    first = nil
    sequences = TCPSequenceTable()
  }

  // MARK: Timestamps

  mutating func writeTimestamp(_ time: Timestamp, to out: inout TextBuffer) {
    let absolute =
      timestampStyle == .time || timestampStyle == .epoch || timestampStyle == .dateTime
    if absolute, UInt32(truncatingIfNeeded: time.seconds) & 0x8000_0000 != 0 {
      // tcpdump 4.99 refuses every time whose seconds, cut to 32 bits, have the top bit set
      // (2038-01-19 03:14:08 to 2106-02-07 06:28:15 UTC, 1901-12-13 20:45:52 to 1969).
      return out.append("[Error converting time] ")
    }
    switch timestampStyle {
    case .none:
      return
    case .time:
      let local = time.seconds &+ Int64(utcOffsetSeconds)
      writeClock(secondOfDay(local), fraction: time.nanoseconds, to: &out)
    case .epoch:
      // tcpdump prints the seconds cut to 32 bits (`0` for 2106-02-07 06:28:16 UTC).
      out.append(decimal: UInt32(truncatingIfNeeded: time.seconds))
      writeFraction(time.nanoseconds, to: &out)
    case .dateTime:
      let local = time.seconds &+ Int64(utcOffsetSeconds)
      let days = floorDivide(local, 86_400)
      writeDate(days: days, to: &out)
      out.append(byte: 0x20)
      writeClock(secondOfDay(local), fraction: time.nanoseconds, to: &out)
    case .delta:
      writeInterval(from: previous ?? time, to: time, out: &out)
      previous = time
    case .sinceFirst:
      if first == nil { first = time }
      writeInterval(from: first ?? time, to: time, out: &out)
    }
    out.append(byte: 0x20)
  }

  func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor < 0) ? quotient - 1 : quotient
  }

  func secondOfDay(_ seconds: Int64) -> Int {
    Int(seconds - floorDivide(seconds, 86_400) * 86_400)
  }

  mutating func writeClock(_ second: Int, fraction: UInt32, to out: inout TextBuffer) {
    // A second of the day: the fields fit their widths (one fixed-width write each).
    if second >= 0 && second < 86_400 {
      if second == clockSecond {
        out.append(word: clockText)
      } else {
        let start = out.count
        out.appendDigits(UInt64(second / 3600), count: 2)
        out.append(byte: 0x3A)
        out.appendDigits(UInt64(second % 3600 / 60), count: 2)
        out.append(byte: 0x3A)
        out.appendDigits(UInt64(second % 60), count: 2)
        clockSecond = second
        clockText = out.word(at: start)
      }
      writeFraction(fraction, to: &out)
      return
    }
    out.append(decimal: UInt(second / 3600), width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: UInt(second % 3600 / 60), width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: UInt(second % 60), width: 2)
    writeFraction(fraction, to: &out)
  }

  func writeFraction(_ nanoseconds: UInt32, to out: inout TextBuffer) {
    out.append(byte: 0x2E)
    if nanoseconds < 1_000_000_000 {
      if nanosecondPrecision {
        out.appendDigits(UInt64(nanoseconds), count: 9)
      } else {
        out.appendDigits(UInt64(nanoseconds / 1000), count: 6)
      }
    } else if nanosecondPrecision {
      out.append(decimal: nanoseconds, width: 9)
    } else {
      out.append(decimal: nanoseconds / 1000, width: 6)
    }
  }

  /// ` HH:MM:SS.ffffff` (or `-…` when `to` is earlier), hours not wrapped at 24.
  func writeInterval(from start: Timestamp, to end: Timestamp, out: inout TextBuffer) {
    var early = start
    var late = end
    let negative = end < start
    if negative { swap(&early, &late) }
    var seconds = late.seconds - early.seconds
    var nanoseconds = Int64(late.nanoseconds) - Int64(early.nanoseconds)
    if nanoseconds < 0 {
      nanoseconds += 1_000_000_000
      seconds -= 1
    }
    out.append(byte: negative ? 0x2D : 0x20)
    out.append(decimal: UInt64(seconds / 3600), width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: UInt64(seconds % 3600 / 60), width: 2)
    out.append(byte: 0x3A)
    out.append(decimal: UInt64(seconds % 60), width: 2)
    writeFraction(UInt32(nanoseconds), to: &out)
  }

  /// `YYYY-MM-DD` for a day count since 1970-01-01 (proleptic Gregorian; H. Hinnant's
  /// civil_from_days).
  func writeDate(days: Int64, to out: inout TextBuffer) {
    let z = days + 719_468
    let era = floorDivide(z, 146_097)
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    if year < 0 {
      out.append(byte: 0x2D)
      out.append(decimal: UInt64(-year), width: 4)
    } else {
      out.append(decimal: UInt64(year), width: 4)
    }
    out.append(byte: 0x2D)
    out.append(decimal: UInt64(month), width: 2)
    out.append(byte: 0x2D)
    out.append(decimal: UInt64(day), width: 2)
  }
}
