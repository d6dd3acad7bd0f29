@preconcurrency import Glibc
import PacketKit

/// Prints decoded packets in the format `OutputOptions` selects, into standard output.
struct PacketPrinter {
  // Exactly one of the three is set. Separate optionals (not an enum with payloads) let
  // the stateful one-line formatter be mutated in place, without copying its TCP state.
  var oneLine: OneLineFormatter?
  var verbose: VerboseFormatter?
  var json: JSONFormatter?
  var hexDump: HexDumpFormatter?
  let output = StandardOutput.shared

  init(options: OutputOptions) {
    if options.json {
      json = JSONFormatter(includeHex: options.hexPayload)
    } else if options.verbose > 0 {
      verbose = VerboseFormatter()
    } else {
      oneLine = OneLineFormatter(
        timestampStyle: options.timestampStyle, utcOffsetSeconds: Self.localUTCOffset(),
        printLinkLayer: options.linkLevel, nanosecondPrecision: options.nano,
        absoluteSequence: options.absoluteSequence)
    }
    if options.hexASCII > 0 {
      hexDump = HexDumpFormatter(includeLinkLayer: options.hexASCII > 1, ascii: true)
    } else if options.hex > 0 {
      hexDump = HexDumpFormatter(includeLinkLayer: options.hex > 1, ascii: false)
    }
    if options.packetBuffered { output.packetBuffered = true }
  }

  /// Formats one packet and hands the text to standard output.
  @inline(__always)
  mutating func print(_ frame: DecodedFrame, bytes: Span<UInt8>, record: CaptureRecord) {
    if oneLine != nil {
      oneLine!.write(frame, bytes: bytes, record: record, to: &output.buffer)
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
