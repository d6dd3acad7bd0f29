/// The texts of a dictionary, back to back in one buffer, and where each ends: appending
/// copies the bytes once, and the texts are written out as Parquet PLAIN byte arrays.
struct TextArena: ~Copyable {
  /// The texts' bytes, in the order they were added.
  private(set) var bytes = ByteBuffer(capacity: 1 << 12)
  /// Where each text ends in `bytes`; it starts where the one before ends.
  private var ends = RawVector<UInt32>()

  /// The number of texts.
  var count: Int { ends.count }

  /// The memory the texts take: their bytes and their ends.
  var byteCount: Int { bytes.count + 4 * ends.count }

  /// Where text `index` starts and ends in `bytes`.
  @inline(__always) func bounds(of index: Int) -> (start: Int, end: Int) {
    (index == 0 ? 0 : Int(ends[index &- 1]), Int(ends[index]))
  }

  /// Adds a text.
  @inline(__always) mutating func append(_ text: UnsafeRawBufferPointer) {
    bytes.append(text)
    ends.append(UInt32(bytes.count))
  }

  /// Writes every text as a PLAIN byte array: its length (4 bytes, little-endian), its bytes.
  func appendPlain(to out: inout ByteBuffer) {
    var start = 0
    for index in 0..<count {
      let end = Int(ends[index])
      out.appendLE32(UInt32(end - start))
      out.append(UnsafeRawBufferPointer(start: bytes.base + start, count: end - start))
      start = end
    }
  }

  /// Removes every text, keeping 64 KiB of the buffer.
  mutating func removeAll() {
    bytes.removeAll(keeping: 1 << 16)
    ends.removeAll()
  }
}
