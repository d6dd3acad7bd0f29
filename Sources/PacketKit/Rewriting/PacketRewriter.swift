/// Rewrites the addresses of a frame in place, as `rawtool replay --map-mac/--map-ip` does,
/// and fixes every checksum that covers a rewritten field.
///
/// What it rewrites: the Ethernet source and destination (`--map-mac`), through 802.1Q /
/// 802.1ad tags; the IPv4 and IPv6 source and destination (`--map-ip`), through IPv6
/// extension headers; the addresses of the IP header quoted inside an ICMP or ICMPv6 error;
/// the hardware and protocol addresses of ARP.
///
/// Checksums are updated incrementally (RFC 1624: `HC' = ~(~HC + ~m + m')`): the IPv4
/// header checksum, the TCP, UDP and ICMPv6 checksums (their pseudo-header holds the
/// addresses), the checksums inside an ICMP quote, and the ICMP / ICMPv6 checksum over the
/// rewritten quote. An incremental update keeps a valid checksum valid and a checksum that
/// was wrong on purpose wrong by the same amount, and works on truncated captures and IP
/// fragments alike. A UDP checksum of 0 (none, over IPv4) stays 0. With
/// ``fixChecksums``, every checksum of the frame whose data is all present is recomputed
/// afterwards, wrong or not.
///
/// Pure bytes; allocates nothing.
public struct PacketRewriter: Sendable {
  /// `--map-mac` rules, the first match wins.
  public var macMappings: [MACMapping]
  /// `--map-ip` rules, the first match wins.
  public var addressMappings: [AddressMapping]
  /// Recompute every checksum of the frame (`--fix-checksums`).
  public var fixChecksums: Bool

  /// Creates a rewriter from its rules.
  public init(
    macMappings: [MACMapping] = [], addressMappings: [AddressMapping] = [],
    fixChecksums: Bool = false
  ) {
    self.macMappings = macMappings
    self.addressMappings = addressMappings
    self.fixChecksums = fixChecksums
  }

  /// Whether the rewriter changes nothing (no rule, no checksum fixing).
  public var isEmpty: Bool { macMappings.isEmpty && addressMappings.isEmpty && !fixChecksums }

  /// Rewrites `frame` (of link type `linkType`: Ethernet, raw IP, IPv4, IPv6 or Linux
  /// cooked) in place. Other link types are left alone.
  ///
  /// - Returns: whether a byte changed.
  @discardableResult
  public func rewrite(_ frame: UnsafeMutableRawBufferPointer, linkType: LinkType) -> Bool {
    var bytes = FrameBytes(frame)
    switch linkType {
    case .ethernet:
      guard bytes.count >= 14 else { return false }
      mapMAC(&bytes, at: 0)
      mapMAC(&bytes, at: 6)
      var type = bytes.be16(12)
      var offset = 14
      while type == 0x8100 || type == 0x88A8 || type == 0x9100, offset + 4 <= bytes.count {
        type = bytes.be16(offset + 2)
        offset += 4
      }
      rewriteNetwork(&bytes, etherType: type, at: offset)
    case .linuxSLL:
      guard bytes.count >= 16 else { return false }
      rewriteNetwork(&bytes, etherType: bytes.be16(14), at: 16)
    case .raw, .ipv4, .ipv6:
      guard bytes.count >= 1 else { return false }
      let version = bytes[0] >> 4
      rewriteNetwork(&bytes, etherType: version == 6 ? 0x86DD : version == 4 ? 0x0800 : 0, at: 0)
    default:
      return false
    }
    return bytes.changed
  }

  /// Rewrites the frame held in `frame` in place, as the buffer-pointer variant does.
  @discardableResult
  public func rewrite(_ frame: inout [UInt8], linkType: LinkType) -> Bool {
    frame.withUnsafeMutableBytes { rewrite($0, linkType: linkType) }
  }

  // MARK: Layers

  private func mapMAC(_ bytes: inout FrameBytes, at offset: Int) {
    guard !macMappings.isEmpty, offset + 6 <= bytes.count else { return }
    var value: UInt64 = 0
    for index in 0..<6 { value = value << 8 | UInt64(bytes[offset + index]) }
    for rule in macMappings where rule.from.rawValue == value {
      for index in 0..<6 {
        bytes.set(offset + index, UInt8(truncatingIfNeeded: rule.to.rawValue >> (40 - 8 * index)))
      }
      return
    }
  }

  private func mapIPv4(_ address: UInt32) -> UInt32 {
    for rule in addressMappings { if let mapped = rule.map(address) { return mapped } }
    return address
  }

