/// Reads packet records from a pcap or pcapng file, a pipe or standard input.
///
/// The format is detected from the magic number. Records are lent one at a time to a
/// closure, with their bytes as a `Span<UInt8>` valid only inside the call; nothing is
/// allocated per record. The file is read with `read(2)` in large chunks into one reused
/// buffer (64 KiB, doubled up to 1 MiB while the file goes on, and grown for larger records up
/// to ``maximumCapturedLength``), so memory
/// stays flat however large the file is, and pipes work.
///
/// The reader is `~Copyable`: it owns the file descriptor it opened (closed when the reader
/// goes away), so it is never copied; pass it `inout`. ``CaptureFile`` reads a whole file
/// into packets that own their bytes, for code that prefers a `for` loop.
///
/// - pcap: https://www.tcpdump.org/manpages/pcap-savefile.5.html (both magics and byte
///   orders; the link type is masked to its low 16 bits).
/// - pcapng: draft-ietf-opsawg-pcapng (SHB in either byte order, several sections, IDB with
///   `if_name`, `if_tsresol`, `if_tsoffset`; EPB, SPB and obsolete packet blocks; other block
///   types are skipped).
///
/// ```swift
/// var reader = try CaptureFileReader(path: "capture.pcapng")
/// try reader.forEachRecord { record, bytes in
///   print(record.number, record.timestamp, bytes.count)
///   return true
/// }
/// ```
public struct CaptureFileReader: ~Copyable {
  /// The largest captured length accepted for one record, in bytes (4 × 262144).
  public static let maximumCapturedLength = 1_048_576
  /// The largest pcapng block held in memory, in bytes; larger unknown blocks are skipped
  /// without being buffered, larger packet or interface blocks are an error.
  public static let maximumBlockLength = maximumCapturedLength + 65_536
  /// The read buffer's initial size, in bytes.
  static let initialBufferSize = 1 << 16
  /// The size the buffer doubles up to while a file keeps going.
  static let steadyBufferSize = 1 << 20

  /// The container format, detected from the magic number.
  public let format: CaptureFileFormat
  /// Every link type seen so far: the pcap header's, or one per pcapng interface
  /// description block read so far, in file order across all sections.
  public internal(set) var linkTypes: [LinkType]
  /// pcap: the header's snaplen; pcapng: the first interface's snaplen (0 before one is read).
  public internal(set) var snapshotLength: Int
  /// pcap: the nanosecond magic was used; pcapng: the first interface's `if_tsresol` is
  /// finer than microseconds.
  public internal(set) var nanosecondResolution: Bool
  /// Non-fatal problems found so far, one line each, e.g.
  /// `"record 3: caplen 80 exceeds wire length 60"`. Each kind is reported once.
  public internal(set) var warnings: [String]

  // INVARIANT: 0 <= head <= tail <= storage.count; storage[head..<tail] are unread file bytes.
  var storage: [UInt8]
  var head: Int
  var tail: Int
  /// File offset of `storage[0]`.
  var storageOffset: Int
  var reachedEnd: Bool
  let fd: Int32
  let ownsDescriptor: Bool

  /// Packet records delivered so far.
  var recordCount: Int
  /// The first reader error; later calls rethrow it.
  var failure: Optional<CaptureFileError>

  // pcap state.
  var bigEndian: Bool
  var pcapLinkType: LinkType
  var pcapNanosecond: Bool

  // pcapng state: interfaces of the current section.
  var interfaces: [PcapngInterface]
  /// Kinds of warning already reported (bits of `Warning`).
  var warnedKinds: UInt8

  /// Opens `path` and reads its file header; `"-"` reads standard input.
  ///
  /// - Throws: ``CaptureFileError`` when the file cannot be opened, is empty, has an unknown
  ///   magic or a cut or unsupported file header. Problems after the header are reported by
  ///   ``forEachRecord(_:)`` once the records before them have been delivered.
  public init(path: String) throws(CaptureFileError) {
    let (fd, owned) = try FileDescriptorIO.openForReading(path)
    let opening = try Self.open(fd: fd, owned: owned)
    try self.init(fd: fd, owned: owned, opening: opening)
  }

