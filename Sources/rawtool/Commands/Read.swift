import ArgumentParser
import PacketIO
import PacketKit

/// `rawtool read FILE [FILTER...]`: decode and print a pcap or pcapng file, like `tcpdump -r`.
struct Read: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Decode and print the packets of a pcap or pcapng file.",
    discussion: """
      FILTER is a BPF expression (libpcap's language, as in tcpdump) applied to each packet.
      FILE may be - for standard input.

      Examples:
        rawtool read Fixtures/mixed.pcap
        rawtool read -c 5 -X Fixtures/ethernet-ipv4-tcp.pcap 'tcp port 80'
        rawtool read --json Fixtures/mixed.pcap | jq .ipv4.src
        rawtool read Fixtures/mixed.pcap -w web.pcapng 'tcp port 80'
      """
  )

  @Argument(help: "The capture file (pcap or pcapng), or - for standard input.")
  var file: String

  @Argument(help: "A BPF filter expression, as in tcpdump.")
  var filter: [String] = []

  @Option(
    name: .customShort("c", allowingJoined: true),
    help: "Stop after this many packets (after filtering).")
  var count: Int?

  @Option(
    name: .customShort("w"),
    help:
      "Write the selected packets to this file (pcapng when it ends in .pcapng) instead of printing them."
  )
  var writePath: String?

  @OptionGroup(title: "Output")
  var output: OutputOptions

  func validate() throws {
    if let count, count <= 0 { throw ValidationError("-c takes a positive number of packets.") }
    try output.requireJSONForHexPayload()
    if writePath != nil
      && output.printsText
    {
      throw ValidationError("-w writes packets; it does not go with --json, -v, -x or -X.")
    }
  }

  func run() throws {
    // SIGINT/SIGTERM stop the loop below before the next record; what was written is
    // flushed and the exit status is 0, as tcpdump's (StopSignal).
    StopSignal.install(.finishCallsThenStop)
    var reader = try CaptureInput.open(file)
    var filterSet = try CaptureFilter(
      expression: filter.joined(separator: " "), firstLinkType: reader.linkTypes.first)
    var packets = try PacketOutput(
      options: output, writePath: writePath, linkType: reader.linkTypes.first ?? .ethernet,
      nanosecond: reader.nanosecondResolution, limit: count ?? Int.max)
    // Printing decodes; -w copies records of any link type.
    let decodes = !packets.isWritingFile
    let failure = CaptureInput.readAll(&reader) { record, bytes in
      if StopSignal.isRequested { return false }
      guard !decodes || record.linkType.isSupported else {
        throw UnsupportedLinkType(record: record)
      }
      guard try filterSet.matches(bytes, record: record) else { return true }
      try packets.write(record, bytes)
      return !packets.isDone
    }
    try packets.close()
    try CaptureInput.finish(reader, path: file, failure: failure)
  }
}
