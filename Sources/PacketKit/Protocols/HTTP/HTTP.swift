// HTTP/1.x (RFC 9112), read only: the start line and header lines a TCP segment carries.
//
//   request-line  = method SP request-target SP HTTP-version CRLF
//   status-line   = HTTP-version SP status-code [ SP reason-phrase ] CRLF
//   header lines  = ( field-name ":" OWS field-value OWS CRLF )*
//   CRLF          (the empty line ending the header block; the body follows as `raw`)
//
// A bare LF ends a line as well. The layer covers the start line through the empty line, or
// to the end of the segment when the header block goes on in the next one.

/// What a decoded HTTP layer holds; the frame's bytes are read again when printing.
public struct HTTPMessage: Sendable, Hashable {
  /// Whether the start line is a status line (else a request line).
  public var isResponse: Bool
  /// The status code of a response; 0 for a request.
  public var status: UInt16

  /// A message summary: a request, or a response with its status code.
  public init(isResponse: Bool, status: UInt16) {
    self.isResponse = isResponse
    self.status = status
  }
}

// MARK: - Decoding

extension Walk {
  /// Decodes an HTTP/1.x message head at the start of the TCP payload `range`; false (the
  /// payload stays `raw`) when the payload does not start with a request or status line.
  mutating func http(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
    let cut = range.upperBound >= bytes.count && frame.capturedLength < frame.wireLength
    guard let line = HTTPStartLine(bytes, range, cut: cut) else { return false }
    var lines = HTTPHeaderLines(after: line.next, end: range.upperBound)
    while lines.next(bytes) != nil {}
    let header = LayerHeader.http(
      HTTPMessage(isResponse: line.isResponse, status: line.status))
    if let blockEnd = lines.blockEnd {
      append(bytes, header, range.lowerBound..<blockEnd, .complete)
      raw(bytes, blockEnd..<range.upperBound)
      return true
    }
    // The header block goes on past these bytes: in the next segment, or cut by the capture.
    let announced = frame.count > 0 ? last.pointee.payloadLength : range.count
    if range.upperBound >= bytes.count && frame.capturedLength < frame.wireLength
      && announced > range.count
    {
      append(
        bytes, header, range,
        .truncated(
          Truncation(
            layer: .http, needed: announced, available: range.count, offset: range.lowerBound,
            bound: .capture)))
    } else {
      append(bytes, header, range, .complete)
    }
    return true
  }
}

// MARK: - Fields

extension FieldName {
  static let method = FieldName("method")
  static let uri = FieldName("uri")
  static let status = FieldName("status")
  static let reason = FieldName("reason")
  static let headers = FieldName("headers")
  static let host = FieldName("host")
  static let contentLength = FieldName("content_length")
}

extension TextBuffer {
  /// Appends the frame's bytes in `range` as they are (one reservation for the range).
  mutating func append(frameBytes bytes: Span<UInt8>, _ range: Range<Int>) {
    reserve(range.count)
    let target = base + length
    for index in range { target[index &- range.lowerBound] = bytes[index] }
    length &+= range.count
  }
}

/// HTTP's fields, for `read --json` and `read -v`; `--from-json` rebuilds the layer from its
/// bytes (`hex`), as crafting takes HTTP only as `raw`.
enum HTTPProtocol {
  static func describe<V: FieldVisitor>(
    _ message: HTTPMessage, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let range = layer.range
    guard let line = HTTPStartLine(bytes, range, cut: !layer.status.isComplete) else { return }
    if line.isResponse {
      fields.text(.version, &out) { $0.append(frameBytes: bytes, line.first) }
      fields.number(.status, line.status, &out)
      fields.text(.reason, &out) { $0.append(frameBytes: bytes, line.third) }
    } else {
      fields.text(.method, &out) { $0.append(frameBytes: bytes, line.first) }
      fields.text(.uri, &out) { $0.append(frameBytes: bytes, line.second) }
      fields.text(.version, &out) { $0.append(frameBytes: bytes, line.third) }
    }
    var host: Range<Int>? = nil
    var contentLength: UInt64? = nil
    var lines = HTTPHeaderLines(after: line.next, end: range.upperBound)
    var any = lines
    var hasHeaders = false
    while let header = any.next(bytes), !hasHeaders { hasHeaders = header.hasColon }
    if hasHeaders {
      fields.list(.headers, &out) { fields, out in
        // A line without a colon (one cut short) is no header.
        while let header = lines.next(bytes) {
          guard header.hasColon else { continue }
          fields.object(&out) { fields, out in
            fields.text(.name, &out) { $0.append(frameBytes: bytes, header.name) }
            fields.text(.value, &out) { $0.append(frameBytes: bytes, header.value) }
          }
          if host == nil, HTTPHeaderLines.named(bytes, header.name, "host") {
            host = header.value
          } else if contentLength == nil,
            HTTPHeaderLines.named(bytes, header.name, "content-length")
          {
            contentLength = decimal(bytes, header.value)
          }
        }
      }
    }
    if let host { fields.text(.host, &out) { $0.append(frameBytes: bytes, host) } }
    if let contentLength { fields.number(.contentLength, contentLength, &out) }
    // `--from-json` rebuilds the layer from these bytes (a malformed layer's the formatter
    // adds itself).
    if V.view == .json, fields.includeHex, !layer.isMalformed {
      fields.hex(.hex, bytes.extracting(range), &out)
    }
  }

