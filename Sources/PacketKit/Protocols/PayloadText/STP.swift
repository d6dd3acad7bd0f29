// Spanning tree BPDUs as tcpdump's print-stp.c prints them (text only: the LLC payload stays
// `raw` in rawtool's layers): `STP 802.1d, Config, Flags [none], bridge-id
// 8000.02:00:00:00:00:01.8001, length 35`, and at -v the timers, root, MSTP's CIST and MSTIs.

extension OneLineFormatter {
  /// The names of the BPDU flags set in `flags` (tcpdump's `stp_bpdu_flag_values`), or
  /// `none`.
  static func writeSTPFlags(_ flags: UInt8, to out: inout TextBuffer) {
    let value = UInt32(flags)
    var first = true
    writeBitName(value, 0x01, "Topology change", first: &first, to: &out)
    writeBitName(value, 0x02, "Proposal", first: &first, to: &out)
    writeBitName(value, 0x10, "Learn", first: &first, to: &out)
    writeBitName(value, 0x20, "Forward", first: &first, to: &out)
    writeBitName(value, 0x40, "Agreement", first: &first, to: &out)
    writeBitName(value, 0x80, "Topology change ACK", first: &first, to: &out)
    if first { out.append("none") }
  }

  /// A BPDU in `start..<end` (the bytes captured; `length` from the LLC/SNAP header).
  mutating func stp(
    _ bytes: Span<UInt8>, start: Int, end: Int, length: Int, to out: inout TextBuffer
  ) {
    func has(_ offset: Int, _ count: Int) -> Bool { start + offset + count <= end }
    guard length >= 4 else { return out.append(" (invalid)") }
    guard has(0, 2) else { return out.append(" [|stp]") }
    if bytes.be16(at: start) != 0 {
      out.append("unknown STP version, length ")
      out.append(decimal: length)
      return
    }
    guard has(2, 1) else { return out.append(" [|stp]") }
    let version = bytes[start + 2]
    out.append("STP ")
    switch version {
    case 0: out.append("802.1d")
    case 2: out.append("802.1w")
    case 3: out.append("802.1s")
    case 4: out.append("802.1aq")
    default: return Self.writeUnknown("Unknown STP protocol (0x", version, to: &out)
    }
    guard has(3, 1) else { return out.append(" [|stp]") }
    let type = bytes[start + 3]
    out.append(", ")
    switch type {
    case 0x00: out.append("Config")
    case 0x02: out.append("Rapid STP")
    case 0x80: out.append("Topology Change")
    default: Self.writeUnknown("Unknown BPDU Type (0x", type, to: &out)
    }
    switch type {
    case 0x00:
      guard length >= 35 else { return out.append(" (invalid)") }
      stpConfig(bytes, start: start, end: end, version: version, length: length, to: &out)
    case 0x02 where version == 2:
      guard length >= 36 else { return out.append(" (invalid)") }
      stpConfig(bytes, start: start, end: end, version: version, length: length, to: &out)
    case 0x02 where version == 3 || version == 4:
      guard length >= 102 else { return out.append(" (invalid)") }
      guard has(35, 1) else { return out.append(" [|stp]") }
      guard bytes[start + 35] == 0 else { return out.append(" (invalid)") }
      guard has(36, 2) else { return out.append(" [|stp]") }
      let mstpLength = Int(bytes.be16(at: start + 36)) + 2
      guard length >= 36 + mstpLength else { return out.append(" (invalid)") }
      guard stpMultiple(bytes, start: start, end: end, length: length, to: &out) else { return }
      if version == 4 {
        guard has(36 + mstpLength, 2) else { return out.append(" [|stp]") }
        let spbLength = Int(bytes.be16(at: start + 36 + mstpLength)) + 2
        guard length >= 36 + mstpLength + spbLength, spbLength >= 87 else {
          return out.append(" (invalid)")
        }
        stpShortestPath(bytes, start: start, offset: 36 + mstpLength, end: end, to: &out)
      }
    default:
      break
    }
  }

  /// tcpdump's name for a value its table lacks: `PREFIX` (ending in `(0x`), the value in two
  /// hex digits, `)`.
  static func writeUnknown(_ prefix: StaticString, _ value: UInt8, to out: inout TextBuffer) {
    out.append(prefix)
    out.append(hex: value, width: 2)
    out.append(byte: 0x29)
  }

