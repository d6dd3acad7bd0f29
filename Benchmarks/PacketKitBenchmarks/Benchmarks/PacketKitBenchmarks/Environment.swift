@preconcurrency import Glibc

/// The process's environment, read without Foundation.
enum ProcessInfo {
  /// The value of the environment variable `name`, or nil.
  static func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
  }
}
