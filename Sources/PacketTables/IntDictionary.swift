/// The distinct values of an INT32 column chunk, for dictionary encoding: ports, lengths,
/// TTLs, flags and types repeat, so a page of them shrinks to a few bits a value before
/// compression. Values below 65,536 (nearly all) are found in a direct table, others in a
/// hashed one.
final class IntDictionary: ColumnDictionary {
  static let directValues = 1 << 16

  // The owner (a table writer, single-threaded) never holds two accesses at once.
  @exclusivity(unchecked) private var values = RawVector<Int32>()
  /// For each value below `directValues`: its index plus one, 0 when absent.
  private let direct: UnsafeMutablePointer<UInt32>
  /// The values not below `directValues` (or negative).
  @exclusivity(unchecked) private var others: [Int32: UInt32] = [:]

  init() {
    direct = .allocate(capacity: Self.directValues)
    direct.initialize(repeating: 0, count: Self.directValues)
  }

  deinit { direct.deallocate() }

  var count: Int { values.count }

  var byteCount: Int { 4 * values.count }

  /// The index of `value`, added when new.
  @inline(__always) func index(of value: Int32) -> UInt32 {
    let key = Int(truncatingIfNeeded: UInt32(bitPattern: value))
    if key < Self.directValues {
      let entry = direct[key]
      if entry != 0 { return entry &- 1 }
      let index = UInt32(count)
      values.append(value)
      direct[key] = index &+ 1
      return index
    }
    return otherIndex(of: value)
  }

  @inline(never) private func otherIndex(of value: Int32) -> UInt32 {
    if let index = others[value] { return index }
    let index = UInt32(count)
    values.append(value)
    others[value] = index
    return index
  }

  func appendPlain(to out: inout ByteBuffer) {
    for index in 0..<count { out.appendLE32(UInt32(bitPattern: values[index])) }
  }

  func reset() {
    for index in 0..<count {
      let key = Int(truncatingIfNeeded: UInt32(bitPattern: values[index]))
      if key < Self.directValues { direct[key] = 0 }
    }
    values.removeAll()
    others.removeAll(keepingCapacity: true)
  }
}
