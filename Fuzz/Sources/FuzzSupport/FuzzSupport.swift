// Shared helpers for the fuzz targets: input copying, the failure trap, the frame check that
// every target runs on each frame it finds, and an in-memory file for reader targets.
import Glibc
import PacketKit

/// The fuzz input as an array (libFuzzer passes a null pointer for an empty input).
///
/// A copy, so AddressSanitizer sees reads past the end as heap overflows of a buffer sized
/// exactly to the input.
public func fuzzInput(_ start: UnsafeRawPointer?, _ count: Int) -> [UInt8] {
  guard let start, count > 0 else { return [] }
  return Array(UnsafeRawBufferPointer(start: start, count: count))
}

/// Reports a broken invariant and traps, so that libFuzzer saves the input as a crash.
public func fuzzFailure(_ message: String, input: [UInt8]) -> Never {
  var text = "FUZZ FAILURE: \(message)\ninput (\(input.count) bytes):"
  for (index, byte) in input.prefix(512).enumerated() {
    if index % 32 == 0 { text += "\n " }
    let digits = String(byte, radix: 16)
    text += (digits.count == 1 ? " 0" : " ") + digits
  }
  text += "\n"
  let bytes = Array(text.utf8)
  bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
  fatalError(message)
}

/// The link types the decoder supports, in the order the decoder target's selector byte
/// picks them (`selector % count`).
public let fuzzLinkTypes: [LinkType] = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276].map {
  LinkType(rawValue: $0)
}

/// Decodes `bytes` (checksums verified) and traps unless encoding the decoded frame gives
/// back exactly `bytes` (DESIGN.md decision 3). Returns the frame.
@discardableResult
public func checkFrame(_ bytes: Span<UInt8>, linkType: LinkType, wireLength: Int?, input: [UInt8])
  -> DecodedFrame
{
  let frame = FrameDecoder(verifyChecksums: true).decode(
    bytes, linkType: linkType, wireLength: wireLength)
  let encoded = frame.encode(from: bytes).bytes
  var same = encoded.count == bytes.count
  if same {
    for index in 0..<bytes.count where encoded[index] != bytes[index] {
      same = false
      break
    }
  }
  if !same {
    var firstDifference = min(encoded.count, bytes.count)
    for index in 0..<min(encoded.count, bytes.count) where encoded[index] != bytes[index] {
      firstDifference = index
      break
    }
    fuzzFailure(
      "round trip differs: link type \(linkType.rawValue), wire length "
        + "\(wireLength.map(String.init) ?? "nil"), \(bytes.count) bytes in, "
        + "\(encoded.count) out, first difference at \(firstDifference)",
      input: input)
  }
  return frame
}

/// An anonymous in-memory file (`memfd_create(2)`), created once and rewritten per input, so
/// reader targets exercise the same `read(2)` path as a real capture file.
public struct MemoryFile {
  public let fd: Int32

  public init() {
    // Glibc's Swift module does not export memfd_create (it needs _GNU_SOURCE) and
    // syscall(2) is variadic, so look the libc function up by name.
    typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
    var fd: Int32 = -1
    if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "memfd_create") {
      fd = unsafeBitCast(symbol, to: MemfdCreate.self)("fuzz-input", 1 /* MFD_CLOEXEC */)
    }
    if fd < 0 {
      // Fallback: an unlinked temporary file.
      var template = Array("/tmp/rawtool-fuzz-XXXXXX".utf8CString)
      fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
      if fd < 0 { fatalError("cannot create a temporary file: errno \(errno)") }
      template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }
    self.fd = fd
  }

  /// Replaces the file's contents with `bytes` and rewinds it.
  public func replaceContents(with bytes: [UInt8]) {
    if ftruncate(fd, 0) != 0 { fatalError("ftruncate failed: errno \(errno)") }
    var written = 0
    bytes.withUnsafeBytes { buffer in
      while written < buffer.count {
        let n = pwrite(fd, buffer.baseAddress! + written, buffer.count - written, off_t(written))
        if n <= 0 { fatalError("pwrite failed: errno \(errno)") }
        written += n
      }
    }
    if lseek(fd, 0, SEEK_SET) != 0 { fatalError("lseek failed: errno \(errno)") }
  }
}
