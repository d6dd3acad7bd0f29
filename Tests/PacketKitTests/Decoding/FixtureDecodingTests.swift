import TestSupport
import Testing

@testable import PacketKit

/// Every packet of every fixture and corpus file: decoding never traps, decode → emit gives
/// back the same bytes, and every prefix of every frame decodes.
@Suite("Decoding real captures")
struct FixtureDecodingTests {
  /// Reads every record of `path`; the reader's error, if any, is returned, not thrown.
  static func forEachFrame(_ path: String, _ body: (CaptureRecord, Span<UInt8>) -> Void) -> Int {
    var count = 0
    guard var reader = try? CaptureFileReader(path: path) else { return 0 }
    try? reader.forEachRecord { record, bytes in
      body(record, bytes)
      count += 1
      return true
    }
    return count
  }

  static func checkRoundTrip(_ path: String) {
    let decoder = FrameDecoder()
    let records = forEachFrame(path) { record, bytes in
      let frame = decoder.decode(bytes, linkType: record.linkType, wireLength: record.wireLength)
      let (emitted, byFields) = frame.encode(from: bytes)
      var original: [UInt8] = []
      original.reserveCapacity(bytes.count)
      for index in 0..<bytes.count { original.append(bytes[index]) }
      #expect(emitted == original, "\(Fixtures.name(path)) #\(record.number)")
      if frame.count > 0 && frame[0].status.isComplete && frame[0].kind != .raw {
        #expect(
          byFields > 0, "\(Fixtures.name(path)) #\(record.number): nothing re-encoded from fields")
      }
    }
    #expect(records > 0, "\(Fixtures.name(path)) has no records")
  }

  @Test("Fixture packets round-trip byte for byte", arguments: Fixtures.all)
  func fixtureRoundTrip(path: String) {
    Self.checkRoundTrip(path)
  }

  @Test(
    "Corpus packets round-trip byte for byte", .enabled(if: Fixtures.corpusIsAvailable),
    arguments: Fixtures.corpus)
  func corpusRoundTrip(path: String) {
    Self.checkRoundTrip(path)
  }

  @Test("Every prefix of every fixture frame decodes", arguments: Fixtures.all)
  func everyPrefix(path: String) {
    let decoder = FrameDecoder()
    _ = Self.forEachFrame(path) { record, bytes in
      for length in 0...bytes.count {
        let frame = decoder.decode(
          bytes.extracting(0..<length), linkType: record.linkType, wireLength: record.wireLength)
        for index in 0..<frame.count { #expect(frame[index].range.upperBound <= length) }
      }
    }
  }
}
