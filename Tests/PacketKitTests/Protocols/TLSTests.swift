import Foundation
import Testing

@testable import PacketKit

@Suite("TLS")
struct TLSTests {
  static func record(_ type: UInt8, _ body: [UInt8], version: UInt16 = 0x0303) -> [UInt8] {
    [
      type, UInt8(version >> 8), UInt8(version & 0xFF), UInt8(body.count >> 8),
      UInt8(body.count & 0xFF),
    ]
      + body
  }

  static func handshake(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
    [type, 0, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
  }

  static func ext(_ type: UInt16, _ data: [UInt8]) -> [UInt8] {
    [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
  }

  static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }

  /// A ClientHello with SNI `example.com`, ALPN h2 and http/1.1, supported_versions 1.3 and 1.2.
  static func clientHello(extensionsLength: Int? = nil) -> [UInt8] {
    let name = Array("example.com".utf8)
    let sni = ext(0, be16(name.count + 3) + [0] + be16(name.count) + name)
    let protocols: [UInt8] = [2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8)
    let alpn = ext(16, be16(protocols.count) + protocols)
    let versions = ext(43, [4, 0x03, 0x04, 0x03, 0x03])
    let extensions = sni + ext(10, [0, 2, 0, 0x1d]) + alpn + versions
    let body =
      be16(0x0303) + [UInt8](repeating: 7, count: 32) + [0] + be16(4) + [0x13, 0x01, 0xc0, 0x2f]
      + [1, 0] + be16(extensionsLength ?? extensions.count) + extensions
    return handshake(1, body)
  }

  static func serverHello() -> [UInt8] {
    let body =
      be16(0x0303) + [UInt8](repeating: 9, count: 32) + [0] + [0x13, 0x01] + [0]
      + be16(6) + ext(43, [0x03, 0x04])
    return handshake(2, body)
  }

  @Test("ClientHello: SNI, ALPN, versions, suites, extensions in wire order; the line")
  func clientHello() throws {
    let frame = try WebFrames.tcp(Self.record(22, Self.clientHello(), version: 0x0301), dport: 443)
    #expect(WebFrames.decode(frame).layers.map(\.kind) == [.ethernet, .ipv4, .tcp, .tls])
    let tls = try #require(try WebFrames.json(frame)["tls"] as? [String: Any])
    #expect(tls["content_type"] as? Int == 22)
    #expect(tls["version"] as? Int == 0x0301)
    #expect(tls["handshake_type"] as? Int == 1)
    #expect(tls["client_version"] as? Int == 0x0303)
    #expect(tls["sni"] as? String == "example.com")
    #expect(tls["alpn"] as? [String] == ["h2", "http/1.1"])
    #expect(tls["supported_versions"] as? [Int] == [0x0304, 0x0303])
    #expect(tls["cipher_suites"] as? [Int] == [0x1301, 0xc02f])
    #expect(tls["extensions"] as? [Int] == [0, 10, 16, 43])
    #expect(WebFrames.line(frame).hasSuffix(": TLS ClientHello sni example.com alpn h2,http/1.1\n"))
  }

  @Test("Several records in one segment: one layer each, an array in JSON")
  func severalRecords() throws {
    let payload =
      Self.record(22, Self.serverHello()) + Self.record(20, [1]) + Self.record(23, [1, 2, 3, 4])
    let frame = try WebFrames.tcp(payload, sport: 443, dport: 40000)
    #expect(
      WebFrames.decode(frame).layers.map(\.kind) == [.ethernet, .ipv4, .tcp, .tls, .tls, .tls])
    let records = try #require(try WebFrames.json(frame)["tls"] as? [[String: Any]])
    #expect(records.map { $0["content_type"] as? Int } == [22, 20, 23])
    #expect(records[0]["server_version"] as? Int == 0x0303)
    #expect(records[0]["cipher_suite"] as? Int == 0x1301)
    #expect(records[0]["selected_version"] as? Int == 0x0304)
    #expect(
      WebFrames.line(frame).hasSuffix(": TLS ServerHello, ChangeCipherSpec, ApplicationData\n"))
    // Sniffed on another port; the hierarchy counts the records once.
    let other = try WebFrames.tcp(payload, sport: 8443, dport: 40000)
    let decoded = WebFrames.decode(other)
    #expect(decoded.layers.map(\.kind).last == .tls)
    #expect(CaptureStatistics.hierarchyPath(decoded.kinds).count == 4)
  }

  @Test("Damaged: lengths past the hello, garbage after a record, every prefix")
  func damaged() throws {
    let bad = try WebFrames.tcp(
      Self.record(22, Self.clientHello(extensionsLength: 0x4000)), dport: 443)
    let decoded = WebFrames.decode(bad)
    guard case .malformed = decoded[3].status else {
      Issue.record("expected a malformed TLS layer, got \(decoded[3].status)")
      return
    }
    #expect(WebFrames.line(bad).hasSuffix(": TLS ClientHello [malformed]\n"))
    let garbage = try WebFrames.tcp(
      Self.record(21, [2, 40]) + [0x99, 0x99, 0x99, 0x99, 0x99], dport: 443)
    #expect(WebFrames.decode(garbage).layers.map(\.kind).suffix(2) == [.tls, .raw])
    let notTLS = try WebFrames.tcp(Array("hello".utf8), dport: 443)
    #expect(WebFrames.decode(notTLS).layers.map(\.kind).last == .raw)
    // A huge record length, and every prefix of a ClientHello, cut by the capture.
    let huge = try WebFrames.tcp([22, 3, 3, 0xFF, 0xFF, 1, 0xFF, 0xFF, 0xFF], dport: 443)
    #expect(WebFrames.decode(huge).layers.map(\.kind).last == .tls)
    let full = try WebFrames.tcp(Self.record(22, Self.clientHello()), dport: 443)
    for length in 54...full.count {
      let prefix = Array(full.prefix(length))
      _ = WebFrames.line(prefix, wireLength: full.count)
      _ = try WebFrames.json(prefix, hex: true, wireLength: full.count)
      _ = WebFrames.verbose(prefix)
    }
  }

  @Test("stats: TLS server names and DNS query names counted without a string per packet")
  func names() throws {
    var statistics = CaptureStatistics()
    let frame = try WebFrames.tcp(Self.record(22, Self.clientHello()), dport: 443)
    for _ in 0..<3 {
      statistics.add(
        WebFrames.decode(frame), bytes: frame.span, timestampSeconds: 1, nanoseconds: 0,
        capturedLength: frame.count, wireLength: frame.count)
    }
    #expect(statistics.tlsServerNames.top(5).map(\.name) == ["example.com"])
    #expect(statistics.tlsServerNames.top(5).map(\.count) == [3])
    #expect(statistics.applications.map(\.kind) == [.tls])
    var text = TextBuffer()
    statistics.writeText(to: &text, top: 5)
    #expect(text.string.contains("TLS server names (top 1 of 1 by packets)"))
    // A DNS query's first question, compression pointers only backwards.
    let query: [UInt8] =
      [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + [7] + Array("example".utf8) + [3]
      + Array("com".utf8) + [0, 0, 1, 0, 1]
    var name = [UInt8](repeating: 0, count: ApplicationNames.longestName)
    let length = name.withUnsafeMutableBufferPointer {
      ApplicationNames.dnsQueryName(query.span, message: 0, end: query.count, into: $0)
    }
    #expect(length.map { String(decoding: name.prefix($0), as: UTF8.self) } == "example.com.")
    let loop: [UInt8] = [0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12]
    let none = name.withUnsafeMutableBufferPointer {
      ApplicationNames.dnsQueryName(loop.span, message: 0, end: loop.count, into: $0)
    }
    #expect(none == nil)
    var counter = NameCounter(capacity: 2)
    for word in ["a", "b", "c", "a"] {
      Array(word.utf8).withUnsafeBufferPointer { counter.count($0) }
    }
    #expect(counter.distinct == 2 && counter.uncounted == 1 && counter.total == 4)
    #expect(counter.top(1).map(\.name) == ["a"])
  }
}
