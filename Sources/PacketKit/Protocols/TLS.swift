// TLS records (RFC 8446 §5.1, RFC 5246 §6.2), read only: one layer per record that starts in
// the TCP segment, with the ClientHello and ServerHello fields JA3/JA4 fingerprints use.
//
//  record:     content_type(1) version(2) length(2) fragment(length)
//  handshake:  msg_type(1) length(3) body
//  ClientHello body: client_version(2) random(32) session_id<0..32> (1-byte length)
//              cipher_suites<2..2^16-2> (2-byte length) compression_methods<1..2^8-1>
//              extensions<0..2^16-1> (2-byte length; each: type(2) length(2) data)
//  ServerHello body: server_version(2) random(32) session_id<0..32> cipher_suite(2)
//              compression_method(1) extensions<0..2^16-1>

/// One TLS record header, and the type of the handshake message it starts with.
public struct TLSRecord: Sendable, Hashable {
  /// The record's content type (20 change_cipher_spec, 21 alert, 22 handshake,
  /// 23 application_data, 24 heartbeat).
  public var contentType: UInt8
  /// The record's protocol version (0x0301 for TLS 1.0 ... 0x0303).
  public var version: UInt16
  /// The fragment's length, in bytes, as the header says.
  public var length: UInt16
  /// The type of the handshake message the record starts with (1 ClientHello, 2
  /// ServerHello, ...); nil when the record is not a handshake or its first bytes do not
  /// read as a message header (an encrypted handshake).
  public var handshakeType: UInt8?

  /// A record summary from its fields (tests and tools; the decoder reads it from the bytes).
  public init(contentType: UInt8, version: UInt16, length: UInt16, handshakeType: UInt8? = nil) {
    self.contentType = contentType
    self.version = version
    self.length = length
    self.handshakeType = handshakeType
  }

  /// The record header's length, in bytes.
  public static let headerLength = 5

  /// Whether the five bytes at `offset` read as a record header of a known content type and
  /// an SSL 3.0 to TLS 1.3 version (the caller has checked that 3 bytes are there).
  static func isHeader(_ bytes: Span<UInt8>, at offset: Int) -> Bool {
    bytes[offset] &- 20 < 5 && bytes[offset + 1] == 3 && bytes[offset + 2] <= 4
  }

  /// The handshake message types rawtool names; the others count as not a message header.
  static func handshakeName(_ type: UInt8) -> StaticString? {
    switch type {
    case 0: "HelloRequest"
    case 1: "ClientHello"
    case 2: "ServerHello"
    case 3: "HelloVerifyRequest"
    case 4: "NewSessionTicket"
    case 5: "EndOfEarlyData"
    case 8: "EncryptedExtensions"
    case 11: "Certificate"
    case 12: "ServerKeyExchange"
    case 13: "CertificateRequest"
    case 14: "ServerHelloDone"
    case 15: "CertificateVerify"
    case 16: "ClientKeyExchange"
    case 20: "Finished"
    case 21: "CertificateURL"
    case 22: "CertificateStatus"
    case 24: "KeyUpdate"
    default: nil
    }
  }

  /// The handshake message header at `offset` inside a record whose fragment ends at
  /// `fragmentEnd`: its type and the end of its body, when it reads as one (a known type and
  /// a length within the record).
  static func handshake(_ bytes: Span<UInt8>, at offset: Int, fragmentEnd: Int)
    -> (type: UInt8, bodyEnd: Int)?
  {
    guard offset + 4 <= fragmentEnd, offset + 4 <= bytes.count,
      handshakeName(bytes[offset]) != nil
    else { return nil }
    let length = Int(bytes[offset + 1]) << 16 | Int(bytes.be16(at: offset + 2))
    guard offset + 4 + length <= fragmentEnd else { return nil }
    return (bytes[offset], offset + 4 + length)
  }
}

/// A ClientHello or ServerHello body: what was read, as offsets in the frame.
struct TLSHello {
  /// client_version or server_version.
  var version: UInt16
  /// ClientHello: the cipher suite list's bytes; ServerHello: the chosen suite's 2 bytes.
  var cipherSuites: Range<Int>
  /// The extensions' bytes (empty without any).
  var extensions: Range<Int>
  /// Whether a length inside the body runs past the body's end.
  var isMalformed: Bool

