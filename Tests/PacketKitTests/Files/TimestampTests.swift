import Testing

@testable import PacketKit

/// `Timestamp`: the one parser of `seconds.fraction` texts (craft's `--time`, the JSON
/// `frame.time`) and the difference the statistics use.
@Suite("Timestamp")
struct TimestampTests {
  @Test(
    "parses seconds with a fraction of one to nine digits or none",
    arguments: [
      ("1700000000", 1_700_000_000, 0),
      ("0", 0, 0),
      ("1700000000.5", 1_700_000_000, 500_000_000),
      ("1700000000.000001000", 1_700_000_000, 1000),
      ("1700000000.000000001", 1_700_000_000, 1),
      ("1700000000.999999999", 1_700_000_000, 999_999_999),
      ("4294967296.25", 4_294_967_296, 250_000_000),
    ] as [(String, Int64, UInt32)])
  func parses(text: String, seconds: Int64, nanoseconds: UInt32) {
    #expect(Timestamp(parsing: text) == Timestamp(seconds: seconds, nanoseconds: nanoseconds))
  }

  @Test(
    "refuses anything else",
    arguments: [
      "", ".", "1.", ".5", "-1", "-1.5", "1.2.3", "1.1234567890", "abc", "1.x", "1e9", " 1",
      "1.٣",
    ])
  func refuses(text: String) {
    #expect(Timestamp(parsing: text) == nil)
  }

  @Test("the description parses back to the same time")
  func roundTrip() {
    let time = Timestamp(seconds: 1_700_000_000, nanoseconds: 1000)
    #expect(time.description == "1700000000.000001000")
    #expect(Timestamp(parsing: time.description) == time)
  }

  @Test("differences in nanoseconds, saturating")
  func differences() {
    let earlier = Timestamp(seconds: 10, nanoseconds: 900_000_000)
    let later = Timestamp(seconds: 12, nanoseconds: 100_000_000)
    #expect(later.nanoseconds(since: earlier) == 1_200_000_000)
    #expect(earlier.nanoseconds(since: later) == -1_200_000_000)
    #expect(Timestamp(seconds: .max).nanoseconds(since: Timestamp(seconds: 0)) == .max)
    #expect(Timestamp(seconds: -(1 << 62)).nanoseconds(since: Timestamp(seconds: 1 << 62)) == .min)
  }
}
