/// Writes a pcapng file: one little-endian section, an interface description block per
/// distinct (link type, interface name) added when first used, and enhanced packet blocks.
///
/// Interfaces carry `if_name` when a name is given and `if_tsresol` 9 (nanoseconds) unless
/// microseconds were asked for. A packet's direction is written as `epb_flags` bits 0-1.
/// Output is buffered and written with `write(2)` like ``PcapWriter``'s.
///
/// The writer is `~Copyable`: it owns its output (and the descriptor it opened), so it is
/// never copied; pass it `inout`. Defaults: snapshot length 262144 bytes, nanosecond
/// timestamps; `write` also takes `[UInt8]`, any `Sequence<UInt8>` or a ``CapturedPacket``.
///
/// Format: draft-ietf-opsawg-pcapng.
public struct PcapngWriter: ~Copyable {
  typealias NG = PcapFormat.NG

  /// Each interface's snaplen, in bytes; longer packets are cut to it.
  public let snapshotLength: Int
  /// Whether interfaces use nanosecond timestamps (`if_tsresol` 9) rather than microseconds.
  public let nanosecond: Bool
  var output: FileOutput
  /// The interfaces written so far, in interface-id order.
  var interfaces: [(linkType: LinkType, name: String?)]
  /// The interface id used by the previous packet, tried first.
  var lastInterface: Int

  /// Starts a pcapng file on an open descriptor (which stays open; the caller closes it after
  /// the writer is gone). The section header block is buffered at once.
  ///
  /// - Parameters:
  ///   - fileDescriptor: an open, writable descriptor (a file, a pipe, standard output).
  ///   - snapshotLength: snaplen of every interface, in bytes (packets are cut to it); at least 1.
  ///   - nanosecond: nanosecond timestamps (`if_tsresol` 9) rather than microseconds.
  public init(fileDescriptor: Int32, snapshotLength: Int = 262_144, nanosecond: Bool = true)
    throws(CaptureFileError)
  {
    self.init(output: FileOutput(fd: fileDescriptor, owned: false), snapshotLength, nanosecond)
  }

  /// Creates (or truncates) the pcapng file at `path`; `"-"` writes to standard output.
  ///
  /// - Throws: ``CaptureFileError/cannotCreate(path:errno:)``.
  public init(path: String, snapshotLength: Int = 262_144, nanosecond: Bool = true)
    throws(CaptureFileError)
  {
    let (fd, owned) = try FileDescriptorIO.openForWriting(path)
    self.init(output: FileOutput(fd: fd, owned: owned), snapshotLength, nanosecond)
  }

  private init(output: consuming FileOutput, _ snapshotLength: Int, _ nanosecond: Bool) {
    precondition(
      snapshotLength > 0 && snapshotLength <= Int(UInt32.max), "snapshotLength out of range")
    self.snapshotLength = snapshotLength
    self.nanosecond = nanosecond
    self.output = output
    self.interfaces = []
    self.lastInterface = 0
    // Section header block without options; the buffer starts empty.
    self.output.appendLE32(NG.sectionHeaderType)
    self.output.appendLE32(UInt32(NG.shbMinimumLength))
    self.output.appendLE32(NG.byteOrderMagic)
    self.output.appendLE16(NG.majorVersion)
    self.output.appendLE16(NG.minorVersion)
    self.output.appendLE64(UInt64.max)  // section length: not given
    self.output.appendLE32(UInt32(NG.shbMinimumLength))
  }

