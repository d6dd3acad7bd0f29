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
    if writePath != nil
      && (output.json || output.verbose > 0 || output.hex > 0 || output.hexASCII > 0)
    {
      throw ValidationError("-w writes packets; it does not go with --json, -v, -x or -X.")
    }
  }

  func run() throws {
    // SIGINT/SIGTERM stop the loop below before the next record; what was written is
    // flushed and the exit status is 0, as tcpdump's (Interruption).
    Interruption.install()
    var reader: CaptureFileReader
    do {
      reader = try CaptureFileReader(path: file)
    } catch {
      throw RuntimeFailure("\(error)")
    }
    var filterSet = try CaptureFilter(
      expression: filter.joined(separator: " "), firstLinkType: reader.linkTypes.first)
    let limit = count ?? Int.max
    var selected = 0
    let decoder = FrameDecoder(verifyChecksums: output.needsChecksums)

    if let writePath {
      var sink = try CaptureSink(
        path: writePath, linkType: reader.linkTypes.first ?? .ethernet,
        nanosecond: reader.nanosecondResolution)
      let failure = readAll(&reader) { record, bytes in
        if Interruption.received != nil { return false }
        guard try filterSet.matches(bytes, record: record) else { return true }
        try sink.write(record: record, bytes: bytes)
        selected += 1
        return selected < limit
      }
      try sink.close()
      try finish(reader, failure)
      return
    }

    var printer = PacketPrinter(options: output)
    var frame = DecodedFrame(linkType: .ethernet, capturedLength: 0, wireLength: 0)
    let failure = readAll(&reader) { record, bytes in
      if Interruption.received != nil { return false }
      guard try filterSet.matches(bytes, record: record) else { return true }
      decoder.decode(bytes, linkType: record.linkType, wireLength: record.wireLength, into: &frame)
      printer.print(frame, bytes: bytes, record: record)
      selected += 1
      return selected < limit
    }
    StandardOutput.shared.flushOrExit()
    try finish(reader, failure)
  }

  /// Runs the record loop; an error from the file comes back (after every good record was
  /// handled) rather than being thrown, so the caller can flush first.
  func readAll(
    _ reader: inout CaptureFileReader, _ body: (CaptureRecord, Span<UInt8>) throws -> Bool
  ) -> Error? {
    do {
      try reader.forEachRecord(body)
      return nil
    } catch {
      return error
    }
  }

  /// Reports the reader's warnings and turns a file error into exit status 1 and a filter
  /// error into exit status 2.
  func finish(_ reader: borrowing CaptureFileReader, _ failure: Error?) throws {
    for warning in reader.warnings { StandardError.warn(warning) }
    guard let failure else { return }
    if let failure = failure as? CaptureFileError, failure.isCutAtEnd {
      StandardError.warn("\(failure)")
      return
    }
    if let failure = failure as? UsageFailure { throw failure }
    if let failure = failure as? RuntimeFailure { throw failure }
    throw RuntimeFailure("\(file): \(failure)")
  }
}
