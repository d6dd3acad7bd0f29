import Glibc

/// Why a capture file could not be opened, read or written.
///
/// ``description`` is one line, suitable for the CLI's stderr after the file's name (only
/// ``cannotOpen(path:errno:)`` and ``cannotCreate(path:errno:)`` name the file themselves). Record numbers are 1-based
/// packet record numbers; byte offsets count from the start of the file.
public enum CaptureFileError: Error, CustomStringConvertible, Hashable, Sendable {
  /// `open(2)` failed for reading.
  case cannotOpen(path: String, errno: Int32)
  /// `open(2)` failed for writing.
  case cannotCreate(path: String, errno: Int32)
  /// `read(2)` failed.
  case readFailed(errno: Int32)
  /// `write(2)` failed.
  case writeFailed(errno: Int32)
  /// The file holds no bytes at all.
  case emptyFile
  /// The first four bytes (read big-endian) are neither a pcap nor a pcapng magic.
  case badMagic(UInt32)
  /// The first bytes show a known format that is not a capture (gzip, xz, text, ELF, ...).
  case notACaptureFile(ForeignFileKind)
  /// The file ends inside its file header (pcap header or first section header block).
  case truncatedFileHeader(available: Int, needed: Int)
  /// The file header names a format version this reader does not know.
  case unsupportedVersion(format: CaptureFileFormat, major: UInt16, minor: UInt16)
  /// A record's captured length is above ``CaptureFileReader/maximumCapturedLength``.
  case recordTooLarge(record: Int, capturedLength: Int, limit: Int)
  /// pcap: the file ends inside a 16-byte record header.
  case truncatedRecordHeader(record: Int, available: Int, needed: Int)
  /// pcap: the file ends inside a record's packet bytes (`available` of `needed` bytes).
  case truncatedRecord(record: Int, available: Int, needed: Int)
  /// pcapng: the file ends inside a block (`available` of `needed` bytes).
  case truncatedBlock(offset: Int, available: Int, needed: Int)
  /// pcapng: a block's total length is below 12 or not a multiple of 4.
  case badBlockLength(offset: Int, length: Int)
  /// pcapng: a block that must be held in memory is larger than the reader accepts.
  case blockTooLarge(offset: Int, length: Int, limit: Int)
  /// pcapng: a block's trailing total length differs from its leading one.
  case trailingLengthMismatch(offset: Int, leading: Int, trailing: Int)
  /// pcapng: a section header block's byte-order magic is neither 0x1A2B3C4D nor its swap.
  case badByteOrderMagic(offset: Int, value: UInt32)
  /// pcapng: a block is too short for the fixed fields of its type.
  case blockTooShort(offset: Int, type: UInt32, length: Int)
  /// pcapng: a packet block names an interface no interface description block defined.
  case interfaceOutOfRange(record: Int, interface: Int, count: Int)
  /// pcapng: a packet block's captured length runs past the end of the block.
  case capturedLengthExceedsBlock(record: Int, capturedLength: Int, offset: Int)

  /// A one-line reason, for stderr.
  public var description: String {
    switch self {
    case .cannotOpen(let path, let code):
      "cannot open \(path): \(FileDescriptorIO.message(forErrno: code))"
    case .cannotCreate(let path, let code):
      "cannot create \(path): \(FileDescriptorIO.message(forErrno: code))"
    case .readFailed(let code):
      code == EISDIR
        ? "not a capture file: a directory"
        : "read error: \(FileDescriptorIO.message(forErrno: code))"
    case .writeFailed(let code):
      "write error: \(FileDescriptorIO.message(forErrno: code))"
    case .emptyFile:
      "not a capture file: empty (0 bytes)"
    case .badMagic(let magic):
      "not a capture file: unknown format (magic \(Self.hex(magic)); rawtool reads pcap and pcapng)"
    case .notACaptureFile(let kind):
      "not a capture file: \(kind)" + (kind.advice.map { " (\($0))" } ?? "")
    case .truncatedFileHeader(let available, let needed):
      "truncated file header, \(available) of \(needed) bytes"
    case .unsupportedVersion(let format, let major, let minor):
      "unsupported \(format) version \(major).\(minor)"
    case .recordTooLarge(let record, let capturedLength, let limit):
      "record \(record): caplen \(capturedLength) exceeds limit \(limit)"
    case .truncatedRecordHeader(let record, let available, let needed):
      "record \(record): truncated record header at end of file, \(available) of \(needed) bytes"
    case .truncatedRecord(let record, let available, let needed):
      "record \(record): truncated at end of file, \(available) of \(needed) bytes"
    case .truncatedBlock(let offset, let available, let needed):
      "block at offset \(offset): truncated at end of file, \(available) of \(needed) bytes"
    case .badBlockLength(let offset, let length):
      length < 12
        ? "block at offset \(offset): total length \(length) is less than 12"
        : "block at offset \(offset): total length \(length) is not a multiple of 4"
    case .blockTooLarge(let offset, let length, let limit):
      "block at offset \(offset): total length \(length) exceeds limit \(limit)"
    case .trailingLengthMismatch(let offset, let leading, let trailing):
      "block at offset \(offset): trailing length \(trailing) differs from leading length \(leading)"
    case .badByteOrderMagic(let offset, let value):
      "block at offset \(offset): bad byte-order magic \(Self.hex(value))"
    case .blockTooShort(let offset, let type, let length):
      "block at offset \(offset): total length \(length) too short for block type \(Self.hex(type))"
    case .interfaceOutOfRange(let record, let interface, let count):
      "record \(record): interface \(interface) out of range (\(count) defined)"
    case .capturedLengthExceedsBlock(let record, let capturedLength, let offset):
      "record \(record): caplen \(capturedLength) exceeds its block at offset \(offset)"
    }
  }

  /// `0x` and eight lower-case hex digits.
  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
  }
}
