/// The distinct texts of a column chunk, for dictionary encoding: looking a text up copies
/// nothing unless it is new (an open-addressing table over an arena of the texts' bytes).
struct TextDictionary {
  /// The texts' bytes, one after another.
  private(set) var arena: [UInt8] = []
  /// Where each text starts in `arena`, with its end as the next start.
  private(set) var starts: [Int] = [0]
  /// Slots: the index of a text plus one, 0 when empty.
  private var slots: [Int32] = Array(repeating: 0, count: 1024)
  private var hashes: [UInt64] = []

  /// The number of distinct texts.
  var count: Int { starts.count - 1 }

  /// The bytes of text `index`.
  func text(_ index: Int) -> ArraySlice<UInt8> { arena[starts[index]..<starts[index + 1]] }

  /// The index of `bytes`, added when new.
  mutating func index(of bytes: UnsafeRawBufferPointer) -> Int32 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot] != 0 {
      let candidate = Int(slots[slot] - 1)
      if hashes[candidate] == hash && equals(candidate, bytes) { return Int32(candidate) }
      slot = (slot + 1) & mask
    }
    let index = count
    arena.append(contentsOf: bytes)
    starts.append(arena.count)
    hashes.append(hash)
    slots[slot] = Int32(index + 1)
    if count * 2 > slots.count { grow() }
    return Int32(index)
  }

  private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let start = starts[index]
    guard starts[index + 1] - start == bytes.count else { return false }
    for offset in 0..<bytes.count where arena[start + offset] != bytes[offset] { return false }
    return true
  }

  private mutating func grow() {
    slots = Array(repeating: 0, count: slots.count * 2)
    let mask = slots.count - 1
    for index in 0..<count {
      var slot = Int(truncatingIfNeeded: hashes[index]) & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(index + 1)
    }
  }
}
