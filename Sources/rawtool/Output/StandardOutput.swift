@preconcurrency import Glibc
import PacketKit

/// Buffered standard output for packet lines: formatters append to `buffer`, and the
/// bytes go out with `write(2)` in large chunks.
///
/// A closed pipe (`rawtool read big.pcap | head`) ends the program quietly with exit 0,
/// as tcpdump does, instead of dying of SIGPIPE.
final class StandardOutput: @unchecked Sendable {
  /// The process's one standard output (used from the main thread only).
  static let shared = StandardOutput(fileDescriptor: 1)

  /// Text waiting to be written.
  ///
  /// Unchecked exclusivity: the printers borrow the buffer inout once per packet, and the
  /// run-time check of a class property (`swift_beginAccess`) cost more than 2% of `read`'s
  /// instructions; only the main thread touches it, one access at a time.
  @exclusivity(unchecked) var buffer = TextBuffer(capacity: 1 << 17)
  /// Write after every packet (`-U`, or a terminal).
  @exclusivity(unchecked) var packetBuffered = false
  let fileDescriptor: Int32

  init(fileDescriptor: Int32) {
    self.fileDescriptor = fileDescriptor
    packetBuffered = isatty(fileDescriptor) != 0
  }

  /// Writes the buffer when it is large enough (or always when packet-buffered).
  @inline(__always)
  func packetDone() {
    if packetBuffered || buffer.count >= 1 << 16 { flushOrExit() }
  }

  /// Writes everything buffered; on a closed pipe, exits quietly with status 0.
  func flushOrExit() {
    var offset = 0
    let total = buffer.count
    guard total > 0 else { return }
    buffer.withUnsafeBytes { raw in
      while offset < total {
        let written = Glibc.write(fileDescriptor, raw.baseAddress! + offset, total - offset)
        if written < 0 {
          if errno == EINTR { continue }
          if errno == EPIPE { exit(0) }
          let reason = String(cString: strerror(errno))
          StandardError.write("rawtool: writing standard output: \(reason)\n")
          exit(1)
        }
        offset += written
      }
    }
    buffer.clear()
  }
}

/// Unbuffered standard error.
enum StandardError {
  static func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      _ = Glibc.write(2, bytes.baseAddress, bytes.count)
    }
  }

  /// Prints `rawtool: warning: <text>`.
  static func warn(_ text: String) { write("rawtool: warning: \(text)\n") }
}
