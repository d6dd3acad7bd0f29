/// tcpdump's `tcp_seq_hash`: the initial sequence numbers of each TCP conversation, so that
/// later segments print relative `seq`/`ack` values.
///
/// One entry per conversation (both directions share it, the lower port first). An entry is
/// created (or reset) by a segment with ACK set that is either the first one seen or a SYN;
/// that segment prints absolute numbers. Lookups allocate nothing and hash with a few
/// multiplies (an open-addressing index, `HashSlots`); a new conversation may grow the table.
struct TCPSequenceTable: Sendable {
  struct Key: Equatable, Sendable {
    var a0: UInt64
    var a1: UInt64
    var b0: UInt64
    var b1: UInt64
    /// Source port << 16 | destination port, in the entry's order.
    var ports: UInt32
    var isIPv6: Bool
  }

  /// tcpdump's `th->seq` and `th->ack`.
  struct Entry: Sendable {
    var seq: UInt32
    var ack: UInt32
  }

  /// The conversations' keys, in order of first segment.
  private var keys: [Key] = []
  /// `keys`' entries, at the same positions.
  private var entries: [Entry] = []
  /// The index from keys to positions.
  private var slots = HashSlots(capacity: 16)

  /// Conversations in the table.
  var count: Int { keys.count }

  @inline(__always)
  private func hash(_ key: Key) -> UInt64 {
    slots.hash(key.a0, key.a1, key.b0, key.b1, UInt64(key.ports) << 1 | (key.isIPv6 ? 1 : 0))
  }

  /// What relative numbering applies to one segment.
  struct Result {
    var seq: UInt32
    var ack: UInt32
    /// tcpdump's `threv`, `thseq` and `thack`, used to make SACK blocks relative.
    var reversed: Bool
    var baseSeq: UInt32
    var baseAck: UInt32
  }

  /// Applies tcpdump's rules to a segment with ACK set between `src` and `dst` (each given as
  /// two 64-bit halves; IPv4 addresses in the low half).
  mutating func relative(
    src: (UInt64, UInt64), dst: (UInt64, UInt64), isIPv6: Bool, srcPort: UInt16, dstPort: UInt16,
    seq: UInt32, ack: UInt32, syn: Bool
  ) -> Result {
    let reversed: Bool
    if srcPort > dstPort {
      reversed = true
    } else if srcPort == dstPort {
      reversed = src > dst
    } else {
      reversed = false
    }
    let key =
      reversed
      ? Key(
        a0: dst.0, a1: dst.1, b0: src.0, b1: src.1,
        ports: UInt32(dstPort) << 16 | UInt32(srcPort), isIPv6: isIPv6)
      : Key(
        a0: src.0, a1: src.1, b0: dst.0, b1: dst.1,
        ports: UInt32(srcPort) << 16 | UInt32(dstPort), isIPv6: isIPv6)
    var slot = slots.start(hash(key))
    var found: Int? = nil
    while let index = slots.entry(at: slot) {
      if keys[index] == key {
        found = index
        break
      }
      slot = slots.next(slot)
    }
    if !syn, let found {
      let entry = entries[found]
      if reversed {
        return Result(
          seq: seq &- entry.ack, ack: ack &- entry.seq, reversed: true, baseSeq: entry.seq,
          baseAck: entry.ack)
      }
      return Result(
        seq: seq &- entry.seq, ack: ack &- entry.ack, reversed: false, baseSeq: entry.seq,
        baseAck: entry.ack)
    }
    let entry =
      reversed ? Entry(seq: ack &- 1, ack: seq) : Entry(seq: seq, ack: ack &- 1)
    if let found {
      entries[found] = entry
    } else {
      keys.append(key)
      entries.append(entry)
      if slots.insert(keys.count &- 1, at: slot) {
        var grown = slots.doubled()
        for index in keys.indices { grown.place(index, hash: hash(keys[index])) }
        slots = grown
      }
    }
    return Result(
      seq: seq, ack: ack, reversed: reversed, baseSeq: entry.seq, baseAck: entry.ack)
  }
}
