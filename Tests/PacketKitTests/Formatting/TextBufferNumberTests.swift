import Testing

@testable import PacketKit

/// The fast paths of number and address text against the standard library's text.
@Suite("Number and address text")
struct TextBufferNumberTests {
  private func text(_ body: (inout TextBuffer) -> Void) -> String {
    var out = TextBuffer(capacity: 64)
    body(&out)
    return out.string
  }

  @Test("Decimals: every value below 100,000 and the widths' edges up to UInt64.max")
  func decimals() {
    var out = TextBuffer(capacity: 64)
    var expected = ""
    for value in 0..<100_000 {
      out.append(decimal: UInt32(value))
      out.append(byte: 0x20)
      expected += String(value) + " "
    }
    #expect(out.string == expected)
    var edges: [UInt64] = [UInt64.max, UInt64.max - 1]
    var power: UInt64 = 1
    for _ in 0..<19 {
      power *= 10
      edges += [power - 1, power, power + 1]
    }
    for value in edges {
      #expect(text { $0.append(decimal: value) } == String(value))
    }
    #expect(text { $0.append(decimal: -9_999) } == "-9999")
    #expect(text { $0.append(decimal: Int.min) } == String(Int.min))
  }

  @Test("Dotted quads: every octet value in every position")
  func dottedQuads() {
    for octet in 0...255 {
      let value = UInt32(octet)
      for shift in [0, 8, 16, 24] as [UInt32] {
        let raw = value << shift | (shift == 0 ? 0x0A00_0000 : 7)
        let parts = [24, 16, 8, 0].map { String((raw >> UInt32($0)) & 0xFF) }
        #expect(text { $0.append(dottedQuad: raw) } == parts.joined(separator: "."))
        #expect(IPv4Address(rawValue: raw).description == parts.joined(separator: "."))
      }
    }
    #expect(text { $0.append(dottedQuad: 0xFFFF_FFFF) } == "255.255.255.255")
  }

  /// RFC 5952 text built the slow way: groups as strings, the longest zero run (two or
  /// more, the first on a tie) as `::`.
  private func reference(_ groups: [UInt16]) -> String {
    var best = (start: -1, length: 0)
    var index = 0
    while index < 8 {
      guard groups[index] == 0 else {
        index += 1
        continue
      }
      var end = index
      while end < 8 && groups[end] == 0 { end += 1 }
      if end - index >= 2 && end - index > best.length { best = (index, end - index) }
      index = end
    }
    let hex = groups.map { String($0, radix: 16) }
    guard best.start >= 0 else { return hex.joined(separator: ":") }
    let head = hex[0..<best.start].joined(separator: ":")
    let tail = hex[(best.start + best.length)...].joined(separator: ":")
    return head + "::" + tail
  }

  @Test("IPv6 text: every pattern of zero groups, with groups of 1 to 4 digits")
  func ipv6() {
    let samples: [UInt16] = [0x1, 0x2f, 0xdb8, 0xffff]
    for zeros in 0..<256 {
      var groups: [UInt16] = []
      for index in 0..<8 {
        groups.append(zeros & (1 << index) != 0 ? 0 : samples[(index + zeros) % 4])
      }
      // Not the IPv4-mapped prefix, which prints apart.
      if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xffff { continue }
      var high: UInt64 = 0
      var low: UInt64 = 0
      for index in 0..<4 { high = high << 16 | UInt64(groups[index]) }
      for index in 4..<8 { low = low << 16 | UInt64(groups[index]) }
      let address = IPv6Address(high: high, low: low)
      #expect(address.description == reference(groups), "\(groups)")
    }
    #expect(IPv6Address(high: 0, low: 0xffff_c000_0201).description == "::ffff:192.0.2.1")
    #expect(IPv6Address(high: 0, low: 0).description == "::")
  }
}
