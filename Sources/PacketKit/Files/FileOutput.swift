/// A buffered output file descriptor for the capture-file writers.
///
/// Bytes are appended to a fixed buffer (256 KiB, grown for a larger record) and written
/// with `write(2)` when it is full, on ``flush()`` and, best effort, on deinit.
struct FileOutput: ~Copyable {
  static let bufferSize = 256 * 1024

  let fd: Int32
  let ownsDescriptor: Bool
  // INVARIANT: 0 <= used <= storage.count.
  var storage: [UInt8]
  var used: Int
  /// Bytes handed to `write(2)` so far.
  var flushed = 0

  /// Bytes of the file so far: those written and those still buffered.
  var length: Int { flushed + used }

  init(fd: Int32, owned: Bool) {
    self.fd = fd
    self.ownsDescriptor = owned
    self.storage = [UInt8](repeating: 0, count: Self.bufferSize)
    self.used = 0
  }

  deinit {
    let count = used
    storage.withUnsafeBytes { buffer in
      try? FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: buffer[..<count]))
    }
    if ownsDescriptor { FileDescriptorIO.close(fd) }
  }

  /// Makes room for `count` more bytes, flushing (and growing for a large record) first.
  mutating func reserve(_ count: Int) throws(CaptureFileError) {
    if used + count <= storage.count { return }
    try flush()
    if count > storage.count {
      storage.append(contentsOf: repeatElement(0, count: count - storage.count))
    }
  }

  /// Writes the buffered bytes with `write(2)`.
  mutating func flush() throws(CaptureFileError) {
    guard used > 0 else { return }
    let count = used
    var failure: CaptureFileError? = nil
    storage.withUnsafeBytes { buffer in
      do throws(CaptureFileError) {
        try FileDescriptorIO.writeAll(fd, UnsafeRawBufferPointer(rebasing: buffer[..<count]))
      } catch {
        failure = error
      }
    }
    used = 0
    if let failure { throw failure }
    flushed += count
  }

  // The append functions below need room reserved first.

  mutating func appendLE16(_ value: UInt16) {
    storage[used] = UInt8(truncatingIfNeeded: value)
    storage[used + 1] = UInt8(truncatingIfNeeded: value >> 8)
    used += 2
  }

  mutating func appendLE32(_ value: UInt32) {
    storage[used] = UInt8(truncatingIfNeeded: value)
    storage[used + 1] = UInt8(truncatingIfNeeded: value >> 8)
    storage[used + 2] = UInt8(truncatingIfNeeded: value >> 16)
    storage[used + 3] = UInt8(truncatingIfNeeded: value >> 24)
    used += 4
  }

  mutating func appendLE64(_ value: UInt64) {
    appendLE32(UInt32(truncatingIfNeeded: value))
    appendLE32(UInt32(truncatingIfNeeded: value >> 32))
  }

  mutating func appendZeros(_ count: Int) {
    for index in used..<used + count { storage[index] = 0 }
    used += count
  }

  /// Appends the first `count` bytes of `bytes`.
  mutating func append(_ bytes: Span<UInt8>, count: Int) {
    guard count > 0 else { return }
    let start = used
    precondition(count <= bytes.count && start + count <= storage.count)
    storage.withUnsafeMutableBytes { destination in
      bytes.withUnsafeBytes { source in
        // SAFETY: both ranges checked by the precondition above.
        (destination.baseAddress! + start).copyMemory(from: source.baseAddress!, byteCount: count)
      }
    }
    used += count
  }

  /// Appends the bytes of a string's UTF-8 form.
  mutating func append(utf8 text: String) {
    for byte in text.utf8 {
      storage[used] = byte
      used += 1
    }
  }
}
