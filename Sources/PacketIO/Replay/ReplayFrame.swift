import PacketKit

/// A frame to replay from memory (tests, generated traffic): its bytes and when it was
/// recorded.
public struct ReplayFrame: Sendable, Hashable {
  /// The bytes that were captured.
  public var bytes: [UInt8]
  /// When it was recorded, in nanoseconds since the epoch (only the gaps matter).
  public var timestampNanoseconds: Int64
  /// Its length on the wire (at least `bytes.count`; larger for a truncated capture).
  public var wireLength: Int
  /// Its link type; `Replayer` sends Ethernet frames.
  public var linkType: LinkType

  /// Creates a frame; `wireLength` defaults to the byte count.
  public init(
    bytes: [UInt8], timestampNanoseconds: Int64 = 0, wireLength: Int? = nil,
    linkType: LinkType = .ethernet
  ) {
    self.bytes = bytes
    self.timestampNanoseconds = timestampNanoseconds
    self.wireLength = max(wireLength ?? bytes.count, bytes.count)
    self.linkType = linkType
  }
}
