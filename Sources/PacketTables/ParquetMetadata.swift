/// Parquet's Thrift structures as this writer fills them (parquet.thrift's field ids): page
/// headers and the file metadata.
enum ParquetMetadata {
  /// Encoding numbers.
  enum Encoding {
    static let plain: Int32 = 0
    static let rle: Int32 = 3
    static let deltaBinaryPacked: Int32 = 5
    static let rleDictionary: Int32 = 8
  }

  /// Physical type numbers.
  static func physicalType(_ kind: ParquetColumn.Kind) -> Int32 {
    switch kind {
    case .boolean: 0
    case .int32: 1
    case .int64: 2
    case .string: 6
    }
  }

  /// Compression codecs.
  enum Codec {
    static let uncompressed: Int32 = 0
    static let zstd: Int32 = 6
  }

  /// A PageHeader for a v1 data page of `values` rows (nulls included).
  static func dataPageHeader(
    values: Int, encoding: Int32, uncompressed: Int, compressed: Int,
    into thrift: inout ThriftCompactWriter
  ) {
    thrift.i32(1, 0)
    thrift.i32(2, Int32(uncompressed))
    thrift.i32(3, Int32(compressed))
    thrift.structure(5) { page in
      page.i32(1, Int32(values))
      page.i32(2, encoding)
      page.i32(3, Encoding.rle)
      page.i32(4, Encoding.rle)
    }
  }

  /// A PageHeader for a dictionary page of `values` PLAIN entries.
  static func dictionaryPageHeader(
    values: Int, uncompressed: Int, compressed: Int, into thrift: inout ThriftCompactWriter
  ) {
    thrift.i32(1, 2)
    thrift.i32(2, Int32(uncompressed))
    thrift.i32(3, Int32(compressed))
    thrift.structure(7) { page in
      page.i32(1, Int32(values))
      page.i32(2, Encoding.plain)
    }
  }

  /// The FileMetaData: schema, row count, row groups, writer.
  static func fileMetadata(
    _ columns: [ParquetColumn], rowGroups: [ParquetFileWriter.RowGroupRecord],
    createdBy: String, into thrift: inout ThriftCompactWriter
  ) {
    thrift.i32(1, 1)
    thrift.list(2, .structure, count: columns.count + 1) { list in
      list.structValue { root in
        root.string(4, "schema")
        root.i32(5, Int32(columns.count))
      }
      for column in columns {
        list.structValue { element in
          element.i32(1, physicalType(column.kind))
          element.i32(3, column.required ? 0 : 1)
          element.string(4, column.name)
          if column.kind == .string {
            element.i32(6, 0)  // converted type UTF8
            element.structure(10) { logical in logical.structure(1) { _ in } }  // STRING
          }
        }
      }
    }
    thrift.i64(3, rowGroups.reduce(0) { $0 + $1.rows })
    thrift.list(4, .structure, count: rowGroups.count) { list in
      for group in rowGroups {
        list.structValue { rowGroup in
          rowGroup.list(1, .structure, count: group.chunks.count) { chunks in
            for (column, chunk) in zip(columns, group.chunks) {
              chunks.structValue { columnChunk in
                columnChunk.i64(2, chunk.dictionaryPageOffset ?? chunk.dataPageOffset)
                columnChunk.structure(3) { meta in
                  meta.i32(1, physicalType(column.kind))
                  meta.list(2, .i32, count: chunk.encodings.count) { list in
                    for encoding in chunk.encodings { list.i32Value(encoding) }
                  }
                  meta.list(3, .binary, count: 1) { list in
                    list.binaryValue(Array(column.name.utf8))
                  }
                  meta.i32(4, chunk.codec)
                  meta.i64(5, chunk.values)
                  meta.i64(6, chunk.uncompressed)
                  meta.i64(7, chunk.compressed)
                  meta.i64(9, chunk.dataPageOffset)
                  if let dictionary = chunk.dictionaryPageOffset { meta.i64(11, dictionary) }
                }
              }
            }
          }
          rowGroup.i64(2, group.uncompressed)
          rowGroup.i64(3, group.rows)
          rowGroup.i64(5, group.offset)
          rowGroup.i64(6, group.compressed)
        }
      }
    }
    thrift.string(6, createdBy)
  }
}
