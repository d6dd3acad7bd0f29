import Testing

@testable import PacketKit

@Suite("NTP")
struct NTPTests {
  static let server =
    "eth() / ipv4(src=192.0.2.2, dst=192.0.2.1) / udp(dport=50123) / ntp(mode=4, poll=6,"
    + " precision=\"-20\", root_delay=2732, root_dispersion=4961, reference_id=0xc6336401,"
    + " reference_time=\"3913055900.0\", origin_time=\"3913056000.2147483648\","
    + " receive_time=\"3913056000.1073741824\", transmit_time=\"3913056000.4294967295\")"
  static let start = 42

  @Test("a server message: every field, timestamps exact, precision signed")
  func server() throws {
    let frame = try UDPApplication.craft(Self.server)
    #expect(UDPApplication.kinds(frame) == ["eth", "ipv4", "udp", "ntp"])
    let texts = UDPApplication.texts(frame)
    #expect(texts.line == "IP 192.0.2.2.123 > 192.0.2.1.50123: NTPv4, Server, length 48")
    #expect(
      texts.json.hasSuffix(
        #""ntp":{"leap":0,"version":4,"mode":4,"stratum":2,"poll":6,"precision":-20,"#
          + #""root_delay":2732,"root_dispersion":4961,"reference_id":3325256705,"#
          + #""reference_time":"3913055900.0","origin_time":"3913056000.2147483648","#
          + #""receive_time":"3913056000.1073741824","transmit_time":"3913056000.4294967295"}}"#
          + "\n"))
    #expect(texts.verbose.contains("    mode 4 (Server)\n"))
    #expect(texts.verbose.contains("    precision -20\n"))
  }

  @Test("defaults as scapy's NTP() but for the times scapy takes from the clock")
  func defaults() throws {
    let bytes = try PacketStack(NTP()).build()
    #expect(
      bytes == [0x23, 2, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 1]
        + [UInt8](repeating: 0, count: 32))
    #expect(try UDPApplication.craft("udp() / ntp()")[0..<4] == [0, 123, 0, 123])
  }

  @Test("modes by tcpdump's names; control and private messages carry their body as data")
  func modes() throws {
    let names = [
      "unspecified", "symmetric active", "symmetric passive", "Client", "Server", "Broadcast",
      "Control Message", "Reserved",
    ]
    for mode in 0..<8 {
      let frame = try UDPApplication.overIPv4(
        [UInt8(0x18 | mode)] + [UInt8](repeating: 7, count: 47), sport: 123, dport: 123)
      let texts = UDPApplication.texts(frame)
      #expect(texts.line.hasSuffix(": NTPv3, \(names[mode]), length 48"))
      #expect(texts.json.contains("\"data\":") == (mode >= 6))
      #expect(texts.json.contains("\"stratum\":") == (mode < 6))
    }
  }

  @Test("shorter than 48 bytes: raw when captured whole, truncated when cut")
  func short() throws {
    let frame = try UDPApplication.overIPv4(
      [0x23] + [UInt8](repeating: 0, count: 11), sport: 123, dport: 123)
    #expect(UDPApplication.kinds(frame).last == "raw")
    #expect(UDPApplication.texts(frame).line.hasSuffix(": UDP, length 12"))
    let server = try UDPApplication.craft(Self.server)
    let texts = UDPApplication.texts(server, captured: Self.start + 20)
    #expect(texts.line.hasSuffix(": NTPv4, Server, length 48"))
    #expect(texts.json.hasSuffix(#""reference_id":3325256705,"truncated":true}}"# + "\n"))
    UDPApplication.survivesDamage(server, payloadStart: Self.start)
  }

  @Test("timestamps: SECONDS.FRACTION or a 64-bit integer; bad ones are errors")
  func timestamps() throws {
    let text = try UDPApplication.craft("ntp(transmit_time=\"1.2\")")
    let number = try UDPApplication.craft("ntp(transmit_time=0x0000000100000002)")
    #expect(text == number && Array(text[40...]) == [0, 0, 0, 1, 0, 0, 0, 2])
    #expect(throws: ExpressionError.self) { try UDPApplication.craft("ntp(origin_time=\"1.2.3\")") }
    #expect(throws: ExpressionError.self) {
      try UDPApplication.craft("ntp(origin_time=\"4294967296.0\")")
    }
  }
}
