import Testing

@testable import PacketKit

@Suite("PacketGenerator")
struct PacketGeneratorTests {
  func udpSourcePorts(_ stacks: [PacketStack]) -> [UInt16] {
    stacks.compactMap { stack in
      guard case .udp(let udp) = stack.layers.last else { return nil }
      return udp.srcPort
    }
  }

  @Test("Round 0 is PacketCrafter.stacks; every later round draws the next random values")
  func roundsContinueTheDraws() throws {
    let expression = try ExpressionParser.parse(
      "ipv4(src=192.0.2.1, dst=192.0.2.2) / udp(sport=random, dport=[1,2,3])")
    var generator = try PacketGenerator(expression: expression, seed: 42)
    #expect(generator.packetsPerRound == 3)
    #expect(generator.hasRandomFields)
    let rounds = (0..<5).map { _ in generator.nextRound() }
    #expect(generator.roundsGenerated == 5)
    #expect(rounds[0] == (try PacketCrafter.stacks(from: expression, seed: 42)))
    // One draw per packet, in order, from one SplitMix64 sequence: sport takes the whole
    // 16-bit range (`UInt64.random(in: 0...0xFFFF)`), dport cycles through the list.
    var draws = SplitMix64(seed: 42)
    let expected = (0..<15).map { _ in UInt16(UInt64.random(in: 0...0xFFFF, using: &draws)) }
    #expect(rounds.flatMap(udpSourcePorts) == expected)
    for round in rounds {
      let ports = round.compactMap { stack -> UInt16? in
        guard case .udp(let udp) = stack.layers.last else { return nil }
        return udp.dstPort
      }
      #expect(ports == [1, 2, 3])
    }
    #expect(Set(rounds.flatMap(udpSourcePorts)).count > 10)
    // The same seed gives the same rounds, another seed others.
    var again = try PacketGenerator(expression: expression, seed: 42)
    #expect((0..<5).map { _ in again.nextRound() } == rounds)
    var other = try PacketGenerator(expression: expression, seed: 43)
    #expect((0..<5).map { _ in other.nextRound() } != rounds)
  }

  @Test("Without random every round is the same")
  func roundsRepeatWithoutRandom() throws {
    let expression = try ExpressionParser.parse(
      "eth() / ipv4(dst=192.0.2.0/30) / tcp(dport=[80, 443], flags=S)")
    var generator = try PacketGenerator(expression: expression, seed: 1)
    #expect(generator.packetsPerRound == 8)
    #expect(!generator.hasRandomFields)
    let first = try generator.nextPackets()
    let second = try generator.nextPackets()
    #expect(first.count == 8 && first == second)
    #expect(first == (try PacketCrafter.packets(from: expression, seed: 1)))
  }

  @Test("random(lo-hi) and random(prefix) draw inside the range, a new value per packet")
  func randomInsideARange() throws {
    var generator = try PacketGenerator(
      expression: ExpressionParser.parse(
        "eth(src=random(02:00:00:00:00:00-02:00:00:00:00:ff)) / ipv4(src=random(192.0.2.0/30), dst=192.0.2.9) / udp(sport=random(1024-65535), dport=[53, random(20-25)])"
      ), seed: 3)
    #expect(generator.packetsPerRound == 2)
    var sourcePorts: Set<UInt16> = []
    var sources: Set<IPv4Address> = []
    var macs: Set<MACAddress> = []
    var secondPorts: Set<UInt16> = []
    for _ in 0..<500 {
      let round = generator.nextRound()
      for (index, stack) in round.enumerated() {
        guard case .ethernet(let eth) = stack.layers[0], case .ipv4(let ip) = stack.layers[1],
          case .udp(let udp) = stack.layers[2]
        else {
          Issue.record("unexpected stack \(stack)")
          return
        }
        let (src, mac, sport, dport) = (ip.src, eth.src, udp.srcPort, udp.dstPort)
        #expect(sport >= 1024)
        #expect(src.rawValue & ~3 == IPv4Address(192, 0, 2, 0).rawValue)
        #expect(mac.rawValue >= 0x0200_0000_0000 && mac.rawValue <= 0x0200_0000_00FF)
        if index == 0 {
          #expect(dport == 53)
        } else {
          #expect((20...25).contains(dport))
          secondPorts.insert(dport)
        }
        sourcePorts.insert(sport)
        sources.insert(src)
        macs.insert(mac)
      }
    }
    #expect(sourcePorts.count > 900)
    #expect(sources.count == 4)
    #expect(macs.count > 200)
    #expect(secondPorts == Set(20...25))
  }

  @Test("random(...) in IPv6 prefixes and TCP flags")
  func randomIPv6AndFlags() throws {
    var generator = try PacketGenerator(
      expression: ExpressionParser.parse(
        "ipv6(src=random(2001:db8::/120), dst=2001:db8::1) / tcp(flags=random(1-3))"), seed: 9)
    var seen: Set<IPv6Address> = []
    var flags: Set<UInt16> = []
    for _ in 0..<200 {
      for stack in generator.nextRound() {
        guard case .ipv6(let ip) = stack.layers[0], case .tcp(let tcp) = stack.layers[1] else {
          continue
        }
        let (src, bits) = (ip.src, tcp.flags)
        #expect(src.high == 0x2001_0db8_0000_0000 && src.low <= 0xFF)
        seen.insert(src)
        flags.insert(bits.rawValue)
      }
    }
    #expect(seen.count > 100)
    #expect(flags == [1, 2, 3])
  }

  @Test("random(...) errors name the layer, the field and the position")
  func randomErrors() throws {
    func error(_ source: String) -> ExpressionError? {
      #expect(throws: ExpressionError.self) {
        _ = try PacketGenerator(expression: ExpressionParser.parse(source))
      }
    }
    let outOfRange = error("udp(sport=random(1-70000))")
    #expect(outOfRange?.description == "udp: field sport: 70000 is out of range 0...65535")
    #expect(outOfRange?.position == 19)
    let bytes = error("raw(hex=random(1-2))")
    #expect(bytes?.description == "raw: field hex: expects bytes (0x... or a quoted string)")
    let bool = error("ipv4(df=random(0-1))")
    #expect(
      bool?.description
        == "ipv4: field df: random(...) takes integers or addresses; this field does not")
    #expect(bool?.position == 8)
    let mixed = error("ipv4(src=random(2001:db8::/64))")
    #expect(mixed?.description == "ipv4: field src: expects an IPv4 prefix")
  }

  @Test("givenFields: contract names per layer, aligned with the stacks' layers")
  func givenFields() throws {
    let expression = try ExpressionParser.parse(
      #"ether() / dot1q(id=5) / ip(dst=192.0.2.2, ttl=3) / udp(sport=5, dport=random, length=8) / raw("x")"#
    )
    #expect(
      expression.givenFields() == [
        [], ["id"], ["dst", "ttl"], ["src_port", "dst_port", "length"], ["hex"],
      ])
    let stacks = try PacketCrafter.stacks(from: expression)
    #expect(stacks.allSatisfy { $0.layers.count == expression.layers.count })
    #expect(stacks[0].layers.map(\.name) == ["eth", "vlan", "ipv4", "udp", "raw"])
    let load = try ExpressionParser.parse("arp(op=1, target_ip=192.0.2.2) / payload(load=0x01)")
    #expect(load.givenFields() == [["op", "target_ip"], ["hex"]])
    #expect(try ExpressionParser.parse("tcp(bogus=1)").givenFields() == [["bogus"]])
  }
}
