import Testing

@testable import PacketKit

/// `DNSNameReader.skip` walks a name over the raw bytes without building label ranges; it
/// must end where reading the name label by label (`next`, which the printers use) ends, with
/// the same outcome, for well-formed names, compression pointers, loops, forward pointers,
/// reserved label types and names cut short.
@Suite("DNS name skipping")
struct DNSNameSkipTests {
  /// What reading the name at `offset` label by label gives.
  static func readLabelByLabel(_ bytes: [UInt8], at offset: Int, _ message: DNSMessageBounds)
    -> (after: Int?, outcome: DNSReadOutcome)
  {
    var reader = DNSNameReader(at: offset, in: message)
    while reader.next(bytes.span, message) != nil {}
    return (reader.outcome == .done ? reader.after : nil, reader.outcome)
  }

  static func expectAgree(_ bytes: [UInt8], at offset: Int, start: Int, end: Int) {
    let message = DNSMessageBounds(start: start, end: end, declaredEnd: end)
    let skipped = DNSNameReader.skip(bytes.span, at: offset, message)
    let read = readLabelByLabel(bytes, at: offset, message)
    #expect(skipped.after == read.after, "after, bytes \(bytes) at \(offset) end \(end)")
    #expect(skipped.outcome == read.outcome, "outcome, bytes \(bytes) at \(offset) end \(end)")
  }

  @Test("hand-made names: plain, compressed, looping, forward, reserved, cut short")
  func handMade() {
    // A 12-byte header, then `example.com.` at 12, then a pointer to it at 25.
    let header = [UInt8](repeating: 0, count: 12)
    let name: [UInt8] = [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0]
    let bytes = header + name + [0xC0, 12]
    for end in 12...bytes.count {
      Self.expectAgree(bytes, at: 12, start: 0, end: end)
      Self.expectAgree(bytes, at: 25, start: 0, end: end)
    }
    let skipped = DNSNameReader.skip(
      bytes.span, at: 25, DNSMessageBounds(start: 0, end: bytes.count, declaredEnd: bytes.count))
    #expect(skipped.after == 27)
    #expect(skipped.outcome == .done)
    // A pointer to itself, a forward pointer, a reserved label type (0x40, 0x80).
    Self.expectAgree(header + [0xC0, 12], at: 12, start: 0, end: 14)
    Self.expectAgree(header + [0xC0, 14, 0], at: 12, start: 0, end: 15)
    Self.expectAgree(header + [0x40, 0], at: 12, start: 0, end: 14)
    Self.expectAgree(header + [0x80, 0], at: 12, start: 0, end: 14)
    // The root name.
    Self.expectAgree(header + [0], at: 12, start: 0, end: 13)
  }

  @Test("10,000 seeded random messages: the skip ends where the label reader does")
  func seededRandom() {
    var generator = SeededGenerator(seed: 0x5EED_D45)
    for _ in 0..<10_000 {
      let count = Int.random(in: 15...60, using: &generator)
      var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
      // Small lengths and pointers back into the message, so names go on for a while.
      for index in bytes.indices where Bool.random(using: &generator) {
        switch UInt8.random(in: 0...3, using: &generator) {
        case 0: bytes[index] = 0
        case 1: bytes[index] = UInt8.random(in: 1...6, using: &generator)
        case 2: bytes[index] = 0xC0
        default: bytes[index] = UInt8.random(in: 0...UInt8(count - 1), using: &generator)
        }
      }
      let start = Int.random(in: 0...2, using: &generator)
      let offset = Int.random(in: (start + 12)..<count, using: &generator)
      let end = Int.random(in: offset...count, using: &generator)
      Self.expectAgree(bytes, at: offset, start: start, end: end)
    }
  }
}

/// A SplitMix64 generator: the same sequence for the same seed on every run.
private struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