  /// `pppp.aa:bb:cc:dd:ee:ff`, a bridge id of 8 bytes at `offset` (the caller checked them).
  static func writeBridgeID(_ bytes: Span<UInt8>, at offset: Int, to out: inout TextBuffer) {
    out.append(hexByte: bytes[offset])
    out.append(hexByte: bytes[offset + 1])
    out.append(byte: 0x2E)
    for index in 2..<8 {
      if index > 2 { out.append(byte: 0x3A) }
      out.append(hexByte: bytes[offset + index])
    }
  }

  /// The four timers at `offset` (message age, max age, hello time, forward delay), in
  /// seconds with two decimals.
  static func writeSTPTimers(_ bytes: Span<UInt8>, at offset: Int, to out: inout TextBuffer) {
    out.append("\n\tmessage-age ")
    writeHundredths(UInt64(bytes.be16(at: offset)), divisor: 256, to: &out)
    out.append("s, max-age ")
    writeHundredths(UInt64(bytes.be16(at: offset + 2)), divisor: 256, to: &out)
    out.append("s, hello-time ")
    writeHundredths(UInt64(bytes.be16(at: offset + 4)), divisor: 256, to: &out)
    out.append("s, forwarding-delay ")
    writeHundredths(UInt64(bytes.be16(at: offset + 6)), divisor: 256, to: &out)
    out.append(byte: 0x73)
  }

  /// `tcpdump`'s port role name from a flags byte.
  static func writePortRole(_ flags: UInt8, to out: inout TextBuffer) {
    switch (flags & 0x0C) >> 2 {
    case 1: out.append("Alternate")
    case 2: out.append("Root")
    case 3: out.append("Designated")
    default: out.append("Unknown")
    }
  }

  /// A configuration (or 802.1w) BPDU after its type.
  func stpConfig(
    _ bytes: Span<UInt8>, start: Int, end: Int, version: UInt8, length: Int,
    to out: inout TextBuffer
  ) {
    guard start + 5 <= end else { return out.append(" [|stp]") }
    let flags = bytes[start + 4]
    out.append(", Flags [")
    Self.writeSTPFlags(flags, to: &out)
    out.append(byte: 0x5D)
    guard start + 27 <= end else { return out.append(" [|stp]") }
    out.append(", bridge-id ")
    Self.writeBridgeID(bytes, at: start + 17, to: &out)
    out.append(byte: 0x2E)
    out.append(hex: bytes.be16(at: start + 25), width: 4)
    out.append(", length ")
    out.append(decimal: length)
    guard verbosity > 0 else { return }
    guard start + 35 <= end else { return out.append(" [|stp]") }
    Self.writeSTPTimers(bytes, at: start + 27, to: &out)
    out.append("\n\troot-id ")
    Self.writeBridgeID(bytes, at: start + 5, to: &out)
    out.append(", root-pathcost ")
    out.append(decimal: bytes.be32(at: start + 13))
    if version == 2 {
      out.append(", port-role ")
      Self.writePortRole(flags, to: &out)
    }
  }

