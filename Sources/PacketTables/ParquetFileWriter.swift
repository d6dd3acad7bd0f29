import Glibc

/// Writes a Parquet file of one flat schema: row groups of column chunks (a dictionary page
/// for dictionary-encoded columns, then the data pages), then the file metadata.
///
/// The file is written front to back as row groups fill, so memory holds one row group's
/// compressed pages at most, however long the input.
struct ParquetFileWriter: ~Copyable {
  /// What a column chunk written looked like, for the file metadata.
  struct ChunkRecord {
    var encodings: [Int32]
    var codec: Int32
    var values: Int64
    var uncompressed: Int64
    var compressed: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
  }

  /// A row group written.
  struct RowGroupRecord {
    var chunks: [ChunkRecord]
    var rows: Int64
    var offset: Int64
    var uncompressed: Int64
    var compressed: Int64
  }

  let path: String
  private let descriptor: Int32
  private var offset: Int64 = 0
  private var rowGroups: [RowGroupRecord] = []
  /// The dictionary pages of a row group, each encoded once for the columns sharing it.
  private var dictionaryPages = ByteBuffer(capacity: 1 << 16)

  /// Creates (or truncates) the file at `path` and writes the leading magic.
  static func create(path: String) throws(TableError) -> ParquetFileWriter {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw TableError(path: path, errno: errno) }
    var writer = ParquetFileWriter(path: path, descriptor: descriptor)
    try writer.write(Array("PAR1".utf8))
    return writer
  }

  private init(path: String, descriptor: Int32) {
    self.path = path
    self.descriptor = descriptor
  }

  deinit { Glibc.close(descriptor) }

  /// Writes the chunks' pages as one row group of `rows` rows, each dictionary-encoded
  /// chunk led by its dictionary's page (made by `encoder`).
  mutating func writeRowGroup(
    _ chunks: [ColumnChunk], rows: Int, encoder: inout PageEncoder
  ) throws(TableError) {
    guard rows > 0 else { return }
    let start = offset
    dictionaryPages.removeAll(keeping: 1 << 20)
    // By dictionary and whether it is compressed (columns sharing it may differ).
    var encoded: [String: (range: Range<Int>, uncompressed: Int)] = [:]
    var records: [ChunkRecord] = []
    records.reserveCapacity(chunks.count)
    for chunk in chunks {
      let codec = chunk.codec ?? ParquetMetadata.Codec.zstd
      var record = ChunkRecord(
        encodings: chunk.column.chunkEncodings, codec: codec, values: Int64(chunk.rows),
        uncompressed: Int64(chunk.uncompressedBytes), compressed: Int64(chunk.pages.count),
        dataPageOffset: 0, dictionaryPageOffset: nil)
      if let dictionary = chunk.dictionary {
        let key = "\(ObjectIdentifier(dictionary)) \(codec)"
        if encoded[key] == nil {
          let pageStart = dictionaryPages.count
          guard
            let sizes = encoder.encodeDictionaryPage(
              dictionary, codec: codec, into: &dictionaryPages)
          else { throw TableError(path: path, reason: "zstd could not compress a page") }
          encoded[key] = (pageStart..<dictionaryPages.count, sizes.uncompressed)
        }
        let (range, uncompressed) = encoded[key]!
        record.dictionaryPageOffset = offset
        try write(UnsafeRawBufferPointer(rebasing: dictionaryPages.bytes[range]))
        record.uncompressed += Int64(uncompressed)
        record.compressed += Int64(range.count)
      }
      record.dataPageOffset = offset
      try write(chunk.pages.bytes)
      records.append(record)
    }
    rowGroups.append(
      RowGroupRecord(
        chunks: records, rows: Int64(rows), offset: start,
        uncompressed: records.reduce(0) { $0 + $1.uncompressed },
        compressed: records.reduce(0) { $0 + $1.compressed }))
  }

  /// Writes the file metadata and the closing magic.
  mutating func finish(_ columns: [ParquetColumn], createdBy: String) throws(TableError) {
    var thrift = ThriftCompactWriter()
    ParquetMetadata.fileMetadata(
      columns, rowGroups: rowGroups, createdBy: createdBy, into: &thrift)
    thrift.stop()
    var tail = thrift.bytes
    let length = UInt32(tail.count)
    for shift in stride(from: 0, to: 32, by: 8) {
      tail.append(UInt8(truncatingIfNeeded: length >> shift))
    }
    tail.append(contentsOf: Array("PAR1".utf8))
    try write(tail)
  }

  private mutating func write(_ bytes: [UInt8]) throws(TableError) {
    var failure: TableError? = nil
    bytes.withUnsafeBytes { buffer in
      do throws(TableError) { try write(buffer) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  private mutating func write(_ buffer: UnsafeRawBufferPointer) throws(TableError) {
    var done = 0
    while done < buffer.count {
      let result = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
      if result < 0 {
        if errno == EINTR { continue }
        throw TableError(path: path, errno: errno)
      }
      done += result
    }
    offset += Int64(buffer.count)
  }
}