  /// Reads the hello body in `body` (clipped to the bytes there are: `available`); nil when
  /// not even the version is there.
  init?(_ bytes: Span<UInt8>, body: Range<Int>, available: Int, client: Bool) {
    let end = min(body.upperBound, available)
    guard body.lowerBound + 2 <= end else { return nil }
    version = bytes.be16(at: body.lowerBound)
    cipherSuites = end..<end
    extensions = end..<end
    isMalformed = false
    var cursor = body.lowerBound + 34
    guard cursor < end else { return }
    cursor += 1 + Int(bytes[cursor])
    if client {
      guard cursor + 2 <= end else {
        flag(cursor + 2, body)
        return
      }
      let suites = Int(bytes.be16(at: cursor))
      cursor += 2
      cipherSuites = cursor..<min(cursor + suites, end)
      cursor += suites
      guard cursor < end else {
        flag(cursor + 1, body)
        return
      }
      cursor += 1 + Int(bytes[cursor])
    } else {
      guard cursor + 2 <= end else {
        flag(cursor + 2, body)
        return
      }
      cipherSuites = cursor..<(cursor + 2)
      cursor += 3
    }
    guard cursor + 2 <= end else {
      flag(cursor, body)
      return
    }
    let length = Int(bytes.be16(at: cursor))
    cursor += 2
    // A block whose length runs past the hello is not read (as tshark).
    guard cursor + length <= body.upperBound else {
      isMalformed = true
      return
    }
    extensions = cursor..<min(cursor + length, end)
  }

  /// Marks the body malformed when `needed` runs past its end (not past the bytes captured:
  /// a hello cut short is only cut short).
  private mutating func flag(_ needed: Int, _ body: Range<Int>) {
    if needed > body.upperBound { isMalformed = true }
  }

  /// The extensions in wire order: each one's type and data (clipped to the bytes there are).
  func eachExtension(_ bytes: Span<UInt8>, _ body: (UInt16, Range<Int>) -> Void) {
    var cursor = extensions.lowerBound
    while cursor + 4 <= extensions.upperBound {
      let length = Int(bytes.be16(at: cursor + 2))
      let start = cursor + 4
      body(bytes.be16(at: cursor), start..<min(start + length, extensions.upperBound))
      cursor = start + length
    }
  }

  /// The data of the first extension of `type`.
  func extensionData(_ bytes: Span<UInt8>, _ type: UInt16) -> Range<Int>? {
    var found: Range<Int>? = nil
    eachExtension(bytes) { kind, data in
      if found == nil && kind == type { found = data }
    }
    return found
  }

  /// The first host name of the server_name extension (0).
  func serverName(_ bytes: Span<UInt8>) -> Range<Int>? {
    guard let data = extensionData(bytes, 0) else { return nil }
    var cursor = data.lowerBound + 2
    while cursor + 3 <= data.upperBound {
      let length = Int(bytes.be16(at: cursor + 1))
      let name = (cursor + 3)..<min(cursor + 3 + length, data.upperBound)
      if bytes[cursor] == 0 { return name }
      cursor += 3 + length
    }
    return nil
  }

  /// The protocol names of the ALPN extension (16), in order.
  static func eachProtocol(
    _ bytes: Span<UInt8>, _ data: Range<Int>, _ body: (Range<Int>) -> Void
  ) {
    var cursor = data.lowerBound + 2
    while cursor < data.upperBound {
      let length = Int(bytes[cursor])
      body((cursor + 1)..<min(cursor + 1 + length, data.upperBound))
      cursor += 1 + length
    }
  }
}

extension DecodedLayer {
  /// A TLS record layer's hello, when its first handshake message is a ClientHello or a
  /// ServerHello.
  func tlsHello(_ record: TLSRecord, _ bytes: Span<UInt8>) -> (hello: TLSHello, client: Bool)? {
    guard let type = record.handshakeType, type == 1 || type == 2 else { return nil }
    let start = range.lowerBound + TLSRecord.headerLength
    guard start + 4 <= bytes.count else { return nil }
    let length = Int(bytes[start + 1]) << 16 | Int(bytes.be16(at: start + 2))
    let body = (start + 4)..<(start + 4 + length)
    guard let hello = TLSHello(bytes, body: body, available: range.upperBound, client: type == 1)
    else { return nil }
    return (hello, type == 1)
  }
}

// MARK: - Decoding

