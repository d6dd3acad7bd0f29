import PacketKit

/// One filter expression compiled for each link type it meets, for files that mix link
/// types (pcapng: one link type per interface).
///
/// Programs are compiled lazily, on the first frame of each link type, and kept in fixed
/// storage for up to `capacity` link types: matching a frame of a known link type allocates
/// nothing. A link type the expression cannot be compiled for throws on every frame of that
/// link type (the error is compiled once and remembered).
///
/// Noncopyable (`~Copyable`): it owns its compiled programs, freed when it goes away. Pass it
/// `borrowing` (or `inout`) to use it.
public struct BPFFilterSet: ~Copyable {
  /// The most distinct link types one set compiles for.
  public static let capacity = 8

  /// The expression as given.
  public let filter: String
  /// Whether the filter is empty (every frame matches; nothing is compiled).
  public let isEmpty: Bool

  private var count: Int
  /// The slot the last frame used (never one whose compilation failed): most files have one
  /// link type, found without a search.
  private var lastSlot: Int
  private var linkTypes: InlineArray<8, LinkType>
  private var programs: InlineArray<8, BPFProgram?>
  private var failures: InlineArray<8, PcapError?>
  private var rejectsAll: InlineArray<8, Bool>

  /// What libpcap (1.10) says when an expression cannot match any frame of a link type.
  static let rejectsAllMessage = "expression rejects all packets"

  /// Prepares `filter`; nothing is compiled until a frame arrives.
  ///
  /// Compile it for one link type first (`BPFProgram(filter:linkType:)`) to report syntax
  /// errors before reading anything.
  public init(filter: String) {
    self.filter = filter
    isEmpty = filter.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" }
    count = 0
    lastSlot = 0
    linkTypes = InlineArray(repeating: LinkType(rawValue: 0))
    programs = InlineArray { _ in nil }
    failures = InlineArray(repeating: nil)
    rejectsAll = InlineArray(repeating: false)
  }

  /// Whether a frame of `linkType` passes the filter, compiling for `linkType` on first use.
  ///
  /// - Parameters:
  ///   - bytes: the captured bytes, starting at the link-layer header.
  ///   - wireLength: the frame's length on the wire, in bytes.
  ///   - linkType: the link type of the frame (its interface's, in pcapng).
  /// - Throws: `PcapError` when the expression cannot be compiled for `linkType`, or
  ///   when more than `capacity` link types appear.
  public mutating func matches(_ bytes: Span<UInt8>, wireLength: Int, linkType: LinkType)
    throws(PcapError) -> Bool
  {
    if isEmpty { return true }
    let index =
      lastSlot < count && linkTypes[lastSlot] == linkType
      ? lastSlot : try slot(for: linkType)
    lastSlot = index
    if rejectsAll[index] { return false }
    return programs[index]?.matches(bytes, wireLength: wireLength) ?? true
  }

  /// The slot holding `linkType`'s program, compiling it when first seen.
  private mutating func slot(for linkType: LinkType) throws(PcapError) -> Int {
    var index = 0
    while index < count {
      if linkTypes[index] == linkType {
        if let failure = failures[index] { throw failure }
        return index
      }
      index += 1
    }
    guard count < Self.capacity else {
      throw PcapError(
        function: "pcap_compile", status: -1,
        message: "more than \(Self.capacity) link types in one capture", filter: filter)
    }
    index = count
    count += 1
    linkTypes[index] = linkType
    do {
      programs[index] = try BPFProgram(filter: filter, linkType: linkType)
    } catch  where error.message == Self.rejectsAllMessage {
      rejectsAll[index] = true
    } catch {
      failures[index] = error
      throw error
    }
    return index
  }
}

extension BPFFilterSet: Sendable {}
