/// One column of a packet table: its name, how its values are stored, and whether every row
/// has one.
struct ParquetColumn: Sendable {
  /// The column's physical type and encoding.
  enum Kind: Sendable {
    /// INT32, dictionary-encoded (a PLAIN dictionary page, RLE/bit-packed indices).
    case int32
    /// INT64, DELTA_BINARY_PACKED.
    case int64
    /// BOOLEAN, PLAIN (bit-packed).
    case boolean
    /// BYTE_ARRAY annotated as a UTF-8 string, dictionary-encoded.
    case string
  }

  /// The column's name.
  let name: String
  /// Its storage.
  let kind: Kind
  /// Whether every row has a value (no definition levels are written).
  let required: Bool

  init(_ name: String, _ kind: Kind, required: Bool = false) {
    self.name = name
    self.kind = kind
    self.required = required
  }

  /// Whether the data pages hold indices into a dictionary page.
  var isDictionaryEncoded: Bool { kind == .int32 || kind == .string }

  /// The encoding of the values in the data pages (parquet.thrift's numbers).
  var dataEncoding: Int32 {
    switch kind {
    case .int32, .string: ParquetMetadata.Encoding.rleDictionary
    case .int64: ParquetMetadata.Encoding.deltaBinaryPacked
    case .boolean: ParquetMetadata.Encoding.plain
    }
  }

  /// The encodings the column chunk uses, for its metadata: the dictionary page's PLAIN,
  /// the definition levels' RLE and the data pages' encoding, in increasing order.
  var chunkEncodings: [Int32] {
    var encodings: Set<Int32> = [ParquetMetadata.Encoding.rle, dataEncoding]
    if isDictionaryEncoded { encodings.insert(ParquetMetadata.Encoding.plain) }
    return encodings.sorted()
  }
}
