import Testing

@testable import PacketKit

/// `fragment(size=N)` and `PacketStack.fragments`: scapy's bytes are CraftVectors' (the
/// `frag-` vectors); here, what holds for any packet (the fragments put back together give
/// the datagram) and the errors.
@Suite("Fragmentation")
struct FragmentationTests {
  /// The IP payload of each fragment, with its offset and MF flag, decoded from `packets`.
  func pieces(_ packets: [[UInt8]], version: Int) -> [(offset: Int, mf: Bool, data: [UInt8])] {
    packets.map { bytes in
      if version == 4 {
        let header = Int(bytes[0] & 0x0F) * 4
        let word = Int(bytes[6]) << 8 | Int(bytes[7])
        return ((word & 0x1FFF) * 8, word & 0x2000 != 0, Array(bytes[header...]))
      }
      // IPv6 with the fragment header first (what fragment(size=N) puts in).
      let word = Int(bytes[42]) << 8 | Int(bytes[43])
      return (word & 0xFFF8, word & 1 == 1, Array(bytes[48...]))
    }
  }

  /// The packet `ip / rest` whole, and its fragments as `ip / fragment / rest` makes them.
  func crafted(ip: String, fragment: String, rest: String) throws -> ([UInt8], [[UInt8]]) {
    let whole = try PacketCrafter.packets(from: ExpressionParser.parse("\(ip) / \(rest)"))[0]
    let packets = try PacketCrafter.packets(
      from: ExpressionParser.parse("\(ip) / \(fragment) / \(rest)"))
    return (whole, packets)
  }

  @Test(
    "IPv4 fragments put together give the datagram's payload",
    arguments: [8, 9, 16, 20, 64, 1000])
  func ipv4Reassembles(size: Int) throws {
    let (original, packets) = try crafted(
      ip: "ipv4(src=192.0.2.1, dst=192.0.2.2, id=9)", fragment: "fragment(size=\(size))",
      rest: "udp(sport=1, dport=2) / raw(length=150, fill=0x0102030405)")
    let parts = pieces(packets, version: 4)
    #expect(parts.map(\.data).joined().elementsEqual(original[20...]))
    #expect(parts.dropLast().allSatisfy { $0.mf })
    #expect(parts.last?.mf == false)
    var offset = 0
    for part in parts {
      #expect(part.offset == offset)
      offset += part.data.count
    }
    // Every fragment but the last carries a multiple of 8 bytes, at most `size`.
    #expect(parts.dropLast().allSatisfy { $0.data.count % 8 == 0 && $0.data.count <= max(size, 8) })
    // Each fragment's header checksum is right and its protocol is UDP's.
    for packet in packets {
      let frame = FrameDecoder().decode(packet, linkType: .raw)
      #expect(frame.layers.first?.checksumValid == true)
      #expect(packet[9] == 17)
    }
  }

  @Test("IPv6 fragments put together give the fragmentable part", arguments: [64, 100, 1280])
  func ipv6Reassembles(size: Int) throws {
    let (original, packets) = try crafted(
      ip: "ipv6(src=2001:db8::1, dst=2001:db8::2)", fragment: "fragment(size=\(size), id=77)",
      rest: "udp(sport=1, dport=2) / raw(length=300, fill=0xabcd)")
    #expect(packets.allSatisfy { $0.count <= size })
    let parts = pieces(packets, version: 6)
    #expect(parts.map(\.data).joined().elementsEqual(original[40...]))
    #expect(parts.dropLast().allSatisfy { $0.mf })
    #expect(parts.last?.mf == false)
    for packet in packets {
      #expect(packet[6] == 44)  // the fixed header's next header: the fragment header
      #expect(packet[40] == 17)  // the fragment header's: UDP
      #expect(Array(packet[44..<48]) == [0, 0, 0, 77])
    }
  }

  @Test("without id, an IPv6 fragment header gets a random id, repeatable with the seed")
  func ipv6RandomID() throws {
    let text = "ipv6(dst=2001:db8::2) / fragment(size=100) / udp() / raw(length=200)"
    func ids(seed: UInt64) throws -> Set<[UInt8]> {
      Set(
        try PacketCrafter.packets(from: ExpressionParser.parse(text), seed: seed).map {
          Array($0[44..<48])
        })
    }
    #expect(try ids(seed: 1).count == 1)  // one id for the fragments of one packet
    #expect(try ids(seed: 1) == ids(seed: 1))
    #expect(try ids(seed: 1) != ids(seed: 2))
  }

