/// Writes a classic pcap file: little-endian, microsecond or nanosecond magic.
///
/// Output is buffered (256 KiB) and written with `write(2)` when the buffer fills, on
/// ``flush()``, and best effort when the writer goes away. Call ``flush()`` after each packet
/// for tcpdump's `-U` behaviour.
///
/// The writer is `~Copyable`: it owns its output (and the descriptor it opened), so it is
/// never copied; pass it `inout`. Defaults: snapshot length 262144 bytes, nanosecond
/// timestamps; `write` also takes `[UInt8]`, any `Sequence<UInt8>` or a ``CapturedPacket``.
///
/// Format: https://www.tcpdump.org/manpages/pcap-savefile.5.html
public struct PcapWriter: ~Copyable {
  /// The link type written in the file header.
  public let linkType: LinkType
  /// The file header's snaplen, in bytes; longer packets are cut to it.
  public let snapshotLength: Int
  /// Whether timestamps are written in nanoseconds (magic 0xa1b23c4d) or microseconds.
  public let nanosecond: Bool
  var output: FileOutput

  /// Starts a pcap file on an open descriptor (which stays open; the caller closes it
  /// after the writer is gone). The 24-byte file header is buffered at once.
  ///
  /// - Parameters:
  ///   - fileDescriptor: an open, writable descriptor (a file, a pipe, standard output).
  ///   - linkType: `LINKTYPE_*` of every packet.
  ///   - snapshotLength: the header's snaplen, in bytes (packets are cut to it); at least 1.
  ///   - nanosecond: nanosecond timestamps (magic a1b23c4d) rather than microseconds.
  public init(
    fileDescriptor: Int32, linkType: LinkType, snapshotLength: Int = 262_144,
    nanosecond: Bool = true
  ) throws(CaptureFileError) {
    self.init(
      output: FileOutput(fd: fileDescriptor, owned: false), linkType, snapshotLength, nanosecond)
  }

  /// Creates (or truncates) the pcap file at `path`; `"-"` writes to standard output.
  ///
  /// - Throws: ``CaptureFileError/cannotCreate(path:errno:)``.
  public init(
    path: String, linkType: LinkType, snapshotLength: Int = 262_144, nanosecond: Bool = true
  ) throws(CaptureFileError) {
    let (fd, owned) = try FileDescriptorIO.openForWriting(path)
    self.init(output: FileOutput(fd: fd, owned: owned), linkType, snapshotLength, nanosecond)
  }

  private init(
    output: consuming FileOutput, _ linkType: LinkType, _ snapshotLength: Int, _ nanosecond: Bool
  ) {
    precondition(
      snapshotLength > 0 && snapshotLength <= Int(UInt32.max), "snapshotLength out of range")
    self.linkType = linkType
    self.snapshotLength = snapshotLength
    self.nanosecond = nanosecond
    self.output = output
    // Room for the header is always there: the buffer starts empty.
    self.output.appendLE32(
      nanosecond ? PcapFormat.Classic.nanosecondMagic : PcapFormat.Classic.microsecondMagic)
    self.output.appendLE16(PcapFormat.Classic.majorVersion)
    self.output.appendLE16(PcapFormat.Classic.minorVersion)
    self.output.appendLE32(0)  // thiszone
    self.output.appendLE32(0)  // sigfigs
    self.output.appendLE32(UInt32(snapshotLength))
    self.output.appendLE32(linkType.rawValue)
  }

  /// Appends one packet record.
  ///
  /// - Parameters:
  ///   - timestamp: capture time; seconds are written as an unsigned 32-bit field, the fraction
  ///     in micro- or nanoseconds (truncated) as chosen at creation.
  ///   - wireLength: original length on the wire, in bytes; raised to the captured length if
  ///     smaller. nil (the default): the bytes' count.
  ///   - bytes: the packet; only the first ``snapshotLength`` bytes are written.
  /// - Throws: ``CaptureFileError/writeFailed(errno:)`` when the buffer had to be written and
  ///   `write(2)` failed.
  public mutating func write(timestamp: Timestamp, wireLength: Int? = nil, bytes: Span<UInt8>)
    throws(CaptureFileError)
  {
    let capturedLength = min(bytes.count, snapshotLength)
    try output.reserve(PcapFormat.Classic.recordHeaderLength + capturedLength)
    output.appendLE32(UInt32(truncatingIfNeeded: timestamp.seconds))
    output.appendLE32(nanosecond ? timestamp.nanoseconds : timestamp.nanoseconds / 1_000)
    output.appendLE32(UInt32(capturedLength))
    output.appendLE32(UInt32(truncatingIfNeeded: max(wireLength ?? capturedLength, capturedLength)))
    output.append(bytes, count: capturedLength)
  }

  /// Writes the buffered bytes to the file with `write(2)`.
  public mutating func flush() throws(CaptureFileError) {
    try output.flush()
  }

  /// The file's length so far, in bytes: what was written and what is still buffered
  /// (what `ftell` gives on a stdio stream).
  public var bytesWritten: Int { output.length }
}
