/// The entries of a `ConversationTable`, in chunks of `chunkSize` that are never moved or
/// copied while the table grows (so a growing table needs no spare room beside its
/// entries); the first chunk grows up to that size, so a small capture keeps a small table.
///
/// A class holding raw memory, so that the table reaches an entry with two loads and no
/// retain; the table copies the store before it writes to one it shares (`copy()`), so the
/// table stays a value.
final class ConversationStore: @unchecked Sendable {
  typealias Entry = ConversationTable.Entry

  /// Entries per chunk: 4096 (384 KiB).
  static let chunkShift = 12
  static let chunkSize = 1 << chunkShift

  // SAFETY: `directory[0..<chunkCount]` point to chunks of `capacity(ofChunk:)` entries, and
  // the entries numbered 0..<count are initialized (`Entry` is trivial: nothing to
  // deinitialize). Only the owning table touches them, after making itself the store's only
  // owner; so no two accesses overlap, and the run-time exclusivity checks are left out.
  @exclusivity(unchecked) private var directory: UnsafeMutablePointer<UnsafeMutablePointer<Entry>>
  @exclusivity(unchecked) private var directorySlots: Int
  @exclusivity(unchecked) private(set) var chunkCount = 0
  @exclusivity(unchecked) private(set) var count = 0
  @exclusivity(unchecked) private var firstCapacity = 0

  init() {
    directorySlots = 8
    directory = .allocate(capacity: directorySlots)
  }

  deinit {
    for chunk in 0..<chunkCount { directory[chunk].deallocate() }
    directory.deallocate()
  }

  /// How many entries chunk `chunk` has room for.
  func capacity(ofChunk chunk: Int) -> Int { chunk == 0 ? firstCapacity : Self.chunkSize }

  /// The entry numbered `index` (below `count`).
  @inline(__always)
  func pointer(_ index: Int) -> UnsafeMutablePointer<Entry> {
    directory[index &>> Self.chunkShift] + (index & (Self.chunkSize &- 1))
  }

  /// Appends `entry`; it is numbered `count - 1`.
  func append(_ entry: Entry) {
    let chunk = count &>> Self.chunkShift
    let offset = count & (Self.chunkSize &- 1)
    if chunk == chunkCount {
      if chunkCount == directorySlots {
        let grown = UnsafeMutablePointer<UnsafeMutablePointer<Entry>>.allocate(
          capacity: directorySlots &* 2)
        grown.moveInitialize(from: directory, count: chunkCount)
        directory.deallocate()
        directory = grown
        directorySlots &*= 2
      }
      let size = chunk == 0 ? 16 : Self.chunkSize
      directory[chunk] = .allocate(capacity: size)
      if chunk == 0 { firstCapacity = size }
      chunkCount &+= 1
    } else if chunk == 0 && offset == firstCapacity {
      // The first chunk doubles up to `chunkSize` (a few KiB moved at most once each).
      let size = min(firstCapacity &* 2, Self.chunkSize)
      let grown = UnsafeMutablePointer<Entry>.allocate(capacity: size)
      grown.moveInitialize(from: directory[0], count: offset)
      directory[0].deallocate()
      directory[0] = grown
      firstCapacity = size
    }
    (directory[chunk] + offset).initialize(to: entry)
    count &+= 1
  }

  /// A store holding the same entries.
  func copy() -> ConversationStore {
    let copy = ConversationStore()
    for index in 0..<count { copy.append(pointer(index).pointee) }
    return copy
  }

  /// Bytes the chunks (at their capacity) and the directory take.
  var byteCount: Int {
    var entries = 0
    for chunk in 0..<chunkCount { entries &+= capacity(ofChunk: chunk) }
    return entries &* MemoryLayout<Entry>.stride
      &+ directorySlots &* MemoryLayout<UnsafeMutablePointer<Entry>>.stride
  }
}