  /// The decimal number `range` spells, when it is all digits and fits.
  static func decimal(_ bytes: Span<UInt8>, _ range: Range<Int>) -> UInt64? {
    guard !range.isEmpty, range.count <= 19 else { return nil }
    var value: UInt64 = 0
    for index in range {
      let digit = bytes[index] &- UInt8(ascii: "0")
      guard digit < 10 else { return nil }
      value = value * 10 + UInt64(digit)
    }
    return value
  }

  /// The TCP ports tcpdump prints as HTTP (80 and 8080): their payload gets `HTTP` in the
  /// one-line view even when it is not a message head.
  static func isTCPDumpPort(_ srcPort: UInt16, _ dstPort: UInt16) -> Bool {
    srcPort == 80 || dstPort == 80 || srcPort == 8080 || dstPort == 8080
  }

  /// `--from-json` and expressions: `http(hex=0x...)` is its bytes; the decoded fields are
  /// read only (craft HTTP as `raw`).
  static let schema = LayerSchema(
    name: "http", aliases: [],
    fields: [spec(.hex, .bytes) { (l: inout Payload, v) in l.bytes = v.bytes }],
    readOnly: [
      (.method, .bytes), (.uri, .bytes), (.version, .bytes), (.status, .u16), (.reason, .bytes),
      (.headers, .bytes), (.host, .bytes), (.contentLength, .integer(max: .max)),
    ],
    make: { .payload(Payload()) })
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// The methods tcpdump's HTTP printer knows (print-http.c), for its start-line test.
  static let httpCommands: [StaticString] = [
    "GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST", "BCOPY", "BMOVE", "MKCOL",
    "TRACE", "LABEL", "MERGE", "DELETE", "SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY",
    "BDELETE", "CONNECT", "OPTIONS", "CHECKIN", "PROPFIND", "CHECKOUT", "CCM_POST", "SUBSCRIBE",
    "PROPPATCH", "BPROPFIND", "BPROPPATCH", "UNCHECKOUT", "MKACTIVITY", "MKWORKSPACE",
    "UNSUBSCRIBE", "RPC_CONNECT", "VERSION-CONTROL", "BASELINE-CONTROL",
  ]

  /// tcpdump's HTTP text (`HTTP: GET / HTTP/1.1`) for the `length` payload bytes at
  /// `start`: `HTTP`, then the first line when the payload starts with a known method or its
  /// second word is a three-digit code, ` [|http]` when the capture ends inside that line.
  func http(_ bytes: Span<UInt8>, from start: Int, length: Int, to out: inout TextBuffer) {
    out.append("HTTP")
    let captured = max(0, min(bytes.count, start + length) - start)
    var printThis = false
    if let first = txtToken(bytes, start, at: 0, length: length, captured: captured) {
      for command in Self.httpCommands where Self.equalsIgnoringCase(bytes, first.token, command) {
        printThis = true
        break
      }
      if let second = txtToken(bytes, start, at: first.next, length: length, captured: captured),
        second.token.count == 3
      {
        var digits = true
        for index in second.token where bytes[index] &- UInt8(ascii: "0") >= 10 { digits = false }
        if digits { printThis = true }
      }
    }
    guard printThis else { return }
    if verbosity > 0 {
      return httpVerbose(bytes, from: start, length: length, captured: captured, to: &out)
    }
    // The first line, when it is printable text (tcpdump's print_txt_line).
    var index = 0
    while index < length {
      guard index < captured else { return out.append(" [|http]") }
      let byte = bytes[start + index]
      if byte == UInt8(ascii: "\n") { break }
      if byte == UInt8(ascii: "\r") {
        guard index + 1 < length else { return }
        guard index + 1 < captured else { return out.append(" [|http]") }
        guard bytes[start + index + 1] == UInt8(ascii: "\n") else { return }
        break
      }
      guard (byte >= 0x20 && byte <= 0x7E) || byte == UInt8(ascii: "\t") else { return }
      index += 1
    }
    out.append(": ")
    out.append(frameBytes: bytes, start..<(start + index))
  }

  /// tcpdump's fetch_token: the word at `index` of the payload (printable ASCII, at most 127
  /// bytes) and where the next one starts, or nil.
  private func txtToken(
    _ bytes: Span<UInt8>, _ start: Int, at index: Int, length: Int, captured: Int
  ) -> (token: Range<Int>, next: Int)? {
    var cursor = index
    while cursor < length {
      guard cursor < captured else { return nil }
      let byte = bytes[start + cursor]
      if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { break }
      guard byte >= 0x20 && byte <= 0x7E, cursor - index < 127 else { return nil }
      cursor += 1
    }
    guard cursor > index else { return nil }
    let token = (start + index)..<(start + cursor)
    while cursor < length, cursor < captured {
      let byte = bytes[start + cursor]
      guard byte == 0x20 else { break }
      cursor += 1
    }
    return (token, cursor)
  }

  static func equalsIgnoringCase(_ bytes: Span<UInt8>, _ range: Range<Int>, _ word: StaticString)
    -> Bool
  {
    guard range.count == word.utf8CodeUnitCount else { return false }
    return word.withUTF8Buffer { expected in
      for index in 0..<expected.count {
        var byte = bytes[range.lowerBound + index]
        if byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") { byte -= 0x20 }
        if byte != expected[index] { return false }
      }
      return true
    }
  }
}
