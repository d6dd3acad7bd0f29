@preconcurrency import Glibc
import PacketKit

/// Writes records to a pcap or pcapng file chosen by the path's extension (`-` is stdout, pcap).
///
/// A pcap file holds one link type; records of another link type (from a pcapng file with
/// several interfaces) are refused with a hint to write pcapng instead.
struct CaptureSink: ~Copyable {
  var pcap: PcapWriter?
  var pcapng: PcapngWriter?
  let linkType: LinkType
  let path: String

  init(path: String, linkType: LinkType, nanosecond: Bool) throws {
    self.path = path
    self.linkType = linkType
    do {
      if path.hasSuffix(".pcapng") {
        pcapng = try PcapngWriter(path: path)
        pcap = nil
      } else {
        pcap = try PcapWriter(path: path, linkType: linkType, nanosecond: nanosecond)
        pcapng = nil
      }
    } catch {
      throw RuntimeFailure("cannot write \(path): \(error)")
    }
  }

  mutating func write(record: CaptureRecord, bytes: Span<UInt8>) throws {
    do {
      if pcapng != nil {
        try pcapng?.write(
          timestamp: record.timestamp, wireLength: record.wireLength, bytes: bytes,
          linkType: record.linkType,
          interfaceName: record.interfaceName, direction: record.direction)
      } else {
        guard record.linkType == linkType else {
          throw RuntimeFailure(
            "\(path): record \(record.number) has link type \(record.linkType.name) but the pcap file has \(linkType.name); write a .pcapng file to keep several link types"
          )
        }
        try pcap?.write(timestamp: record.timestamp, wireLength: record.wireLength, bytes: bytes)
      }
    } catch let failure as RuntimeFailure {
      throw failure
    } catch {
      exitIfPipeClosed(error)
      throw RuntimeFailure("writing \(path): \(error)")
    }
  }

  /// `-w -` into a closed pipe (`rawtool read f.pcap -w - | head -c 100`) ends quietly with
  /// exit 0, as printed output does (StandardOutput.flushOrExit).
  private func exitIfPipeClosed(_ error: Error) {
    if path == "-", case .writeFailed(errno: EPIPE)? = error as? CaptureFileError { exit(0) }
  }

  /// Flushes everything to the file.
  mutating func close() throws {
    do {
      try pcap?.flush()
      try pcapng?.flush()
    } catch {
      exitIfPipeClosed(error)
      throw RuntimeFailure("writing \(path): \(error)")
    }
  }
}
