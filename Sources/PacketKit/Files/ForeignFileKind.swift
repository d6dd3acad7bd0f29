/// What a file that is not a pcap or pcapng capture holds, named from its first bytes as
/// `file(1)` names it, so an error can say "gzip-compressed data" rather than a magic number.
///
/// Only formats a capture is often mistaken for are named: compressed captures (`.pcap.gz`,
/// `.pcap.xz`, `.pcap.zst`, ...), archives, executables, documents and text (rawtool's own
/// JSON output among it).
public enum ForeignFileKind: Sendable, Hashable, CustomStringConvertible {
  /// gzip (RFC 1952): `1f 8b`.
  case gzip
  /// xz: `fd 37 7a 58 5a 00`.
  case xz
  /// Zstandard (RFC 8878): `28 b5 2f fd`.
  case zstd
  /// bzip2: `BZh`.
  case bzip2
  /// LZ4 frame: `04 22 4d 18`.
  case lz4
  /// Zip archive: `PK 03 04`.
  case zip
  /// ELF executable, object or shared library: `7f E L F`.
  case elf
  /// PDF document: `%PDF-`.
  case pdf
  /// PNG image: `89 P N G`.
  case png
  /// Text whose first non-blank character opens a JSON object or array.
  case json
  /// Any other text: printable ASCII, UTF-8 and white space only.
  case text

  /// The name `file(1)` gives, e.g. `gzip-compressed data`.
  public var description: String {
    switch self {
    case .gzip: "gzip-compressed data"
    case .xz: "xz-compressed data"
    case .zstd: "Zstandard-compressed data"
    case .bzip2: "bzip2-compressed data"
    case .lz4: "LZ4-compressed data"
    case .zip: "Zip archive"
    case .elf: "ELF executable or library"
    case .pdf: "PDF document"
    case .png: "PNG image"
    case .json: "JSON text"
    case .text: "text"
    }
  }

  /// What to do about it, when something helps: `decompress it first, e.g. with zcat`.
  public var advice: String? {
    switch self {
    case .gzip: "decompress it first, e.g. with zcat"
    case .xz: "decompress it first, e.g. with xzcat"
    case .zstd: "decompress it first, e.g. with zstdcat"
    case .bzip2: "decompress it first, e.g. with bzcat"
    case .lz4: "decompress it first, e.g. with lz4cat"
    case .zip: "extract it first, e.g. with unzip"
    case .json: "rawtool's JSON goes to craft --from-json or send --from-json"
    case .elf, .pdf, .png, .text: nil
    }
  }

  /// Names the content of a file from its first bytes (up to a few dozen are enough), or
  /// returns nil when it is none of the kinds above.
  public static func identify(_ leading: Span<UInt8>) -> ForeignFileKind? {
    func starts(with prefix: [UInt8]) -> Bool {
      guard leading.count >= prefix.count else { return false }
      for index in prefix.indices where leading[index] != prefix[index] { return false }
      return true
    }
    if starts(with: [0x1F, 0x8B]) { return .gzip }
    if starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
    if starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
    if starts(with: [0x42, 0x5A, 0x68]) { return .bzip2 }
    if starts(with: [0x04, 0x22, 0x4D, 0x18]) { return .lz4 }
    if starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }
    if starts(with: [0x7F, 0x45, 0x4C, 0x46]) { return .elf }
    if starts(with: [0x25, 0x50, 0x44, 0x46, 0x2D]) { return .pdf }
    if starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
    return textKind(leading)
  }

  /// `.json` or `.text` when every byte is printable ASCII, white space or part of a
  /// UTF-8 sequence (no control bytes, no NUL); nil otherwise.
  static func textKind(_ leading: Span<UInt8>) -> ForeignFileKind? {
    guard !leading.isEmpty else { return nil }
    var firstVisible: UInt8? = nil
    for index in leading.indices {
      let byte = leading[index]
      switch byte {
      case 0x09, 0x0A, 0x0C, 0x0D, 0x20: continue
      case 0x21...0x7E, 0x80...0xF4: if firstVisible == nil { firstVisible = byte }
      default: return nil
      }
    }
    return firstVisible == UInt8(ascii: "{") || firstVisible == UInt8(ascii: "[") ? .json : .text
  }
}
