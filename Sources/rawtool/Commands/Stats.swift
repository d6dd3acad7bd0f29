import ArgumentParser
import PacketKit

/// `rawtool stats FILE [FILTER...]`: what capinfos and `tshark -z io,phs -z conv` tell, in one pass.
struct Stats: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract:
      "Summarize a capture file: counts, times, rates, protocol hierarchy and top conversations.",
    discussion: """
      Examples:
        rawtool stats Fixtures/mixed.pcap
        rawtool stats --json --top 5 Fixtures/mixed.pcap 'ip6'
      """
  )

  @Argument(
    help: "The capture file (pcap or pcapng), or - for standard input.", completion: .file())
  var file: String

  @Argument(help: "A BPF filter expression: only matching packets are counted.")
  var filter: [String] = []

  @Flag(name: .customLong("json"), help: "Print the statistics as one JSON object.")
  var json = false

  @Option(name: .customLong("top"), help: "How many conversations to list per table.")
  var top = 10

  func validate() throws {
    if top < 0 { throw ValidationError("--top takes a number of conversations, 0 or more.") }
  }

  func run() throws {
    var reader = try CaptureInput.open(file)
    var filterSet = try CaptureFilter(
      expression: filter.joined(separator: " "), firstLinkType: reader.linkTypes.first)
    let decoder = FrameDecoder(verifyChecksums: false)
    var frame = DecodedFrame(linkType: .ethernet, capturedLength: 0, wireLength: 0)
    var statistics = CaptureStatistics()
    var progress = ProgressLine(path: file, format: reader.format)
    let failure = CaptureInput.readAll(&reader) { record, bytes in
      if progress != nil { progress!.record(capturedLength: record.capturedLength) }
      guard try filterSet.matches(bytes, record: record) else { return true }
      guard record.linkType.isSupported else {
        // Counted as capinfos counts it; the report says its layers were not decoded.
        statistics.addUndecoded(
          linkType: record.linkType, timestampSeconds: record.timestamp.seconds,
          nanoseconds: record.timestamp.nanoseconds, capturedLength: record.capturedLength,
          wireLength: record.wireLength)
        return true
      }
      decoder.decode(
        bytes, linkType: record.linkType, wireLength: record.wireLength, into: &frame)
      statistics.add(
        frame, bytes: bytes, timestampSeconds: record.timestamp.seconds,
        nanoseconds: record.timestamp.nanoseconds,
        capturedLength: record.capturedLength, wireLength: record.wireLength)
      return true
    }
    progress?.finish()
    let output = StandardOutput.shared
    if json {
      statistics.writeJSON(to: &output.buffer, top: top)
    } else {
      statistics.writeText(to: &output.buffer, top: top)
    }
    output.flushOrExit()
    try CaptureInput.finish(reader, path: file, failure: failure)
  }
}