  /// Reads from an open file descriptor (a file, pipe or socket), starting at its current
  /// position. The descriptor stays open; the caller closes it after the reader is gone.
  ///
  /// - Throws: ``CaptureFileError`` as ``init(path:)`` does.
  public init(fileDescriptor: Int32) throws(CaptureFileError) {
    let opening = try Self.open(fd: fileDescriptor, owned: false)
    try self.init(fd: fileDescriptor, owned: false, opening: opening)
  }

  /// The first bytes of a file and the format they show.
  private struct Opening {
    var buffer: [UInt8]
    var count: Int
    var ended: Bool
    var format: CaptureFileFormat
  }

  /// Reads the first bytes and detects the format; closes an owned descriptor on failure.
  private static func open(fd: Int32, owned: Bool) throws(CaptureFileError) -> Opening {
    var opening = Opening(
      buffer: [UInt8](repeating: 0, count: initialBufferSize), count: 0, ended: false, format: .pcap
    )
    do {
      opening.format = try detectFormat(
        fd: fd, storage: &opening.buffer, tail: &opening.count, reachedEnd: &opening.ended)
    } catch {
      if owned { FileDescriptorIO.close(fd) }
      throw error
    }
    return opening
  }

  // Every stored property is assigned here, with no default values: a noncopyable type with
  // a deinit may throw only once fully initialized (then deinit closes an owned descriptor).
  private init(fd: Int32, owned: Bool, opening: consuming Opening) throws(CaptureFileError) {
    self.fd = fd
    self.ownsDescriptor = owned
    self.storage = opening.buffer
    self.head = 0
    self.tail = opening.count
    self.storageOffset = 0
    self.reachedEnd = opening.ended
    self.format = opening.format
    self.linkTypes = []
    self.snapshotLength = 0
    self.nanosecondResolution = false
    self.warnings = []
    self.recordCount = 0
    self.failure = nil
    self.bigEndian = false
    self.pcapLinkType = LinkType(rawValue: 0)
    self.pcapNanosecond = false
    self.interfaces = []
    self.warnedKinds = 0
    switch format {
    case .pcap: try readPcapHeader()
    case .pcapng: try readFirstSection()
    }
  }

  deinit {
    if ownsDescriptor { FileDescriptorIO.close(fd) }
  }

  /// Calls `body` for each packet record in file order, lending the record's bytes.
  ///
  /// `bytes` holds `record.capturedLength` bytes and is valid only inside the call.
  /// Return `false` from `body` to stop early; a later call continues with the next record.
  /// Returns normally at a clean end of file.
  ///
  /// - Throws: a ``CaptureFileError`` for a cut or damaged record or block, after every whole
  ///   record before it has been delivered (later calls throw the same error); or whatever
  ///   `body` throws, unchanged.
  public mutating func forEachRecord(_ body: (CaptureRecord, Span<UInt8>) throws -> Bool) throws {
    if let failure { throw failure }
    switch format {
    case .pcap: try forEachPcapRecord(body)
    case .pcapng: try forEachPcapngRecord(stopBeforePacket: false, body)
    }
  }

  /// Records `error` as the reader's failure and returns it, for `throw fail(...)`.
  @inline(never)
  mutating func fail(_ error: CaptureFileError) -> CaptureFileError {
    failure = error
    return error
  }

  /// File offset of `storage[head]`.
  var headOffset: Int { storageOffset + head }