  private func mapIPv6(_ address: IPv6Address) -> IPv6Address {
    for rule in addressMappings { if let mapped = rule.map(address) { return mapped } }
    return address
  }

  private func rewriteNetwork(_ bytes: inout FrameBytes, etherType: UInt16, at offset: Int) {
    var ignored = ChecksumDelta()
    switch etherType {
    case 0x0800: rewriteIPv4(&bytes, at: offset, end: bytes.count, quoted: false, delta: &ignored)
    case 0x86DD: rewriteIPv6(&bytes, at: offset, end: bytes.count, quoted: false, delta: &ignored)
    case 0x0806: rewriteARP(&bytes, at: offset)
    default: break
    }
  }

  private func rewriteARP(_ bytes: inout FrameBytes, at offset: Int) {
    guard offset + 28 <= bytes.count, bytes.be16(offset) == 1, bytes.be16(offset + 2) == 0x0800,
      bytes[offset + 4] == 6, bytes[offset + 5] == 4
    else { return }
    var ignored = ChecksumDelta()
    mapMAC(&bytes, at: offset + 8)
    mapMAC(&bytes, at: offset + 18)
    if !addressMappings.isEmpty {
      bytes.setBE32(offset + 14, mapIPv4(bytes.be32(offset + 14)), tracking: &ignored)
      bytes.setBE32(offset + 24, mapIPv4(bytes.be32(offset + 24)), tracking: &ignored)
    }
  }

  /// Rewrites the IPv4 packet at `offset` (bytes up to `end`); every 16-bit word written
  /// is added to `delta` (for the checksum of an enclosing ICMP message).
  private func rewriteIPv4(
    _ bytes: inout FrameBytes, at offset: Int, end outerEnd: Int, quoted: Bool,
    delta: inout ChecksumDelta
  ) {
    guard offset + 20 <= outerEnd, bytes[offset] >> 4 == 4 else { return }
    let headerLength = Int(bytes[offset] & 0x0F) * 4
    guard headerLength >= 20, offset + headerLength <= outerEnd else { return }
    let totalLength = Int(bytes.be16(offset + 2))
    let end =
      !quoted && totalLength >= headerLength ? min(outerEnd, offset + totalLength) : outerEnd
    let fragment = bytes.be16(offset + 6)
    let firstFragment = fragment & 0x1FFF == 0
    let wholeDatagram = firstFragment && fragment & 0x2000 == 0
    let proto = bytes[offset + 9]
    let transport = offset + headerLength

    // Addresses, and the pseudo-header change they make.
    var addresses = ChecksumDelta()
    if !addressMappings.isEmpty {
      bytes.setBE32(offset + 12, mapIPv4(bytes.be32(offset + 12)), tracking: &addresses)
      bytes.setBE32(offset + 16, mapIPv4(bytes.be32(offset + 16)), tracking: &addresses)
    }
    var words = addresses
    if !addresses.isZero {
      bytes.adjustChecksum(at: offset + 10, by: addresses, tracking: &words)
    }
    if firstFragment {
      rewriteTransport(
        &bytes, proto: proto, at: transport, end: end, pseudoHeader: addresses, quoted: quoted,
        ipv6: false, tracking: &words)
    }
    if fixChecksums && !quoted {
      if wholeDatagram && totalLength <= outerEnd - offset {
        var pseudoHeaderSum = InternetChecksum()
        pseudoHeaderSum.add(word32: bytes.be32(offset + 12))
        pseudoHeaderSum.add(word32: bytes.be32(offset + 16))
        pseudoHeaderSum.add(word: UInt16(proto))
        pseudoHeaderSum.add(word: UInt16(truncatingIfNeeded: offset + totalLength - transport))
        recomputeTransport(
          &bytes, proto: proto, at: transport, end: offset + totalLength,
          pseudoHeader: pseudoHeaderSum.folded, ipv6: false, tracking: &words)
      }
      bytes.setBE16(offset + 10, 0, tracking: &words)
      bytes.setBE16(
        offset + 10, ~bytes.sum(offset..<offset + headerLength).folded, tracking: &words)
    }
    delta.add(words)
  }

