/// The open-addressing index of PacketKit's per-conversation tables (`stats`' conversations
/// and protocol paths, the one-line printer's TCP sequence numbers): a power-of-two count of
/// 4-byte slots,
/// at most half of them used, each holding an entry number plus one (0 is a free slot), found
/// by linear probing from a 64-bit hash.
///
/// The tables keep their entries in arrays of their own and probe `slots` themselves (the
/// probe loop compares their entries); this type owns the slots, the hashing and the growth.
/// The hash is seeded per table from the system's random source, so a capture crafted to
/// collide cannot slow a table down to a quadratic walk.
struct HashSlots: Sendable {
  /// Entry number + 1 per slot; 0 marks a free slot.
  private(set) var slots: [UInt32]
  /// `slots.count - 1`.
  private(set) var mask: Int
  /// Used slots.
  private(set) var used = 0
  /// Mixed into every hash.
  let seed: UInt64

  /// An empty index with `capacity` slots (a power of two, at least 16).
  init(capacity: Int = 64) {
    var size = 16
    while size < capacity { size &*= 2 }
    slots = Array(repeating: 0, count: size)
    mask = size &- 1
    seed = UInt64.random(in: .min ... .max)
  }

  /// Bytes held per slot (for the stated memory bounds).
  static let bytesPerSlot = MemoryLayout<UInt32>.stride

  /// Bytes the slots take.
  var byteCount: Int { slots.count &* Self.bytesPerSlot }

  /// The first slot to look at for `hash`.
  @inline(__always)
  func start(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash) & mask }

  /// The slot after `slot`.
  @inline(__always)
  func next(_ slot: Int) -> Int { (slot &+ 1) & mask }

  /// The entry number in `slot`, or nil when the slot is free.
  @inline(__always)
  func entry(at slot: Int) -> Int? {
    let stored = slots[slot]
    return stored == 0 ? nil : Int(truncatingIfNeeded: stored &- 1)
  }

  /// Stores `entry` in the free `slot` found by probing; whether the index is now more than
  /// half full (the caller then rebuilds it with `doubled()` and `place(_:hash:)`).
  @inline(__always)
  mutating func insert(_ entry: Int, at slot: Int) -> Bool {
    slots[slot] = UInt32(truncatingIfNeeded: entry &+ 1)
    used &+= 1
    return used &* 2 > slots.count
  }

  /// An empty index with twice the slots and the same seed.
  func doubled() -> HashSlots {
    var grown = self
    grown.slots = Array(repeating: 0, count: slots.count &* 2)
    grown.mask = grown.slots.count &- 1
    grown.used = 0
    return grown
  }

  /// Stores `entry` in the first free slot from `hash`'s (when rebuilding).
  mutating func place(_ entry: Int, hash: UInt64) {
    var slot = start(hash)
    while slots[slot] != 0 { slot = next(slot) }
    slots[slot] = UInt32(truncatingIfNeeded: entry &+ 1)
    used &+= 1
  }

  /// Folds two words into one with a full-width multiply (wyhash's "mum").
  @inline(__always)
  static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let product = (a ^ 0xa076_1d64_78bd_642f).multipliedFullWidth(by: b ^ 0xe703_7ed1_a0b4_28db)
    return product.high ^ product.low
  }

  /// The hash of two words, seeded.
  @inline(__always)
  func hash(_ a: UInt64, _ b: UInt64) -> UInt64 { Self.mix(a ^ seed, b) }

  /// The hash of five words, seeded.
  @inline(__always)
  func hash(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64, _ e: UInt64) -> UInt64 {
    Self.mix(Self.mix(a ^ seed, b) ^ e, Self.mix(c, d ^ seed))
  }
}
