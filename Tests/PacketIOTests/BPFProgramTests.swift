import PacketKit
import Testing

@testable import PacketIO

/// Bytes from contiguous hex (test vectors made with scapy 2.x, see the comment on each).
func bytes(hex: String) -> [UInt8] {
  var result: [UInt8] = []
  var high: UInt8? = nil
  for character in hex.utf8 {
    let nibble: UInt8
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
    default: continue
    }
    if let h = high {
      result.append(h << 4 | nibble)
      high = nil
    } else {
      high = nibble
    }
  }
  return result
}

/// Frames built once with scapy and pasted as hex.
enum BPFVectors {
  /// Ether(src=02:..:01, dst=02:..:02)/IP(src=192.0.2.1, dst=198.51.100.2)/TCP(sport=12345, dport=80, flags=S)
  static let tcp4 = bytes(
    hex: "0200000000020200000000010800450000280001000040068e98c0000201c6336402"
      + "30390050000003e800000000500220006f3a0000")
  /// Ether/IP(192.0.2.1 > 198.51.100.2)/UDP(5353 > 53)/"abcd"
  static let udp4 = bytes(
    hex: "0200000000020200000000010800450000200003000040118e93c0000201c6336402"
      + "14e90035000c39ba61626364")
  /// Ether/IPv6(2001:db8::1 > 2001:db8::2)/TCP(40000 > 443, S)
  static let tcp6 = bytes(
    hex: "02000000000202000000000186dd600000000014064020010db8000000000000000000"
      + "00000120010db80000000000000000000000029c4001bb00000000000000005002200096720000")
  /// Ether/Dot1Q(vlan=100)/IP(192.0.2.9 > 198.51.100.9)/UDP(1000 > 2000)
  static let vlanUDP = bytes(
    hex: "0200000000020200000000018100006408004500001c0004000040118e87c0000209"
      + "c633640903e807d0000807e0")
  /// Ether(dst=broadcast)/ARP(who-has 192.0.2.2 tell 192.0.2.1)
  static let arp = bytes(
    hex: "ffffffffffff02000000000108060001080006040001020000000001c0000201000000000000c0000202")
  /// IP(192.0.2.1 > 198.51.100.2)/TCP(12345 > 80, S), no link header
  static let rawTCP4 = bytes(
    hex: "450000280001000040068e98c0000201c633640230390050000003e800000000500220006f3a0000")
  /// IPv6(2001:db8::1 > 2001:db8::2)/TCP(40000 > 443, S), no link header
  static let rawTCP6 = bytes(
    hex: "600000000014064020010db800000000000000000000000120010db8000000000000000000"
      + "0000029c4001bb00000000000000005002200096720000")
}

@Suite("BPFProgram")
struct BPFProgramTests {
  func matches(_ filter: String, _ frame: [UInt8], _ linkType: LinkType = .ethernet) throws -> Bool
  {
    let program = try BPFProgram(filter: filter, linkType: linkType)
    return program.matches(frame.span, wireLength: frame.count)
  }

  @Test(
    "Ethernet frames match the expected filters",
    arguments: [
      ("tcp port 80", [true, false, false, false, false]),
      ("tcp", [true, false, true, false, false]),
      ("udp", [false, true, false, false, false]),
      ("ip6", [false, false, true, false, false]),
      ("vlan", [false, false, false, true, false]),
      ("vlan and udp port 2000", [false, false, false, true, false]),
      ("arp", [false, false, false, false, true]),
      ("host 192.0.2.1", [true, true, false, false, true]),
      ("ip6 and tcp dst port 443", [false, false, true, false, false]),
      // tcp[] indexes the IPv4 header only: libpcap does not apply it to IPv6.
      ("tcp[tcpflags] & tcp-syn != 0", [true, false, false, false, false]),
      ("", [true, true, true, true, true]),
    ])
  func ethernet(filter: String, expected: [Bool]) throws {
    let frames = [
      BPFVectors.tcp4, BPFVectors.udp4, BPFVectors.tcp6, BPFVectors.vlanUDP, BPFVectors.arp,
    ]
    let program = try BPFProgram(filter: filter, linkType: .ethernet)
    let results = frames.map { program.matches($0.span, wireLength: $0.count) }
    #expect(results == expected)
  }

  @Test("An empty filter compiles to no program and matches everything")
  func emptyFilter() throws {
    let program = try BPFProgram(filter: "  ", linkType: LinkType(rawValue: 9999))
    let isEmpty = program.isEmpty
    let instructionCount = program.instructionCount
    let matchesNothing = program.matches([UInt8]().span, wireLength: 0)
    let lent = program.withInstructions { $0.count }
    #expect(isEmpty && instructionCount == 0 && matchesNothing && lent == 0)
  }

  @Test("Instructions are lent for SO_ATTACH_FILTER")
  func instructions() throws {
    let program = try BPFProgram(filter: "tcp port 80", linkType: .ethernet)
    let count = program.instructionCount
    // The last instruction of a libpcap program is a return (BPF_RET, class 6).
    let (lent, lastClass) = program.withInstructions { ($0.count, $0.last.map { $0.code & 0x07 }) }
    #expect(count > 5)
    #expect(lent == count)
    #expect(lastClass == 0x06)
  }

  @Test("Raw IP link types 101, 12, 14 (DLT_RAW), 228 (IPv4) and 229 (IPv6)")
  func rawIP() throws {
    for linkType in [LinkType.raw, .rawBSD, .rawBSDOS] {
      #expect(try matches("ip", BPFVectors.rawTCP4, linkType))
      #expect(try matches("tcp port 80", BPFVectors.rawTCP4, linkType))
      #expect(try !matches("udp", BPFVectors.rawTCP4, linkType))
      #expect(try matches("ip6 and tcp port 443", BPFVectors.rawTCP6, linkType))
      #expect(try !matches("ip", BPFVectors.rawTCP6, linkType))
    }
    #expect(try matches("host 192.0.2.1 and tcp port 80", BPFVectors.rawTCP4, .ipv4))
    #expect(try matches("tcp port 443", BPFVectors.rawTCP6, .ipv6))
  }

