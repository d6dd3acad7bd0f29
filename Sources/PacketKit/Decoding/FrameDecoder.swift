/// Decodes whole frames laxly: never throws, never drops a packet.
///
/// Each layer is decoded in place from the frame's bytes into a `DecodedFrame` with fixed
/// storage, so decoding allocates nothing. A layer the capture cuts short is reported
/// `truncated` with the fields that could be read; a header that contradicts itself or its
/// container is reported `malformed`; either way decoding stops at that layer, and never
/// stops the file.
public struct FrameDecoder: Sendable {
  /// Whether to verify checksums (`checksumValid`). Turning it off saves summing payloads.
  public var verifyChecksums: Bool

  /// A decoder; checksums are verified unless `verifyChecksums` is false.
  public init(verifyChecksums: Bool = true) {
    self.verifyChecksums = verifyChecksums
  }

  /// Decodes a frame of `linkType`.
  /// - Parameters:
  ///   - bytes: the bytes.count bytes.
  ///   - linkType: the link type of the capture (pcap link-type field, masked).
  ///   - wireLength: the frame's length on the wire; defaults to the bytes.count length.
  public func decode(_ bytes: Span<UInt8>, linkType: LinkType, wireLength: Int? = nil)
    -> DecodedFrame
  {
    var frame = DecodedFrame(
      linkType: linkType, capturedLength: bytes.count, wireLength: wireLength ?? bytes.count)
    decode(bytes, linkType: linkType, wireLength: wireLength, into: &frame)
    return frame
  }

  /// Decodes a frame into an existing value, reusing its storage.
  public func decode(
    _ bytes: Span<UInt8>, linkType: LinkType, wireLength: Int? = nil, into frame: inout DecodedFrame
  ) {
    frame.reset(
      linkType: linkType, capturedLength: bytes.count,
      wireLength: max(wireLength ?? bytes.count, bytes.count))
    // The walk writes layers into the buffer without checking it is unshared: make it so.
    frame.makeUnique()
    // The walk fills `frame` where it is (copying the frame in and out costs more than
    // decoding a header).
    withUnsafeMutablePointer(to: &frame) { pointer in
      var walk = Walk(framePointer: pointer, verify: verifyChecksums)
      walk.link(bytes, linkType)
    }
  }

  /// Decodes a frame held in an array.
  public func decode(_ bytes: [UInt8], linkType: LinkType, wireLength: Int? = nil) -> DecodedFrame {
    decode(bytes.span, linkType: linkType, wireLength: wireLength)
  }
}

/// The addresses a transport checksum's pseudo-header needs.
enum PseudoHeader {
  case none
  case v4(IPv4Address, IPv4Address)
  case v6(IPv6Address, IPv6Address)
}

/// What encloses a network-layer datagram being decoded.
struct Enclosure {
  /// End of the bytes available (bytes.count, and within enclosing lengths).
  var end: Int
  /// End announced by the enclosing headers (may be past `end` when the capture is short).
  var declaredEnd: Int
  /// What limits `end` when it is less than the bytes.count length.
  var bound: Truncation.Bound
  /// Inside an ICMP error's quote: lengths beyond the quote are expected, not malformed.
  var quoted: Bool
  /// The outermost datagram of the frame (its trailing bytes are padding).
  var outermost: Bool
}

/// One frame's decoding state.
/// The frame's bytes are passed to every step (a `Span` cannot be stored without the
/// experimental Lifetimes feature).
struct Walk {
  /// The frame being filled: the caller's, in place, for the duration of one decode.
  let framePointer: UnsafeMutablePointer<DecodedFrame>
  let verify: Bool

  /// The frame being filled.
  var frame: DecodedFrame {
    unsafeAddress { UnsafePointer(framePointer) }
    nonmutating unsafeMutableAddress { framePointer }
  }

