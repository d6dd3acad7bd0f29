/// A growable array of plain values in raw storage, for the tables a column fills row by
/// row: no uniqueness or exclusivity checks on the way (noncopyable: one owner).
struct RawVector<Element: BitwiseCopyable>: ~Copyable {
  // SAFETY: `base` holds `capacity` elements owned by this value alone, the first `count`
  // initialized; appends grow the storage first.
  private(set) var base: UnsafeMutablePointer<Element>
  private(set) var capacity: Int
  private(set) var count = 0

  /// An empty vector with room for `capacity` elements.
  init(capacity: Int = 256) {
    self.capacity = max(capacity, 16)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// Element `index` (below `count`).
  @inline(__always) subscript(index: Int) -> Element {
    get { base[index] }
    nonmutating set { base[index] = newValue }
  }

  /// Appends `element`.
  @inline(__always) mutating func append(_ element: Element) {
    if count == capacity { grow() }
    base[count] = element
    count &+= 1
  }

  @inline(never) private mutating func grow() {
    let newBase = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
    newBase.update(from: base, count: count)
    base.deallocate()
    base = newBase
    capacity *= 2
  }

  /// Forgets the elements, keeping the storage.
  mutating func removeAll() { count = 0 }
}
