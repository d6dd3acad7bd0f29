/// Counts names (DNS query names, TLS server names) by their bytes, for `stats`' top lists.
///
/// The names live one after another in one byte store and an open-addressing table finds
/// them by hash, so counting a name seen before is a hash and a compare: no allocation per
/// packet. Storage grows only for a new name, and at most `capacity` distinct names are kept
/// (later new names count in `uncounted`), so a capture of random names cannot exhaust memory.
public struct NameCounter: Sendable {
  struct Slot: Sendable {
    var hash: UInt64
    var start: Int
    var length: Int
    var count: Int
  }

  /// The most distinct names kept.
  public let capacity: Int
  /// The names' bytes, one after another.
  private var store: [UInt8] = []
  /// Open addressing (linear probing); a power-of-two count, at most half full. `count == 0`
  /// marks a free slot.
  private var slots: [Slot] = []
  /// Distinct names kept.
  public private(set) var distinct = 0
  /// Names not kept because `capacity` distinct names were already there.
  public private(set) var uncounted = 0
  /// Every name counted, kept or not.
  public private(set) var total = 0

  /// A counter that keeps at most `capacity` distinct names (65,536 by default).
  public init(capacity: Int = 1 << 16) {
    self.capacity = capacity
  }

  /// Counts one occurrence of the name `bytes`.
  public mutating func count(_ name: UnsafeBufferPointer<UInt8>) {
    total &+= 1
    let hash = Self.hash(name)
    if slots.isEmpty {
      slots = Array(repeating: Slot(hash: 0, start: 0, length: 0, count: 0), count: 64)
    }
    let mask = slots.count - 1
    var index = Int(truncatingIfNeeded: hash) & mask
    while slots[index].count > 0 {
      if slots[index].hash == hash && slots[index].length == name.count
        && equal(slots[index], name)
      {
        slots[index].count &+= 1
        return
      }
      index = (index + 1) & mask
    }
    guard distinct < capacity else {
      uncounted &+= 1
      return
    }
    slots[index] = Slot(hash: hash, start: store.count, length: name.count, count: 1)
    store.append(contentsOf: name)
    distinct += 1
    if distinct * 2 > slots.count { grow() }
  }

  /// The `limit` most frequent names (most first, then by name), as text (bytes that are
  /// not printable ASCII shown as `\xHH`).
  public func top(_ limit: Int) -> [(name: String, count: Int)] {
    var used = slots.filter { $0.count > 0 }
    used.sort { lhs, rhs in
      if lhs.count != rhs.count { return lhs.count > rhs.count }
      return store[lhs.start..<(lhs.start + lhs.length)].lexicographicallyPrecedes(
        store[rhs.start..<(rhs.start + rhs.length)])
    }
    return used.prefix(max(0, limit)).map { (text(of: $0), $0.count) }
  }

  private func text(of slot: Slot) -> String {
    var text = ""
    for byte in store[slot.start..<(slot.start + slot.length)] {
      if byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "\\") {
        text.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        let digits = Array("0123456789abcdef")
        text += "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
      }
    }
    return text
  }

  private func equal(_ slot: Slot, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
    for index in 0..<name.count where store[slot.start + index] != name[index] { return false }
    return true
  }

  private mutating func grow() {
    let old = slots
    slots = Array(repeating: Slot(hash: 0, start: 0, length: 0, count: 0), count: old.count * 2)
    let mask = slots.count - 1
    for slot in old where slot.count > 0 {
      var index = Int(truncatingIfNeeded: slot.hash) & mask
      while slots[index].count > 0 { index = (index + 1) & mask }
      slots[index] = slot
    }
  }

  /// FNV-1a, 64 bits.
  static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash &*= 0x100_0000_01b3
    }
    return hash
  }
}

/// Reads the names `stats` lists from decoded layers: the first question of a DNS query and
/// the server name of a TLS ClientHello.
enum ApplicationNames {
  /// The longest DNS name in text form (RFC 1035: 255 bytes on the wire).
  static let longestName = 256

  /// Writes the first question name of the DNS query whose header is at `message` into
  /// `buffer` as text with a trailing dot (`example.com.`; the root is `.`) and returns its
  /// length; nil for a response, a message without questions or a name that does not read
  /// (compression pointers are followed backwards only, at most 16 of them).
  static func dnsQueryName(
    _ bytes: Span<UInt8>, message: Int, end: Int, into buffer: UnsafeMutableBufferPointer<UInt8>
  ) -> Int? {
    let end = min(end, bytes.count)
    guard message + 12 <= end, bytes[message + 2] & 0x80 == 0,
      bytes.be16(at: message + 4) > 0
    else { return nil }
    var cursor = message + 12
    var written = 0
    var jumps = 0
    while cursor < end {
      let length = Int(bytes[cursor])
      if length == 0 {
        if written == 0 {
          buffer[0] = UInt8(ascii: ".")
          written = 1
        }
        return written
      }
      if length & 0xC0 == 0xC0 {
        guard cursor + 1 < end, jumps < 16 else { return nil }
        let target = message + (Int(length & 0x3F) << 8 | Int(bytes[cursor + 1]))
        guard target < cursor else { return nil }
        cursor = target
        jumps += 1
        continue
      }
      guard length < 64, cursor + 1 + length <= end, written + length + 1 <= buffer.count else {
        return nil
      }
      for index in 0..<length { buffer[written + index] = bytes[cursor + 1 + index] }
      written += length
      buffer[written] = UInt8(ascii: ".")
      written += 1
      cursor += 1 + length
    }
    return nil
  }
}
