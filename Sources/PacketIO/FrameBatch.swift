import CPacketIO
import Glibc

/// Frames laid out once for batched sending with `sendmmsg`: one contiguous copy of the
/// bytes, an `iovec` and an `mmsghdr` per frame, and an optional destination address per
/// frame (raw IP sockets). Owns its memory (freed in `deinit`).
///
/// Frames are repeated cyclically up to `slots` entries so a flood of one frame still
/// sends full batches.
///
/// Noncopyable (`~Copyable`): it owns the message vectors it allocated, freed when it goes away.
/// Pass it `borrowing` (or `inout`) to use it.
public struct FrameBatch: ~Copyable {
  // SAFETY: the messages point into the batch itself: `messages[i].msg_hdr.msg_iov` at
  // `vectors[i]`, its `msg_name` at `addresses[i]`, and `vectors[i].iov_base` into
  // `storage`. The four buffers are heap allocations owned by this value alone
  // (noncopyable: never duplicated), never reallocated (moving the value moves only these
  // pointers), and freed together in `deinit`, so every such pointer stays valid as long
  // as the value lives, and no two values free the same buffer.
  let storage: UnsafeMutableRawPointer
  let vectors: UnsafeMutablePointer<iovec>
  let messages: UnsafeMutablePointer<CPacketIO_mmsghdr>
  let addresses: UnsafeMutablePointer<sockaddr_storage>
  /// Number of messages (frames, repeated to fill the batch).
  public let slots: Int
  /// Byte count of each message.
  public let lengths: [Int]

  /// Lays out `frames`, repeated to at least `minimumSlots` messages.
  ///
  /// - Parameters:
  ///   - frames: the frames, each sent as one message.
  ///   - minimumSlots: the fewest messages the batch holds; the frames repeat to fill them.
  ///   - destination: the address each frame goes to (raw IP), or nil (bound packet socket).
  public init(
    frames: [[UInt8]], minimumSlots: Int = 1,
    destination: (([UInt8]) -> sockaddr_storage?)? = nil
  ) {
    precondition(!frames.isEmpty, "a batch needs at least one frame")
    let repeats = max(1, (minimumSlots + frames.count - 1) / frames.count)
    let slots = frames.count * repeats
    let total = frames.reduce(0) { $0 + $1.count }
    let storage = UnsafeMutableRawPointer.allocate(byteCount: max(total, 1), alignment: 16)
    self.storage = storage
    vectors = .allocate(capacity: slots)
    messages = .allocate(capacity: slots)
    addresses = .allocate(capacity: slots)
    var offsets: [Int] = []
    var offset = 0
    for frame in frames {
      // SAFETY: `storage` holds `total` bytes, the sum of the frames' lengths, and `offset`
      // is the sum of the lengths before this frame.
      frame.withUnsafeBytes {
        storage.advanced(by: offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count)
      }
      offsets.append(offset)
      offset += frame.count
    }
    var lengths: [Int] = []
    for slot in 0..<slots {
      let index = slot % frames.count
      vectors[slot] = iovec(
        iov_base: storage.advanced(by: offsets[index]), iov_len: frames[index].count)
      var header = msghdr()
      header.msg_iov = vectors.advanced(by: slot)
      header.msg_iovlen = 1
      if let address = destination?(frames[index]) {
        addresses[slot] = address
        header.msg_name = UnsafeMutableRawPointer(addresses.advanced(by: slot))
        header.msg_namelen = socklen_t(
          Int32(address.ss_family) == AF_INET6
            ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
      } else {
        addresses[slot] = sockaddr_storage()
      }
      messages[slot] = CPacketIO_mmsghdr(msg_hdr: header, msg_len: 0)
      lengths.append(frames[index].count)
    }
    self.slots = slots
    self.lengths = lengths
  }

  deinit {
    storage.deallocate()
    vectors.deallocate()
    messages.deallocate()
    addresses.deallocate()
  }

  /// Sends messages `start ..< start + count` (wrapping around) on `fd` with as few
  /// `sendmmsg` calls as possible.
  ///
  /// - Returns: how many went out before an error; the error, if one stopped the batch.
  func send(on fd: Int32, start: Int, count: Int) -> (sent: Int, bytes: Int, error: SystemError?) {
    var sent = 0
    var bytes = 0
    while sent < count {
      let first = (start + sent) % slots
      let run = min(count - sent, slots - first)
      // SAFETY: `first + run <= slots`: the call reads only initialized messages.
      do {
        let done = try system_sendmmsg(fd, messages.advanced(by: first), run)
        for slot in first..<first + done { bytes += lengths[slot] }
        sent += done
      } catch {
        return (sent, bytes, error)
      }
    }
    return (sent, bytes, nil)
  }
}
