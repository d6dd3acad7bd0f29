/// What a finished program left: its exit status and what it printed.
public struct CommandResult: Sendable, Hashable {
  /// The exit code, or minus the signal that ended the program (`-9` after SIGKILL, as
  /// when the timeout expired).
  public var status: Int32
  /// Everything written to standard output.
  public var standardOutput: String
  /// Everything written to standard error.
  public var standardError: String

  /// A result with these values.
  public init(status: Int32, standardOutput: String, standardError: String) {
    self.status = status
    self.standardOutput = standardOutput
    self.standardError = standardError
  }

  /// Whether the program exited with status 0.
  public var succeeded: Bool { status == 0 }
}