extension Walk {
  /// Decodes the TLS records that start in the TCP payload `range`, one layer each; false
  /// (the payload stays `raw`) when the payload does not start with a record header.
  mutating func tls(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
    let end = range.upperBound
    var cursor = range.lowerBound
    guard cursor + TLSRecord.headerLength <= end, TLSRecord.isHeader(bytes, at: cursor) else {
      return false
    }
    let captureCut = end >= bytes.count && frame.capturedLength < frame.wireLength
    while cursor < end && !frame.isFull {
      guard cursor + TLSRecord.headerLength <= end else {
        // A record header split over two segments.
        raw(bytes, cursor..<end)
        return true
      }
      var record = TLSRecord(
        contentType: bytes[cursor], version: bytes.be16(at: cursor + 1),
        length: bytes.be16(at: cursor + 3))
      let recordEnd = cursor + TLSRecord.headerLength + Int(record.length)
      guard TLSRecord.isHeader(bytes, at: cursor) else {
        // Bytes after a record that do not start another one are not TLS (as tshark).
        raw(bytes, cursor..<end)
        return true
      }
      let fragment = cursor + TLSRecord.headerLength
      if record.contentType == 22,
        let message = TLSRecord.handshake(bytes, at: fragment, fragmentEnd: recordEnd)
      {
        record.handshakeType = message.type
      }
      var status = LayerStatus.complete
      let layerRange = cursor..<min(recordEnd, end)
      if recordEnd > end && captureCut {
        status = .truncated(
          Truncation(
            layer: .tls, needed: recordEnd - cursor, available: end - cursor, offset: cursor,
            bound: .capture))
      } else {
        let layer = DecodedLayer(header: .tls(record), range: layerRange)
        if let (hello, _) = layer.tlsHello(record, bytes), hello.isMalformed {
          status = .malformed(
            Malformation(
              field: "handshake_type", reason: "a length runs past the hello",
              value: Int(record.handshakeType ?? 0)))
        }
      }
      append(bytes, .tls(record), layerRange, status)
      if case .malformed = status { return true }
      cursor = recordEnd
    }
    return true
  }
}

// MARK: - Fields

extension FieldName {
  static let contentType = FieldName("content_type")
  static let handshakeType = FieldName("handshake_type")
  static let clientVersion = FieldName("client_version")
  static let sni = FieldName("sni")
  static let alpn = FieldName("alpn")
  static let supportedVersions = FieldName("supported_versions")
  static let cipherSuites = FieldName("cipher_suites")
  static let serverVersion = FieldName("server_version")
  static let cipherSuite = FieldName("cipher_suite")
  static let selectedVersion = FieldName("selected_version")
}

/// TLS's fields, for `read --json` and `read -v`; `--from-json` rebuilds each record from
/// its bytes (`hex`), as crafting takes TLS only as `raw`.
enum TLSProtocol {
  static func describe<V: FieldVisitor>(
    _ record: TLSRecord, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    fields.number(.contentType, record.contentType, &out)
    fields.number(.version, record.version, .hex(width: 4), &out)
    fields.number(.length, record.length, &out)
    if let type = record.handshakeType {
      fields.number(.handshakeType, type, meaning: TLSRecord.handshakeName(type), &out)
    }
    if let (hello, client) = layer.tlsHello(record, bytes) {
      if client {
        describeClientHello(hello, bytes, &fields, &out)
      } else {
        fields.number(.serverVersion, hello.version, .hex(width: 4), &out)
        if hello.cipherSuites.count == 2 {
          fields.number(
            .cipherSuite, bytes.be16(at: hello.cipherSuites.lowerBound), .hex(width: 4), &out)
        }
        if let data = hello.extensionData(bytes, 43), data.count >= 2 {
          fields.number(.selectedVersion, bytes.be16(at: data.lowerBound), .hex(width: 4), &out)
        }
      }
    }
    // `--from-json` rebuilds the record from these bytes (a malformed layer's the formatter
    // adds itself).
    if V.view == .json, fields.includeHex, !layer.isMalformed,
      layer.range.upperBound <= bytes.count
    {
      fields.hex(.hex, bytes.extracting(layer.range), &out)
    }
  }

  static func describeClientHello<V: FieldVisitor>(
    _ hello: TLSHello, _ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer
  ) {
    fields.number(.clientVersion, hello.version, .hex(width: 4), &out)
    if let name = hello.serverName(bytes) {
      fields.text(.sni, &out) { $0.append(frameBytes: bytes, name) }
    }
    if let data = hello.extensionData(bytes, 16) {
      fields.list(.alpn, &out) { fields, out in
        TLSHello.eachProtocol(bytes, data) { name in
          fields.text(.element, &out) { $0.append(frameBytes: bytes, name) }
        }
      }
    }
    if let data = hello.extensionData(bytes, 43), !data.isEmpty {
      fields.list(.supportedVersions, &out) { fields, out in
        let end = min(data.upperBound, data.lowerBound + 1 + Int(bytes[data.lowerBound]))
        var cursor = data.lowerBound + 1
        while cursor + 2 <= end {
          fields.number(.element, bytes.be16(at: cursor), .hex(width: 4), &out)
          cursor += 2
        }
      }
    }
    fields.list(.cipherSuites, &out) { fields, out in
      var cursor = hello.cipherSuites.lowerBound
      while cursor + 2 <= hello.cipherSuites.upperBound {
        fields.number(.element, bytes.be16(at: cursor), .hex(width: 4), &out)
        cursor += 2
      }
    }
    fields.list(.extensions, &out) { fields, out in
      hello.eachExtension(bytes) { type, _ in fields.number(.element, type, &out) }
    }
  }

