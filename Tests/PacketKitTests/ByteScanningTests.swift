import Testing

@testable import PacketKit

/// The eight-at-a-time scans (ByteScanning.swift) against a byte-by-byte scan: every byte
/// value at every position of a word, every start and end, and random runs.
@Suite("ByteScanning")
struct ByteScanningTests {
  static func naive(_ bytes: [UInt8], _ start: Int, _ end: Int, _ isStop: (UInt8) -> Bool) -> Int {
    var at = start
    while at < end, !isStop(bytes[at]) { at += 1 }
    return at
  }

  static func isSpaceOrControl(_ byte: UInt8) -> Bool { byte <= 0x20 || byte == 0x7F }

  @Test("Every byte value, at every place in a word, stops the scans as it should")
  func everyByteEverywhere() {
    for value in 0...255 {
      for place in 0..<20 {
        // Text that stops neither scan (a request target's letters), one byte changed.
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 20)
        bytes[place] = UInt8(value)
        let span = bytes.span
        #expect(
          span.firstLineFeed(from: 0, to: 20) == Self.naive(bytes, 0, 20) { $0 == 0x0A },
          "line feed: \(value) at \(place)")
        #expect(
          span.firstSpaceOrControl(from: 0, to: 20)
            == Self.naive(bytes, 0, 20, Self.isSpaceOrControl),
          "space or control: \(value) at \(place)")
      }
    }
  }

  @Test("Every start and end, and bytes above 0x7F that do not stop a target")
  func everyRange() {
    let bytes: [UInt8] = Array("GET /a\u{E9}b/c\u{FF}d HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
    let span = bytes.span
    for start in 0...bytes.count {
      for end in start...bytes.count {
        #expect(
          span.firstLineFeed(from: start, to: end) == Self.naive(bytes, start, end) { $0 == 0x0A })
        #expect(
          span.firstSpaceOrControl(from: start, to: end)
            == Self.naive(bytes, start, end, Self.isSpaceOrControl))
      }
    }
  }

  @Test("Random runs agree with a byte-by-byte scan")
  func randomRuns() {
    var generator = SplitMix64(seed: 0x5CA7)
    for _ in 0..<2_000 {
      let count = Int(generator.next() % 70)
      // Mostly printable text, now and then a stop byte or a byte above 0x7F.
      let bytes = (0..<count).map { _ -> UInt8 in
        let draw = generator.next()
        switch draw % 16 {
        case 0: return UInt8(truncatingIfNeeded: draw >> 8)
        default: return 0x21 + UInt8(truncatingIfNeeded: draw >> 8) % 0x5E
        }
      }
      let start = count == 0 ? 0 : Int(generator.next() % UInt64(count + 1))
      let span = bytes.span
      #expect(
        span.firstLineFeed(from: start, to: count) == Self.naive(bytes, start, count) { $0 == 0x0A }
      )
      #expect(
        span.firstSpaceOrControl(from: start, to: count)
          == Self.naive(bytes, start, count, Self.isSpaceOrControl))
    }
  }
}
