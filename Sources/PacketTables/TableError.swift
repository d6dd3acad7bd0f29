import Glibc

/// A packet table that could not be written: the file and why.
public struct TableError: Error, CustomStringConvertible {
  /// The file being written.
  public var path: String
  /// What went wrong.
  public var reason: String

  /// An error of `reason` for `path`.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  /// An error of the C library's `errno` for `path`.
  init(path: String, errno code: Int32) {
    self.init(path: path, reason: String(cString: strerror(code)))
  }

  /// `path: reason`.
  public var description: String { "\(path): \(reason)" }
}
