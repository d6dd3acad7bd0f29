import Testing

@testable import PacketKit

@Suite("Addresses")
struct AddressTests {
  @Test(
    "MAC text round-trips",
    arguments: ["00:00:00:00:00:00", "02:00:00:00:00:01", "ff:ff:ff:ff:ff:ff"])
  func macRoundTrip(text: String) throws {
    let mac = try #require(MACAddress(text))
    #expect(mac.description == text)
  }

  @Test(
    "MAC parse rejects bad text",
    arguments: ["", "00:00:00:00:00", "0g:00:00:00:00:00", "000:00:00:00:00:00"])
  func macRejects(text: String) {
    #expect(MACAddress(text) == nil)
  }

  @Test("IPv4 text", arguments: ["0.0.0.0", "192.0.2.1", "255.255.255.255"])
  func ipv4RoundTrip(text: String) throws {
    #expect(try #require(IPv4Address(text)).description == text)
  }

  @Test(
    "IPv4 parse rejects bad text",
    arguments: ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4 "])
  func ipv4Rejects(text: String) {
    #expect(IPv4Address(text) == nil)
  }

  @Test(
    "IPv6 RFC 5952 text",
    arguments: [
      ("2001:db8:0:0:0:0:2:1", "2001:db8::2:1"),
      ("2001:0db8::0001", "2001:db8::1"),
      ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
      ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),
      ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
      ("::", "::"),
      ("::1", "::1"),
      ("fe80::", "fe80::"),
      ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
      ("FF02::1:FF00:1", "ff02::1:ff00:1"),
    ])
  func ipv6Text(input: String, expected: String) throws {
    #expect(try #require(IPv6Address(input)).description == expected)
  }

  @Test(
    "IPv6 parse rejects bad text",
    arguments: ["", ":::", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", "g::"])
  func ipv6Rejects(text: String) {
    #expect(IPv6Address(text) == nil)
  }
}