  /// The server name (SNI) a ClientHello record asks for, as offsets in the frame.
  static func serverName(_ layer: DecodedLayer, _ bytes: Span<UInt8>) -> Range<Int>? {
    guard case .tls(let record) = layer.header, let (hello, client) = layer.tlsHello(record, bytes),
      client
    else { return nil }
    return hello.serverName(bytes)
  }

  /// `--from-json` and expressions: `tls(hex=0x...)` is its bytes; the decoded fields are
  /// read only (craft TLS as `raw`).
  static let schema = LayerSchema(
    name: "tls", aliases: [],
    fields: [spec(.hex, .bytes) { (l: inout Payload, v) in l.bytes = v.bytes }],
    readOnly: [
      (.contentType, .u8), (.version, .u16), (.length, .u16), (.handshakeType, .u8),
      (.clientVersion, .u16), (.sni, .bytes), (.alpn, .bytes), (.supportedVersions, .bytes),
      (.cipherSuites, .bytes), (.extensions, .bytes), (.serverVersion, .u16),
      (.cipherSuite, .u16), (.selectedVersion, .u16),
    ],
    make: { .payload(Payload()) })
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// The TLS records from layer `index` on, which tcpdump does not decode:
  /// `TLS ClientHello sni example.com alpn h2,http/1.1`, records separated by `, `
  /// (`TLS ServerHello, ChangeCipherSpec, Handshake`).
  func tls(
    _ layers: borrowing Span<DecodedLayer>, _ bytes: Span<UInt8>, _ index: Int,
    to out: inout TextBuffer
  ) {
    out.append("TLS")
    var at = index
    while at < layers.count, case .tls(let record) = layers[at].header {
      out.append(at == index ? " " : ", ")
      tlsRecord(record, layers[at], bytes, to: &out)
      at += 1
    }
  }

  private func tlsRecord(
    _ record: TLSRecord, _ layer: DecodedLayer, _ bytes: Span<UInt8>, to out: inout TextBuffer
  ) {
    guard layer.status.isComplete || layer.status.isCutShort else {
      if let type = record.handshakeType, let name = TLSRecord.handshakeName(type) {
        out.append(name)
        out.append(" ")
      }
      return out.append("[malformed]")
    }
    switch record.contentType {
    case 20: out.append("ChangeCipherSpec")
    case 21: out.append("Alert")
    case 23: out.append("ApplicationData")
    case 24: out.append("Heartbeat")
    default:
      guard record.handshakeType != nil else { return out.append("Handshake") }
      // Each handshake message of the record, by name.
      let fragmentEnd = layer.range.lowerBound + TLSRecord.headerLength + Int(record.length)
      var cursor = layer.range.lowerBound + TLSRecord.headerLength
      var first = true
      while let message = TLSRecord.handshake(bytes, at: cursor, fragmentEnd: fragmentEnd) {
        if !first { out.append(", ") }
        first = false
        out.append(TLSRecord.handshakeName(message.type)!)
        if cursor == layer.range.lowerBound + TLSRecord.headerLength,
          let (hello, client) = layer.tlsHello(record, bytes)
        {
          if client, let name = hello.serverName(bytes) {
            out.append(" sni ")
            appendPrintable(bytes, name, to: &out)
          }
          if let data = hello.extensionData(bytes, 16) {
            out.append(" alpn ")
            var separator = false
            TLSHello.eachProtocol(bytes, data) { name in
              if separator { out.append(byte: UInt8(ascii: ",")) }
              separator = true
              appendPrintable(bytes, name, to: &out)
            }
          }
        }
        cursor = message.bodyEnd
      }
    }
  }

  /// Bytes of a name as text: printable ASCII as is, anything else as `.`.
  private func appendPrintable(_ bytes: Span<UInt8>, _ range: Range<Int>, to out: inout TextBuffer)
  {
    for index in range where index < bytes.count {
      let byte = bytes[index]
      out.append(byte: byte >= 0x20 && byte <= 0x7E ? byte : UInt8(ascii: "."))
    }
  }
}

extension DecodedLayer {
  /// Whether the layer is malformed (`read --json --hex` then gives its bytes on its own).
  var isMalformed: Bool {
    if case .malformed = status { return true }
    return false
  }
}
