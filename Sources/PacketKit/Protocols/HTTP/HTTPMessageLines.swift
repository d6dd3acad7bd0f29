// The lines of an HTTP/1.x message head: the start line and the header lines (HTTP.swift).

/// The start line of an HTTP/1.x message: its three parts as offsets in the frame.
///
/// A request's parts are method, target and version; a response's are version, status code
/// and reason phrase (possibly empty). Finding it reads only the line itself.
struct HTTPStartLine {
  /// Method, or the version of a response.
  var first: Range<Int>
  /// Request target, or the status code.
  var second: Range<Int>
  /// Version of a request, or the reason phrase.
  var third: Range<Int>
  /// Whether this is a status line.
  var isResponse: Bool
  /// The status code (0 for a request).
  var status: UInt16
  /// The offset just after the line ending.
  var next: Int

  /// The longest method name taken (`VERSION-CONTROL` and the like fit).
  static let longestMethod = 24

  /// The start line at `range.lowerBound`, when the bytes are one: a method of capitals,
  /// `-` and `_` followed by a target and `HTTP/1.x`, or `HTTP/1.x` and three digits; the
  /// line must end (CRLF or LF) inside `range`, unless the capture cut it (`cut`): then a
  /// request needs its method and the target's first byte, a response its status code, and
  /// the parts are what was captured.
  init?(_ bytes: Span<UInt8>, _ range: Range<Int>, cut: Bool = false) {
    let start = range.lowerBound
    let end = min(range.upperBound, bytes.count)
    if cut, let line = Self.cutShort(bytes, start, end) {
      self = line
      return
    }
    guard end - start >= 12 else { return nil }
    if Self.isVersion(bytes, at: start) {
      // HTTP/1.x SP ddd [SP reason]
      guard bytes[start + 8] == UInt8(ascii: " ") else { return nil }
      var status: UInt16 = 0
      for index in (start + 9)..<(start + 12) {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        status = status * 10 + UInt16(digit)
      }
      guard let (lineEnd, next) = Self.lineEnd(bytes, from: start + 12, to: end) else {
        return nil
      }
      var reasonStart = start + 12
      if reasonStart < lineEnd {
        guard bytes[reasonStart] == UInt8(ascii: " ") else { return nil }
        reasonStart += 1
      }
      self.init(
        first: start..<(start + 8), second: (start + 9)..<(start + 12),
        third: reasonStart..<lineEnd, isResponse: true, status: status, next: next)
      return
    }
    // METHOD SP target SP HTTP/1.x
    var cursor = start
    while cursor < end, cursor - start <= Self.longestMethod, Self.isMethodByte(bytes[cursor]) {
      cursor += 1
    }
    guard cursor > start, cursor < end, cursor - start <= Self.longestMethod,
      bytes[cursor] == UInt8(ascii: " ")
    else { return nil }
    let methodEnd = cursor
    cursor += 1
    let targetStart = cursor
    cursor = bytes.firstSpaceOrControl(from: targetStart, to: end)
    guard cursor > targetStart, cursor + 9 <= end, bytes[cursor] == UInt8(ascii: " "),
      Self.isVersion(bytes, at: cursor + 1)
    else { return nil }
    let targetEnd = cursor
    guard let (lineEnd, next) = Self.lineEnd(bytes, from: cursor + 9, to: end),
      lineEnd == cursor + 9
    else { return nil }
    self.init(
      first: start..<methodEnd, second: targetStart..<targetEnd,
      third: (targetEnd + 1)..<lineEnd, isResponse: false, status: 0, next: next)
  }

