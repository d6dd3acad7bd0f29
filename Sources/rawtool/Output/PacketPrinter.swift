import PacketKit

@preconcurrency import Glibc

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
      var formatter = OneLineFormatter()
      formatter.timestampStyle = options.timestampStyle
      formatter.printLinkLayer = options.linkLevel
      formatter.nanosecondPrecision = options.nano
      formatter.absoluteSequence = options.absoluteSequence
      formatter.utcOffsetSeconds = Self.localUTCOffset()
      oneLine = formatter
    }
    if options.hexASCII > 0 {
      hexDump = HexDumpFormatter(ascii: true, includeLinkLayer: options.hexASCII > 1)
    } else if options.hex > 0 {
      hexDump = HexDumpFormatter(ascii: false, includeLinkLayer: options.hex > 1)
    }
    if options.packetBuffered { output.packetBuffered = true }
  }

  /// Formats one packet and hands the text to standard output.
  @inline(__always)
  mutating func print(_ frame: DecodedFrame, bytes: Span<UInt8>, record: CaptureRecord) {
    switch style {
    case .oneLine(var formatter):
      formatter.write(frame, bytes: bytes, record: record, to: &output.buffer)
      oneLine = formatter
    case .verbose(let formatter):
      formatter.write(frame, bytes: bytes, record: record, to: &output.buffer)
    case .json(let formatter):
      formatter.write(frame, bytes: bytes, record: record, to: &output.buffer)
    }
    if let hexDump { hexDump.write(frame, bytes: bytes, to: &output.buffer) }
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
