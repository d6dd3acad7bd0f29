import PacketKit
import Testing

/// A frame carrying an STP, CDP, SYSLOG or Telnet payload, cut by the capture to `caplen`
/// bytes, and what tcpdump prints for it at -v levels 0, 1 and 2 (PayloadTextVectors.swift).
struct PayloadTextVector: Sendable {
  var name: String
  var caplen: Int
  var hex: String
  var text: [String]
}

// The text printers for payloads that stay `raw` in the layers (STP and CDP after LLC, SYSLOG
// on UDP port 514, Telnet on TCP port 23), against tcpdump 4.99.3 on frames from the fixtures,
// the corpus and Scripts/generate-payload-text-vectors.py, whole and cut.
@Suite("Payload text printers (STP, CDP, SYSLOG, Telnet)")
struct PayloadTextTests {
  static func line(_ vector: PayloadTextVector, verbosity: Int, linkLayer: Bool = false)
    -> String
  {
    let frameBytes = OneLineCraftedTests.bytes(vector.hex)
    let captured = Array(frameBytes.prefix(vector.caplen))
    var formatter = OneLineFormatter(timestampStyle: .none, printLinkLayer: linkLayer)
    formatter.verbosity = verbosity
    var out = TextBuffer()
    let frame = FrameDecoder().decode(
      captured.span, linkType: .ethernet, wireLength: frameBytes.count)
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 1000),
      capturedLength: captured.count, wireLength: frameBytes.count, linkType: .ethernet)
    formatter.write(frame, bytes: captured.span, record: record, to: &out)
    return out.string
  }

  @Test("a frame prints tcpdump's text at -v levels 0 to 2", arguments: 0..<vectors.count)
  func vector(_ index: Int) {
    let vector = Self.vectors[index]
    for level in 0..<3 {
      #expect(
        Self.line(vector, verbosity: level) == vector.text[level],
        "\(vector.name), caplen \(vector.caplen), level \(level)")
    }
  }

  @Test("every printer is exercised, whole and cut")
  func coverage() {
    let texts = Self.vectors.flatMap(\.text)
    for marker in ["[|stp]", "[|cdp]", "[|syslog]", "[|telnet]", " (invalid)"] {
      #expect(texts.contains { $0.contains(marker) }, "no vector prints \(marker)")
    }
    for start in [
      "STP 802.1d", "STP 802.1w", "STP 802.1s", "STP 802.1aq", "CDPv2", "SYSLOG", "[telnet ",
    ] {
      #expect(texts.contains { $0.contains(start) }, "no vector prints \(start)")
    }
  }

  @Test("-e prints the LLC and SNAP headers before the payload")
  func linkLayer() {
    let stp = Self.vectors.first { $0.name == "stp config (fixture)" }!
    #expect(
      Self.line(stp, verbosity: 0, linkLayer: true)
        == "02:00:00:00:00:01 > 01:80:c2:00:00:00, 802.3, length 38: LLC, dsap STP (0x42) Individual, ssap STP (0x42) Command, ctrl 0x03: STP 802.1d, Config, Flags [none], bridge-id 8000.02:00:00:00:00:01.8001, length 35\n"
    )
    let cdp = Self.vectors.first { $0.name == "cdp invalid (fixture)" }!
    #expect(
      Self.line(cdp, verbosity: 0, linkLayer: true)
        == "02:00:00:00:00:02 > 01:00:0c:cc:cc:cc, 802.3, length 24: LLC, dsap SNAP (0xaa) Individual, ssap SNAP (0xaa) Command, ctrl 0x03: oui Cisco (0x00000c), pid CDP (0x2000), length 16: CDPv2, ttl: 180s (TLV length 24944 > 12) (invalid)\n"
    )
  }

  @Test("the payloads stay raw in the layers")
  func layersUnchanged() {
    for name in ["stp config (fixture)", "cdp (corpus)", "syslog (fixture)", "telnet (fixture)"] {
      let vector = Self.vectors.first { $0.name == name }!
      let bytes = OneLineCraftedTests.bytes(vector.hex)
      let frame = FrameDecoder().decode(bytes.span, linkType: .ethernet)
      #expect(frame.layers.last?.kind == .raw, "\(name)")
    }
  }
}
