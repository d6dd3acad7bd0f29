import PacketIO
import PacketKit

/// What `rawtool probe` prints: one line (or JSON object) per probe on stdout, the summary
/// on stderr, and whether every probe met the expectation.
struct ProbeReport {
  /// What every probe must get (`--expect`).
  enum Expectation {
    /// A reply holding these layers and fields.
    case reply(ReplyExpectation)
    /// No reply at all (`--expect none`).
    case noReply
  }

  let json: Bool
  let expectation: Expectation?
  private(set) var allMet = true
  private var rtts: [UInt64] = []
  private let decoder = FrameDecoder()
  private var lineFormatter = OneLineFormatter(
    timestampStyle: .time, utcOffsetSeconds: PacketPrinter.localUTCOffset(),
    printLinkLayer: false, nanosecondPrecision: false, absoluteSequence: true)
  private let probeFormatter = OneLineFormatter(
    timestampStyle: .none, utcOffsetSeconds: 0, printLinkLayer: false,
    nanosecondPrecision: false, absoluteSequence: true)
  private let jsonFormatter = JSONFormatter(includeHex: false)
  private let output = StandardOutput.shared

  init(json: Bool, expectation: Expectation?) {
    self.json = json
    self.expectation = expectation
  }

  /// Prints one probe's outcome and checks it against the expectation.
  mutating func print(_ outcome: Prober.Outcome) {
    let verdict = check(outcome)
    if !verdict.met { allMet = false }
    if let rtt = outcome.rttNanoseconds { rtts.append(rtt) }
    if json {
      var line = "{\"probe\":\(outcome.number),\"sent\":"
      line += jsonObject(outcome.probe, record: sentRecord(outcome))
      line += ",\"reply\":"
      if let reply = outcome.reply {
        var record = reply.record
        record.number = outcome.number
        line += jsonObject(reply.bytes, record: record)
      } else {
        line += "null"
      }
      line += ",\"rtt_ns\":" + (outcome.rttNanoseconds.map { String($0) } ?? "null")
      if expectation != nil { line += ",\"expected\":\(verdict.met)" }
      line += "}\n"
      output.buffer.append(line)
    } else {
      var line: String
      if let reply = outcome.reply {
        line = text(reply.bytes, record: reply.record, formatter: &lineFormatter)
        line += ", rtt \(NumberText.milliseconds(outcome.rttNanoseconds ?? 0)) ms"
      } else {
        var formatter = probeFormatter
        line =
          "no reply: " + text(outcome.probe, record: sentRecord(outcome), formatter: &formatter)
      }
      if outcome.attempts > 1 { line += " (\(outcome.attempts) tries)" }
      if let reason = verdict.reason { line += ", not as expected: \(reason)" }
      output.buffer.append(line + "\n")
    }
    output.packetDone()
  }

  /// `N probes, M answered, L% loss, rtt min/avg/max/p50/p99 = … ms`, plus duplicates and
  /// late replies when there were any.
  func summary(_ summary: Prober.Summary) -> String {
    let loss =
      summary.probes == 0
      ? 0 : Double(summary.probes - summary.answered) * 100 / Double(summary.probes)
    var text = "\(summary.probes) probes, \(summary.answered) answered, \(NumberText.oneDecimal(loss))% loss"
    if !rtts.isEmpty {
      let sorted = rtts.sorted()
      let average = sorted.reduce(0, &+) / UInt64(sorted.count)
      let values = [
        sorted[0], average, sorted[sorted.count - 1], Self.percentile(sorted, 50),
        Self.percentile(sorted, 99),
      ]
      text += ", rtt min/avg/max/p50/p99 = "
      text += values.map { NumberText.milliseconds($0) }.joined(separator: "/") + " ms"
    }
    if summary.duplicates > 0 { text += ", \(summary.duplicates) duplicate replies" }
    if summary.late > 0 { text += ", \(summary.late) late replies" }
    if summary.dropped > 0 { text += ", \(summary.dropped) frames dropped by the kernel" }
    return text
  }

  /// Whether `outcome` met the expectation, and why not.
  private func check(_ outcome: Prober.Outcome) -> (met: Bool, reason: String?) {
    switch (expectation, outcome.reply) {
    case (nil, nil): return (false, nil)
    case (nil, .some): return (true, nil)
    case (.noReply, nil): return (true, nil)
    case (.noReply, .some): return (false, "a reply came")
    case (.reply, nil): return (false, "no reply")
    case (.reply(let expected), .some(let reply)):
      let frame = decoder.decode(reply.bytes, linkType: reply.linkType)
      let reason = reply.bytes.withUnsafeBufferPointer { buffer in
        expected.mismatch(in: frame, bytes: buffer.span)
      }
      return (reason == nil, reason)
    }
  }

  /// The record of a probe as sent: its number, send time and length.
  private func sentRecord(_ outcome: Prober.Outcome) -> CaptureRecord {
    CaptureRecord(
      number: outcome.number,
      timestamp: Timestamp(
        seconds: Int64(outcome.sentAtNanoseconds / 1_000_000_000),
        nanoseconds: UInt32(outcome.sentAtNanoseconds % 1_000_000_000)),
      capturedLength: outcome.probe.count, wireLength: outcome.probe.count,
      linkType: outcome.probeLinkType)
  }

  /// A packet as `read` prints it, without the newline.
  private func text(_ bytes: [UInt8], record: CaptureRecord, formatter: inout OneLineFormatter)
    -> String
  {
    render(bytes, record: record) { frame, span, out in
      formatter.write(frame, bytes: span, record: record, to: &out)
    }
  }

  /// A packet as `read --json` prints it, without the newline.
  private func jsonObject(_ bytes: [UInt8], record: CaptureRecord) -> String {
    render(bytes, record: record) { frame, span, out in
      jsonFormatter.write(frame, bytes: span, record: record, to: &out)
    }
  }

  /// What `write` makes of the decoded packet, without the final newline.
  private func render(
    _ bytes: [UInt8], record: CaptureRecord,
    _ write: (DecodedFrame, Span<UInt8>, inout TextBuffer) -> Void
  ) -> String {
    var buffer = TextBuffer(capacity: 1024)
    let frame = decoder.decode(bytes, linkType: record.linkType, wireLength: record.wireLength)
    bytes.withUnsafeBufferPointer { write(frame, $0.span, &buffer) }
    var line = buffer.string
    while line.last == "\n" { line.removeLast() }
    return line
  }

  /// The `p`-th percentile of sorted values (nearest rank).
  static func percentile(_ sorted: [UInt64], _ p: Int) -> UInt64 {
    let rank = (p * sorted.count + 99) / 100
    return sorted[max(0, min(sorted.count - 1, rank - 1))]
  }
}
