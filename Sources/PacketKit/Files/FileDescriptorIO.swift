// The only file in PacketKit that calls the C library: open(2), read(2), write(2) and
// close(2) for the capture-file readers and writers (DESIGN.md: "no I/O but files").
import Glibc

/// Thin wrappers around the file syscalls used by capture-file readers and writers.
///
/// Each wrapper retries on `EINTR` and turns a failure into a ``CaptureFileError``.
enum FileDescriptorIO {
  /// Opens `path` for reading; `"-"` is standard input (not to be closed by the caller).
  ///
  /// The corresponding C call is `open(path, O_RDONLY | O_CLOEXEC)`.
  static func openForReading(_ path: String) throws(CaptureFileError) -> (fd: Int32, owned: Bool) {
    if path == "-" { return (STDIN_FILENO, false) }
    while true {
      let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
      if fd >= 0 { return (fd, true) }
      if errno != EINTR { throw .cannotOpen(path: path, errno: errno) }
    }
  }

  /// Creates or truncates `path` for writing; `"-"` is standard output (not closed).
  ///
  /// The corresponding C call is `open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)`.
  static func openForWriting(_ path: String) throws(CaptureFileError) -> (fd: Int32, owned: Bool) {
    if path == "-" { return (STDOUT_FILENO, false) }
    while true {
      let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      if fd >= 0 { return (fd, true) }
      if errno != EINTR { throw .cannotCreate(path: path, errno: errno) }
    }
  }

  /// Reads up to `buffer.count` bytes; returns 0 at end of file.
  ///
  /// The corresponding C call is `read(2)`.
  static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(CaptureFileError)
    -> Int
  {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let n = Glibc.read(fd, base, buffer.count)
      if n >= 0 { return n }
      if errno != EINTR { throw .readFailed(errno: errno) }
    }
  }

  /// Writes all of `buffer`, looping over short writes.
  ///
  /// The corresponding C call is `write(2)`.
  static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) throws(CaptureFileError) {
    guard var base = buffer.baseAddress else { return }
    var remaining = buffer.count
    while remaining > 0 {
      let n = Glibc.write(fd, base, remaining)
      if n > 0 {
        base += n
        remaining -= n
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        throw .writeFailed(errno: n < 0 ? errno : EIO)
      }
    }
  }

  /// Closes `fd`, ignoring errors.
  ///
  /// The corresponding C call is `close(2)`.
  static func close(_ fd: Int32) { _ = Glibc.close(fd) }

  /// The C library's message for `code`, as `strerror(3)` gives it.
  static func message(forErrno code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
  }
}
