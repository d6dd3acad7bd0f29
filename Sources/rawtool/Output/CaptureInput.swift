import PacketKit

/// Opening a capture file and ending a read loop, the same way for every command that reads one.
enum CaptureInput {
  /// Opens `path` (`-` for standard input); a failure is a one-line runtime error (exit 1)
  /// naming the file and what it holds instead of a capture.
  static func open(_ path: String) throws -> CaptureFileReader {
    do {
      return try CaptureFileReader(path: path)
    } catch {
      throw RuntimeFailure(error.message(path: path))
    }
  }

  /// Runs the record loop; an error that ends it comes back (after every good record was
  /// handled) rather than being thrown, so the caller can flush its output first.
  static func readAll(
    _ reader: inout CaptureFileReader, _ body: (CaptureRecord, Span<UInt8>) throws -> Bool
  ) -> Error? {
    do {
      try reader.forEachRecord(body)
      return nil
    } catch {
      return error
    }
  }

  /// Prints the reader's warnings and turns what ended the loop into the exit status: a
  /// final record cut short by the end of the file is a warning (exit 0), a bad filter a
  /// usage error (exit 2), anything else a runtime failure naming the file (exit 1).
  static func finish(_ reader: borrowing CaptureFileReader, path: String, failure: Error?) throws {
    for warning in reader.warnings { StandardError.warn(warning) }
    guard let failure else { return }
    if let failure = failure as? CaptureFileError, failure.isCutAtEnd {
      StandardError.warn("\(failure)")
      return
    }
    if let failure = failure as? UsageFailure { throw failure }
    if let failure = failure as? RuntimeFailure { throw failure }
    if let failure = failure as? CaptureFileError {
      throw RuntimeFailure(failure.message(path: path))
    }
    throw RuntimeFailure("\(CaptureFileError.displayName(path)): \(failure)")
  }
}
