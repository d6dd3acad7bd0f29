import CPacketIO
import Glibc
import PacketKit
import Synchronization

/// A live capture on our own AF_PACKET socket with a TPACKET_V3 memory-mapped receive ring
/// (the `af-packet` sniff backend): owns the socket and the mapping (munmap + close in
/// `deinit`).
///
/// The kernel fills blocks of the ring and hands whole blocks over; frames are lent to a
/// closure straight from the mapping, without copying. The BPF program compiled by libpcap
/// is attached with `SO_ATTACH_FILTER`, so unselected frames never reach the ring. Several
/// rings on one interface can share the traffic with `PACKET_FANOUT` (by flow hash).
///
/// Captures one named interface (not `any`: frames of different link types would need
/// a cooked header; the libpcap backend does that).
///
/// Noncopyable (`~Copyable`): it owns the socket and the ring mapping, released when it goes away.
/// Pass it `borrowing` (or `inout`) to use it.
public struct TPacketRing: ~Copyable {
  /// How the ring is set up (tcpdump's `-s -p -B -Q`, plus the fanout group).
  public struct Configuration: Sendable {
    /// Bytes kept of each packet; longer packets are cut.
    /// Default: `262_144`.
    public var snapshotLength: Int = 262_144
    /// Put the interface in promiscuous mode while the ring is open.
    /// Default: `true`.
    public var promiscuous: Bool = true
    /// Ring size, in bytes (rounded to whole blocks; at least two blocks).
    /// Default: `32 << 20`.
    public var bufferSize: Int = 32 << 20
    /// Block size, in bytes (a power of two, a multiple of the page size).
    /// Default: `1 << 20`.
    public var blockSize: Int = 1 << 20
    /// How long the kernel keeps a partly filled block before handing it over, in ms.
    /// Default: `10`.
    public var blockTimeoutMilliseconds: Int = 10
    /// Which direction to deliver (filtered on the frame's `sll_pkttype`).
    /// Default: `.both`.
    public var direction: CaptureDirection = .both
    /// Join this `PACKET_FANOUT` group (hash mode) so rings share the interface's traffic.
    /// Default: `nil`.
    public var fanoutGroup: UInt16? = nil

    /// The default configuration: each property's default is given with it.
    public init() {}
  }

  /// Where a block's header, `tpacket_block_desc.hdr` (a `tpacket_hdr_v1`), starts in the
  /// block: after the descriptor's `version` and `offset_to_priv` words.
  private static let blockHeaderOffset = MemoryLayout<tpacket_block_desc>.offset(
    of: \tpacket_block_desc.hdr)!
  /// Where the block's `tpacket_hdr_v1.block_status` word lies in the block: the word the
  /// kernel and the reader hand the block over with (`TP_STATUS_USER`, `TP_STATUS_KERNEL`).
  private static let blockStatusOffset =
    blockHeaderOffset + MemoryLayout<tpacket_hdr_v1>.offset(of: \tpacket_hdr_v1.block_status)!

  private let fd: Int32
  // SAFETY: `ring` is the shared mapping of `ringLength` = `blockSize * blockCount` bytes
  // made in `init` and unmapped only in `deinit`; blocks start at multiples of `blockSize`
  // (at least a page), so every header in them is aligned for its C type.
  private let ring: UnsafeMutableRawPointer
  private let ringLength: Int
  private let blockSize: Int
  private let blockCount: Int
  private var current = 0
  /// Whether the current block is ours (handed over, some frames possibly not yet read).
  private var blockOpen = false
  /// Frames of the current block not yet read.
  private var framesLeft = 0
  /// Offset of the next frame to read in the current block.
  private var frameOffset = 0
  private var number = 0
  private var received = 0
  private var dropped = 0
  private let snapshotLength: Int
  private let direction: CaptureDirection
  private let blockTimeout: Int
  /// The interface captured.
  public let interface: NetworkInterface
  /// The link type of the frames (the interface's).
  public let linkType: LinkType

