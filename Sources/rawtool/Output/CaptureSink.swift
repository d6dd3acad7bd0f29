@preconcurrency import Glibc
import PacketKit

/// Writes records to a pcap or pcapng file chosen by the path's extension (`-` is stdout, pcap).
///
/// A pcap file holds one link type; records of another link type (from a pcapng file with
/// several interfaces) are refused with a hint to write pcapng instead.
///
/// With a rotation (`sniff -C/-G/-W`), the packets go into a series of files that
/// `CaptureFileRotator` names; each new file gets its own header (pcapng: section header and
/// interface blocks), and the previous one is flushed before it is closed, so no packet is
/// lost or split at a rotation.
struct CaptureSink: ~Copyable {
  var pcap: PcapWriter?
  var pcapng: PcapngWriter?
  let linkType: LinkType
  let nanosecond: Bool
  /// The header's snaplen (`sniff -s`).
  let snapshotLength: Int
  /// The file written now.
  var path: String
  /// Set when files rotate.
  var rotator: CaptureFileRotator?
  /// The end of the window whose file was last flushed because the window ended.
  var flushedWindowEnd: Int64

  init(
    path: String, linkType: LinkType, nanosecond: Bool, snapshotLength: Int = 262_144,
    rotation: CaptureFileRotation? = nil
  ) throws {
    var rotator: CaptureFileRotator? = nil
    if let rotation, rotation.isEnabled {
      rotator = CaptureFileRotator(rotation: rotation, template: path, now: Int64(time(nil)))
    }
    let name = rotator?.currentName ?? path
    if Self.isPcapng(path) {
      pcapng = try Self.pcapngWriter(name, snapshotLength, nanosecond)
      pcap = nil
    } else {
      pcap = try Self.pcapWriter(name, linkType, snapshotLength, nanosecond)
      pcapng = nil
    }
    self.linkType = linkType
    self.nanosecond = nanosecond
    self.snapshotLength = snapshotLength
    self.path = name
    self.rotator = rotator
    self.flushedWindowEnd = .min
  }

  /// Whether `-w path` (the template, when files rotate) asks for pcapng.
  static func isPcapng(_ path: String) -> Bool { path.hasSuffix(".pcapng") }

  /// Creates (or truncates) the pcapng file at `path` and starts it with its header.
  static func pcapngWriter(_ path: String, _ snapshotLength: Int, _ nanosecond: Bool) throws
    -> PcapngWriter
  {
    do {
      return try PcapngWriter(path: path, snapshotLength: snapshotLength, nanosecond: nanosecond)
    } catch {
      throw RuntimeFailure("cannot write \(path): \(error)")
    }
  }

  /// Creates (or truncates) the pcap file at `path` and starts it with its header.
  static func pcapWriter(
    _ path: String, _ linkType: LinkType, _ snapshotLength: Int, _ nanosecond: Bool
  ) throws -> PcapWriter {
    do {
      return try PcapWriter(
        path: path, linkType: linkType, snapshotLength: snapshotLength, nanosecond: nanosecond)
    } catch {
      throw RuntimeFailure("cannot write \(path): \(error)")
    }
  }

  /// The length of the file written now, buffered bytes included.
  mutating func fileLength() -> Int {
    if let length = pcapng?.bytesWritten { return length }
    if let length = pcap?.bytesWritten { return length }
    return 0
  }

  /// Whether the rotating files are pcapng.
  var pcapngTemplate: Bool { Self.isPcapng(rotator?.template ?? path) }

  /// Flushes and closes the current file, removes what a `-W` ring drops, and opens `step`'s.
  private mutating func rotate(to step: CaptureFileRotator.Step) throws {
    try close()
    pcap = nil
    pcapng = nil
    for name in step.removing where unlink(name) != 0 && errno != ENOENT {
      StandardError.warn("cannot remove \(name): \(String(cString: strerror(errno)))")
    }
    path = step.name
    if pcapngTemplate {
      pcapng = try Self.pcapngWriter(path, snapshotLength, nanosecond)
    } else {
      pcap = try Self.pcapWriter(path, linkType, snapshotLength, nanosecond)
    }
  }

  /// With `-G`: flushes the current file once its window has ended by `now` (seconds since
  /// the epoch), so a quiet window's packets are on disk without waiting for the next one.
  mutating func flushEndedWindow(now: Int64) throws {
    guard let rotator = rotator, rotator.windowHasEnded(by: now),
      let end = rotator.window?.end, end != flushedWindowEnd
    else { return }
    flushedWindowEnd = end
    try close()
  }

  mutating func write(record: CaptureRecord, bytes: Span<UInt8>) throws {
    if rotator != nil {
      let length = fileLength()
      if let step = rotator!.nextFile(forPacketAt: record.timestamp.seconds, fileLength: length) {
        try rotate(to: step)
      }
      rotator!.packetWritten()
    }
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