  @Test("Syntax errors show the expression and libpcap's message")
  func syntaxError() {
    #expect {
      _ = try BPFProgram(filter: "tcp port", linkType: .ethernet)
    } throws: { error in
      let error = error as! PcapError
      return error.function == "pcap_compile" && error.status == -1
        && error.description
          == #"bad filter expression "tcp port": can't parse filter expression: syntax error"#
    }
    #expect {
      _ = try BPFProgram(filter: "port 99999", linkType: .ethernet)
    } throws: { error in
      (error as! PcapError).description
        == #"bad filter expression "port 99999": illegal port number 99999 > 65535"#
    }
  }

  @Test("Unsupported link types throw a clear error")
  func unsupportedLinkType() {
    #expect {
      _ = try BPFProgram(filter: "ip", linkType: LinkType(rawValue: 9999))
    } throws: { error in
      (error as! PcapError).description
        == #"bad filter expression "ip": unknown data link type 9999 (min 104, max 289)"#
    }
    #expect {
      _ = try BPFProgram(filter: "ip", linkType: LinkType(rawValue: 147))
    } throws: { error in
      (error as! PcapError).description
        == #"bad filter expression "ip": DLT 147 link-layer type filtering not implemented"#
    }
    #expect {
      _ = try BPFProgram(filter: "vlan", linkType: .ipv4)
    } throws: { error in
      (error as! PcapError).message == "no VLAN support for Raw IPv4"
    }
  }

  @Test("Errors compare by kind, not by text")
  func errorEquality() {
    let a = PcapError(function: "pcap_activate", status: -1, message: "a")
    let b = PcapError(function: "pcap_activate", status: -1, message: "b")
    #expect(a == b)
    #expect(a.description == "pcap_activate: a")
  }

  @Test("Snap length and wire length: BPF sees only captured bytes")
  func truncated() throws {
    let program = try BPFProgram(filter: "tcp port 80", linkType: .ethernet)
    let short = Array(BPFVectors.tcp4[0..<30])
    let portMatch = program.matches(short.span, wireLength: BPFVectors.tcp4.count)
    let lengthFilter = try BPFProgram(filter: "greater 100", linkType: .ethernet)
    let long = lengthFilter.matches(short.span, wireLength: 1500)
    let small = lengthFilter.matches(short.span, wireLength: 60)
    #expect(!portMatch)
    #expect(long)
    #expect(!small)
  }

  @Test("Programs compile concurrently")
  func concurrentCompile() async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
      for index in 0..<32 {
        group.addTask {
          let program = try BPFProgram(filter: "tcp port \(80 + index % 2)", linkType: .ethernet)
          return program.matches(BPFVectors.tcp4.span, wireLength: 54) == (index % 2 == 0)
        }
      }
      for try await ok in group { #expect(ok) }
    }
  }
}

@Suite("BPFFilterSet")
struct BPFFilterSetTests {
  @Test("Compiles per link type, lazily")
  func mixedLinkTypes() throws {
    var set = BPFFilterSet(filter: "tcp port 80")
    #expect(try set.matches(BPFVectors.tcp4.span, wireLength: 54, linkType: .ethernet))
    #expect(try set.matches(BPFVectors.rawTCP4.span, wireLength: 40, linkType: .raw))
    #expect(try !set.matches(BPFVectors.udp4.span, wireLength: 46, linkType: .ethernet))
    #expect(try set.matches(BPFVectors.rawTCP4.span, wireLength: 40, linkType: .ipv4))
  }

  @Test("A filter that rejects everything on a link type matches nothing there")
  func rejectsAll() throws {
    var set = BPFFilterSet(filter: "arp")
    #expect(try set.matches(BPFVectors.arp.span, wireLength: 42, linkType: .ethernet))
    #expect(try !set.matches(BPFVectors.rawTCP4.span, wireLength: 40, linkType: .ipv4))
    #expect(try !set.matches(BPFVectors.rawTCP4.span, wireLength: 40, linkType: .ipv4))
  }

  @Test("A link type it cannot compile for throws, every time")
  func failure() throws {
    var set = BPFFilterSet(filter: "tcp")
    #expect(try set.matches(BPFVectors.tcp4.span, wireLength: 54, linkType: .ethernet))
    for _ in 0..<2 {
      #expect(throws: PcapError.self) {
        try set.matches(BPFVectors.tcp4.span, wireLength: 54, linkType: LinkType(rawValue: 9999))
      }
    }
    #expect(try set.matches(BPFVectors.tcp4.span, wireLength: 54, linkType: .ethernet))
  }

  @Test("Empty filter matches any link type without compiling")
  func empty() throws {
    var set = BPFFilterSet(filter: "")
    #expect(
      try set.matches(BPFVectors.tcp4.span, wireLength: 54, linkType: LinkType(rawValue: 9999)))
  }

  @Test("More link types than capacity throws")
  func capacity() throws {
    var full = BPFFilterSet(filter: "ip")
    let types: [UInt32] = [1, 101, 228, 113, 276, 0, 108, 12]
    for raw in types {
      _ = try full.matches(BPFVectors.tcp4.span, wireLength: 54, linkType: LinkType(rawValue: raw))
    }
    #expect(throws: PcapError.self) {
      try full.matches(BPFVectors.tcp4.span, wireLength: 54, linkType: LinkType(rawValue: 14))
    }
  }
}
