/// A frame decoded in place: up to `capacity` layers in order, outermost first.
///
/// The layers live in a fixed-size buffer allocated once per `DecodedFrame` value and
/// reused by `FrameDecoder.decode(_:linkType:wireLength:into:)`, so decoding a stream of
/// frames allocates nothing. The buffer is copied on write, so the value behaves as a value.
/// (An inline `InlineArray` was measured to copy all 2.7 KB of layers on every read of a
/// borrowed frame on Swift 6.3.1; a pointer read copies one 161-byte layer.)
/// Headers hold byte ranges into the frame, so options, extension headers and payloads are
/// read from the frame's bytes when they are needed.
@dynamicMemberLookup
public struct DecodedFrame: Sendable {
  /// The most layers a frame holds; deeper nesting ends in a `raw` layer.
  public static let capacity = LayerPath.capacity

  @usableFromInline var storage: LayerStorage

  /// The layers' kinds in order: reading a kind copies no layer.
  @usableFromInline var kinds = LayerPath()

  /// The number of layers decoded.
  @inlinable public var count: Int { kinds.count }
  /// The link type the frame was decoded as.
  public var linkType: LinkType
  /// Bytes captured.
  public var capturedLength: Int
  /// Bytes on the wire.
  public var wireLength: Int
  /// Bytes after the outermost network-layer datagram (Ethernet padding or trailer), if any.
  public var paddingRange: Range<Int>?

  /// An empty frame (no layers) of `linkType` and these lengths; `FrameDecoder` fills it.
  public init(linkType: LinkType, capturedLength: Int, wireLength: Int) {
    storage = LayerStorage()
    self.linkType = linkType
    self.capturedLength = capturedLength
    self.wireLength = wireLength
    paddingRange = nil
  }

  /// The layer at `index` (0 is the outermost).
  @inlinable
  public subscript(index: Int) -> DecodedLayer {
    get {
      precondition(index >= 0 && index < count, "layer index out of range")
      return storage.layers[index]
    }
    set {
      precondition(index >= 0 && index < count, "layer index out of range")
      makeUnique()
      storage.layers[index] = newValue
      kinds.set(newValue.kind, at: index)
    }
  }

  /// The kind of the layer at `index`, without copying the layer.
  @inlinable
  public func kind(at index: Int) -> LayerKind {
    precondition(index >= 0 && index < count, "layer index out of range")
    return kinds.kind(at: index)
  }

  /// Whether another layer fits.
  @inlinable public var isFull: Bool { count >= Self.capacity }

  /// Appends a layer; returns false (and drops it) when the frame is full.
  @discardableResult
  public mutating func append(_ layer: DecodedLayer) -> Bool {
    guard count < Self.capacity else { return false }
    makeUnique()
    storage.layers[count] = layer
    kinds.append(layer.kind)
    return true
  }

  /// Appends a layer while decoding, when the layer buffer is known to be this value's own
  /// (`FrameDecoder` makes it so once per frame): no uniqueness check, and the layer is
  /// written straight into its slot.
  @_transparent
  mutating func appendOwned(_ layer: DecodedLayer) {
    // The count read once: read again after the layer's store (which the compiler cannot
    // tell apart from this value's memory), it would be loaded and checked a second time.
    let index = count
    guard index < Self.capacity else { return }
    storage.layers[index] = layer
    kinds.set(layer.kind, at: index)
    kinds.count = index &+ 1
  }

  /// The last layer's slot, for the decoder to complete it in place (a checksum verdict, a
  /// status); the frame must hold a layer and own its buffer.
  @inlinable
  var lastLayerSlot: UnsafeMutablePointer<DecodedLayer> { storage.layers + (count - 1) }

  /// Calls `body` with the layers as a span: reading many layers this way avoids a
  /// copy-on-write check or a layer copy per access.
  @inlinable
  public func withLayers<R>(_ body: (borrowing Span<DecodedLayer>) throws -> R) rethrows -> R {
    let buffer = UnsafeBufferPointer(start: storage.layers, count: count)
    return try withExtendedLifetime(storage) { try body(buffer.span) }
  }

  /// Calls `body` with a pointer to the first of the `count` layers, valid only inside
  /// `body`: the library's own passes over every frame read layers in place with it.
  @inline(__always)
  func withLayerPointer<R>(_ body: (UnsafePointer<DecodedLayer>) throws -> R) rethrows -> R {
    try withExtendedLifetime(storage) { try body(UnsafePointer(storage.layers)) }
  }

  /// Gives this value its own layer buffer before a write, when the buffer is shared.
  @inlinable
  mutating func makeUnique() {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
  }

  /// Removes every layer (to reuse the value for the next frame).
  public mutating func reset(linkType: LinkType, capturedLength: Int, wireLength: Int) {
    kinds = LayerPath()
    self.linkType = linkType
    self.capturedLength = capturedLength
    self.wireLength = wireLength
    paddingRange = nil
  }

  /// The first layer of `kind`, if any.
  public func first(_ kind: LayerKind) -> DecodedLayer? {
    for index in 0..<count where self.kind(at: index) == kind { return storage.layers[index] }
    return nil
  }

  /// The index of the first layer of `kind`, if any.
  public func firstIndex(of kind: LayerKind) -> Int? {
    for index in 0..<count where self.kind(at: index) == kind { return index }
    return nil
  }

  /// How many layers of `kind` there are.
  public func count(of kind: LayerKind) -> Int {
    var total = 0
    for index in 0..<count where self.kind(at: index) == kind { total += 1 }
    return total
  }

  /// The layer kinds in order, `:`-joined contract names (`eth:ipv4:tcp:raw`).
  public func writeProtocols(to out: inout TextBuffer) {
    for index in 0..<count {
      if index > 0 { out.append(byte: UInt8(ascii: ":")) }
      out.append(self.kind(at: index).name)
    }
  }

  /// The layers as an array (for tests and tools; allocates).
  public var layers: [DecodedLayer] { (0..<count).map { storage.layers[$0] } }
}

/// The layer buffer of a `DecodedFrame`: `DecodedFrame.capacity` initialized layers.
@usableFromInline
final class LayerStorage: @unchecked Sendable {
  // SAFETY: only `DecodedFrame` touches `layers`, and it copies the buffer before writing
  // when it is shared (`makeUnique`), so no two values ever see a write of the other.
  @usableFromInline let layers: UnsafeMutablePointer<DecodedLayer>

  @usableFromInline init() {
    layers = .allocate(capacity: DecodedFrame.capacity)
    layers.initialize(repeating: .empty, count: DecodedFrame.capacity)
  }

  @usableFromInline func copy() -> LayerStorage {
    let copy = LayerStorage()
    copy.layers.update(from: layers, count: DecodedFrame.capacity)
    return copy
  }

  deinit {
    layers.deinitialize(count: DecodedFrame.capacity)
    layers.deallocate()
  }
}