  /// A start line the capture cut before its line ending, from the bytes there are.
  private static func cutShort(_ bytes: Span<UInt8>, _ start: Int, _ end: Int) -> HTTPStartLine? {
    var cursor = start
    while cursor < end {
      let byte = bytes[cursor]
      if byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") { return nil }
      cursor += 1
    }
    if end - start >= 12, isVersion(bytes, at: start), bytes[start + 8] == UInt8(ascii: " ") {
      var status: UInt16 = 0
      for index in (start + 9)..<(start + 12) {
        let digit = bytes[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        status = status * 10 + UInt16(digit)
      }
      let reason = min(start + 13, end)
      return HTTPStartLine(
        first: start..<(start + 8), second: (start + 9)..<(start + 12), third: reason..<end,
        isResponse: true, status: status, next: end)
    }
    cursor = start
    while cursor < end, cursor - start <= longestMethod, isMethodByte(bytes[cursor]) {
      cursor += 1
    }
    guard cursor - start >= 3, cursor + 1 < end, cursor - start <= longestMethod,
      bytes[cursor] == UInt8(ascii: " "), bytes[cursor + 1] > 0x20
    else { return nil }
    let targetStart = cursor + 1
    var targetEnd = targetStart
    while targetEnd < end, bytes[targetEnd] != UInt8(ascii: " ") { targetEnd += 1 }
    let versionStart = min(targetEnd + 1, end)
    return HTTPStartLine(
      first: start..<cursor, second: targetStart..<targetEnd, third: versionStart..<end,
      isResponse: false, status: 0, next: end)
  }

  private init(
    first: Range<Int>, second: Range<Int>, third: Range<Int>, isResponse: Bool, status: UInt16,
    next: Int
  ) {
    self.first = first
    self.second = second
    self.third = third
    self.isResponse = isResponse
    self.status = status
    self.next = next
  }

  /// `HTTP/1.` and a digit at `offset` (the caller has checked 8 bytes are there).
  static func isVersion(_ bytes: Span<UInt8>, at offset: Int) -> Bool {
    bytes[offset] == UInt8(ascii: "H") && bytes[offset + 1] == UInt8(ascii: "T")
      && bytes[offset + 2] == UInt8(ascii: "T") && bytes[offset + 3] == UInt8(ascii: "P")
      && bytes[offset + 4] == UInt8(ascii: "/") && bytes[offset + 5] == UInt8(ascii: "1")
      && bytes[offset + 6] == UInt8(ascii: ".") && bytes[offset + 7] &- UInt8(ascii: "0") < 10
  }

  static func isMethodByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "_")
  }

  /// Whether a TCP payload's first bytes may start an HTTP message: the cheap test before
  /// `init`, for payloads on ports no protocol claims. Off HTTP's ports only the methods of
  /// RFC 9110 and PATCH count (`GET `, `POST `, ...) and `HTTP/1.`, so that other text
  /// protocols (`USER x`, `EHLO x`, `DATA ...`) are not read as far as a line's end.
  static func mayStart(_ bytes: Span<UInt8>, at offset: Int) -> Bool {
    guard offset + 8 <= bytes.count else { return false }
    let word = bytes.be32(at: offset)
    switch word {
    case 0x4745_5420,  // "GET "
      0x5055_5420,  // "PUT "
      0x504F_5354,  // "POST"
      0x4845_4144,  // "HEAD"
      0x4445_4C45,  // "DELE"(TE)
      0x4F50_5449,  // "OPTI"(ONS)
      0x5452_4143,  // "TRAC"(E)
      0x434F_4E4E,  // "CONN"(ECT)
      0x5041_5443,  // "PATC"(H)
      0x4854_5450:  // "HTTP"
      return true
    default:
      return false
    }
  }

  /// The end of the line starting at or before `from` (the offset of its CR or LF) and the
  /// offset after its ending; nil when no line ending comes before `end` or a control byte
  /// other than a tab comes first.
  static func lineEnd(_ bytes: Span<UInt8>, from: Int, to end: Int) -> (Int, Int)? {
    var cursor = from
    while cursor < end {
      let byte = bytes[cursor]
      if byte == UInt8(ascii: "\n") { return (cursor, cursor + 1) }
      if byte == UInt8(ascii: "\r") {
        guard cursor + 1 < end, bytes[cursor + 1] == UInt8(ascii: "\n") else { return nil }
        return (cursor, cursor + 2)
      }
      guard byte >= 0x20 || byte == UInt8(ascii: "\t") else { return nil }
      cursor += 1
    }
    return nil
  }
}

/// The header lines of a message: each line's name and value (blanks around the value
/// removed), up to the empty line.
struct HTTPHeaderLines {
  var cursor: Int
  let end: Int

  /// The lines after the start line ending at `next`, up to `end`.
  init(after next: Int, end: Int) {
    cursor = next
    self.end = end
  }

  /// One header line: `name` and `value` as offsets; `value` is empty for a line without
  /// a colon, whose `name` is then the whole line.
  struct Line {
    var name: Range<Int>
    var value: Range<Int>
    var hasColon: Bool
  }

  /// Where the header block ended: just after the empty line, when it was seen.
  private(set) var blockEnd: Int? = nil

  /// The next header line, nil at the empty line or the end of the bytes.
  mutating func next(_ bytes: Span<UInt8>) -> Line? {
    guard blockEnd == nil, cursor < end else { return nil }
    let start = cursor
    var lineEnd = end
    var after = end
    // `end` is within the bytes: the layer's range, which the decoder clips to the capture.
    let index = bytes.firstLineFeed(from: start, to: end)
    if index < end {
      lineEnd = index > start && bytes[index - 1] == UInt8(ascii: "\r") ? index - 1 : index
      after = index + 1
    }
    cursor = after
    if lineEnd == start && after <= end && after > start {
      blockEnd = after
      return nil
    }
    var colon = start
    while colon < lineEnd && bytes[colon] != UInt8(ascii: ":") { colon += 1 }
    guard colon < lineEnd else {
      return Line(name: start..<lineEnd, value: lineEnd..<lineEnd, hasColon: false)
    }
    var valueStart = colon + 1
    var valueEnd = lineEnd
    while valueStart < valueEnd && Self.isBlank(bytes[valueStart]) { valueStart += 1 }
    while valueEnd > valueStart && Self.isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
    return Line(name: start..<colon, value: valueStart..<valueEnd, hasColon: true)
  }

  static func isBlank(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
  }

  /// Whether `range` of `bytes` spells `name` (lower case ASCII), ignoring case.
  static func named(_ bytes: Span<UInt8>, _ range: Range<Int>, _ name: StaticString) -> Bool {
    guard range.count == name.utf8CodeUnitCount else { return false }
    return name.withUTF8Buffer { expected in
      for index in 0..<expected.count
      where bytes[range.lowerBound + index] | 0x20 != expected[index] {
        return false
      }
      return true
    }
  }
}
