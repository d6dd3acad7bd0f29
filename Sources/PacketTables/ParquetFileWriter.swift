import CZstd
import Glibc

/// Writes a Parquet file of one flat schema: row groups of column chunks, each a dictionary
/// page (text columns) and data pages (v1) compressed with zstd, then the file metadata.
///
/// The file is written front to back as row groups fill, so memory holds one row group at
/// most, however long the input.
struct ParquetFileWriter: ~Copyable {
  /// What a column chunk written looked like, for the file metadata.
  struct ChunkRecord {
    var encodings: [Int32]
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

  /// Rows per data page.
  static let pageRows = 65_536

  let path: String
  private let descriptor: Int32
  private var offset: Int64 = 0
  private var rowGroups: [RowGroupRecord] = []
  private var scratch: [UInt8] = []
  private let level: Int32
  /// zstd's compression context, made once: its tables are reused from page to page.
  private let context: OpaquePointer

  /// Creates (or truncates) the file at `path` and writes the leading magic.
  static func create(path: String, compressionLevel: Int32 = 3) throws(TableError)
    -> ParquetFileWriter
  {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw TableError(path: path, errno: errno) }
    guard let context = ZSTD_createCCtx() else {
      Glibc.close(descriptor)
      throw TableError(path: path, reason: "zstd could not make a compression context")
    }
    var writer = ParquetFileWriter(
      path: path, descriptor: descriptor, context: context, level: compressionLevel)
    try writer.write(Array("PAR1".utf8))
    return writer
  }

  private init(path: String, descriptor: Int32, context: OpaquePointer, level: Int32) {
    self.path = path
    self.descriptor = descriptor
    self.context = context
    self.level = level
  }

  deinit {
    Glibc.close(descriptor)
    ZSTD_freeCCtx(context)
  }

