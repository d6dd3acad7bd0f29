/// tcpdump's `-F FILE`: the filter expression read from a file.
enum FilterFile {
  /// The filter to use: the file's text with every `#` comment (to the end of its line)
  /// blanked out, as tcpdump does, when `path` is given (the filter words are then ignored,
  /// as by tcpdump); else the words joined by spaces.
  ///
  /// - Throws: `RuntimeFailure` naming the file when it cannot be read.
  static func expression(path: String?, words: [String]) throws -> String {
    guard let path else { return words.joined(separator: " ") }
    var bytes: [UInt8]
    do {
      bytes = try Craft.readFile(path)
    } catch {
      throw RuntimeFailure("can't open \(path): \(error.message)")
    }
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: "#") {
        while index < bytes.count && bytes[index] != UInt8(ascii: "\n") {
          bytes[index] = UInt8(ascii: " ")
          index += 1
        }
      }
      index += 1
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