  /// Makes at least `count` unread bytes available if the file has them, compacting or
  /// growing the buffer as needed. Returns the number available (below `count` only at end
  /// of file).
  mutating func fill(_ count: Int) throws(CaptureFileError) -> Int {
    if tail - head >= count || reachedEnd { return tail - head }
    if count > storage.count - head {
      compact()
      // A file that keeps going gets larger reads: double up to the steady size.
      if storage.count < Self.steadyBufferSize {
        storage.append(
          contentsOf: repeatElement(
            0, count: min(storage.count, Self.steadyBufferSize - storage.count)))
      }
      if count > storage.count {
        storage.append(contentsOf: repeatElement(0, count: count - storage.count))
      }
    }
    while tail - head < count && !reachedEnd {
      let n = try Self.read(fd, into: &storage, at: tail)
      if n == 0 { reachedEnd = true } else { tail += n }
    }
    return tail - head
  }

  /// Reads once into `storage[start...]`; returns the byte count, 0 at end of file.
  private static func read(_ fd: Int32, into storage: inout [UInt8], at start: Int)
    throws(CaptureFileError)
    -> Int
  {
    var failure: CaptureFileError? = nil
    let count = storage.withUnsafeMutableBytes { buffer in
      do throws(CaptureFileError) {
        return try FileDescriptorIO.read(
          fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
      } catch {
        failure = error
        return 0
      }
    }
    if let failure { throw failure }
    return count
  }

  /// Moves the unread bytes to the start of the buffer.
  mutating func compact() {
    guard head > 0 else { return }
    let (from, length) = (head, tail - head)
    if length > 0 {
      storage.withUnsafeMutableBytes { buffer in
        // SAFETY: from + length == tail <= buffer.count (INVARIANT above); memmove semantics.
        buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + from, byteCount: length)
      }
    }
    storageOffset += head
    tail = length
    head = 0
  }

  /// Discards `count` bytes from the head, reading past them without buffering them.
  /// Returns the number of bytes actually skipped (fewer only at end of file).
  mutating func skip(_ count: Int) throws(CaptureFileError) -> Int {
    var remaining = count
    while remaining > 0 {
      if tail == head {
        storageOffset += head
        head = 0
        tail = 0
        if try fill(1) == 0 { break }
      }
      let step = min(remaining, tail - head)
      head += step
      remaining -= step
    }
    return count - remaining
  }

  /// Kinds of warning, each reported once per reader.
  enum Warning: UInt8 {
    case capturedOverWire = 1
    case capturedOverSnapshot = 2
    case malformedOptions = 4
  }

  /// Adds a warning unless one of its kind was already added.
  mutating func warn(_ kind: Warning, _ message: String) {
    warnedKinds |= kind.rawValue
    warnings.append(message)
  }

  /// Whether a warning of this kind was already added (check before building its text).
  func hasWarned(_ kind: Warning) -> Bool { warnedKinds & kind.rawValue != 0 }

  /// Reads the first bytes and decides the format from the magic number.
  private static func detectFormat(
    fd: Int32, storage: inout [UInt8], tail: inout Int, reachedEnd: inout Bool
  ) throws(CaptureFileError) -> CaptureFileFormat {
    while tail < PcapFormat.Classic.fileHeaderLength && !reachedEnd {
      let n = try Self.read(fd, into: &storage, at: tail)
      if n == 0 { reachedEnd = true } else { tail += n }
    }
    if tail == 0 { throw .emptyFile }
    if tail < 4 {
      throw .truncatedFileHeader(available: tail, needed: PcapFormat.Classic.fileHeaderLength)
    }
    let magic = storage.span.be32(at: 0)
    switch magic {
    case PcapFormat.NG.sectionHeaderType:
      return .pcapng
    case PcapFormat.Classic.microsecondMagic, PcapFormat.Classic.nanosecondMagic,
      PcapFormat.Classic.microsecondMagic.byteSwapped,
      PcapFormat.Classic.nanosecondMagic.byteSwapped:
      return .pcap
    default:
      if let kind = ForeignFileKind.identify(storage.span.extracting(0..<tail)) {
        throw .notACaptureFile(kind)
      }
      throw .badMagic(magic)
    }
  }
}
