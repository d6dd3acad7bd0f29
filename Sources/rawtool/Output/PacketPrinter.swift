@preconcurrency import Glibc
import PacketIO
import PacketKit

/// Decodes packets and prints them in the format `OutputOptions` selects, into standard output.
struct PacketPrinter {
  // Exactly one of the three is set (none with `hexLines`). Separate optionals (not an enum
  // with payloads) let the stateful one-line formatter be mutated in place, without copying
  // its TCP state.
  var oneLine: OneLineFormatter?
  var verbose: VerboseFormatter?
  var json: JSONFormatter?
  var hexDump: HexDumpFormatter?
  /// Set when one-line output is coloured (`--color`); nil leaves the formatter's text as is.
  var colorizer: LineColorizer?
  /// Each packet as one line of hex, not decoded (`craft --hex` without `--json`).
  let hexLines: Bool
  let decoder: FrameDecoder
  /// The decoded packet, reused from one packet to the next.
  var frame = DecodedFrame(linkType: .ethernet, capturedLength: 0, wireLength: 0)
  let output = StandardOutput.shared
  /// tcpdump's `-#`: each line starts with the packet's number.
  var numbersPackets = false
  /// tcpdump's `-A`: the bytes after the link-layer header follow each line as text.
  var asciiDump = false
  /// tcpdump's `-AA`: the text dump starts at the frame's first byte.
  var asciiLinkLayer = false
  /// Packets printed so far (for `-#`).
  var printed: UInt = 0
  /// SLL2 interface names for the one-line text, looked up on this machine as tcpdump does.
  var interfaceNames = InterfaceNameCache()

  /// A printer for `options`; `hexLines` prints each packet as one line of hex instead.
  init(options: OutputOptions, hexLines: Bool = false) {
    self.hexLines = hexLines
    decoder = FrameDecoder(verifyChecksums: options.needsChecksums)
    if options.json {
      json = JSONFormatter(includeHex: options.hexPayload)
    } else if options.tree {
      verbose = VerboseFormatter()
    } else {
      oneLine = OneLineFormatter(
        timestampStyle: options.timestampStyle, utcOffsetSeconds: Self.localUTCOffset(),
        printLinkLayer: options.linkLevel, nanosecondPrecision: options.nano,
        absoluteSequence: options.absoluteSequence)
      oneLine!.verbosity = options.verbose
      oneLine!.quick = options.quick > 0
      oneLine!.verifiesChecksums = !options.noChecksums
      if options.color.isEnabled() { colorizer = LineColorizer() }
    }
    numbersPackets = options.packetNumber
    asciiDump = options.ascii > 0 && options.hex == 0 && options.hexASCII == 0 && !options.json
    asciiLinkLayer = options.ascii > 1
    if options.hexASCII > 0 {
      hexDump = HexDumpFormatter(includeLinkLayer: options.hexASCII > 1, ascii: true)
    } else if options.hex > 0 {
      hexDump = HexDumpFormatter(includeLinkLayer: options.hex > 1, ascii: false)
    }
    if options.packetBuffered || options.lineBuffered { output.packetBuffered = true }
  }

  /// Decodes and formats one packet and hands the text to standard output.
  @inline(__always)
  mutating func print(_ record: CaptureRecord, _ bytes: Span<UInt8>) {
    if hexLines {
      for index in bytes.indices { output.buffer.append(hexByte: bytes[index]) }
      output.buffer.append(byte: UInt8(ascii: "\n"))
      output.packetDone()
      return
    }
    decoder.decode(bytes, linkType: record.linkType, wireLength: record.wireLength, into: &frame)
    if oneLine != nil {
      if numbersPackets {
        printed += 1
        // tcpdump's `%5u  `.
        var digits = 1
        var rest = printed / 10
        while rest > 0 {
          digits += 1
          rest /= 10
        }
        for _ in digits..<max(digits, 5) { output.buffer.append(byte: 0x20) }
        output.buffer.append(decimal: printed)
        output.buffer.append("  ")
      }
      // tcpdump names an SLL2 frame's interface by looking the header's index up on the
      // machine that prints (if_indextoname), `?` when there is none; --json keeps the record's.
      var named = record
      if record.linkType == .linuxSLL2 && bytes.count >= 8 {
        let index =
          UInt32(bytes[4]) << 24 | UInt32(bytes[5]) << 16 | UInt32(bytes[6]) << 8
          | UInt32(bytes[7])
        named.interfaceName = interfaceNames.name(ofIndex: index)
      }
      if colorizer != nil {
        let start = output.buffer.count
        oneLine!.write(frame, bytes: bytes, record: named, to: &output.buffer)
        colorizer!.colorize(&output.buffer, from: start)
      } else {
        oneLine!.write(frame, bytes: bytes, record: named, to: &output.buffer)
      }
      if asciiDump {
        AsciiDumpFormatter.write(
          frame, bytes: bytes, includeLinkLayer: asciiLinkLayer, to: &output.buffer)
      }
    } else if let json {
      json.write(frame, bytes: bytes, record: record, to: &output.buffer)
    } else if let verbose {
      verbose.write(frame, bytes: bytes, record: record, to: &output.buffer)
    }
    if let hexDump { hexDump.write(frame, bytes: bytes, record: record, to: &output.buffer) }
    output.packetDone()
  }

  /// The local time zone's offset from UTC now, in seconds (tcpdump prints local time).
  static func localUTCOffset() -> Int {
    var now = time(nil)
    var parts = tm()
    guard localtime_r(&now, &parts) != nil else { return 0 }
    return parts.tm_gmtoff
  }
}