  /// Writes the columns' values as one row group.
  mutating func writeRowGroup(_ columns: [ParquetColumn]) throws(TableError) {
    guard let rows = columns.first?.rows, rows > 0 else { return }
    let start = offset
    var chunks: [ChunkRecord] = []
    for column in columns { chunks.append(try writeChunk(column)) }
    rowGroups.append(
      RowGroupRecord(
        chunks: chunks, rows: Int64(rows), offset: start,
        uncompressed: chunks.reduce(0) { $0 + $1.uncompressed },
        compressed: chunks.reduce(0) { $0 + $1.compressed }))
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

  // MARK: Column chunks

  private mutating func writeChunk(_ column: ParquetColumn) throws(TableError) -> ChunkRecord {
    var record = ChunkRecord(
      encodings: [], values: Int64(column.rows), uncompressed: 0, compressed: 0,
      dataPageOffset: 0, dictionaryPageOffset: nil)
    var encodings: Set<Int32> = [ParquetMetadata.Encoding.rle]
    var bitWidth = 0
    if column.kind == .string {
      record.dictionaryPageOffset = offset
      var page: [UInt8] = []
      for index in 0..<column.dictionary.count {
        let text = column.dictionary.text(index)
        appendLE32(UInt32(text.count), &page)
        page.append(contentsOf: text)
      }
      try writePage(page, &record) { thrift, uncompressed, compressed in
        ParquetMetadata.dictionaryPageHeader(
          values: column.dictionary.count, uncompressed: uncompressed, compressed: compressed,
          into: &thrift)
      }
      encodings.insert(ParquetMetadata.Encoding.plain)
      encodings.insert(ParquetMetadata.Encoding.rleDictionary)
      bitWidth = max(1, RLEHybridEncoder.bitWidth(for: UInt32(max(column.dictionary.count - 1, 0))))
    } else {
      encodings.insert(ParquetMetadata.Encoding.plain)
    }
    record.encodings = encodings.sorted()
    record.dataPageOffset = offset

    var valueStart = 0
    var rowStart = 0
    while rowStart < column.rows {
      let rowEnd = min(rowStart + Self.pageRows, column.rows)
      var page: [UInt8] = []
      var valueCount = rowEnd - rowStart
      if !column.required {
        valueCount = 0
        for row in rowStart..<rowEnd where column.defined[row] != 0 { valueCount += 1 }
        var levels: [UInt8] = []
        column.defined.withUnsafeBufferPointer {
          RLEHybridEncoder.encode(
            UnsafeBufferPointer(rebasing: $0[rowStart..<rowEnd]), bitWidth: 1, into: &levels)
        }
        appendLE32(UInt32(levels.count), &page)
        page.append(contentsOf: levels)
      }
      let values = valueStart..<(valueStart + valueCount)
      switch column.kind {
      // PLAIN is little-endian, as this machine's memory is: the values are copied whole.
      case .int32:
        column.ints32[values].withUnsafeBytes { page.append(contentsOf: $0) }
      case .int64:
        column.ints64[values].withUnsafeBytes { page.append(contentsOf: $0) }
      case .boolean:
        var byte: UInt8 = 0
        var bit = 0
        for value in column.booleans[values] {
          if value { byte |= 1 << bit }
          bit += 1
          if bit == 8 {
            page.append(byte)
            byte = 0
            bit = 0
          }
        }
        if bit > 0 { page.append(byte) }
      case .string:
        page.append(UInt8(bitWidth))
        column.indices.withUnsafeBufferPointer {
          RLEHybridEncoder.encode(
            UnsafeBufferPointer(rebasing: $0[values]), bitWidth: bitWidth, into: &page)
        }
      }
      let encoding =
        column.kind == .string
        ? ParquetMetadata.Encoding.rleDictionary : ParquetMetadata.Encoding.plain
      let rowCount = rowEnd - rowStart
      try writePage(page, &record) { thrift, uncompressed, compressed in
        ParquetMetadata.dataPageHeader(
          values: rowCount, encoding: encoding, uncompressed: uncompressed,
          compressed: compressed, into: &thrift)
      }
      valueStart += valueCount
      rowStart = rowEnd
    }
    return record
  }

  /// Compresses `page`, writes its header (made by `header`) and its bytes.
  private mutating func writePage(
    _ page: [UInt8], _ record: inout ChunkRecord,
    header: (inout ThriftCompactWriter, Int, Int) -> Void
  ) throws(TableError) {
    let bound = ZSTD_compressBound(page.count)
    if scratch.count < bound { scratch = Array(repeating: 0, count: bound) }
    let level = self.level
    let context = self.context
    let compressedCount = page.withUnsafeBytes { source in
      scratch.withUnsafeMutableBytes { target in
        ZSTD_compressCCtx(
          context, target.baseAddress, target.count, source.baseAddress, source.count, level)
      }
    }
    guard ZSTD_isError(compressedCount) == 0 else {
      throw TableError(path: path, reason: "zstd could not compress a page")
    }
    var thrift = ThriftCompactWriter()
    header(&thrift, page.count, compressedCount)
    thrift.stop()
    try write(thrift.bytes)
    try write(scratch[0..<compressedCount])
    record.uncompressed += Int64(thrift.bytes.count + page.count)
    record.compressed += Int64(thrift.bytes.count + compressedCount)
  }

  private mutating func write<C: Collection<UInt8>>(_ bytes: C) throws(TableError) {
    var failure: Int32 = 0
    let count = bytes.count
    let written: Bool? = bytes.withContiguousStorageIfAvailable { buffer in
      var done = 0
      while done < buffer.count {
        let result = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
        if result < 0 {
          if errno == EINTR { continue }
          failure = errno
          return false
        }
        done += result
      }
      return true
    }
    if written == nil { return try write(Array(bytes)) }
    if written == false { throw TableError(path: path, errno: failure) }
    offset += Int64(count)
  }
}

@inline(__always) func appendLE32(_ value: UInt32, _ out: inout [UInt8]) {
  out.append(UInt8(truncatingIfNeeded: value))
  out.append(UInt8(truncatingIfNeeded: value >> 8))
  out.append(UInt8(truncatingIfNeeded: value >> 16))
  out.append(UInt8(truncatingIfNeeded: value >> 24))
}
