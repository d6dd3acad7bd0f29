/// The distinct values of a dictionary-encoded column in the row group being written: data
/// pages hold indices into it, and it goes out first in each column chunk as the dictionary
/// page (PLAIN values).
protocol ColumnDictionary: AnyObject {
  /// The number of values.
  var count: Int { get }
  /// The bytes the values take in the dictionary page (an estimate of the memory held).
  var byteCount: Int { get }
  /// Appends the values, PLAIN-encoded, in index order.
  func appendPlain(to out: inout ByteBuffer)
  /// Forgets the values (a new row group).
  func reset()
}
