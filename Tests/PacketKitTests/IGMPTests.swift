import Testing

@testable import PacketKit

@Suite("IGMP")
struct IGMPTests {
  typealias T = TunnelTestSupport
  static let eth = "eth(src=02:00:00:00:00:01, dst=02:00:00:00:00:02)"

  @Test("v2 report: fields, checksum, tcpdump's line")
  func v2Report() throws {
    // scapy: IP(src='192.0.2.1', dst='239.1.1.1', ttl=1, tos=0xc0, options=[IPOption_Router_Alert()])
    //        /IGMP(type=0x16, gaddr='239.1.1.1')
    let bytes = hex(
      "46c000200001000001027213c0000201ef010101940400001600f9fcef010101")
    #expect(
      try T.craft(
        "ipv4(src=192.0.2.1, dst=239.1.1.1, ttl=1, tos=0xc0, options=0x94040000) / igmp(type=0x16, group=239.1.1.1)"
      ) == bytes)
    let frame = T.decode(bytes, linkType: .raw)
    #expect(T.kinds(frame) == [.ipv4, .igmp])
    guard case .igmp(let igmp) = frame[1].header else { throw Failure.unexpected }
    #expect(igmp.type == 0x16 && igmp.maxResp == 0 && igmp.group == IPv4Address(239, 1, 1, 1))
    #expect(frame[1].checksumValid == true && frame[1].range == 24..<32)
    #expect(
      T.oneLine(bytes, linkType: .raw) == "IP 192.0.2.1 > 239.1.1.1: igmp v2 report 239.1.1.1")
    #expect(
      T.json(bytes, linkType: .raw).contains(
        #""igmp":{"type":22,"max_resp":0,"checksum":63996,"checksum_valid":true,"group":"239.1.1.1"}"#
      ))
  }

  @Test("v3 report: group records with their sources")
  func v3Report() throws {
    let bytes = try T.craft(
      "\(Self.eth) / ipv4(src=192.0.2.1, dst=224.0.0.22, ttl=1) / igmp(type=0x22, records=[record(type=1, group=239.1.1.1, sources=[192.0.2.9, 192.0.2.10]), record(type=6, group=239.2.2.2)])"
    )
    #expect(
      bytes.suffix(32)
        == hex("220071df0000000201000002ef010101c0000209c000020a06000000ef020202"))
    let frame = T.decode(bytes)
    #expect(frame[2].checksumValid == true)
    #expect(T.oneLine(bytes) == "IP 192.0.2.1 > 224.0.0.22: igmp v3 report, 2 group record(s)")
    #expect(
      T.json(bytes).contains(
        #""records":[{"type":1,"group":"239.1.1.1","sources":["192.0.2.9","192.0.2.10"]},{"type":6,"group":"239.2.2.2","sources":[]}]"#
      ))
  }

  @Test("v3 query: sources, max response time as tcpdump decodes the code")
  func v3Query() throws {
    let bytes = try T.craft(
      "ipv4(src=192.0.2.1, dst=224.0.0.1) / igmp(type=0x11, max_resp=150, group=239.1.1.1, sources=[192.0.2.9], qrv=2, qqic=125)"
    )
    #expect(
      T.oneLine(bytes, linkType: .raw)
        == "IP 192.0.2.1 > 224.0.0.1: igmp query v3 [max resp time 35.2s] [gaddr 239.1.1.1, 1 source(s)]"
    )
    #expect(
      T.json(bytes, linkType: .raw).contains(
        #""group":"239.1.1.1","s":false,"qrv":2,"qqic":125,"sources":["192.0.2.9"]"#))
    let long = try T.craft(
      "ipv4(src=192.0.2.1, dst=224.0.0.1) / igmp(type=0x11, max_resp=255, sources=[])")
    #expect(
      T.oneLine(long, linkType: .raw)
        == "IP 192.0.2.1 > 224.0.0.1: igmp query v3 [max resp time 52m54s]")
  }

  @Test("counts past the message are malformed, without a long walk; every prefix decodes")
  func damaged() throws {
    // A report announcing 65535 records and holding one.
    var report = try T.craft(
      "ipv4(src=192.0.2.1, dst=224.0.0.22) / igmp(type=0x22, records=[record(group=239.1.1.1)])")
    report[26] = 0xFF
    report[27] = 0xFF
    let frame = T.decode(report, linkType: .raw)
    #expect(T.isMalformed(frame[1]))
    #expect(T.oneLine(report, linkType: .raw).hasSuffix("igmp v3 report, 65535 group record(s)"))
    // A query announcing 10 sources and holding none.
    var query = try T.craft("ipv4(src=192.0.2.1, dst=224.0.0.1) / igmp(type=0x11, sources=[])")
    query[31] = 10
    #expect(T.isMalformed(T.decode(query, linkType: .raw)[1]))
    #expect(
      T.everyPrefix(
        try T.craft("\(Self.eth) / ipv4() / igmp(type=0x22, records=[record(sources=[192.0.2.1])])")
      ))
  }

  @Test("expressions: records and sources are checked")
  func expressionErrors() throws {
    #expect(throws: ExpressionError.self) {
      try T.craft("ipv4() / igmp(records=[group(type=1)])")
    }
    #expect(throws: ExpressionError.self) { try T.craft("ipv4() / igmp(sources=[1])") }
    #expect(throws: ExpressionError.self) {
      try T.craft("ipv4() / igmp(records=[record(colour=1)])")
    }
  }

  enum Failure: Error { case unexpected }
}
