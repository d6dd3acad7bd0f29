/// Whole-capture statistics for `rawtool stats`: what `capinfos` and tshark's
/// `-z io,phs -z conv,ip -z conv,tcp -z conv,udp` report, gathered in one pass.
///
/// Feed every frame to `add(_:timestampSeconds:nanoseconds:capturedLength:wireLength:)`,
/// then print with `writeText(to:top:)` or `writeJSON(to:top:)`. Adding a frame whose
/// protocol path, IP pair and 5-tuple were seen before allocates nothing: the tables are
/// dictionaries keyed by small value types, and storage grows only for a new entry.
///
/// Byte counts are wire lengths (`frame.len`, as tshark counts), unless named "captured".
/// Layers inside a datagram quoted by an ICMP error count in the protocol hierarchy
/// (`eth:ipv4:icmp:ipv4:udp`), but conversations use the outer IP header and the first
/// transport header that is not quoted.
public struct CaptureStatistics: Sendable {
  /// Packets of one link type.
  public struct LinkTypeCount: Sendable, Hashable {
    public var linkType: LinkType
    public var packets: Int
  }

  /// Frames added.
  public private(set) var packets: Int = 0
  /// Sum of wire lengths, in bytes.
  public private(set) var bytes: Int = 0
  /// Sum of captured lengths, in bytes.
  public private(set) var capturedBytes: Int = 0
  /// The earliest timestamp seen (captures are not always in order).
  public private(set) var firstTime: Timestamp? = nil
  /// The latest timestamp seen.
  public private(set) var lastTime: Timestamp? = nil
  /// Link types in order of first appearance, with packet counts.
  public private(set) var linkTypes: [LinkTypeCount] = []
  /// Packets and bytes per protocol path.
  public private(set) var protocols = ProtocolHierarchy()
  /// Conversations by IP pair and by TCP/UDP 5-tuple.
  public private(set) var conversations = ConversationTable()
  /// Frames with a layer the capture (or an enclosing length) cut short.
  public private(set) var truncated: Int = 0
  /// Frames with a malformed layer.
  public private(set) var malformed: Int = 0

  public init() {}

  /// Counts one frame.
  ///
  /// - Parameters:
  ///   - frame: the frame, decoded by `FrameDecoder`.
  ///   - timestampSeconds: the record's time, seconds since the Unix epoch.
  ///   - nanoseconds: the record's time within the second, in nanoseconds.
  ///   - capturedLength: bytes captured.
  ///   - wireLength: bytes on the wire.
  public mutating func add(
    _ frame: borrowing DecodedFrame, timestampSeconds: Int64, nanoseconds: UInt32,
    capturedLength: Int,
    wireLength: Int
  ) {
    // Unchecked, as the numbers come: a file's nanoseconds past a second still count.
    let time = Timestamp(seconds: timestampSeconds, checkedNanoseconds: nanoseconds)
    packets &+= 1
    bytes &+= wireLength
    capturedBytes &+= capturedLength
    if let first = firstTime {
      if time < first { firstTime = time }
      if time > lastTime! { lastTime = time }
    } else {
      firstTime = time
      lastTime = time
    }
    countLinkType(frame.linkType)

    // One pass over the layers, so the tables get what they need without walking the frame
    // again.
    var isTruncated = false
    var isMalformed = false
    var endpoints = ConversationTable.Endpoints()
    for index in 0..<frame.count {
      let layer = frame[index]
      switch layer.status {
      case .complete: break
      case .truncated: isTruncated = true
      case .malformed: isMalformed = true
      }
      endpoints.visit(layer)
    }
    if isTruncated { truncated &+= 1 }
    if isMalformed { malformed &+= 1 }

    protocols.add(path: frame.kinds, bytes: wireLength)
    conversations.add(endpoints, time: time, bytes: wireLength)
  }

  private mutating func countLinkType(_ linkType: LinkType) {
    for index in linkTypes.indices where linkTypes[index].linkType == linkType {
      linkTypes[index].packets &+= 1
      return
    }
    linkTypes.append(LinkTypeCount(linkType: linkType, packets: 1))
  }

  /// `lastTime - firstTime`, in nanoseconds (0 without packets).
  public var durationNanoseconds: Int64 {
    guard let firstTime, let lastTime else { return 0 }
    return lastTime.nanoseconds(since: firstTime)
  }
}