  /// An MSTP BPDU after its type: the CIST, then each MSTI at -v. False when the bytes ran
  /// out (the marker is written).
  func stpMultiple(
    _ bytes: Span<UInt8>, start: Int, end: Int, length: Int, to out: inout TextBuffer
  ) -> Bool {
    func has(_ offset: Int, _ count: Int) -> Bool { start + offset + count <= end }
    guard has(4, 1) else {
      out.append(" [|stp]")
      return false
    }
    let flags = bytes[start + 4]
    out.append(", CIST Flags [")
    Self.writeSTPFlags(flags, to: &out)
    out.append("], length ")
    out.append(decimal: length)
    guard verbosity > 0 else { return true }
    // Each piece of text is printed once the bytes it shows were captured, as tcpdump prints
    // until a read fails.
    func need(_ count: Int, _ out: inout TextBuffer) -> Bool {
      if has(0, count) { return true }
      out.append(" [|stp]")
      return false
    }
    out.append("\n\tport-role ")
    Self.writePortRole(flags, to: &out)
    out.append(", ")
    guard need(17, &out) else { return false }
    out.append("CIST root-id ")
    Self.writeBridgeID(bytes, at: start + 5, to: &out)
    out.append(", CIST ext-pathcost ")
    out.append(decimal: bytes.be32(at: start + 13))
    guard need(25, &out) else { return false }
    out.append("\n\tCIST regional-root-id ")
    Self.writeBridgeID(bytes, at: start + 17, to: &out)
    out.append(", ")
    guard need(27, &out) else { return false }
    out.append("CIST port-id ")
    out.append(hex: bytes.be16(at: start + 25), width: 4)
    out.append(byte: 0x2C)
    guard need(35, &out) else { return false }
    Self.writeSTPTimers(bytes, at: start + 27, to: &out)
    guard need(38, &out) else { return false }
    out.append("\n\tv3len ")
    let v3Length = Int(bytes.be16(at: start + 36))
    out.append(decimal: v3Length)
    out.append(", MCID Name ")
    var index = start + 39
    while index < start + 71 {
      guard index < end else {
        out.append(" [|stp]")
        return false
      }
      if bytes[index] == 0 { break }
      Self.writeCharacter(bytes[index], to: &out)
      index += 1
    }
    guard need(89, &out) else { return false }
    out.append(", rev ")
    out.append(decimal: bytes.be16(at: start + 71))
    out.append(",\n\t\tdigest ")
    for offset in 73..<89 { out.append(hexByte: bytes[start + offset]) }
    out.append(", ")
    guard need(93, &out) else { return false }
    out.append("CIST int-root-pathcost ")
    out.append(decimal: bytes.be32(at: start + 89))
    out.append(byte: 0x2C)
    guard need(101, &out) else { return false }
    out.append("\n\tCIST bridge-id ")
    Self.writeBridgeID(bytes, at: start + 93, to: &out)
    out.append(", ")
    guard need(102, &out) else { return false }
    out.append("CIST remaining-hops ")
    out.append(decimal: bytes[start + 101])
    guard v3Length > 64 else { return true }
    var remaining = v3Length - 64
    var offset = 102
    while remaining >= 16 {
      guard need(offset + 3, &out) else { return false }
      let msti = bytes[start + offset]
      out.append("\n\tMSTI ")
      out.append(decimal: bytes.be16(at: start + offset + 1) & 0x0FFF)
      out.append(", Flags [")
      Self.writeSTPFlags(msti, to: &out)
      out.append("], port-role ")
      Self.writePortRole(msti, to: &out)
      guard need(offset + 13, &out) else { return false }
      out.append("\n\t\tMSTI regional-root-id ")
      Self.writeBridgeID(bytes, at: start + offset + 1, to: &out)
      out.append(", pathcost ")
      out.append(decimal: bytes.be32(at: start + offset + 9))
      guard need(offset + 16, &out) else { return false }
      out.append("\n\t\tMSTI bridge-prio ")
      out.append(decimal: bytes[start + offset + 13] >> 4)
      out.append(", port-prio ")
      out.append(decimal: bytes[start + offset + 14] >> 4)
      out.append(", hops ")
      out.append(decimal: bytes[start + offset + 15])
      remaining -= 16
      offset += 16
    }
    return true
  }

  /// 802.1aq's SPB part at `offset` (-v only).
  func stpShortestPath(
    _ bytes: Span<UInt8>, start: Int, offset: Int, end: Int, to out: inout TextBuffer
  ) {
    guard verbosity > 0 else { return }
    let base = start + offset
    guard base + 2 <= end else { return out.append(" [|stp]") }
    out.append("\n\tv4len ")
    out.append(decimal: bytes.be16(at: base))
    out.append(", AUXMCID Name ")
    var index = base + 3
    while index < base + 35 {
      guard index < end else { return out.append(" [|stp]") }
      if bytes[index] == 0 { break }
      Self.writeCharacter(bytes[index], to: &out)
      index += 1
    }
    guard base + 53 <= end else { return out.append(" [|stp]") }
    out.append(", Rev ")
    out.append(decimal: bytes.be16(at: base + 35))
    out.append(",\n\t\tdigest ")
    for position in 37..<53 { out.append(hexByte: bytes[base + position]) }
    guard base + 87 <= end else { return out.append(" [|stp]") }
    let agreement = bytes[base + 53]
    let format = bytes[base + 55]
    let convention = bytes[base + 56]
    out.append("\n\tAgreement num ")
    out.append(decimal: agreement >> 6)
    out.append(", Discarded Agreement num ")
    out.append(decimal: agreement >> 4 & 0x3)
    out.append(", Agreement valid-flag ")
    out.append(decimal: agreement >> 3 & 0x1)
    out.append(",\n\tRestricted role-flag: ")
    out.append(decimal: agreement >> 2 & 0x1)
    out.append(", Format id ")
    out.append(decimal: format >> 4)
    out.append(" cap ")
    out.append(decimal: format)
    out.append(", Convention id ")
    out.append(decimal: convention >> 4)
    out.append(" cap ")
    out.append(decimal: convention)
    out.append(",\n\tEdge count ")
    out.append(decimal: bytes.be16(at: base + 57))
    out.append(", Agreement digest ")
    for position in 67..<87 { out.append(hexByte: bytes[base + position]) }
  }
}
