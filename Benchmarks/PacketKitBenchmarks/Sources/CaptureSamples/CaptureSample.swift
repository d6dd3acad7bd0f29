import PacketKit

/// A capture file's frames read once into memory, back to back in one array, so that a
/// benchmark measures decoding or formatting, not reading.
public struct CaptureSample: Sendable {
  /// Every frame's captured bytes, one after the other.
  public let bytes: [UInt8]
  /// Each frame's capture record, in file order.
  public let records: [CaptureRecord]
  /// Where each frame starts in `bytes`; one more entry than `records` (the end).
  public let starts: [Int]

  /// Reads up to `limit` frames of the pcap or pcapng file at `path`.
  ///
  /// - Throws: what `CaptureFileReader` throws for a missing or damaged file.
  public init(path: String, limit: Int = Int.max) throws {
    var reader = try CaptureFileReader(path: path)
    var bytes: [UInt8] = []
    var records: [CaptureRecord] = []
    var starts: [Int] = [0]
    try reader.forEachRecord { record, frame in
      for index in frame.indices { bytes.append(frame[index]) }
      records.append(record)
      starts.append(bytes.count)
      return records.count < limit
    }
    self.bytes = bytes
    self.records = records
    self.starts = starts
  }

  /// The number of frames.
  public var count: Int { records.count }

  /// The range of frame `index`'s bytes in `bytes`.
  @inline(__always)
  public func range(of index: Int) -> Range<Int> { starts[index]..<starts[index + 1] }
}
