import Glibc

/// The distinct texts of a column chunk, for dictionary encoding: looking a text up copies
/// nothing unless it is new (an open-addressing table over an arena of the texts' bytes,
/// hashed eight bytes at a time).
final class TextDictionary: ColumnDictionary {
  // The owner (a table writer, single-threaded) never holds two accesses at once.
  /// The texts, in index order.
  @exclusivity(unchecked) private var arena = TextArena()
  @exclusivity(unchecked) private var hashes = RawVector<UInt64>()
  /// Slots: the index of a text plus one, 0 when empty.
  @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt32>
  @exclusivity(unchecked) private var slotMask: Int

  /// Texts every row group's dictionary starts with, at indices 0, 1...
  private let preset: [String]

  /// An empty dictionary, or one that always holds `preset` first.
  init(preset: [String] = []) {
    self.preset = preset
    slotMask = 1023
    slots = .allocate(capacity: slotMask + 1)
    slots.initialize(repeating: 0, count: slotMask + 1)
    addPreset()
  }

  deinit { slots.deallocate() }

  var count: Int { arena.count }

  var byteCount: Int { arena.byteCount }

  /// The index of `bytes`, added when new.
  @inline(__always) func index(of bytes: UnsafeRawBufferPointer) -> UInt32 {
    let hash = Self.hash(bytes)
    var slot = Int(truncatingIfNeeded: hash >> 32) & slotMask
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      let candidate = Int(entry &- 1)
      if hashes[candidate] == hash && equals(candidate, bytes) { return entry &- 1 }
      slot = (slot &+ 1) & slotMask
    }
    let index = UInt32(count)
    arena.append(bytes)
    hashes.append(hash)
    slots[slot] = index &+ 1
    if count * 2 > slotMask { grow() }
    return index
  }

  func appendPlain(to out: inout ByteBuffer) { arena.appendPlain(to: &out) }

  func reset() {
    arena.removeAll()
    hashes.removeAll()
    slots.update(repeating: 0, count: slotMask + 1)
    addPreset()
  }

  private func addPreset() {
    for text in preset {
      var text = text
      _ = text.withUTF8 { index(of: UnsafeRawBufferPointer($0)) }
    }
  }

  @inline(__always) private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let (start, end) = arena.bounds(of: index)
    guard end &- start == bytes.count else { return false }
    guard let source = bytes.baseAddress else { return true }
    return memcmp(arena.bytes.base + start, source, bytes.count) == 0
  }

  /// A 64-bit hash of `bytes`, eight at a time.
  @inline(__always) static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    guard let base = bytes.baseAddress else { return hash }
    var offset = 0
    while offset &+ 8 <= bytes.count {
      let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
      hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 29
      offset &+= 8
    }
    if offset < bytes.count {
      var word: UInt64 = 0
      var shift: UInt64 = 0
      while offset < bytes.count {
        word |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) &<< shift
        shift &+= 8
        offset &+= 1
      }
      hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
      hash ^= hash >> 29
    }
    return hash &* 0x94D0_49BB_1331_11EB
  }

  private func grow() {
    slots.deallocate()
    slotMask = slotMask * 2 + 1
    slots = .allocate(capacity: slotMask + 1)
    slots.initialize(repeating: 0, count: slotMask + 1)
    for index in 0..<count {
      var slot = Int(truncatingIfNeeded: hashes[index] >> 32) & slotMask
      while slots[slot] != 0 { slot = (slot &+ 1) & slotMask }
      slots[slot] = UInt32(index + 1)
    }
  }
}
