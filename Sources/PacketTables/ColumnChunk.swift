/// A column's part of the row group being filled: its data pages so far, encoded and
/// compressed (each with its page header), and the dictionary they index into.
final class ColumnChunk {
  /// The column.
  let column: ParquetColumn
  /// The dictionary of a dictionary-encoded column (shared by columns of the same values).
  let dictionary: (any ColumnDictionary)?
  /// The data pages, header and compressed bytes each, in order.
  // The owner (a table writer, single-threaded) never holds two accesses at once.
  @exclusivity(unchecked) var pages = ByteBuffer(capacity: 1 << 16)
  /// The pages' size before compression, headers included.
  @exclusivity(unchecked) var uncompressedBytes = 0
  /// The rows the pages hold.
  @exclusivity(unchecked) var rows = 0
  /// The chunk's codec (zstd or none), chosen by its first page: zstd when it saves a
  /// tenth of the page, else none (delta-encoded times, sequence numbers and many indices
  /// hardly compress, and compressing them would take most of the time zstd takes).
  @exclusivity(unchecked) var codec: Int32? = nil

  init(_ column: ParquetColumn, dictionary: (any ColumnDictionary)? = nil) {
    self.column = column
    self.dictionary = dictionary
  }

  /// Forgets the pages (written out with the row group); the dictionary is reset apart,
  /// since columns may share it.
  func reset() {
    pages.removeAll(keeping: 1 << 20)
    uncompressedBytes = 0
    rows = 0
    codec = nil
  }
}
