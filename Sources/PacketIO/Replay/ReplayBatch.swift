import CPacketIO
import Glibc

/// Reusable slots for frames on their way out: each slot holds one frame (copied in, then
/// rewritten in place), with its `iovec` and `mmsghdr` set up once, so a batch goes out
/// with as few `sendmmsg` calls as possible. Owns its memory (freed in `deinit`); filling
/// and sending allocate nothing.
struct ReplayBatch: ~Copyable {
  private let storage: UnsafeMutableRawPointer
  private let vectors: UnsafeMutablePointer<iovec>
  private let messages: UnsafeMutablePointer<CPacketIO_mmsghdr>
  /// Bytes per slot: the largest frame that fits the interface.
  let slotSize: Int
  /// Slots in the batch.
  let capacity: Int
  /// Slots filled.
  private(set) var count = 0

  init(capacity: Int, slotSize: Int) {
    self.capacity = max(1, capacity)
    self.slotSize = max(64, (slotSize + 15) & ~15)
    storage = .allocate(byteCount: self.capacity * self.slotSize, alignment: 64)
    vectors = .allocate(capacity: self.capacity)
    messages = .allocate(capacity: self.capacity)
    for slot in 0..<self.capacity {
      vectors[slot] = iovec(iov_base: storage + slot * self.slotSize, iov_len: 0)
      var header = msghdr()
      header.msg_iov = vectors + slot
      header.msg_iovlen = 1
      messages[slot] = CPacketIO_mmsghdr(msg_hdr: header, msg_len: 0)
    }
  }

  deinit {
    storage.deallocate()
    vectors.deallocate()
    messages.deallocate()
  }

  var isFull: Bool { count == capacity }

  /// Copies `frame` (at most `slotSize` bytes) into the next slot and returns the slot's
  /// bytes for rewriting in place.
  mutating func append(_ frame: UnsafeRawBufferPointer) -> UnsafeMutableRawBufferPointer {
    precondition(count < capacity && frame.count <= slotSize)
    let slot = storage + count * slotSize
    if let base = frame.baseAddress { slot.copyMemory(from: base, byteCount: frame.count) }
    vectors[count].iov_len = frame.count
    count += 1
    return UnsafeMutableRawBufferPointer(start: slot, count: frame.count)
  }

  /// Empties the batch without sending.
  mutating func discard() { count = 0 }

  /// Sends every filled slot on `fd` and empties the batch. A full device queue (ENOBUFS,
  /// EAGAIN) is waited out with `sched_yield` until `giveUp` says to stop; another error
  /// drops that frame and counts it.
  ///
  /// The corresponding C call is `sendmmsg(fd, messages, count, 0)`.
  mutating func send(on fd: Int32, giveUp: () -> Bool) -> (
    sent: Int, bytes: Int, failed: Int, error: SystemError?
  ) {
    var done = 0
    var bytes = 0
    var failed = 0
    var lastError: SystemError? = nil
    while done < count {
      do {
        let sent = try system_sendmmsg(fd, messages + done, count - done)
        for slot in done..<done + sent { bytes += vectors[slot].iov_len }
        done += sent
      } catch {
        if error.errno == ENOBUFS || error.errno == EAGAIN {
          if giveUp() { break }
          sched_yield()
        } else {
          failed += 1
          lastError = error
          done += 1
        }
      }
    }
    let sent = done - failed
    count = 0
    return (sent, bytes, failed, lastError)
  }
}
