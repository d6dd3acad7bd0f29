import Testing

@testable import PacketKit

#if canImport(Glibc)
  import Glibc
#endif

/// `CaptureStatistics` over `Fixtures/mixed.pcap`, against tshark 4.x
/// (`tshark -r mixed.pcap -q -z io,phs -z conv,ip -z conv,tcp -z conv,udp`) and capinfos.
@Suite("CaptureStatistics conformance")
struct CaptureStatisticsConformanceTests {
  // Known differences from tshark on this file: tshark reassembles the fragmented UDP
  // datagram (counting it at the last fragment) and dissects IP in IP as two IP
  // conversations; and its CPFI heuristic dissector claims UDP port 5000, fails on two
  // IPv6 frames (2001:db8::1 > 2001:db8::3, 227 bytes) and leaves them out of conv,udp.

  /// The records of a little-endian classic pcap file (test-only; PacketKit's reader
  /// lives in Files/).
  static func records(_ path: String) -> (LinkType, [(Int64, UInt32, Int, [UInt8])])? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let read = fread(&chunk, 1, chunk.count, file)
      if read <= 0 { break }
      data.append(contentsOf: chunk[0..<read])
    }
    func le32(_ offset: Int) -> UInt32 {
      UInt32(data[offset]) | UInt32(data[offset + 1]) << 8 | UInt32(data[offset + 2]) << 16
        | UInt32(data[offset + 3]) << 24
    }
    guard data.count >= 24 else { return nil }
    let magic = le32(0)
    guard magic == 0xa1b2_c3d4 || magic == 0xa1b2_3c4d else { return nil }
    let nanosecondScale: UInt32 = magic == 0xa1b2_3c4d ? 1 : 1000
    var records: [(Int64, UInt32, Int, [UInt8])] = []
    var offset = 24
    while offset + 16 <= data.count {
      let captured = Int(le32(offset + 8))
      guard offset + 16 + captured <= data.count else { break }
      records.append(
        (
          Int64(le32(offset)), le32(offset + 4) * nanosecondScale, Int(le32(offset + 12)),
          Array(data[(offset + 16)..<(offset + 16 + captured)])
        ))
      offset += 16 + captured
    }
    return (LinkType(rawValue: le32(20) & 0xFFFF), records)
  }

  static let fixture: String = {
    var path = #filePath
    for _ in 0..<4 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path + "/Fixtures/mixed.pcap"
  }()

  @Test("mixed.pcap agrees with capinfos and tshark where the models agree")
  func mixed() throws {
    let (linkType, records) = try #require(Self.records(Self.fixture))
    var statistics = CaptureStatistics()
    let decoder = FrameDecoder()
    for (seconds, nanoseconds, wire, bytes) in records {
      statistics.add(
        decoder.decode(bytes, linkType: linkType, wireLength: wire), timestampSeconds: seconds,
        nanoseconds: nanoseconds, capturedLength: bytes.count, wireLength: wire)
    }
    // capinfos -c -a -e -u
    #expect(statistics.packets == 39)
    #expect(statistics.bytes == 2917)
    #expect(
      CaptureStatistics.secondsText(statistics.durationNanoseconds, decimals: 6) == "0.038000")
    #expect(
      statistics.firstTime.map(CaptureStatistics.isoText) == "2023-11-14T22:13:20.000001Z")

    // -z io,phs, for the nodes where tshark's names map one to one onto ours (tshark
    // splits payloads into http/dns/data and reassembles fragments; we say `raw`).
    let nodes = Dictionary(
      uniqueKeysWithValues: statistics.protocols.nodes.map { ($0.path, ($0.packets, $0.bytes)) })
    let tshark: [(String, Int, Int)] = [
      ("eth", 39, 2917), ("eth:ipv4", 23, 1654), ("eth:ipv4:tcp", 7, 568),
      ("eth:ipv4:icmp", 7, 427), ("eth:ipv4:ipv6", 1, 86), ("eth:ipv4:ipv6:udp", 1, 86),
      ("eth:ipv4:ipv4", 1, 70), ("eth:ipv4:ipv4:icmp", 1, 70), ("eth:ipv6", 9, 859),
      ("eth:ipv6:icmpv6", 5, 438), ("eth:arp", 2, 120),
    ]
    for (path, packets, bytes) in tshark {
      #expect(nodes[path]?.0 == packets, "\(path) packets")
      #expect(nodes[path]?.1 == bytes, "\(path) bytes")
    }

    // -z conv,tcp: identical.
    let tcp = statistics.conversations.top(10, of: .tcp)
    #expect(tcp.count == 1)
    #expect(tcp.first?.description == "192.0.2.1:40000 192.0.2.2:80 4/327 2/183")
    // -z conv,udp: the DNS exchange.
    let udp = statistics.conversations.top(10, of: .udp).map(\.description)
    #expect(udp.contains("192.0.2.1:53000 192.0.2.2:53 1/71 1/87"))
    // -z conv,ip: pairs without fragments or tunnels.
    let ip = statistics.conversations.top(10, of: .ip).map(\.description)
    #expect(ip.contains("198.51.100.1:0 198.51.100.2:0 2/156 0/0"))
    #expect(ip.contains("198.51.100.1:0 192.0.2.1:0 1/70 0/0"))
  }
}

extension ConversationTable.Conversation {
  /// `a:port b:port packetsAToB/bytesAToB packetsBToA/bytesBToA`, for comparisons.
  var description: String {
    "\(a):\(aPort) \(b):\(bPort) \(packetsAToB)/\(bytesAToB) \(packetsBToA)/\(bytesBToA)"
  }
}
