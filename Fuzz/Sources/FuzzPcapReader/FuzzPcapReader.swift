// Fuzz target: CaptureFileReader on a whole pcap or pcapng file.
// Input: the file's bytes, served from an in-memory file descriptor.
// Checks: reading never traps, hangs or grows memory without bound (run with -timeout=10
// -rss_limit_mb=2048); every record lent has capturedLength bytes and decodes and
// round-trips like the decoder target. Reader errors are expected and ignored.
import FuzzSupport
import PacketKit

nonisolated(unsafe) let file = MemoryFile()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let input = fuzzInput(start, count)
  file.replaceContents(with: input)
  do {
    var reader = try CaptureFileReader(fileDescriptor: file.fd)
    var expected = 1
    try reader.forEachRecord { record, bytes in
      if record.number != expected || bytes.count != record.capturedLength {
        fuzzFailure(
          "record \(record.number) (expected \(expected)): \(bytes.count) bytes lent, "
            + "caplen \(record.capturedLength)", input: input)
      }
      expected += 1
      checkFrame(bytes, linkType: record.linkType, wireLength: record.wireLength, input: input)
      return true
    }
  } catch {
    // Damaged files are expected; only traps, hangs and memory growth are failures.
  }
  return 0
}
