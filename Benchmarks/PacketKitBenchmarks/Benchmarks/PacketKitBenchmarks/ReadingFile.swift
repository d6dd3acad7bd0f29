import CaptureSamples
@preconcurrency import Glibc
import PacketKit

/// The files the reading benchmarks read: a sample's first 1000 frames, written once per
/// format to the temporary folder.
enum ReadingFile {
  /// The frames in each file (the benchmarks' scaling factor).
  static let frames = 1000

  /// Where the `format` file is, for this process.
  static func path(format: String) -> String { "/tmp/rawtool-bench-\(getpid()).\(format)" }

  /// Removes the `format` file.
  static func remove(format: String) { unlink(path(format: format)) }

  /// The path of the `format` ("pcap" or "pcapng") file, written on first use.
  static func make(format: String, from sample: CaptureSample) throws -> String {
    let path = path(format: format)
    if access(path, F_OK) == 0 { return path }
    precondition(sample.count >= frames, "the capture has fewer than \(frames) frames")
    let all = sample.bytes.span
    if format == "pcapng" {
      var writer = try PcapngWriter(path: path)
      for index in 0..<frames {
        let record = sample.records[index]
        try writer.write(
          timestamp: record.timestamp, wireLength: record.wireLength,
          bytes: all.extracting(sample.range(of: index)), linkType: record.linkType)
      }
      try writer.flush()
    } else {
      var writer = try PcapWriter(path: path, linkType: sample.records[0].linkType)
      for index in 0..<frames {
        let record = sample.records[index]
        try writer.write(
          timestamp: record.timestamp, wireLength: record.wireLength,
          bytes: all.extracting(sample.range(of: index)))
      }
      try writer.flush()
    }
    return path
  }
}
