import PacketKit

extension CaptureFileError {
  /// The line printed after `rawtool: `: the file's name (`standard input` for `-`), then what
  /// is wrong, e.g. `x.pcap.gz: not a capture file: gzip-compressed data (decompress it
  /// first, e.g. with zcat)`. Errors that name the file themselves are printed as they are.
  func message(path: String) -> String {
    switch self {
    case .cannotOpen, .cannotCreate: "\(self)"
    default: "\(Self.displayName(path)): \(self)"
    }
  }

  /// How a path is named in messages: `-` is standard input.
  static func displayName(_ path: String) -> String { path == "-" ? "standard input" : path }
}