  /// Verifies a checksum over `range` with no pseudo-header (IPv4 header, ICMP message).
  @inline(__always)
  func plainChecksum(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool? {
    guard verify else { return nil }
    return verifiedPlainChecksum(bytes, range)
  }

  /// `plainChecksum`'s sum, apart so that the check of `verify` is inlined where it is asked.
  func verifiedPlainChecksum(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool? {
    var sum = InternetChecksum()
    sum.add(bytes.extracting(range))
    return sum.isValid
  }

  /// The short-header prologue of every layer: nil when the `length`-byte fixed header fits
  /// between `offset` and `end`; otherwise the header parsed from the bytes there are,
  /// zero-filled, so a layer cut short still reports the fields it has.
  @inline(__always)
  func shortHeader<Header>(
    _ bytes: Span<UInt8>, _ length: Int, at offset: Int, end: Int,
    _ parse: (Span<UInt8>) -> Header
  ) -> Header? {
    guard end - offset < length else { return nil }
    return padded(bytes, length, from: offset, limit: end, parse)
  }

  /// `shortHeader`, appended as a layer cut short (`truncated`, or `malformed` when the
  /// frame was captured whole) when the fixed header does not fit: returns whether it was,
  /// and then the layer's decoding ends.
  @inline(__always)
  mutating func appendsShortHeader<Header>(
    _ bytes: Span<UInt8>, _ length: Int, at offset: Int, end: Int, bound: Truncation.Bound,
    _ parse: (Span<UInt8>) -> Header, as layer: (Header) -> LayerHeader
  ) -> Bool {
    guard let header = shortHeader(bytes, length, at: offset, end: end, parse) else {
      return false
    }
    truncated(
      bytes, layer(header), at: offset, needed: length, available: max(0, end - offset),
      bound: bound)
    return true
  }

  /// What encloses the frame's outermost datagram: `bytes` to their end, the frame's wire
  /// length as what its headers may announce.
  func outermost(_ bytes: Span<UInt8>) -> Enclosure {
    Enclosure(
      end: bytes.count, declaredEnd: frame.wireLength, bound: .capture, quoted: false,
      outermost: true)
  }

  /// Appends a layer to the frame, whose buffer the walk owns (`FrameDecoder` makes it so).
  @_transparent
  mutating func push(_ layer: DecodedLayer) {
    frame.appendOwned(layer)
  }

  /// The last layer appended, read or completed in place (no copy of the layer).
  var last: UnsafeMutablePointer<DecodedLayer> { frame.lastLayerSlot }

  /// Appends a `raw` layer when `range` holds at least one byte.
  @inline(__always)
  mutating func raw(_ bytes: Span<UInt8>, _ range: Range<Int>) {
    guard range.upperBound > range.lowerBound, !frame.isFull else { return }
    push(DecodedLayer(header: .raw, range: range))
  }

  @inline(__always)
  mutating func append(
    _ bytes: Span<UInt8>, _ header: LayerHeader, _ range: Range<Int>, _ status: LayerStatus
  ) {
    push(
      DecodedLayer(
        header: header,
        range: range.lowerBound..<max(range.lowerBound, min(range.upperBound, bytes.count)),
        status: status))
  }

  /// Appends a layer whose bytes run out, covering the bytes that remain: `truncated` when
  /// the capture cut the frame short (or the layer is inside an ICMP error's quote),
  /// `malformed` when the frame was captured whole and the header does not fit in it or in
  /// the length an enclosing header gives.
  mutating func truncated(
    _ bytes: Span<UInt8>, _ header: LayerHeader, at offset: Int, needed: Int, available: Int? = nil,
    bound: Truncation.Bound
  ) {
    let have = available ?? max(0, bytes.count - offset)
    let status: LayerStatus
    switch bound {
    case .capture where frame.capturedLength >= frame.wireLength:
      status = .malformed(
        Malformation(
          field: FieldName.length.text, reason: "the frame ends inside the header", value: have,
          headerCutShort: true))
    case .ipv4TotalLength:
      status = .malformed(
        Malformation(
          field: FieldName.length.text, reason: "the IPv4 total length ends inside the header",
          value: have,
          headerCutShort: true))
    case .ipv6PayloadLength:
      status = .malformed(
        Malformation(
          field: FieldName.length.text, reason: "the IPv6 payload length ends inside the header",
          value: have,
          headerCutShort: true))
    case .udpLength:
      status = .malformed(
        Malformation(
          field: FieldName.length.text, reason: "the UDP length ends inside the header",
          value: have,
          headerCutShort: true))
    default:
      status = .truncated(
        Truncation(
          layer: header.kind, needed: needed, available: have, offset: offset, bound: bound))
    }
    push(DecodedLayer(header: header, range: offset..<(offset + have), status: status))
  }

  /// Parses a header from the `available` bytes at `offset`, zero-filled up to `length`
  /// (at most 64 bytes), so a truncated layer still reports the fields it has.
  ///
  /// Never inlined: it is the cold path of every layer, and its buffer inlined would put a
  /// stack canary and a larger frame on each layer's hot path.
  @inline(never)
  func padded<T>(
    _ bytes: Span<UInt8>, _ length: Int, from offset: Int = 0, limit: Int? = nil,
    _ parse: (Span<UInt8>) -> T
  ) -> T {
    var buffer = InlineArray<64, UInt8>(repeating: 0)
    let end = min(limit ?? bytes.count, bytes.count)
    var index = 0
    while index < length && offset + index < end && index < 64 {
      buffer[index] = bytes[offset + index]
      index += 1
    }
    return parse(buffer.span)
  }
}
