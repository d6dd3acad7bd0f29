import Testing

@testable import PacketKit

/// Room for layer kinds: a frame's kinds and the statistics keys made of them must tell
/// apart far more kinds than exist today, so adding one corrupts neither.
@Suite("LayerPath")
struct LayerPathTests {
  /// The codes of a path, in order.
  func codes(_ path: LayerPath) -> [UInt8] {
    (0..<path.count).map { path.code(at: $0) }
  }

  @Test("holds at least 64 layer kinds, and a frame's worth of layers")
  func capacity() {
    #expect(LayerPath.kindCapacity >= 64)
    #expect(LayerKind.allCases.count <= LayerPath.kindCapacity)
    #expect(LayerPath.capacity >= DecodedFrame.capacity)
    for kind in LayerKind.allCases {
      #expect(Int(kind.rawValue) < LayerPath.kindCapacity)
    }
  }

  @Test("every code round-trips at every depth, without touching its neighbours")
  func roundTrip() {
    for code in 0..<LayerPath.kindCapacity {
      for depth in 0..<LayerPath.capacity {
        var path = LayerPath()
        for index in 0..<LayerPath.capacity {
          path.append(code: index == depth ? UInt8(code) : 0xA5)
        }
        let expected = (0..<LayerPath.capacity).map { $0 == depth ? UInt8(code) : 0xA5 }
        #expect(codes(path) == expected)
      }
    }
  }

  @Test("a full path ignores further layers")
  func full() {
    var path = LayerPath()
    for index in 0..<(LayerPath.capacity + 3) { path.append(code: UInt8(index)) }
    #expect(path.count == LayerPath.capacity)
    #expect(codes(path) == (0..<LayerPath.capacity).map { UInt8($0) })
  }

  @Test("paths of different kinds or lengths are different statistics keys")
  func distinctKeys() {
    // Every one- and two-layer path over 64 kinds, and the same paths with a kind 0 layer
    // after them (which a key with 0 as its end marker would not tell apart).
    var hierarchy = ProtocolHierarchy()
    var added = 0
    for first in 0..<64 {
      var one = LayerPath()
      one.append(code: UInt8(first))
      hierarchy.add(path: one, bytes: 1)
      added += 1
      for second in 0..<64 {
        var two = one
        two.append(code: UInt8(second))
        hierarchy.add(path: two, bytes: 1)
        var three = two
        three.append(code: 0)
        hierarchy.add(path: three, bytes: 1)
        added += 2
      }
    }
    #expect(hierarchy.paths.count == added)
    #expect(hierarchy.paths.values.allSatisfy { $0.packets == 1 })
  }

  @Test("prefixes keep the first layers")
  func prefixes() {
    var path = LayerPath()
    for kind in [LayerKind.ethernet, .vlan, .ipv4, .udp, .raw] { path.append(kind) }
    #expect(codes(path.prefix(0)) == [])
    #expect(path.prefix(0) == LayerPath())
    #expect(codes(path.prefix(2)) == [LayerKind.ethernet.rawValue, LayerKind.vlan.rawValue])
    #expect(path.prefix(5) == path)
    #expect(path.prefix(9) == path)
    var rebuilt = LayerPath()
    for kind in [LayerKind.ethernet, .vlan, .ipv4] { rebuilt.append(kind) }
    #expect(path.prefix(3) == rebuilt)
  }

  @Test("a frame's kinds follow its layers, and the hierarchy names them")
  func frameKinds() {
    var frame = FrameDecoder().decode(StatisticsVectors.icmpError, linkType: .ethernet)
    #expect(codes(frame.kinds) == frame.layers.map(\.kind.rawValue))
    #expect(frame.kinds.count == 5)
    frame[4] = DecodedLayer(header: .raw, range: 42..<frame.capturedLength)
    #expect(frame.kind(at: 4) == .raw)
    #expect(frame.kind(at: 3) == .ipv4)
    var hierarchy = ProtocolHierarchy()
    hierarchy.add(frame, bytes: 70)
    #expect(
      hierarchy.nodes.map(\.path) == [
        "eth", "eth:ipv4", "eth:ipv4:icmp", "eth:ipv4:icmp:ipv4", "eth:ipv4:icmp:ipv4:raw",
      ])
  }
}
