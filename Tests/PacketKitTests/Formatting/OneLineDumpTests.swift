import Foundation
import PacketKit
import Testing

/// Writes the formatter's output for every fixture to $ONELINE_DUMP (a directory), to diff
/// against `tcpdump -nr` by hand. Skipped unless the variable is set.
@Test(.enabled(if: ProcessInfo.processInfo.environment["ONELINE_DUMP"] != nil))
func dumpOneLineOutput() throws {
  let directory = URL(filePath: ProcessInfo.processInfo.environment["ONELINE_DUMP"]!)
  var names = try FileManager.default.contentsOfDirectory(atPath: FixturePcap.directory.path)
    .filter { $0.hasSuffix(".pcap") }
  if let extra = ProcessInfo.processInfo.environment["ONELINE_EXTRA"] { names = [extra] }
  let eflag = ProcessInfo.processInfo.environment["ONELINE_E"] != nil
  for name in names {
    let pcap = try FixturePcap(named: name)
    let lines = pcap.lines(
      OneLineFormatter(printLinkLayer: eflag), interfaceName: name.contains("sll2") ? "lo" : nil)
    try (lines.joined(separator: "\n") + "\n").write(
      to: directory.appending(path: (name as NSString).lastPathComponent + ".txt"),
      atomically: true, encoding: .utf8)
  }
}
