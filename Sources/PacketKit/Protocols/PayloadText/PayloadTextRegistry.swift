// Text printers for payloads that rawtool keeps as `raw` in its layers (JSON, the -V tree,
// crafting) but that tcpdump decodes in its text: STP and CDP after 802.2 LLC, SYSLOG on UDP
// port 514, Telnet options on TCP port 23. They add no layer and no field: the one-line and
// -v formatters consult this registry when a payload is `raw`, and each protocol's printer is
// one file beside this one (STP.swift, CDP.swift, Syslog.swift, Telnet.swift).

/// A payload that tcpdump prints as a protocol of its own although rawtool's layers keep it
/// as `raw`, and the key (LLC SAP, SNAP OUI and PID, UDP or TCP port) that names it.
enum PayloadText {
  /// Spanning tree BPDUs (802.1D, 802.1w, 802.1s, 802.1aq): LLC SAP 0x42, or SNAP with
  /// Cisco's PVST+ / VLAN bridge PIDs or RFC 2684's BPDU PID.
  case stp
  /// Cisco Discovery Protocol: SNAP, OUI 0x00000c, PID 0x2000.
  case cdp
  /// BSD syslog (RFC 3164): UDP port 514.
  case syslog
  /// Telnet commands and option negotiation: TCP port 23.
  case telnet

  /// The printer for an LLC payload with these SAPs and control field (tcpdump's
  /// `llc_print`: both SAPs, group and response bits masked, and a UI frame).
  static func llc(dsap: UInt8, ssap: UInt8, control: UInt8) -> PayloadText? {
    guard control == 0x03 else { return nil }
    return dsap & 0xFE == 0x42 && ssap & 0xFE == 0x42 ? .stp : nil
  }

  /// The printer for a SNAP payload with this OUI and protocol id (tcpdump's `snap_print`).
  static func snap(oui: UInt32, pid: UInt16) -> PayloadText? {
    switch (oui, pid) {
    case (0x00_000C, 0x2000): .cdp
    case (0x00_000C, 0x010B), (0x00_000C, 0x010C), (0x00_80C2, 0x000E): .stp
    default: nil
    }
  }

  /// The printer for a UDP payload on these ports, either side (tcpdump's `udp_print`).
  static func udp(srcPort: UInt16, dstPort: UInt16) -> PayloadText? {
    srcPort == 514 || dstPort == 514 ? .syslog : nil
  }

  /// The printer for a TCP payload on these ports, either side (tcpdump's `tcp_print`).
  static func tcp(srcPort: UInt16, dstPort: UInt16) -> PayloadText? {
    srcPort == 23 || dstPort == 23 ? .telnet : nil
  }
}

extension OneLineFormatter {
  /// Prints the payload in `start..<end` (the bytes captured) as `printer`; `length` is the
  /// payload's length from the enclosing header (it may exceed what was captured).
  mutating func payloadText(
    _ printer: PayloadText, _ bytes: Span<UInt8>, start: Int, end: Int, length: Int,
    to out: inout TextBuffer
  ) {
    let end = min(end, bytes.count, start + max(0, length))
    switch printer {
    case .stp: stp(bytes, start: start, end: end, length: length, to: &out)
    case .cdp: cdp(bytes, start: start, end: end, length: length, to: &out)
    case .syslog: syslog(bytes, start: start, end: end, length: length, to: &out)
    case .telnet: telnet(bytes, start: start, end: end, length: length, to: &out)
    }
  }

