import CacheHints
@preconcurrency import Glibc
import PacketKit

/// A classic pcap file mapped into memory and walked record by record, as the C reference
/// decoder walks it: the frames are read in place, never copied.
public struct MappedPcap: ~Copyable {
  @usableFromInline let base: UnsafeRawPointer
  @usableFromInline let size: Int
  /// Whether the file's fields are in the other byte order.
  @usableFromInline let swapped: Bool
  /// The link type of every record.
  public let linkType: LinkType

  /// Maps the pcap file at `path`.
  ///
  /// - Throws: `MappedPcapError` when the file cannot be opened or mapped, or is not a classic
  ///   pcap file.
  public init(path: String) throws(MappedPcapError) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw .cannotOpen(path) }
    defer { close(fd) }
    var status = stat()
    guard fstat(fd, &status) == 0, status.st_size >= 24 else { throw .notPcap(path) }
    let size = Int(status.st_size)
    guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0),
      mapped != MAP_FAILED
    else { throw .cannotOpen(path) }
    let base = UnsafeRawPointer(mapped)
    let swapped: Bool
    switch base.loadUnaligned(as: UInt32.self) {
    case 0xa1b2_c3d4, 0xa1b2_3c4d: swapped = false
    case 0xd4c3_b2a1, 0x4d3c_b2a1: swapped = true
    default:
      munmap(mapped, size)
      throw .notPcap(path)
    }
    let rawLinkType = base.loadUnaligned(fromByteOffset: 20, as: UInt32.self)
    self.base = base
    self.size = size
    self.swapped = swapped
    linkType = LinkType(rawValue: (swapped ? rawLinkType.byteSwapped : rawLinkType) & 0xFFFF)
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }

  /// Calls `body` with each whole record's captured bytes and wire length, in file order; a
  /// record cut by the end of the file ends the walk. Inlinable, so that `body` is inlined
  /// into the walk in the caller's module, as the C reference decoder's call is.
  @inlinable @inline(__always)
  public func forEachFrame(_ body: (Span<UInt8>, Int) -> Void) {
    var offset = 24
    while size - offset >= 16 {
      var captured = base.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
      var wire = base.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)
      if swapped {
        captured = captured.byteSwapped
        wire = wire.byteSwapped
      }
      guard Int(captured) <= size - offset - 16 else { return }
      // The next record: the cache lines of its header and first frame bytes are fetched
      // while this frame is decoded (the C reference decoder's walk asks for the same two).
      let next = offset + 16 + Int(captured)
      if size - next >= 16 {
        cache_hints_prefetch(base + next + 8)
        cache_hints_prefetch(base + next + 72)
      }
      let frame = UnsafeBufferPointer(
        start: (base + offset + 16).assumingMemoryBound(to: UInt8.self), count: Int(captured))
      body(frame.span, Int(wire))
      offset += 16 + Int(captured)
    }
  }
}

/// Why a pcap file could not be mapped.
public enum MappedPcapError: Error, CustomStringConvertible {
  /// The file could not be opened or mapped.
  case cannotOpen(String)
  /// The file is not a classic pcap file.
  case notPcap(String)

  /// The message for the user.
  public var description: String {
    switch self {
    case .cannotOpen(let path): "\(path): cannot open or map the file"
    case .notPcap(let path): "\(path): not a classic pcap file"
    }
  }
}
