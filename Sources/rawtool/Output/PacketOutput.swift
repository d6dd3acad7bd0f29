import PacketKit

/// Where the packets of `read`, `sniff` and `craft` go: decoded and printed in the format
/// the output options select (buffered into standard output, flushed as `StandardOutput`
/// says), or written to the `-w` file; counted, up to a limit (`-c`).
///
/// Each command runs the loop over its own source (a capture file, a live capture, the
/// packets it built), hands every frame to `write` (through a `PacketOutputSink` where a
/// capture loop wants a `FrameSink`), and calls `close` at the end.
///
/// A noncopyable struct, not a class: a loop mutates it in place, without the run-time
/// exclusivity checks a class's stored properties cost on every packet.
struct PacketOutput: ~Copyable {
  /// Set when printing.
  private var printer: PacketPrinter?
  /// Set when writing a file.
  private var file: CaptureSink?
  /// The most packets taken.
  let limit: Int
  /// Flush the file after every packet (`sniff -U -w`).
  let flushesFileEachPacket: Bool
  /// Packets taken so far (a packet whose writing failed included).
  private(set) var count = 0

  /// Prints packets as `options` say, or writes them to `writePath` (pcapng when it ends in
  /// `.pcapng`, else pcap of `linkType`) when one is given.
  ///
  /// - Parameters:
  ///   - limit: the most packets taken (`-c`).
  ///   - flushesFileEachPacket: flush the file after every packet.
  ///   - hexLines: print each packet as one line of hex (`craft --hex` without `--json`).
  ///   - snapshotLength: the file header's snaplen (`sniff -s`).
  ///   - rotation: when the file moves on to a new one (`sniff -C/-G/-W`).
  /// - Throws: `RuntimeFailure` when the file cannot be created.
  init(
    options: OutputOptions, writePath: String?, linkType: LinkType, nanosecond: Bool,
    limit: Int = Int.max, flushesFileEachPacket: Bool = false, hexLines: Bool = false,
    snapshotLength: Int = 262_144, rotation: CaptureFileRotation? = nil
  ) throws {
    if let writePath {
      file = try CaptureSink(
        path: writePath, linkType: linkType, nanosecond: nanosecond,
        snapshotLength: snapshotLength, rotation: rotation)
      printer = nil
    } else {
      file = nil
      printer = PacketPrinter(options: options, hexLines: hexLines)
    }
    self.limit = limit
    self.flushesFileEachPacket = flushesFileEachPacket
  }

  /// Whether packets go to a file rather than being printed.
  var isWritingFile: Bool { file != nil }

  /// Whether the limit is reached.
  var isDone: Bool { count >= limit }

  /// Packets still to take before the limit; 0 when there is none.
  var remaining: Int { limit == Int.max ? 0 : limit - count }

  /// Prints or writes one packet, and counts it.
  ///
  /// - Throws: `RuntimeFailure` when writing the file fails.
  @inline(__always)
  mutating func write(_ record: CaptureRecord, _ bytes: Span<UInt8>) throws {
    count += 1
    if file != nil {
      try file!.write(record: record, bytes: bytes)
      if flushesFileEachPacket { try file!.close() }
      return
    }
    printer!.print(record, bytes)
  }

  /// With `-G`: flushes the file once its window has ended by `now` (seconds since the
  /// epoch); a capture loop calls it when it wakes up without packets too.
  ///
  /// - Throws: `RuntimeFailure` when flushing the file fails.
  mutating func flushEndedWindow(now: Int64) throws {
    if file != nil { try file!.flushEndedWindow(now: now) }
  }

  /// Writes out what standard output and the file still buffer.
  ///
  /// - Throws: `RuntimeFailure` when flushing the file fails.
  mutating func close() throws {
    StandardOutput.shared.flushOrExit()
    if file != nil { try file!.close() }
  }
}
