import ArgumentParser
@preconcurrency import Glibc

/// `--color auto|always|never`: whether one-line packet output is coloured.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
  /// When standard output is a terminal (not `TERM=dumb`) and `NO_COLOR` is unset or empty.
  case auto
  /// Always, even into a pipe or file, and whatever `NO_COLOR` says (a command-line choice
  /// overrides the environment, as no-color.org asks).
  case always
  /// Never.
  case never

  /// Whether to colour output written to file descriptor `fileDescriptor`, decided once.
  func isEnabled(fileDescriptor: Int32 = 1) -> Bool {
    switch self {
    case .always: return true
    case .never: return false
    case .auto:
      if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
      if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
      return isatty(fileDescriptor) != 0
    }
  }
}
