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
    /// The link type.
    public var linkType: LinkType
    /// Packets of that link type.
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
  /// Packets and bytes per application protocol (`dns`, `http`, `tls`, ...), in order of
  /// first appearance: a frame counts once per protocol it carries.
  public private(set) var applications: [ApplicationCount] = []
  /// The first question name of each DNS query.
  public private(set) var dnsQueryNames = NameCounter()
  /// The server name (SNI) of each TLS ClientHello.
  public private(set) var tlsServerNames = NameCounter()
  /// Frames with a layer the capture (or an enclosing length) cut short.
  public private(set) var truncated: Int = 0
  /// Frames with a malformed layer.
  public private(set) var malformed: Int = 0
  /// Frames of a link type rawtool does not decode, counted by
  /// ``addUndecoded(linkType:timestampSeconds:nanoseconds:capturedLength:wireLength:)``:
  /// in the counts, sizes, times and link types, not in the protocol hierarchy.
  public private(set) var undecoded: Int = 0

  /// Packets and bytes of one application protocol.
  public struct ApplicationCount: Sendable, Hashable {
    /// The application layer's kind (`dns`, `tls`, ...).
    public var kind: LayerKind
    /// Packets carrying it.
    public var packets: Int
    /// Their wire bytes.
    public var bytes: Int
  }

  /// Empty statistics: add frames to them.
  public init() {}

  /// Counts one frame and the names its application layers carry (DNS query names, TLS
  /// server names), read from `bytes`, the frame's captured bytes.
  public mutating func add(
    _ frame: borrowing DecodedFrame, bytes: Span<UInt8>, timestampSeconds: Int64,
    nanoseconds: UInt32, capturedLength: Int, wireLength: Int
  ) {
    add(
      frame, timestampSeconds: timestampSeconds, nanoseconds: nanoseconds,
      capturedLength: capturedLength, wireLength: wireLength)
    // Kinds first (reading a kind copies no layer): most frames carry neither.
    guard Self.kindMask(frame.kinds) & Self.namedKinds != 0 else { return }
    for index in 0..<frame.count {
      switch frame.kind(at: index) {
      case .tls:
        let layer = frame[index]
        guard let name = TLSProtocol.serverName(layer, bytes) else { continue }
        bytes.withUnsafeBufferPointer { buffer in
          tlsServerNames.count(UnsafeBufferPointer(rebasing: buffer[name]))
        }
      case .dns:
        let layer = frame[index]
        if layer.isQuoted { continue }
        // The message starts after TCP's 2-byte length when the layer begins with it.
        var message = layer.range.lowerBound
        if index > 0, frame[index - 1].kind == .tcp,
          frame[index - 1].range.upperBound == message
        {
          message += 2
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ApplicationNames.longestName) {
          buffer in
          if let length = ApplicationNames.dnsQueryName(
            bytes, message: message, end: layer.range.upperBound, into: buffer)
          {
            dnsQueryNames.count(UnsafeBufferPointer(rebasing: buffer[0..<length]))
          }
        }
        return
      default:
        continue
      }
    }
  }

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
    let time = countTimeAndSize(
      timestampSeconds: timestampSeconds, nanoseconds: nanoseconds,
      capturedLength: capturedLength, wireLength: wireLength)
    countLinkType(frame.linkType)

    // One pass over the layers, so the tables get what they need without walking the frame
    // again.
    var isTruncated = false
    var isMalformed = false
    var endpoints = ConversationTable.Endpoints()
    var seen: UInt64 = 0
    // The layers are read where they are (a layer is 161 bytes; copying each costs more
    // than what is read from it).
    frame.withLayerPointer { layers in
      for index in 0..<frame.count {
        let layer = layers + index
        switch layer.pointee.status {
        case .complete: break
        case .truncated: isTruncated = true
        case .malformed: isMalformed = true
        }
        endpoints.visit(layer)
      }
    }
    let kinds = frame.kinds
    let mask = Self.kindMask(kinds)
    if mask & Self.applicationKinds != 0 {
      for index in 0..<kinds.count {
        let kind = kinds.kind(at: index)
        if kind.isApplication { countApplication(kind, &seen, bytes: wireLength) }
      }
    }
    if isTruncated { truncated &+= 1 }
    if isMalformed { malformed &+= 1 }

    protocols.add(
      path: mask & Self.repeatingKinds == 0 ? kinds : Self.hierarchyPath(kinds), bytes: wireLength)
    conversations.add(endpoints, time: time, bytes: wireLength)
  }

  /// Bit `code & 31` set for each layer's code: a superset test of which kinds a path holds
  /// (every `LayerKind` code is below 32), in one pass without building a kind per layer.
  @inline(__always)
  static func kindMask(_ path: LayerPath) -> UInt32 {
    var mask: UInt32 = 0
    var rest = path.codes
    for _ in 0..<path.count {
      mask |= 1 &<< UInt32(UInt8(truncatingIfNeeded: rest) & 31)
      rest = rest &>> 8
    }
    return mask
  }

  /// The `kindMask` bit of a kind.
  @inline(__always)
  static func bit(_ kind: LayerKind) -> UInt32 { 1 &<< UInt32(kind.rawValue & 31) }

  /// The kinds `isApplication` holds for (a test checks the two agree).
  static var applicationKinds: UInt32 {
    bit(.dns) | bit(.dhcp) | bit(.dhcpv6) | bit(.ntp) | bit(.http) | bit(.tls)
  }
  /// The kinds `repeatsAsMessages` holds for (a test checks the two agree).
  static var repeatingKinds: UInt32 { bit(.tls) | bit(.dns) }
  /// The kinds whose names `stats` lists (DNS query names, TLS server names).
  static var namedKinds: UInt32 { bit(.dns) | bit(.tls) }

  /// `path` with consecutive layers of a kind that repeats as messages (TLS records) taken
  /// once: `eth:ipv4:tcp:tls:tls` counts as `eth:ipv4:tcp:tls`, as tshark's hierarchy does.
  static func hierarchyPath(_ path: LayerPath) -> LayerPath {
    var repeated = false
    for index in stride(from: 1, to: path.count, by: 1)
    where path.code(at: index) == path.code(at: index - 1) && path.kind(at: index).repeatsAsMessages
    {
      repeated = true
      break
    }
    guard repeated else { return path }
    var collapsed = LayerPath()
    for index in 0..<path.count {
      let kind = path.kind(at: index)
      if index > 0, kind.repeatsAsMessages, path.kind(at: index - 1) == kind { continue }
      collapsed.append(kind)
    }
    return collapsed
  }

  /// Counts `kind` for this frame, once (`seen` holds the kinds already counted).
  private mutating func countApplication(_ kind: LayerKind, _ seen: inout UInt64, bytes: Int) {
    let bit = UInt64(1) << (kind.rawValue & 63)
    guard seen & bit == 0 else { return }
    seen |= bit
    for index in applications.indices where applications[index].kind == kind {
      applications[index].packets &+= 1
      applications[index].bytes &+= bytes
      return
    }
    applications.append(ApplicationCount(kind: kind, packets: 1, bytes: bytes))
  }

  private mutating func countLinkType(_ linkType: LinkType) {
    // Most captures hold one link type.
    if !linkTypes.isEmpty && linkTypes[0].linkType == linkType {
      linkTypes[0].packets &+= 1
      return
    }
    for index in linkTypes.indices where linkTypes[index].linkType == linkType {
      linkTypes[index].packets &+= 1
      return
    }
    linkTypes.append(LinkTypeCount(linkType: linkType, packets: 1))
  }

  /// Counts a frame whose layers are not decoded (its link type is not one rawtool decodes,
  /// such as 802.11): packets, bytes, times and link type, as `capinfos` reports them.
  ///
  /// - Parameters:
  ///   - linkType: the record's link type.
  ///   - timestampSeconds: the record's time, seconds since the Unix epoch.
  ///   - nanoseconds: the record's time within the second, in nanoseconds.
  ///   - capturedLength: bytes captured.
  ///   - wireLength: bytes on the wire.
  public mutating func addUndecoded(
    linkType: LinkType, timestampSeconds: Int64, nanoseconds: UInt32, capturedLength: Int,
    wireLength: Int
  ) {
    countTimeAndSize(
      timestampSeconds: timestampSeconds, nanoseconds: nanoseconds,
      capturedLength: capturedLength, wireLength: wireLength)
    countLinkType(linkType)
    undecoded &+= 1
  }

  /// Counts one frame's time and lengths; returns its timestamp.
  @discardableResult
  private mutating func countTimeAndSize(
    timestampSeconds: Int64, nanoseconds: UInt32, capturedLength: Int, wireLength: Int
  ) -> Timestamp {
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
    return time
  }

  /// `lastTime - firstTime`, in nanoseconds (0 without packets).
  public var durationNanoseconds: Int64 {
    guard let firstTime, let lastTime else { return 0 }
    return lastTime.nanoseconds(since: firstTime)
  }
}
