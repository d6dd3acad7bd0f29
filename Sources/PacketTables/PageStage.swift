/// The rows of the data page being filled, column by column: for each column and row, whether
/// the row has a value (its definition level) and the value in a 64-bit slot (a dictionary
/// index, an integer's bits or a boolean). Filled row by row with plain stores, encoded a
/// page at a time.
struct PageStage: ~Copyable {
  /// Rows a page holds at most.
  let capacity: Int
  /// The number of columns.
  let columns: Int
  // SAFETY: both point to `columns * capacity` elements owned by this value alone; a
  // column's rows lie together, from `column * capacity`.
  private let slots: UnsafeMutablePointer<UInt64>
  private let levels: UnsafeMutablePointer<UInt8>
  /// The rows staged.
  private(set) var count = 0

  init(columns: Int, capacity: Int) {
    self.columns = columns
    self.capacity = capacity
    slots = .allocate(capacity: columns * capacity)
    levels = .allocate(capacity: columns * capacity)
    levels.initialize(repeating: 0, count: columns * capacity)
  }

  deinit {
    slots.deallocate()
    levels.deallocate()
  }

  /// Where the current row's values go.
  @inline(__always) var row: Row {
    Row(slots: slots + count, levels: levels + count, stride: capacity)
  }

  /// The current row of the stage, written column by column.
  struct Row {
    // SAFETY: the stage's storage at the current row; a column is `stride` elements on.
    fileprivate let slots: UnsafeMutablePointer<UInt64>
    fileprivate let levels: UnsafeMutablePointer<UInt8>
    fileprivate let stride: Int

    /// The row has `value` in `column`.
    @inline(__always) func set(_ column: Int, _ value: UInt64) {
      slots[column &* stride] = value
      levels[column &* stride] = 1
    }

    /// The row has `value` in `column`, or no value when nil.
    @inline(__always) func set(_ column: Int, _ value: UInt64?) {
      if let value {
        slots[column &* stride] = value
        levels[column &* stride] = 1
      } else {
        levels[column &* stride] = 0
      }
    }
  }

  /// Ends the current row.
  @inline(__always) mutating func advance() { count &+= 1 }

  /// Forgets the rows (the page was encoded).
  mutating func clear() { count = 0 }

  /// The values of `column`'s staged rows (a null row's slot holds nothing meaningful).
  func values(_ column: Int) -> UnsafeBufferPointer<UInt64> {
    UnsafeBufferPointer(start: slots + column * capacity, count: count)
  }

  /// The definition levels (1: a value, 0: null) of `column`'s staged rows.
  func definitionLevels(_ column: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: levels + column * capacity, count: count)
  }
}
