import PacketKit

/// Colours one-line packet text for a terminal, as a post-pass over what the one-line
/// formatter wrote: the timestamp dim, protocol names (`IP`, `ARP`, `UDP`, ...) magenta, addresses
/// and ports cyan, TCP flags (`[S.]`) yellow, and what went wrong (`[|tcp]`, `[truncated:
/// ...]`, `[malformed: ...]`, `[bad ...]`) red.
///
/// Kept apart from the formatter so uncoloured output (a pipe, a file, `--color never`) runs
/// exactly the formatter's code: the printer checks once per packet whether a colorizer is
/// set. Reuses one scratch array, so colouring allocates nothing per packet once warmed up.
struct LineColorizer {
  static let dim: StaticString = "\u{1B}[2m"
  static let magenta: StaticString = "\u{1B}[35m"
  static let cyan: StaticString = "\u{1B}[36m"
  static let yellow: StaticString = "\u{1B}[33m"
  static let red: StaticString = "\u{1B}[31m"
  static let reset: StaticString = "\u{1B}[0m"

  /// The text being coloured, copied out of the buffer.
  private var line: [UInt8] = []

  /// Rewrites the text of `buffer` from byte `start` to its end with colours.
  mutating func colorize(_ buffer: inout TextBuffer, from start: Int) {
    line.removeAll(keepingCapacity: true)
    buffer.withUnsafeBytes { raw in line.append(contentsOf: raw[start..<raw.count]) }
    buffer.truncate(to: start)
    var lineStart = 0
    while lineStart < line.count {
      var lineEnd = lineStart
      while lineEnd < line.count && line[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      colorizeLine(lineStart..<lineEnd, into: &buffer)
      if lineEnd < line.count { buffer.append(byte: UInt8(ascii: "\n")) }
      lineStart = lineEnd + 1
    }
  }

  private func colorizeLine(_ range: Range<Int>, into buffer: inout TextBuffer) {
    var index = range.lowerBound
    let end = range.upperBound
    // The timestamp: a first word starting with a digit (a date and a time with -tttt).
    if index < end && isDigit(line[index]) {
      var stop = wordEnd(from: index, to: end)
      if stop - index == 10 && line[index + 4] == UInt8(ascii: "-") && stop < end {
        stop = wordEnd(from: stop + 1, to: end)
      }
      emit(index..<stop, Self.dim, into: &buffer)
      index = stop
    }
    var previousWordWasFlags = false
    while index < end {
      let byte = line[index]
      if byte == UInt8(ascii: " ") {
        buffer.append(byte: byte)
        index += 1
        continue
      }
      if byte == UInt8(ascii: "["), let close = closingBracket(from: index, to: end) {
        if isProblem(at: index, to: close) {
          emit(index..<close + 1, Self.red, into: &buffer)
          index = close + 1
          previousWordWasFlags = false
          continue
        }
        if previousWordWasFlags {
          emit(index..<close + 1, Self.yellow, into: &buffer)
          index = close + 1
          previousWordWasFlags = false
          continue
        }
      }
      let stop = wordEnd(from: index, to: end)
      // The word without the punctuation that ends a clause (`192.0.2.2.80:`, `ARP,`).
      var core = stop
      while core > index, isTrailingPunctuation(line[core - 1]) { core -= 1 }
      if isAddress(index..<core) {
        emit(index..<core, Self.cyan, into: &buffer)
      } else if isProtocolName(index..<core) {
        emit(index..<core, Self.magenta, into: &buffer)
      } else {
        append(index..<core, into: &buffer)
      }
      append(core..<stop, into: &buffer)
      previousWordWasFlags = stop - index == 5 && matches(index, "Flags")
      index = stop
    }
  }

  // MARK: Word classes

  private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  private func isTrailingPunctuation(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";")
  }

  /// An IPv4 or IPv6 address or a MAC address, with or without a `.port` after it: hex
  /// digits, dots and colons only, with a digit, and at least three dots or two colons.
  private func isAddress(_ range: Range<Int>) -> Bool {
    var dots = 0
    var colons = 0
    var digit = false
    for index in range {
      let byte = line[index]
      switch byte {
      case UInt8(ascii: "."): dots += 1
      case UInt8(ascii: ":"): colons += 1
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = true
      case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): break
      default: return false
      }
    }
    return digit && (dots >= 3 || colons >= 2) && !isTimeOfDay(range)
  }

  /// `10:00:00.000` (an ICMP timestamp), not an address.
  private func isTimeOfDay(_ range: Range<Int>) -> Bool {
    let start = range.lowerBound
    return range.count >= 8 && isDigit(line[start]) && isDigit(line[start + 1])
      && line[start + 2] == UInt8(ascii: ":") && isDigit(line[start + 3])
      && isDigit(line[start + 4]) && line[start + 5] == UInt8(ascii: ":")
  }

  /// The protocol names tcpdump's one-line output starts a protocol's text with.
  static let protocolNames: [StaticString] = [
    "IP", "IP6", "ARP", "RARP", "ICMP", "ICMP6", "IGMP", "UDP", "TCP", "HTTP", "TLS", "GREv0",
    "GREv1", "VXLAN", "MPLS", "NTPv3", "NTPv4", "BOOTP/DHCP", "LLC", "STP", "SNAP", "dhcp6",
    "vlan", "ethertype", "igmp",
  ]

  /// One of ``protocolNames`` (`IP`, `IP6`, `ARP`, `ICMP6`).
  private func isProtocolName(_ range: Range<Int>) -> Bool {
    for name in Self.protocolNames where name.utf8CodeUnitCount == range.count {
      if matches(range.lowerBound, name) { return true }
    }
    return false
  }

  /// A bracket that reports a problem: `[|proto]`, `[truncated...]`, `[malformed...]`, `[bad ...]`.
  private func isProblem(at open: Int, to close: Int) -> Bool {
    let inside = open + 1
    return (inside < close && line[inside] == UInt8(ascii: "|"))
      || matches(inside, "truncated") || matches(inside, "malformed") || matches(inside, "bad ")
  }

  // MARK: Scanning

  private func wordEnd(from start: Int, to end: Int) -> Int {
    var index = start
    while index < end && line[index] != UInt8(ascii: " ") { index += 1 }
    return index
  }

  private func closingBracket(from open: Int, to end: Int) -> Int? {
    var index = open + 1
    while index < end {
      if line[index] == UInt8(ascii: "]") { return index }
      index += 1
    }
    return nil
  }

  private func matches(_ start: Int, _ word: StaticString) -> Bool {
    let count = word.utf8CodeUnitCount
    guard start + count <= line.count else { return false }
    let text = word.utf8Start
    for offset in 0..<count where line[start + offset] != text[offset] { return false }
    return true
  }

  // MARK: Output

  private func append(_ range: Range<Int>, into buffer: inout TextBuffer) {
    guard !range.isEmpty else { return }
    line.withUnsafeBufferPointer { bytes in
      buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
    }
  }

  private func emit(_ range: Range<Int>, _ color: StaticString, into buffer: inout TextBuffer) {
    guard !range.isEmpty else { return }
    buffer.append(color)
    append(range, into: &buffer)
    buffer.append(Self.reset)
  }
}
