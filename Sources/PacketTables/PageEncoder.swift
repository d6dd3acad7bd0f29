import CZstd

/// Encodes a column's staged rows as a Parquet data page (v1: definition levels, then the
/// values in the column's encoding), and dictionaries as dictionary pages, compressing each
/// with zstd behind its Thrift page header. The scratch space is sized once for a page.
struct PageEncoder: ~Copyable {
  /// zstd's compression context, made once: its tables are reused from page to page.
  private let context: OpaquePointer
  private let level: Int32
  private var page = ByteBuffer(capacity: 1 << 16)
  private var compressed = ByteBuffer(capacity: 1 << 16)
  // SAFETY: each holds `rows` elements owned by this value alone.
  private let integers: UnsafeMutablePointer<Int64>
  private let indices: UnsafeMutablePointer<UInt32>
  private let rows: Int

  /// An encoder for pages of up to `rows` rows, compressing at zstd's `level`; nil when zstd
  /// cannot make a context.
  init?(rows: Int, level: Int32) {
    guard let context = ZSTD_createCCtx() else { return nil }
    self.context = context
    self.level = level
    self.rows = rows
    integers = .allocate(capacity: rows)
    indices = .allocate(capacity: rows)
  }

  deinit {
    ZSTD_freeCCtx(context)
    integers.deallocate()
    indices.deallocate()
  }

  /// Encodes the staged rows of column `index` of `stage` as one data page of `chunk`;
  /// false when zstd fails.
  mutating func encodeDataPage(
    _ stage: borrowing PageStage, column index: Int, into chunk: ColumnChunk
  ) -> Bool {
    let column = chunk.column
    let levels = stage.definitionLevels(index)
    let values = stage.values(index)
    let rowCount = levels.count
    page.removeAll(keeping: 1 << 22)
    if !column.required {
      let lengthOffset = page.count
      page.appendLE32(0)
      RLEHybridEncoder.encodeLevels(levels, into: &page)
      page.setLE32(UInt32(page.count - lengthOffset - 4), at: lengthOffset)
    }
    switch column.kind {
    case .int64:
      // The rows with a value, their slots as integers: a store each, kept when defined.
      var defined = 0
      for row in 0..<rowCount {
        integers[defined] = Int64(bitPattern: values[row])
        defined &+= Int(levels[row])
      }
      DeltaBinaryPackedEncoder.encode(
        UnsafeBufferPointer(start: integers, count: defined), into: &page)
    case .int32, .string:
      var defined = 0
      for row in 0..<rowCount {
        indices[defined] = UInt32(truncatingIfNeeded: values[row])
        defined &+= Int(levels[row])
      }
      if let dictionary = chunk.dictionary as? IntDictionary {
        for position in 0..<defined {
          indices[position] = dictionary.index(of: Int32(bitPattern: indices[position]))
        }
      }
      let entries = chunk.dictionary?.count ?? 0
      let bitWidth = max(1, RLEHybridEncoder.bitWidth(for: UInt32(max(entries - 1, 0))))
      page.append(UInt8(bitWidth))
      RLEHybridEncoder.encode(
        UnsafeBufferPointer(start: indices, count: defined), bitWidth: bitWidth, into: &page)
    case .boolean:
      var packer = BitWriter()
      for row in 0..<rowCount where levels[row] != 0 {
        packer.write(values[row] & 1, width: 1, into: &page)
      }
      packer.flush(into: &page)
    }
    let encoding = column.dataEncoding
    guard
      let sizes = finish(
        codec: &chunk.codec, into: &chunk.pages,
        header: { thrift, uncompressed, compressed in
          ParquetMetadata.dataPageHeader(
            values: rowCount, encoding: encoding, uncompressed: uncompressed,
            compressed: compressed, into: &thrift)
        })
    else { return false }
    chunk.uncompressedBytes += sizes.uncompressed
    chunk.rows += rowCount
    return true
  }

  /// Encodes `dictionary` as a dictionary page, appending it to `out`; its size before and
  /// after compression (header included), or nil when zstd fails.
  mutating func encodeDictionaryPage(
    _ dictionary: any ColumnDictionary, codec: Int32, into out: inout ByteBuffer
  ) -> (uncompressed: Int, compressed: Int)? {
    page.removeAll(keeping: 1 << 22)
    dictionary.appendPlain(to: &page)
    let entries = dictionary.count
    var codec: Int32? = codec
    return finish(codec: &codec, into: &out) { thrift, uncompressed, compressed in
      ParquetMetadata.dictionaryPageHeader(
        values: entries, uncompressed: uncompressed, compressed: compressed, into: &thrift)
    }
  }

  /// Appends `page` to `out` behind its header (made by `header` from the sizes before and
  /// after compression): compressed with zstd when `codec` says so, or, when `codec` is
  /// nil (a chunk's first page), when that saves a tenth of it, `codec` then set.
  private mutating func finish(
    codec: inout Int32?, into out: inout ByteBuffer,
    header: (inout ThriftCompactWriter, Int, Int) -> Void
  ) -> (uncompressed: Int, compressed: Int)? {
    var body = page.bytes
    if codec != ParquetMetadata.Codec.uncompressed {
      guard compress() else { return nil }
      if codec == nil {
        codec =
          compressed.count * 10 <= page.count * 9
          ? ParquetMetadata.Codec.zstd : ParquetMetadata.Codec.uncompressed
      }
      if codec == ParquetMetadata.Codec.zstd { body = compressed.bytes }
    }
    var thrift = ThriftCompactWriter()
    header(&thrift, page.count, body.count)
    thrift.stop()
    thrift.bytes.withUnsafeBytes { out.append($0) }
    out.append(body)
    return (thrift.bytes.count + page.count, thrift.bytes.count + body.count)
  }

  /// Compresses `page` into `compressed`; false when zstd fails.
  private mutating func compress() -> Bool {
    let bound = ZSTD_compressBound(page.count)
    compressed.removeAll(keeping: 1 << 22)
    var failed = false
    let source = page.bytes
    let context = self.context
    let level = self.level
    compressed.appendDirectly(maximum: bound) { target in
      let result = ZSTD_compressCCtx(
        context, target, bound, source.baseAddress, source.count, level)
      if ZSTD_isError(result) != 0 {
        failed = true
        return 0
      }
      return result
    }
    return !failed
  }
}
