import PacketKit

/// The distinct MAC or IP addresses of one or more text columns, for dictionary encoding:
/// an address is looked up by its bits (no text is made for it) and written as text once,
/// when it is new. Columns of the same addresses (`ip_src`, `ip_dst` and the conversation
/// columns) share one dictionary, so a row's repeated address is looked up once.
final class AddressDictionary: ColumnDictionary {
  /// An address's bits and kind (MAC, IPv4 or IPv6).
  struct Key: Equatable {
    var high: UInt64
    var low: UInt64
    var kind: UInt64

    init(_ mac: MACAddress) {
      high = mac.rawValue
      low = 0
      kind = 0
    }

    init(_ address: PacketRow.Address) {
      switch address {
      case .v4(let v4):
        high = UInt64(v4.rawValue)
        low = 0
        kind = 4
      case .v6(let v6):
        high = v6.high
        low = v6.low
        kind = 6
      }
    }

    @inline(__always) var hash: UInt64 {
      var hash = (high ^ kind) &* 0x9E37_79B9_7F4A_7C15
      hash = (hash ^ low ^ (hash >> 32)) &* 0xBF58_476D_1CE4_E5B9
      return hash ^ (hash >> 29)
    }
  }

  // The owner (a table writer, single-threaded) never holds two accesses at once.
  @exclusivity(unchecked) private var keys = RawVector<Key>()
  /// Each address's text, in index order.
  @exclusivity(unchecked) private var texts = TextArena()
  /// Slots: the index of an address plus one, 0 when empty.
  @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt32>
  @exclusivity(unchecked) private var slotMask: Int
  /// Where a new address's text is written.
  @exclusivity(unchecked) private var scratch = TextBuffer(capacity: 64)

  init() {
    slotMask = 1023
    slots = .allocate(capacity: slotMask + 1)
    slots.initialize(repeating: 0, count: slotMask + 1)
  }

  deinit { slots.deallocate() }

  var count: Int { keys.count }

  var byteCount: Int { texts.byteCount + MemoryLayout<Key>.stride * keys.count }

  /// The index of a MAC address, added when new.
  @inline(__always) func index(of mac: MACAddress) -> UInt32 {
    index(of: Key(mac)) { mac.write(to: &$0) }
  }

  /// The index of an IP address, added when new.
  @inline(__always) func index(of address: PacketRow.Address) -> UInt32 {
    index(of: Key(address)) { address.write(to: &$0) }
  }

  @inline(__always) private func index(of key: Key, text: (inout TextBuffer) -> Void) -> UInt32 {
    var slot = Int(truncatingIfNeeded: key.hash >> 32) & slotMask
    while true {
      let entry = slots[slot]
      if entry == 0 { break }
      if keys[Int(entry &- 1)] == key { return entry &- 1 }
      slot = (slot &+ 1) & slotMask
    }
    return add(key, slot: slot, text: text)
  }

  @inline(never) private func add(_ key: Key, slot: Int, text: (inout TextBuffer) -> Void)
    -> UInt32
  {
    let index = UInt32(count)
    keys.append(key)
    scratch.clear()
    text(&scratch)
    scratch.withUnsafeBytes { texts.append($0) }
    slots[slot] = index &+ 1
    if count * 2 > slotMask { grow() }
    return index
  }

  func appendPlain(to out: inout ByteBuffer) { texts.appendPlain(to: &out) }

  func reset() {
    keys.removeAll()
    texts.removeAll()
    slots.update(repeating: 0, count: slotMask + 1)
  }

  private func grow() {
    slots.deallocate()
    slotMask = slotMask * 2 + 1
    slots = .allocate(capacity: slotMask + 1)
    slots.initialize(repeating: 0, count: slotMask + 1)
    for index in 0..<count {
      var slot = Int(truncatingIfNeeded: keys[index].hash >> 32) & slotMask
      while slots[slot] != 0 { slot = (slot &+ 1) & slotMask }
      slots[slot] = UInt32(index + 1)
    }
  }
}
