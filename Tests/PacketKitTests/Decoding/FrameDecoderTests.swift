import Testing

@testable import PacketKit

@Suite("FrameDecoder")
struct FrameDecoderTests {
  let decoder = FrameDecoder()

  func kinds(_ frame: DecodedFrame) -> [LayerKind] { frame.layers.map(\.kind) }

  @Test("TCP SYN with every option kind")
  func tcpSyn() throws {
    let bytes = Vectors.tcpSyn
    let frame = decoder.decode(bytes, linkType: .ethernet)
    #expect(kinds(frame) == [.ethernet, .ipv4, .tcp, .raw])
    guard case .ipv4(let ip) = frame[1].header, case .tcp(let tcp) = frame[2].header else {
      Issue.record("unexpected layers")
      return
    }
    #expect(ip.src == IPv4Address(192, 0, 2, 1) && ip.dst == IPv4Address(192, 0, 2, 2))
    #expect(ip.df && !ip.mf && ip.id == 1 && ip.ttl == 64 && ip.totalLength == 77)
    #expect(frame[1].checksumValid == true)
    #expect(tcp.srcPort == 1234 && tcp.dstPort == 80 && tcp.seq == 1000 && tcp.flags == 0x002)
    #expect(tcp.headerLength == 52 && tcp.window == 8192)
    #expect(frame[2].checksumValid == true)
    #expect(frame[2].payloadLength == 5)
    #expect(frame[3].range == 86..<91)
    var options: [TCPOption] = []
    TCPOption.forEach(in: bytes.span, range: tcp.optionsRange) {
      options.append($0)
      return true
    }
    #expect(
      options == [
        .mss(1460), .nop, .windowScale(7), .sackPermitted, .timestamp(value: 100, echo: 0),
        .sack(blocks: 76..<84), .eol,
      ])
  }

  @Test("IPv6 extension headers and a fragment: no checksum verdict")
  func ipv6Fragment() throws {
    let bytes = Vectors.udp6Fragment
    let frame = decoder.decode(bytes, linkType: .ethernet)
    #expect(kinds(frame) == [.ethernet, .ipv6, .udp, .raw])
    guard case .ipv6(let ip) = frame[1].header else { throw Failure.unexpected }
    #expect(ip.trafficClass == 0x20 && ip.flowLabel == 0x12345 && ip.nextHeader == 0)
    #expect(ip.extensionsRange == 54..<70 && ip.upperLayerProtocol == 17 && ip.isFragment)
    #expect(ip.src.description == "2001:db8::1")
    var types: [UInt8] = []
    IPv6ExtensionHeader.forEach(in: bytes.span, range: ip.extensionsRange, first: ip.nextHeader) {
      types.append($0.type)
      if $0.type == 44 { #expect($0.mf && $0.id == 7 && $0.fragmentOffset == 0) }
      return true
    }
    #expect(types == [0, 44])
    #expect(frame[2].checksumValid == nil)
  }

  @Test("ICMP error: the quoted datagram is decoded as further layers")
  func icmpQuote() throws {
    let frame = decoder.decode(Vectors.icmpQuote, linkType: .ethernet)
    #expect(kinds(frame) == [.ethernet, .ipv4, .icmp, .ipv4, .udp, .raw])
    #expect(frame[3].isQuoted && frame[4].isQuoted)
    #expect(
      frame[2].checksumValid == true && frame[3].checksumValid == true
        && frame[4].checksumValid == true)
  }

  @Test("QinQ and ARP")
  func qinqARP() throws {
    let frame = decoder.decode(Vectors.qinqARP, linkType: .ethernet)
    #expect(kinds(frame) == [.ethernet, .vlan, .vlan, .arp])
    guard case .vlan(let outer) = frame[1].header, case .vlan(let inner) = frame[2].header,
      case .arp(let arp) = frame[3].header
    else { throw Failure.unexpected }
    #expect(outer.tpid == 0x88a8 && outer.id == 100 && outer.pcp == 5 && outer.dei)
    #expect(inner.tpid == 0x8100 && inner.id == 200 && inner.type == 0x0806)
    #expect(arp.op == 1 && arp.isEthernetIPv4 && arp.senderIP == IPv4Address(192, 0, 2, 1))
    #expect(arp.targetIP == IPv4Address(192, 0, 2, 2) && arp.targetMAC == .zero)
  }

  @Test("Neighbour solicitation: target and options")
  func neighborSolicitation() throws {
    let bytes = Vectors.neighborSolicitation
    let frame = decoder.decode(bytes, linkType: .ethernet)
    #expect(kinds(frame) == [.ethernet, .ipv6, .icmpv6, .raw])
    guard case .icmpv6(let message) = frame[2].header else { throw Failure.unexpected }
    #expect(message.type == 135 && frame[2].checksumValid == true)
    let start = frame[2].range.lowerBound
    #expect(IPv6Address(bytes.span, at: start + message.targetOffset!).description == "2001:db8::2")
    var options: [NDOption] = []
    let wellFormed = NDOption.forEach(
      in: bytes.span, range: (start + message.ndOptionsOffset!)..<bytes.count
    ) {
      options.append($0)
      return true
    }
    #expect(wellFormed && options.count == 1 && options[0].type == 1 && options[0].length == 8)
  }

  @Test("Ethernet padding is not payload")
  func padding() throws {
    let frame = decoder.decode(Vectors.paddedEcho, linkType: .ethernet)
    #expect(kinds(frame) == [.ethernet, .ipv4, .icmp])
    #expect(frame.paddingRange == 42..<60)
  }

  @Test(
    "Every prefix of every vector decodes and reports the layer that runs out",
    arguments: Vectors.all)
  func everyPrefix(name: String, bytes: [UInt8]) {
    let whole = decoder.decode(bytes, linkType: .ethernet)
    for length in 1..<bytes.count {
      let frame = decoder.decode(
        Array(bytes[..<length]), linkType: .ethernet, wireLength: bytes.count)
      // The layers are those of the whole frame, in order, up to where the bytes end...
      #expect(frame.count >= 1 && frame.count <= whole.count, "\(name) cut at \(length)")
      for index in 0..<min(frame.count, whole.count) {
        #expect(frame[index].kind == whole[index].kind, "\(name) cut at \(length), layer \(index)")
        #expect(frame[index].range.upperBound <= length)
      }
      // ...and the last one is flagged truncated, or ends exactly at the cut.
      let last = frame[frame.count - 1]
      var isTruncated = false
      if case .truncated(let truncation) = last.status {
        isTruncated = true
        #expect(truncation.offset + truncation.available == length, "\(name) cut at \(length)")
      }
      #expect(
        isTruncated || last.range.upperBound == length || frame.paddingRange?.upperBound == length,
        "\(name) cut at \(length): \(last.kind) \(last.range)")
    }
  }

  @Test("Decode then emit gives back the same bytes", arguments: Vectors.all)
  func roundTrip(name: String, bytes: [UInt8]) {
    let frame = decoder.decode(bytes, linkType: .ethernet)
    let (emitted, byFields) = frame.encode(from: bytes.span)
    #expect(emitted == bytes, "\(name)")
    #expect(byFields >= 14)
  }

  @Test("Malformed headers name the field")
  func malformed() {
    var bytes = Vectors.tcpSyn
    bytes[14] = 0x44  // IHL 4
    var frame = decoder.decode(bytes, linkType: .ethernet)
    #expect(
      frame[1].status
        == .malformed(Malformation(field: "header_length", reason: "less than 20 bytes", value: 16))
    )
    #expect(frame.count == 2)

    bytes = Vectors.tcpSyn
    bytes[46] = 0x40  // TCP data offset 4
    frame = decoder.decode(bytes, linkType: .ethernet)
    #expect(
      frame[2].status
        == .malformed(Malformation(field: "header_length", reason: "less than 20 bytes", value: 16))
    )

    bytes = Vectors.tcpSyn
    bytes[16] = 0x01  // IPv4 total length 0x014d, beyond the frame
    frame = decoder.decode(bytes, linkType: .ethernet)
    #expect(
      frame[1].status
        == .malformed(
          Malformation(field: "total_length", reason: "beyond the enclosing frame", value: 333)))
  }

  @Test("Truncation records what cut the layer short")
  func truncation() {
    let bytes = Array(Vectors.tcpSyn[..<40])
    let frame = decoder.decode(bytes, linkType: .ethernet, wireLength: Vectors.tcpSyn.count)
    #expect(
      frame[2].status
        == .truncated(
          Truncation(layer: .tcp, needed: 20, available: 6, offset: 34, bound: .capture)))
    guard case .tcp(let tcp) = frame[2].header else { return }
    #expect(tcp.srcPort == 1234 && tcp.dstPort == 80)
    #expect(frame[1].checksumValid == true && frame[2].checksumValid == nil)
  }

  enum Failure: Error { case unexpected }
}
