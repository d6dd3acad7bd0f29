import Foundation
import Testing

@testable import PacketKit

@Suite("HTTP")
struct HTTPTests {
  let get = Array(
    "GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com\r\nAccept:  */* \r\n\r\n".utf8)

  @Test("A request on port 80: fields, tcpdump's line, no body")
  func request() throws {
    let frame = try WebFrames.tcp(get, dport: 80)
    let decoded = WebFrames.decode(frame)
    #expect(decoded.layers.map(\.kind) == [.ethernet, .ipv4, .tcp, .http])
    let json = try WebFrames.json(frame)
    let http = try #require(json["http"] as? [String: Any])
    #expect(http["method"] as? String == "GET")
    #expect(http["uri"] as? String == "/index.html?q=1")
    #expect(http["version"] as? String == "HTTP/1.1")
    #expect(http["host"] as? String == "www.example.com")
    let headers = try #require(http["headers"] as? [[String: String]])
    #expect(
      headers == [
        ["name": "Host", "value": "www.example.com"], ["name": "Accept", "value": "*/*"],
      ])
    #expect(
      WebFrames.line(frame).hasSuffix(
        "length \(get.count): HTTP: GET /index.html?q=1 HTTP/1.1\n"))
    #expect(
      WebFrames.verbose(frame).contains("    headers\n        name Host, value www.example.com\n"))
  }

  @Test("A response: status, reason, content length, the body as raw")
  func response() throws {
    let message = Array("HTTP/1.0 404 Not Found\r\nContent-Length: 3\r\n\r\nabc".utf8)
    let frame = try WebFrames.tcp(message, sport: 8080, dport: 40000)
    let decoded = WebFrames.decode(frame)
    #expect(decoded.layers.map(\.kind) == [.ethernet, .ipv4, .tcp, .http, .raw])
    #expect(decoded[4].range.count == 3)
    let http = try #require(try WebFrames.json(frame)["http"] as? [String: Any])
    #expect(http["status"] as? Int == 404)
    #expect(http["reason"] as? String == "Not Found")
    #expect(http["content_length"] as? Int == 3)
    #expect(WebFrames.line(frame).hasSuffix(": HTTP: HTTP/1.0 404 Not Found\n"))
  }

  @Test("Sniffed on an unclaimed port, printed only on tcpdump's ports")
  func sniffed() throws {
    let frame = try WebFrames.tcp(get, dport: 3128)
    #expect(WebFrames.decode(frame).layers.map(\.kind).last == .http)
    #expect(WebFrames.line(frame).hasSuffix("length \(get.count)\n"))
    // Not a message head: stays raw, and port 80 still says HTTP as tcpdump does.
    let body = try WebFrames.tcp(Array("<html>".utf8), sport: 80, dport: 40000)
    #expect(WebFrames.decode(body).layers.map(\.kind).last == .raw)
    #expect(WebFrames.line(body).hasSuffix("length 6: HTTP\n"))
    let other = try WebFrames.tcp(Array("hello world, no http".utf8), dport: 3128)
    #expect(WebFrames.decode(other).layers.map(\.kind).last == .raw)
  }

  @Test("Damaged: no version, cut by the capture, control bytes")
  func damaged() throws {
    for payload in [
      "GET /x\r\n\r\n", "GET / HTTP/1.1", "GET / HTTP/1.1\r\u{1}\n", "HTTP/1.1 2x0 OK\r\n",
    ] {
      let frame = try WebFrames.tcp(Array(payload.utf8), dport: 8000)
      #expect(WebFrames.decode(frame).layers.map(\.kind).last == .raw, "\(payload)")
    }
    let long = try WebFrames.tcp(get, dport: 80)
    let cut = Array(long.prefix(54 + 40))
    let decoded = WebFrames.decode(cut, wireLength: long.count)
    #expect(decoded.layers.map(\.kind).last == .http)
    #expect(!decoded[3].status.isComplete)
    let http = try #require(
      try WebFrames.json(cut, wireLength: long.count)["http"] as? [String: Any])
    #expect(http["truncated"] as? Bool == true)
    #expect(http["method"] as? String == "GET")
    #expect(
      WebFrames.line(cut, wireLength: long.count).hasSuffix(
        ": HTTP: GET /index.html?q=1 HTTP/1.1\n"))
    // Cut inside the start line: the parts that were captured, and tcpdump's `[|http]`.
    let short = Array(long.prefix(54 + 12))
    let partial = try #require(
      try WebFrames.json(short, wireLength: long.count)["http"] as? [String: Any])
    #expect(partial["uri"] as? String == "/index.h")
    #expect(partial["truncated"] as? Bool == true)
    #expect(WebFrames.line(short, wireLength: long.count).hasSuffix(": HTTP [|http]\n"))
    // Every prefix decodes and prints without trapping.
    for length in 54...long.count {
      let prefix = Array(long.prefix(length))
      _ = WebFrames.line(prefix, wireLength: long.count)
      _ = try WebFrames.json(prefix, hex: true, wireLength: long.count)
      _ = WebFrames.verbose(prefix)
    }
  }
}
