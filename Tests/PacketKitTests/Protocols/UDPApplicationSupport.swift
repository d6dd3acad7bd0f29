import Testing

@testable import PacketKit

/// Builds, decodes and prints packets of the application layers on UDP ports (DHCP, DHCPv6,
/// NTP) for their tests.
enum UDPApplication {
  /// The bytes of a crafting expression (one packet).
  static func craft(_ expression: String) throws -> [UInt8] {
    let stacks = try PacketCrafter.stacks(from: ExpressionParser.parse(expression))
    return try stacks[0].build()
  }

  /// Ethernet / IPv4 / UDP around `payload`, ports given.
  static func overIPv4(_ payload: [UInt8], sport: UInt16, dport: UInt16) throws -> [UInt8] {
    var stack = PacketStack([
      Ethernet(src: MACAddress(2, 0, 0, 0, 0, 1), dst: MACAddress(2, 0, 0, 0, 0, 2)).stackLayer,
      IPv4(src: IPv4Address(192, 0, 2, 1), dst: IPv4Address(192, 0, 2, 2)).stackLayer,
      UDP(srcPort: sport, dstPort: dport).stackLayer,
    ])
    stack.layers.append(Payload(payload).stackLayer)
    return try stack.build()
  }

  /// Decodes an Ethernet frame whose first `captured` bytes were kept.
  static func decode(_ frame: [UInt8], captured: Int? = nil) -> (DecodedFrame, [UInt8]) {
    let kept = Array(frame.prefix(captured ?? frame.count))
    return (FrameDecoder().decode(kept, linkType: .ethernet, wireLength: frame.count), kept)
  }

  /// The one-line text (no timestamp), the verbose text and the JSON line of a frame, after
  /// checking that the frame encodes back to its bytes and the JSON is one clean line.
  static func texts(_ frame: [UInt8], captured: Int? = nil) -> (
    line: String, verbose: String, json: String
  ) {
    let (decoded, kept) = decode(frame, captured: captured)
    let bytes = kept.span
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 1_700_000_000), capturedLength: kept.count,
      wireLength: frame.count, linkType: .ethernet)
    #expect(decoded.encode(from: bytes).bytes == kept)
    var line = TextBuffer()
    var formatter = OneLineFormatter(timestampStyle: .none)
    formatter.write(decoded, bytes: bytes, record: record, to: &line)
    var verbose = TextBuffer()
    VerboseFormatter().write(decoded, bytes: bytes, record: record, to: &verbose)
    var json = TextBuffer()
    JSONFormatter(includeHex: true).write(decoded, bytes: bytes, record: record, to: &json)
    #expect(json.bytes.last == 0x0A)
    #expect(!json.bytes.dropLast().contains { $0 < 0x20 || $0 == 0x7F })
    #expect((try? JSONParser.parse(json.bytes)) != nil, "\(json.string)")
    return (line.string.trimmingSuffix("\n"), verbose.string, json.string)
  }

  /// The layer kinds of a decoded frame, by contract name.
  static func kinds(_ frame: [UInt8], captured: Int? = nil) -> [String] {
    let (decoded, _) = decode(frame, captured: captured)
    return (0..<decoded.count).map { decoded[$0].kind.name.description }
  }

  /// Every capture length of `frame`, and `rounds` copies with bytes of the application
  /// payload (from `payloadStart`) overwritten by seeded noise: all views print without
  /// trapping.
  static func survivesDamage(_ frame: [UInt8], payloadStart: Int, rounds: Int = 200) {
    for captured in 0...frame.count { _ = texts(frame, captured: captured) }
    var random = SplitMix64(seed: 42)
    for _ in 0..<rounds {
      var damaged = frame
      for _ in 0..<4 {
        let index = payloadStart + Int(random.next() % UInt64(frame.count - payloadStart))
        damaged[index] = UInt8(truncatingIfNeeded: random.next())
      }
      _ = texts(damaged)
    }
  }
}

extension String {
  func trimmingSuffix(_ suffix: String) -> String {
    hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
  }
}