  /// Rewrites the IPv6 packet at `offset` (bytes up to `end`), through its extension
  /// headers; every 16-bit word written is added to `delta`.
  private func rewriteIPv6(
    _ bytes: inout FrameBytes, at offset: Int, end outerEnd: Int, quoted: Bool,
    delta: inout ChecksumDelta
  ) {
    guard offset + 40 <= outerEnd, bytes[offset] >> 4 == 6 else { return }
    let payloadLength = Int(bytes.be16(offset + 4))
    let end =
      !quoted && payloadLength > 0 ? min(outerEnd, offset + 40 + payloadLength) : outerEnd
    var source = ChecksumDelta()
    var destination = ChecksumDelta()
    if !addressMappings.isEmpty {
      let oldSource = bytes.ipv6(offset + 8)
      let oldDestination = bytes.ipv6(offset + 24)
      bytes.setIPv6(offset + 8, mapIPv6(oldSource), tracking: &source)
      bytes.setIPv6(offset + 24, mapIPv6(oldDestination), tracking: &destination)
    }
    var words = source
    words.add(destination)
    // The transport's pseudo-header holds the final destination: a routing header with
    // segments left holds it instead of the IPv6 destination.
    var next = bytes[offset + 6]
    var position = offset + 40
    var routed = false
    var firstFragment = true
    var fragmented = false
    extensionHeaders: while position + 8 <= end {
      switch next {
      case 0, 43, 60, 135, 139, 140:
        if next == 43 && bytes[position + 3] > 0 { routed = true }
        next = bytes[position]
        position += (Int(bytes[position + 1]) + 1) * 8
      case 44:
        fragmented = true
        firstFragment = bytes.be16(position + 2) >> 3 == 0
        next = bytes[position]
        position += 8
      case 51:
        next = bytes[position]
        position += (Int(bytes[position + 1]) + 2) * 4
      default:
        break extensionHeaders
      }
    }
    var pseudoHeader = source
    if !routed { pseudoHeader.add(destination) }
    if firstFragment && position <= end {
      rewriteTransport(
        &bytes, proto: next, at: position, end: end, pseudoHeader: pseudoHeader, quoted: quoted,
        ipv6: true, tracking: &words)
      if fixChecksums && !quoted && !fragmented && !routed && payloadLength > 0
        && offset + 40 + payloadLength <= outerEnd
      {
        let length = offset + 40 + payloadLength - position
        var pseudoHeaderSum = bytes.sum(offset + 8..<offset + 40)
        pseudoHeaderSum.add(word32: UInt32(truncatingIfNeeded: length))
        pseudoHeaderSum.add(word: UInt16(next))
        recomputeTransport(
          &bytes, proto: next, at: position, end: offset + 40 + payloadLength,
          pseudoHeader: pseudoHeaderSum.folded, ipv6: true, tracking: &words)
      }
    }
    delta.add(words)
  }

  /// Updates the transport checksum for a pseudo-header change and rewrites ICMP quotes.
  private func rewriteTransport(
    _ bytes: inout FrameBytes, proto: UInt8, at offset: Int, end: Int,
    pseudoHeader: ChecksumDelta, quoted: Bool, ipv6: Bool, tracking words: inout ChecksumDelta
  ) {
    switch proto {
    case 6:  // TCP
      if !pseudoHeader.isZero && offset + 18 <= end {
        bytes.adjustChecksum(at: offset + 16, by: pseudoHeader, tracking: &words)
      }
    case 17:  // UDP: 0 means no checksum
      if !pseudoHeader.isZero && offset + 8 <= end && bytes.be16(offset + 6) != 0 {
        bytes.adjustChecksum(at: offset + 6, by: pseudoHeader, tracking: &words, zeroIs: 0xFFFF)
      }
    case 1, 58:  // ICMP, ICMPv6: errors quote the packet that caused them
      guard offset + 4 <= end else { return }
      var quote = ChecksumDelta()
      let type = bytes[offset]
      if !quoted && offset + 8 < end {
        let isError =
          ipv6
          ? (1...4).contains(type) : type == 3 || type == 4 || type == 5 || type == 11 || type == 12
        if isError {
          if ipv6 {
            rewriteIPv6(&bytes, at: offset + 8, end: end, quoted: true, delta: &quote)
          } else {
            rewriteIPv4(&bytes, at: offset + 8, end: end, quoted: true, delta: &quote)
          }
        }
      }
      words.add(quote)
      var change = quote
      if ipv6 { change.add(pseudoHeader) }
      if !change.isZero { bytes.adjustChecksum(at: offset + 2, by: change, tracking: &words) }
    default:
      break
    }
  }

  /// Recomputes the TCP, UDP, ICMP or ICMPv6 checksum of a whole segment (`--fix-checksums`).
  private func recomputeTransport(
    _ bytes: inout FrameBytes, proto: UInt8, at offset: Int, end: Int,
    pseudoHeader: UInt16, ipv6: Bool, tracking words: inout ChecksumDelta
  ) {
    let field: Int
    switch proto {
    case 6: field = offset + 16
    case 17: field = offset + 6
    case 1 where !ipv6: field = offset + 2
    case 58 where ipv6: field = offset + 2
    default: return
    }
    guard field + 2 <= end else { return }
    if proto == 17 && !ipv6 && bytes.be16(field) == 0 { return }
    bytes.setBE16(field, 0, tracking: &words)
    var sum = InternetChecksum()
    if proto != 1 { sum.add(word: pseudoHeader) }
    sum.add(word: bytes.sum(offset..<end).folded)
    var value = sum.checksum
    if proto == 17 && value == 0 { value = 0xFFFF }
    bytes.setBE16(field, value, tracking: &words)
  }
}

