/// A runtime failure: exit status 1 with `message` on one line of stderr.
struct RuntimeFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

/// A usage failure detected after parsing (bad filter, bad expression): exit status 2.
struct UsageFailure: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

/// A failure already explained on stderr (a probe run's summary): exit status 1, nothing
/// more printed.
struct QuietFailure: Error {}