  /// Opens the socket, maps the ring, attaches `filter` and binds to `interface`.
  ///
  /// - Throws: `SystemError` from the first call that fails; EPERM carries the
  ///   CAP_NET_RAW hint.
  ///
  /// The corresponding C calls are `socket(AF_PACKET, SOCK_RAW, 0)`,
  /// `setsockopt(SOL_PACKET, PACKET_VERSION / PACKET_RX_RING / PACKET_IGNORE_OUTGOING /
  /// PACKET_ADD_MEMBERSHIP / PACKET_FANOUT)`, `setsockopt(SOL_SOCKET, SO_ATTACH_FILTER)`, `mmap` and `bind`.
  /// Needs CAP_NET_RAW.
  public init(
    interface: NetworkInterface, configuration: Configuration, filter: borrowing BPFProgram
  ) throws(SystemError) {
    // Protocol 0: the socket receives nothing until bound, so no frame escapes the filter.
    let fd = try system_socket(AF_PACKET, Int32(SOCK_RAW.rawValue), 0, name: "AF_PACKET")
    var mapped: UnsafeMutableRawPointer? = nil
    let blockSize = max(configuration.blockSize, Int(getpagesize()))
    let blockCount = max(2, configuration.bufferSize / blockSize)
    let ringLength = blockSize * blockCount
    do throws(SystemError) {
      try system_setsockopt(
        fd, SOL_PACKET, PACKET_VERSION, Int32(TPACKET_V3.rawValue), name: "PACKET_VERSION")
      var request = tpacket_req3()
      request.tp_block_size = UInt32(blockSize)
      request.tp_block_nr = UInt32(blockCount)
      request.tp_frame_size = 2048
      request.tp_frame_nr = UInt32(ringLength / 2048)
      request.tp_retire_blk_tov = UInt32(configuration.blockTimeoutMilliseconds)
      try system_setsockopt(fd, SOL_PACKET, PACKET_RX_RING, request, name: "PACKET_RX_RING")
      mapped = try system_mmap_shared(fd, length: ringLength)
      try filter.withInstructions { instructions in
        Result { () throws(SystemError) in try system_attachFilter(fd, instructions) }
      }.get()
      if configuration.direction == .inbound {
        // The kernel then skips this socket for outgoing frames (Linux 4.20+) instead of
        // copying them to be dropped here: less work on every send's path. Older kernels
        // refuse the option; the direction check in `walk` still drops them.
        _ = try? system_setsockopt(
          fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, Int32(1), name: "PACKET_IGNORE_OUTGOING")
      }
      if configuration.promiscuous {
        var membership = packet_mreq()
        membership.mr_ifindex = Int32(interface.index)
        membership.mr_type = UInt16(PACKET_MR_PROMISC)
        try system_setsockopt(
          fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, membership, name: "PACKET_ADD_MEMBERSHIP")
      }
      try system_bindPacket(fd, interface: interface, protocol: UInt16(ETH_P_ALL))
      if let group = configuration.fanoutGroup {
        let value = UInt32(group) | UInt32(PACKET_FANOUT_HASH) << 16
        try system_setsockopt(fd, SOL_PACKET, PACKET_FANOUT, value, name: "PACKET_FANOUT")
      }
    } catch {
      if let mapped { system_munmap(mapped, length: ringLength) }
      system_close(fd)
      throw error
    }
    self.fd = fd
    self.ring = mapped!
    self.ringLength = ringLength
    self.blockSize = blockSize
    self.blockCount = blockCount
    self.snapshotLength = max(1, configuration.snapshotLength)
    self.direction = configuration.direction
    self.blockTimeout = configuration.blockTimeoutMilliseconds
    self.interface = interface
    self.linkType = interface.linkType
  }

  deinit {
    system_munmap(ring, length: ringLength)
    system_close(fd)
  }

  /// Hands every frame of the blocks the kernel has filled to `body`, waiting up to
  /// `timeoutMilliseconds` when none is ready.
  ///
  /// - Returns: the number of frames handed over (0 after a timeout or a signal).
  /// - Throws: `SystemError` from `poll` (the interface went away: POLLERR).
  ///
  /// The corresponding C call is `poll(fd, POLLIN | POLLERR)`; blocks are returned to the
  /// kernel by writing `TP_STATUS_KERNEL` into their descriptor.
  public mutating func poll(
    timeoutMilliseconds: Int32, _ body: (CaptureRecord, Span<UInt8>) -> Void
  ) throws(SystemError) -> Int {
    try read(timeoutMilliseconds: timeoutMilliseconds) { record, bytes in
      body(record, bytes)
      return true
    }
  }

  /// Hands frames to `body` as `poll` does, until `body` returns false: the ring then
  /// stops after that frame and the next call continues with the frame after it (the
  /// block stays ours until its last frame is read).
  ///
  /// - Returns: the number of frames handed over (0 after a timeout or a signal).
  /// - Throws: `SystemError` from `poll` (the interface went away: POLLERR).
  ///
  /// The corresponding C call is `poll(fd, POLLIN | POLLERR)`.
  public mutating func read(
    timeoutMilliseconds: Int32, _ body: (CaptureRecord, Span<UInt8>) -> Bool
  ) throws(SystemError) -> Int {
    var handled = 0
    var waited = false
    while true {
      // SAFETY: `current < blockCount`, so the block lies inside the mapping. The kernel
      // writes `block_status` to hand a block over; it is read after an acquiring fence and
      // written only to hand the block back, after a releasing fence (`releaseBlock`).
      let block = ring + current * blockSize
      let status = UnsafeMutablePointer<UInt32>(
        mutating: UnsafeRawPointer(block).advanced(by: Self.blockStatusOffset)
          .assumingMemoryBound(to: UInt32.self))
      if !blockOpen {
        atomicMemoryFence(ordering: .acquiring)
        guard status.pointee & UInt32(TP_STATUS_USER) != 0 else {
          if handled > 0 || waited { return handled }
          let events = try system_poll(
            fd, events: Int16(POLLIN | POLLERR), timeoutMilliseconds: timeoutMilliseconds)
          if events & Int16(POLLERR) != 0 {
            throw SystemError(operation: "poll(AF_PACKET, \(interface.name))", errno: ENETDOWN)
          }
          waited = true
          continue
        }
        // SAFETY: TP_STATUS_USER: the kernel has finished the block and handed it over; its
        // header and frames stay as they are until `releaseBlock`.
        let header = UnsafeRawPointer(block).advanced(by: Self.blockHeaderOffset)
          .assumingMemoryBound(to: tpacket_hdr_v1.self).pointee
        blockOpen = true
        framesLeft = Int(header.num_pkts)
        frameOffset = Int(header.offset_to_first_pkt)
      }
      while framesLeft > 0 {
        // SAFETY: `frameOffset` starts at the kernel's `offset_to_first_pkt` and moves by
        // each frame's `tp_next_offset`, `num_pkts` times at most: the kernel lays every
        // frame (its `tpacket3_hdr`, `sockaddr_ll` and data) out inside the block.
        let frame = UnsafeRawPointer(block).advanced(by: frameOffset)
        let next = Int(frame.assumingMemoryBound(to: tpacket3_hdr.self).pointee.tp_next_offset)
        framesLeft = next == 0 ? 0 : framesLeft - 1
        frameOffset += next
        guard let keepGoing = deliver(frame: frame, body) else { continue }
        handled += 1
        if !keepGoing {
          if framesLeft == 0 { releaseBlock(status) }
          return handled
        }
      }
      releaseBlock(status)
    }
  }

