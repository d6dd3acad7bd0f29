import ArgumentParser
import Glibc
import PacketIO
import PacketKit

/// `rawtool read FILE [FILTER...]`: decode and print a pcap or pcapng file, like `tcpdump -r`.
struct Read: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "read",
    abstract: "Decode and print the packets of a pcap or pcapng file.",
    discussion: """
      FILTER is a BPF expression (libpcap's language, as in tcpdump) applied to each packet. \
      FILE may be - for standard input.

      Examples:
        rawtool read Fixtures/mixed.pcap
        rawtool read -c 5 -X Fixtures/ethernet-ipv4-tcp.pcap 'tcp port 80'
        rawtool read --json Fixtures/mixed.pcap | jq .ipv4.src
        rawtool read Fixtures/mixed.pcap -w web.pcapng 'tcp port 80'
      """
  )

  @Argument(
    help: ArgumentHelp(
      "The capture file (pcap or pcapng), or - for standard input.", valueName: "file"),
    completion: .file())
  var positionalFile: String?

  @Argument(help: "A BPF filter expression, as in tcpdump.")
  var filter: [String] = []

  @Option(
    name: .customShort("c", allowingJoined: true),
    help: "Stop after this many packets (after filtering).")
  var count: Int?

  @Option(
    name: .customShort("w"),
    help:
      "Write the selected packets to this file (pcapng when it ends in .pcapng) instead of printing them.",
    completion: .file())
  var writePath: String?

  @OptionGroup(title: "Output")
  var output: OutputOptions

  @OptionGroup(title: "Packet tables")
  var tables: PacketTableOptions

  // MARK: tcpdump's habits

  @Option(
    name: .customShort("r"),
    help: "The capture file, as tcpdump's -r (the positional FILE is then part of the filter).",
    completion: .file())
  var readPath: String?

  @Option(
    name: .customShort("F"),
    help: "Read the filter expression from this file (any filter words are then ignored).")
  var filterFile: String?

  @Flag(
    name: .customLong("count"), help: "Print only the number of packets (after filtering).")
  var countOnly = false

  /// The capture file: `-r` or the first positional argument.
  var file: String { readPath ?? positionalFile ?? "" }

  /// The filter words: with `-r`, the first positional argument is one of them.
  var filterWords: [String] {
    guard readPath != nil, let positionalFile else { return filter }
    return [positionalFile] + filter
  }

  func validate() throws {
    if let count, count <= 0 { throw ValidationError("-c takes a positive number of packets.") }
    if readPath == nil && positionalFile == nil {
      throw ValidationError("give a capture file (FILE or -r FILE).")
    }
    try output.requireJSONForHexPayload()
    if tables.parquet != nil && (writePath != nil || count != nil) {
      throw ValidationError(
        "--parquet writes every packet to tables; it does not go with -w or -c.")
    }
    if writePath != nil
      && output.printsText
    {
      throw ValidationError("-w writes packets; it does not go with --json, -v, -x or -X.")
    }
  }

  func run() throws {
    if let parquet = tables.parquet {
      let (inputs, words) = ParquetConversion.split(file, filterWords)
      return try ParquetConversion(
        inputs: inputs, filter: try FilterFile.expression(path: filterFile, words: words),
        output: parquet,
        jobs: tables.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
        rowGroupRows: tables.rowGroupRows
      ).run()
    }
    // SIGINT/SIGTERM stop the loop below before the next record; what was written is
    // flushed and the exit status is 0, as tcpdump's (StopSignal).
    StopSignal.install(.finishCallsThenStop)
    var reader = try CaptureInput.open(file)
    var filterSet = try CaptureFilter(
      expression: try FilterFile.expression(path: filterFile, words: filterWords),
      firstLinkType: reader.linkTypes.first)
    var packets = try PacketOutput(
      options: output, writePath: writePath, linkType: reader.linkTypes.first ?? .ethernet,
      nanosecond: reader.nanosecondResolution, limit: count ?? Int.max)
    // Printing decodes; -w copies records of any link type.
    let decodes = !packets.isWritingFile && !countOnly
    var counted = 0
    // Progress on a terminal's stderr while -w copies a file (printing shows its own).
    var progress = packets.isWritingFile ? ProgressLine(path: file, format: reader.format) : nil
    let failure = CaptureInput.readAll(&reader) { record, bytes in
      if StopSignal.isRequested { return false }
      if progress != nil { progress!.record(capturedLength: record.capturedLength) }
      guard !decodes || record.linkType.isSupported else {
        throw UnsupportedLinkType(record: record)
      }
      guard try filterSet.matches(bytes, record: record) else { return true }
      if countOnly {
        counted += 1
        return counted < (count ?? Int.max)
      }
      try packets.write(record, bytes)
      return !packets.isDone
    }
    progress?.finish()
    if countOnly {
      // tcpdump's --count: `N packet(s)` on standard output, nothing else.
      StandardOutput.shared.buffer.append("\(counted) packet\(counted == 1 ? "" : "s")\n")
    }
    try packets.close()
    try CaptureInput.finish(reader, path: file, failure: failure)
  }
}