  @Test("a generator draws a new IPv6 fragment id for every round (send -c)")
  func idPerRound() throws {
    var generator = try PacketGenerator(
      expression: ExpressionParser.parse("ipv6() / fragment(size=100) / udp() / raw(length=200)"),
      seed: 3)
    #expect(generator.drawsFragmentIDs)
    let first = try generator.nextPackets().map { Array($0[44..<48]) }
    let second = try generator.nextPackets().map { Array($0[44..<48]) }
    #expect(Set(first).count == 1 && Set(second).count == 1 && first != second)
    let given = try PacketGenerator(
      expression: ExpressionParser.parse("ipv6() / fragment(size=100, id=4) / udp()"))
    #expect(!given.drawsFragmentIDs)
  }

  @Test("the Swift builder: PacketStack.fragments")
  func swiftBuilder() throws {
    let stack =
      IPv4(id: 5, src: IPv4Address(192, 0, 2, 1), dst: IPv4Address(192, 0, 2, 2))
      / UDP(srcPort: 1, dstPort: 2) / Payload(length: 30, fill: [0x41])
    let fragments = try stack.fragments(size: 16)
    #expect(fragments.count == 3)
    let built = try fragments.map { try $0.build() }
    #expect(built.map(\.count) == [36, 36, 26])
    // 40 + 8 (fragment header) per packet leaves 48 bytes: 108 of UDP are 48, 48 and 12.
    let six = try (IPv6() / UDP() / Payload(length: 100)).fragments(size: 96, id: 3)
    #expect(try six.map { try $0.build().count } == [96, 96, 60])
  }

  @Test(
    "fragment(...) errors name the place",
    arguments: [
      (
        "ipv4() / udp() / fragment(size=8)",
        "fragment: comes right after the ipv4 or ipv6 layer it fragments"
      ),
      (
        "ipv4() / fragment() / udp()",
        "fragment: needs size=N (IPv4: data per fragment; IPv6: bytes per packet)"
      ),
      (
        "ipv4() / fragment(size=8, id=3) / udp()",
        "fragment: field id: is for IPv6: an IPv4 fragment's id is the ipv4 layer's id"
      ),
      ("ipv4() / fragment(size=8) / fragment(size=8) / udp()", "fragment: is given twice"),
      (
        "ipv4() / fragment(size=8, mtu=3) / udp()",
        "fragment: field mtu: unknown field mtu; fields of fragment: size, id"
      ),
      (
        "ipv6() / fragment(size=40, id=1) / udp() / raw(length=100)",
        "fragment: field size: 40 is too small: each fragment needs more than 48 bytes"
      ),
      (
        "ipv4() / fragment(size=8)",
        "fragment: field size: 8 leaves no fragment for 0 bytes of payload (scapy's fragment() gives none)"
      ),
    ])
  func errors(text: String, message: String) throws {
    #expect {
      _ = try PacketCrafter.packets(from: ExpressionParser.parse(text))
    } throws: { error in
      (error as? ExpressionError)?.description == message
    }
  }

  @Test("--fragment N puts fragment(size=N) after the first IP layer")
  func fragmenting() throws {
    let parsed = try ExpressionParser.parse("eth() / ipv4() / ipv4() / udp()")
    let cut = try parsed.fragmenting(size: 24)
    #expect(cut.layers.map(\.name) == ["eth", "ipv4", "fragment", "ipv4", "udp"])
    #expect(throws: ExpressionError.self) {
      _ = try ExpressionParser.parse("ipv4() / fragment(size=8) / udp()").fragmenting(size: 8)
    }
    #expect(throws: ExpressionError.self) {
      _ = try ExpressionParser.parse("eth() / arp()").fragmenting(size: 8)
    }
    // fragment(...) is not a layer of the stacks: the given fields stay aligned with them.
    let given = try ExpressionParser.parse("ipv4(ttl=3) / fragment(size=8) / udp(sport=1)")
      .givenFields()
    #expect(given == [["ttl"], ["src_port"]])
  }
}