  /// Returns the current block to the kernel and moves to the next.
  private mutating func releaseBlock(_ status: UnsafeMutablePointer<UInt32>) {
    atomicMemoryFence(ordering: .releasing)
    status.pointee = UInt32(TP_STATUS_KERNEL)
    blockOpen = false
    current = (current + 1) % blockCount
  }

  /// Hands one frame of a block to `body` when its direction is wanted.
  ///
  /// - Returns: what `body` returned, or nil when the frame was skipped.
  private mutating func deliver(
    frame: UnsafeRawPointer, _ body: (CaptureRecord, Span<UInt8>) -> Bool
  ) -> Bool? {
    // SAFETY: `frame` is a frame of a block handed over (see `read`): the kernel puts its
    // `sockaddr_ll` at TPACKET_ALIGN(sizeof(struct tpacket3_hdr)) and `tp_snaplen` bytes of
    // data at `tp_mac`, all inside the block. `captured` is at most `tp_snaplen`. The span
    // given to `body` is valid until the block is released, so `body` must not keep it.
    let addressOffset = Int(CPacketIO_TPACKET_ALIGN(UInt32(MemoryLayout<tpacket3_hdr>.size)))
    let packet = frame.assumingMemoryBound(to: tpacket3_hdr.self).pointee
    let link = frame.advanced(by: addressOffset).assumingMemoryBound(to: sockaddr_ll.self).pointee
    let outgoing = link.sll_pkttype == UInt8(PACKET_OUTGOING)
    let wanted =
      switch direction {
      case .both: true
      case .inbound: !outgoing
      case .outbound: outgoing
      }
    guard wanted else { return nil }
    number += 1
    let captured = min(Int(packet.tp_snaplen), snapshotLength)
    // tp_sec/tp_nsec: the kernel's software receive timestamp, CLOCK_REALTIME (the skb's
    // stamp taken when the frame entered the stack, else the time the ring received it).
    let record = CaptureRecord(
      number: number,
      timestamp: Timestamp(
        seconds: Int64(packet.tp_sec), nanoseconds: min(packet.tp_nsec, 999_999_999)),
      capturedLength: captured, wireLength: Int(packet.tp_len), linkType: linkType,
      interfaceIndex: Int(link.sll_ifindex), interfaceName: interface.name,
      direction: outgoing ? .outbound : .inbound)
    let bytes = UnsafeBufferPointer(
      start: frame.advanced(by: Int(packet.tp_mac)).assumingMemoryBound(to: UInt8.self),
      count: captured)
    return body(record, bytes.span)
  }

  /// Hands over what the kernel still holds after a stop: waits one block timeout (the
  /// kernel then retires its partly filled block) and reads every ready block.
  public mutating func drain(_ body: (CaptureRecord, Span<UInt8>) -> Void) throws(SystemError)
    -> Int
  {
    system_sleepUntil(
      monotonicNanoseconds: system_monotonicNanoseconds() + UInt64(blockTimeout + 10) * 1_000_000)
    var total = 0
    while true {
      let handled = try poll(timeoutMilliseconds: 0, body)
      if handled == 0 { return total }
      total += handled
    }
  }

  /// The kernel's counts since the ring opened: frames that passed the filter and frames
  /// dropped because the ring was full.
  ///
  /// The corresponding C call is `getsockopt(SOL_PACKET, PACKET_STATISTICS)`, which resets
  /// the kernel's counters; this value keeps the running totals.
  public mutating func statistics() throws(SystemError) -> (received: Int, dropped: Int) {
    var stats = tpacket_stats_v3()
    try system_getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &stats, name: "PACKET_STATISTICS")
    // tp_packets counts every frame, dropped ones included (as libpcap's ps_recv does).
    received += Int(stats.tp_packets)
    dropped += Int(stats.tp_drops)
    return (received, dropped)
  }
}
