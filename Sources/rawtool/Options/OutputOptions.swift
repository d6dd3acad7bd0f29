import ArgumentParser
import PacketKit

/// How decoded packets are printed; shared by every command that prints packets.
struct OutputOptions: ParsableArguments {
  @Flag(
    name: .short,
    help:
      "tcpdump's verbose text (-v, -vv, -vvv): IP header details, checksum verdicts, more of each protocol."
  )
  var verbose: Int

  @Flag(
    name: .customShort("V"), help: "Every field of every layer, one layer a line (tshark's -V).")
  var tree = false

  @Flag(
    name: .customLong("json"),
    help:
      "Print one JSON object per packet (ndjson), one member per layer, named as in expressions.")
  var json = false

  @Flag(
    name: .customLong("hex"),
    help:
      "With --json, include payload bytes as hex; craft without --json prints each packet as one line of hex."
  )
  var hexPayload = false

  @Flag(
    name: .customShort("x"), help: "Hex dump each packet after its line (-xx: from the link layer)."
  )
  var hex: Int

  @Flag(name: .customShort("X"), help: "Hex and ASCII dump each packet (-XX: from the link layer).")
  var hexASCII: Int

  @Flag(name: .customShort("e"), help: "Print the link-level header on each line.")
  var linkLevel = false

  @Flag(
    name: .customShort("t"),
    help:
      "Timestamps: -t none, -tt seconds since the epoch, -ttt delta, -tttt date and time, -ttttt since the first packet."
  )
  var timestampLevel: Int

  @Flag(name: .customLong("nano"), help: "Print timestamps with nanosecond precision.")
  var nano = false

  @Flag(name: .customShort("S"), help: "Print absolute, not relative, TCP sequence numbers.")
  var absoluteSequence = false

  @Flag(name: .customShort("U"), help: "Write each packet's output as soon as it is printed.")
  var packetBuffered = false

  @Option(
    name: .customLong("color"),
    help: ArgumentHelp(
      "Colour one-line output: auto (when standard output is a terminal and NO_COLOR is not set), always or never.",
      valueName: "when"))
  var color: ColorChoice = .auto

  // MARK: tcpdump's habits

  @Flag(
    name: .customShort("n"),
    help: "Accepted as in tcpdump (-n, -nn): rawtool never resolves addresses or ports.")
  var numeric: Int

  @Flag(
    name: .customShort("A"),
    help: "Print each packet (minus its link-level header) in ASCII; -AA with that header.")
  var ascii: Int

  @Flag(name: .customShort("q"), help: "Quick output: less protocol information on each line.")
  var quick: Int

  @Flag(name: .customShort("l"), help: "Line-buffered output: write each line as it is printed.")
  var lineBuffered = false

  @Flag(
    name: [.customShort("#"), .customLong("number")],
    help: "Print a packet number at the beginning of each line.")
  var packetNumber = false

  @Flag(
    name: .customShort("K"),
    help: "Do not verify IP, TCP, UDP or ICMP checksums (no verdicts in -v output).")
  var noChecksums = false

  func validate() throws {
    if json && (verbose > 0) { throw ValidationError("--json and -v are exclusive.") }
    if json && tree { throw ValidationError("--json and -V are exclusive.") }
  }

  /// For commands where `--hex` has no meaning of its own without `--json` (read).
  func requireJSONForHexPayload() throws {
    if hexPayload && !json {
      throw ValidationError("--hex goes with --json; use -x or -X for a hex dump.")
    }
  }

  /// The timestamp style for the count of `-t` flags, as tcpdump.
  var timestampStyle: TimestampStyle {
    switch timestampLevel {
    case 0: .time
    case 1: .none
    case 2: .epoch
    case 3: .delta
    case 4: .dateTime
    default: .sinceFirst
    }
  }

  /// Whether checksums must be verified (they are printed only by JSON and the tree).
  var needsChecksums: Bool { json || tree }

  /// Whether packets are printed as anything but packets (-w refuses these).
  var printsText: Bool { json || verbose > 0 || tree || hex > 0 || hexASCII > 0 || ascii > 0 }
}
