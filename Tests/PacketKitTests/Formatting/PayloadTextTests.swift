import Foundation
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
    return text(
      Array(frameBytes.prefix(vector.caplen)), wireLength: frameBytes.count,
      verbosity: verbosity, linkLayer: linkLayer)
  }

  /// What the formatter prints for the `captured` bytes of a frame of `wireLength` bytes.
  static func text(_ captured: [UInt8], wireLength: Int, verbosity: Int, linkLayer: Bool)
    -> String
  {
    var formatter = OneLineFormatter(timestampStyle: .none, printLinkLayer: linkLayer)
    formatter.verbosity = verbosity
    var out = TextBuffer()
    let frame = FrameDecoder().decode(captured.span, linkType: .ethernet, wireLength: wireLength)
    let record = CaptureRecord(
      number: 1, timestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 1000),
      capturedLength: captured.count, wireLength: wireLength, linkType: .ethernet)
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

extension PayloadTextTests {
  /// Frames from the vectors with bytes overwritten and cut at random places (a fixed
  /// seed): every printer, at every -v level and with -e, ends its line without trapping.
  @Test("damaged payloads print without trapping")
  func damaged() {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    var lines = 0
    for vector in Self.vectors where vector.caplen == vector.hex.count / 2 {
      let original = OneLineCraftedTests.bytes(vector.hex)
      for _ in 0..<40 {
        var bytes = original
        // The Ethernet header stays whole; a few bytes after it are overwritten (so that the
        // payload printers are mostly still reached, with damaged input).
        for _ in 0..<(1 + Int(next() % 6)) {
          let index = 14 + Int(next() % UInt64(max(1, bytes.count - 14)))
          if index < bytes.count { bytes[index] = UInt8(truncatingIfNeeded: next()) }
        }
        let cut = 14 + Int(next() % UInt64(bytes.count - 13))
        let captured = Array(bytes.prefix(cut))
        for level in 0..<3 {
          for linkLayer in [false, true] {
            let text = Self.text(
              captured, wireLength: bytes.count, verbosity: level, linkLayer: linkLayer)
            #expect(text.hasSuffix("\n"))
            lines += 1
          }
        }
      }
    }
    #expect(lines > 1000)
  }

  typealias MallocCounter = @convention(c) () -> UInt64

  /// A malloc counter preloaded into the test process (a shared object exporting
  /// `uint64_t rawtool_malloc_count(void)`, via `LD_PRELOAD`), if any.
  static var mallocCounter: MallocCounter? {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "rawtool_malloc_count")
    else { return nil }
    return unsafeBitCast(symbol, to: MallocCounter.self)
  }

  /// With a malloc counter preloaded: printing the whole vectors at -vv, 1 000 times each,
  /// allocates nothing (the output buffer is reserved first).
  @Test("printing allocates nothing", .enabled(if: mallocCounter != nil))
  func allocatesNothing() throws {
    let counter = try #require(Self.mallocCounter)
    var formatter = OneLineFormatter(timestampStyle: .none)
    formatter.verbosity = 2
    var out = TextBuffer(capacity: 1 << 20)
    let frames = Self.vectors.filter { $0.caplen == $0.hex.count / 2 }.map {
      OneLineCraftedTests.bytes($0.hex)
    }
    let decoded = frames.map { FrameDecoder().decode($0.span, linkType: .ethernet) }
    let records = frames.map {
      CaptureRecord(
        number: 1, timestamp: Timestamp(seconds: 0, nanoseconds: 0), capturedLength: $0.count,
        wireLength: $0.count, linkType: .ethernet)
    }
    // Warm up: lazy statics (name tables) are made on first use.
    for index in frames.indices {
      let bytes = frames[index]
      formatter.write(decoded[index], bytes: bytes.span, record: records[index], to: &out)
    }
    out.clear()
    let before = counter()
    for _ in 0..<1000 {
      for index in frames.indices {
        if out.count > (1 << 20) - 16384 { out.clear() }
        let bytes = frames[index]
        formatter.write(decoded[index], bytes: bytes.span, record: records[index], to: &out)
      }
    }
    let mallocs = counter() - before
    // The counter is process-wide: another test thread may allocate meanwhile; one
    // allocation per frame would show as tens of thousands.
    #expect(mallocs < 10, "\(mallocs) mallocs")
  }
}