  /// An 802.2 LLC payload (from its DSAP, `range` the bytes captured, `length` what the
  /// 802.3 length field gives) that a text printer knows: prints it as tcpdump does, with
  /// `-e`'s LLC and SNAP header first, and returns true; false when no printer knows it (the
  /// caller prints the LLC header).
  mutating func llcPayloadText(
    _ bytes: Span<UInt8>, _ range: Range<Int>, length: Int, to out: inout TextBuffer
  ) -> Bool {
    let start = range.lowerBound
    guard range.count >= 3, length >= 3 else { return false }
    let dsap = bytes[start]
    let ssap = bytes[start + 1]
    let control = bytes[start + 2]
    guard control == 0x03 else { return false }
    func llcHeader(_ out: inout TextBuffer) {
      out.append("LLC, dsap ")
      writeSAP(dsap & 0xFE, to: &out)
      out.append(dsap & 1 == 0 ? " Individual, ssap " : " Group, ssap ")
      writeSAP(ssap & 0xFE, to: &out)
      out.append(ssap & 1 == 0 ? " Command, ctrl 0x03: " : " Response, ctrl 0x03: ")
    }
    if let printer = PayloadText.llc(dsap: dsap, ssap: ssap, control: control) {
      if printLinkLayer { llcHeader(&out) }
      payloadText(
        printer, bytes, start: start + 3, end: range.upperBound, length: length - 3, to: &out)
      return true
    }
    guard dsap & 0xFE == 0xAA, ssap & 0xFE == 0xAA else { return false }
    guard range.count >= 8, length >= 8 else {
      // tcpdump's SNAP printer stops at a header it does not have whole.
      if printLinkLayer { llcHeader(&out) }
      out.append(" [|snap]")
      return true
    }
    let oui =
      UInt32(bytes[start + 3]) << 16 | UInt32(bytes[start + 4]) << 8 | UInt32(bytes[start + 5])
    let pid = bytes.be16(at: start + 6)
    guard let printer = PayloadText.snap(oui: oui, pid: pid) else { return false }
    if printLinkLayer {
      llcHeader(&out)
      out.append(oui == 0x00_000C ? "oui Cisco (0x" : "oui Ethernet bridged (0x")
      out.append(hex: oui, width: 6)
      out.append("), pid ")
      switch pid {
      case 0x2000: out.append("CDP")
      case 0x010B: out.append("PVST")
      case 0x010C: out.append("VLAN Bridge")
      default: out.append("BPDU")
      }
      out.append(" (0x")
      out.append(hex: pid, width: 4)
      out.append("), length ")
      out.append(decimal: length - 8)
      out.append(": ")
    }
    payloadText(
      printer, bytes, start: start + 8, end: range.upperBound, length: length - 8, to: &out)
    return true
  }

  /// tcpdump's `%.2f` of `value / divisor` for a value the division leaves exact in binary
  /// (STP's 1/256 s timers): rounded half to even, as printf rounds an exact tie.
  static func writeHundredths(_ value: UInt64, divisor: UInt64, to out: inout TextBuffer) {
    let scaled = value * 100
    var hundredths = scaled / divisor
    let rest = scaled % divisor
    if rest * 2 > divisor || (rest * 2 == divisor && hundredths % 2 == 1) { hundredths += 1 }
    out.append(decimal: hundredths / 100)
    out.append(byte: 0x2E)
    out.appendDigits(hundredths % 100, count: 2)
  }

  /// One name of tcpdump's `bittok2str` list: `name` when `bit` is set in `value`, after `, `
  /// unless it is the first (`first` tracks that).
  static func writeBitName(
    _ value: UInt32, _ bit: UInt32, _ name: StaticString, first: inout Bool,
    to out: inout TextBuffer
  ) {
    guard value & bit == bit else { return }
    if !first { out.append(", ") }
    out.append(name)
    first = false
  }
}

extension OneLineFormatter {
  /// A `raw` payload at `index` after UDP that a text printer knows by its ports: prints it
  /// and returns true; false otherwise (UDP then prints `UDP, length N`). `length` is the
  /// payload's length from the UDP header.
  mutating func rawPayloadText(
    _ layers: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int, length: Int,
    over transport: IPProtocol, to out: inout TextBuffer
  ) -> Bool {
    guard transport == .udp, index > 0, case .udp(let header) = layers[index - 1].header,
      let printer = PayloadText.udp(srcPort: header.srcPort, dstPort: header.dstPort)
    else { return false }
    let range = layers[index].range
    payloadText(
      printer, bytes, start: range.lowerBound, end: range.upperBound, length: length, to: &out)
    return true
  }
}
