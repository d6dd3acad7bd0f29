import PacketKit

/// PacketKit's decode loop as `rawtool read` runs it for one-line output: every frame decoded
/// into one reused `DecodedFrame`, checksums not verified. It counts the layers decoded, so
/// the work cannot be optimised away and can be compared with the C reference decoder's.
public struct DecodeLoop {
  /// The decoder (checksums not verified).
  public let decoder = FrameDecoder(verifyChecksums: false)
  /// The frame decoded last, reused.
  public var frame = DecodedFrame(linkType: .ethernet, capturedLength: 0, wireLength: 0)
  /// Frames decoded so far.
  public var packets: Int { counts.packets }
  /// Layers decoded so far, summed over the frames.
  public var layers: Int { counts.layers }
  @usableFromInline var counts = (packets: 0, layers: 0)

  /// A loop that has decoded nothing yet.
  public init() {}

  /// Decodes one frame of `linkType`. Inlinable, so that the walk calling it in another
  /// module calls the decoder directly, as the C reference decoder's walk does.
  @inlinable @inline(__always)
  public mutating func decode(_ bytes: Span<UInt8>, linkType: LinkType, wireLength: Int) {
    decoder.decode(bytes, linkType: linkType, wireLength: wireLength, into: &frame)
    counts.packets &+= 1
    counts.layers &+= frame.count
  }
}