  /// Appends one packet as an enhanced packet block, first writing an interface description
  /// block if this (link type, name) pair is new.
  ///
  /// - Parameters:
  ///   - timestamp: capture time, written in nanoseconds (or microseconds, truncated) since
  ///     the epoch as an unsigned 64-bit count.
  ///   - wireLength: original length on the wire, in bytes; raised to the captured length if
  ///     smaller. nil (the default): the bytes' count.
  ///   - bytes: the packet; only the first ``snapshotLength`` bytes are written.
  ///   - linkType: the packet's `LINKTYPE_*`.
  ///   - interfaceName: written as the interface's `if_name`.
  ///   - direction: written as `epb_flags` (1 inbound, 2 outbound) when given.
  /// - Throws: ``CaptureFileError/writeFailed(errno:)`` when the buffer had to be written and
  ///   `write(2)` failed.
  public mutating func write(
    timestamp: Timestamp, wireLength: Int? = nil, bytes: Span<UInt8>, linkType: LinkType,
    interfaceName: String? = nil, direction: CaptureRecord.Direction? = nil
  ) throws(CaptureFileError) {
    let interface = try interfaceID(linkType: linkType, name: interfaceName)
    let capturedLength = min(bytes.count, snapshotLength)
    let padded = NG.padded(capturedLength)
    let optionsLength = direction == nil ? 0 : 12  // epb_flags (8) + opt_endofopt (4)
    let length = NG.epbMinimumLength + padded + optionsLength
    try output.reserve(length)
    let units: UInt64 =
      nanosecond
      ? UInt64(truncatingIfNeeded: timestamp.seconds) &* 1_000_000_000
        &+ UInt64(timestamp.nanoseconds)
      : UInt64(truncatingIfNeeded: timestamp.seconds) &* 1_000_000
        &+ UInt64(timestamp.nanoseconds / 1_000)
    output.appendLE32(NG.enhancedPacketType)
    output.appendLE32(UInt32(length))
    output.appendLE32(UInt32(interface))
    output.appendLE32(UInt32(truncatingIfNeeded: units >> 32))
    output.appendLE32(UInt32(truncatingIfNeeded: units))
    output.appendLE32(UInt32(capturedLength))
    output.appendLE32(UInt32(truncatingIfNeeded: max(wireLength ?? capturedLength, capturedLength)))
    output.append(bytes, count: capturedLength)
    output.appendZeros(padded - capturedLength)
    if let direction {
      output.appendLE16(NG.epbFlags)
      output.appendLE16(4)
      output.appendLE32(direction == .inbound ? 1 : 2)
      output.appendLE32(0)  // opt_endofopt
    }
    output.appendLE32(UInt32(length))
  }

  /// Writes the buffered bytes to the file with `write(2)`.
  public mutating func flush() throws(CaptureFileError) {
    try output.flush()
  }

  /// The file's length so far, in bytes: what was written and what is still buffered
  /// (what `ftell` gives on a stdio stream).
  public var bytesWritten: Int { output.length }

  /// The interface id for (linkType, name), writing its description block when new.
  private mutating func interfaceID(linkType: LinkType, name: String?) throws(CaptureFileError)
    -> Int
  {
    if lastInterface < interfaces.count && interfaces[lastInterface].linkType == linkType
      && interfaces[lastInterface].name == name
    {
      return lastInterface
    }
    if let found = interfaces.firstIndex(where: { $0.linkType == linkType && $0.name == name }) {
      lastInterface = found
      return found
    }
    let nameLength = name.map { $0.utf8.count } ?? 0
    precondition(nameLength <= Int(UInt16.max), "interface name too long")
    var length = NG.idbMinimumLength
    if name != nil { length += 4 + NG.padded(nameLength) }
    if nanosecond { length += 8 }  // if_tsresol: 4 + 1 padded to 4
    if name != nil || nanosecond { length += 4 }  // opt_endofopt
    try output.reserve(length)
    output.appendLE32(NG.interfaceDescriptionType)
    output.appendLE32(UInt32(length))
    output.appendLE16(UInt16(truncatingIfNeeded: linkType.rawValue))
    output.appendLE16(0)  // reserved
    output.appendLE32(UInt32(snapshotLength))
    if let name {
      output.appendLE16(NG.ifName)
      output.appendLE16(UInt16(nameLength))
      output.append(utf8: name)
      output.appendZeros(NG.padded(nameLength) - nameLength)
    }
    if nanosecond {
      output.appendLE16(NG.ifTimestampResolution)
      output.appendLE16(1)
      output.appendZeros(4)
      output.storage[output.used - 4] = TimestampResolution.nanoseconds.code
    }
    if name != nil || nanosecond { output.appendLE32(0) }
    output.appendLE32(UInt32(length))
    interfaces.append((linkType, name))
    lastInterface = interfaces.count - 1
    return lastInterface
  }
}