/// The one's-complement change a set of 16-bit word rewrites makes to a sum:
/// `Σ(~m + m')` (RFC 1624 eqn. 3).
struct ChecksumDelta {
  var sum: UInt64 = 0

  /// Adds the rewrite of one 16-bit word from `old` to `new`.
  @inline(__always)
  mutating func add(old: UInt16, new: UInt16) {
    sum &+= UInt64(~old) &+ UInt64(new)
  }

  mutating func add(_ other: ChecksumDelta) { sum &+= other.sum }

  /// Whether the change is nothing (every word rewritten to itself, or none).
  var isZero: Bool {
    var total = sum
    while total > 0xFFFF { total = (total & 0xFFFF) &+ (total >> 16) }
    return total == 0 || total == 0xFFFF
  }
}

/// A frame's bytes, with big-endian accessors and a record of whether anything changed.
struct FrameBytes {
  let base: UnsafeMutableRawBufferPointer
  var changed = false

  init(_ base: UnsafeMutableRawBufferPointer) { self.base = base }

  var count: Int { base.count }

  subscript(_ index: Int) -> UInt8 { base[index] }

  func be16(_ offset: Int) -> UInt16 { UInt16(base[offset]) << 8 | UInt16(base[offset + 1]) }

  func be32(_ offset: Int) -> UInt32 { UInt32(be16(offset)) << 16 | UInt32(be16(offset + 2)) }

  func ipv6(_ offset: Int) -> IPv6Address {
    var high: UInt64 = 0
    var low: UInt64 = 0
    for index in 0..<8 {
      high = high << 8 | UInt64(base[offset + index])
      low = low << 8 | UInt64(base[offset + 8 + index])
    }
    return IPv6Address(high: high, low: low)
  }

  mutating func set(_ offset: Int, _ value: UInt8) {
    if base[offset] != value {
      base[offset] = value
      changed = true
    }
  }

  /// Writes a 16-bit word and adds the change to `delta`.
  mutating func setBE16(_ offset: Int, _ value: UInt16, tracking delta: inout ChecksumDelta) {
    let old = be16(offset)
    guard old != value else { return }
    delta.add(old: old, new: value)
    base[offset] = UInt8(value >> 8)
    base[offset + 1] = UInt8(truncatingIfNeeded: value)
    changed = true
  }

  mutating func setBE32(_ offset: Int, _ value: UInt32, tracking delta: inout ChecksumDelta) {
    setBE16(offset, UInt16(value >> 16), tracking: &delta)
    setBE16(offset + 2, UInt16(truncatingIfNeeded: value), tracking: &delta)
  }

  mutating func setIPv6(_ offset: Int, _ value: IPv6Address, tracking delta: inout ChecksumDelta) {
    for index in 0..<4 {
      setBE16(
        offset + 2 * index, UInt16(truncatingIfNeeded: value.high >> (48 - 16 * index)),
        tracking: &delta)
      setBE16(
        offset + 8 + 2 * index, UInt16(truncatingIfNeeded: value.low >> (48 - 16 * index)),
        tracking: &delta)
    }
  }

  /// Applies `change` to the checksum stored at `offset` (RFC 1624 eqn. 3:
  /// `HC' = ~(~HC + Σ(~m + m'))`); the write itself is added to `delta`.
  mutating func adjustChecksum(
    at offset: Int, by change: ChecksumDelta, tracking delta: inout ChecksumDelta,
    zeroIs zero: UInt16 = 0
  ) {
    guard offset + 2 <= count else { return }
    var total = UInt64(~be16(offset)) &+ change.sum
    while total > 0xFFFF { total = (total & 0xFFFF) &+ (total >> 16) }
    var value = ~UInt16(total)
    if value == 0 && zero != 0 { value = zero }
    setBE16(offset, value, tracking: &delta)
  }

  /// The one's-complement sum of `range` (an odd last byte padded with zero).
  func sum(_ range: Range<Int>) -> InternetChecksum {
    var sum = InternetChecksum()
    var index = range.lowerBound
    while index + 1 < range.upperBound {
      sum.add(word: be16(index))
      index += 2
    }
    if index < range.upperBound { sum.add(word: UInt16(base[index]) << 8) }
    return sum
  }
}
