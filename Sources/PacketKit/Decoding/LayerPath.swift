/// The kinds of a frame's layers in order, outermost first (`eth:ipv4:tcp`), in 17 bytes.
///
/// Each layer takes a whole byte, the raw value of its `LayerKind`, and the count is kept
/// apart from the bytes, so every kind a `UInt8` can number fits and no kind doubles as an
/// end marker: two paths are equal exactly when their kinds are, whatever kinds are added
/// later. `DecodedFrame` keeps its layers' kinds in one (reading a kind copies no layer), and
/// `ProtocolHierarchy` counts frames by it (counting a path seen before allocates nothing).
@usableFromInline
struct LayerPath: Sendable, Hashable {
  /// The most layers a path holds.
  @usableFromInline static let capacity = UInt128.bitWidth / UInt8.bitWidth

  /// How many layer kinds a path tells apart: every raw value of a `UInt8`.
  static let kindCapacity = 1 << UInt8.bitWidth

  /// Layer `i`'s code (its kind's raw value) in bits `8i..<8i+8`; zero past `count`.
  @usableFromInline var codes: UInt128 = 0

  /// The number of layers.
  @usableFromInline var count: Int = 0

  /// The empty path (no layer).
  @usableFromInline init() {}

  /// The kind of the layer at `index`.
  @inlinable
  func kind(at index: Int) -> LayerKind {
    LayerKind(rawValue: code(at: index))!
  }

  /// The code of the layer at `index`.
  @inlinable @inline(__always)
  func code(at index: Int) -> UInt8 {
    #if _endian(little)
      // Byte `index` of `codes` holds bits `8 index..<8 index + 8`: one load.
      return withUnsafeBytes(of: codes) { $0[index] }
    #else
      // Masking shifts: `index` is below `capacity`, so no shift reaches 128 bits, and the
      // checks of a smart shift (a few dozen instructions on UInt128) are not needed.
      return UInt8(truncatingIfNeeded: codes &>> UInt128(truncatingIfNeeded: index &* 8))
    #endif
  }

  /// Replaces the kind of the layer at `index` (which must be less than `count`).
  @inlinable
  mutating func set(_ kind: LayerKind, at index: Int) {
    set(code: kind.rawValue, at: index)
  }

  @inlinable @inline(__always)
  mutating func set(code: UInt8, at index: Int) {
    #if _endian(little)
      // Byte `index` of `codes` holds bits `8 index..<8 index + 8`: one store.
      withUnsafeMutableBytes(of: &codes) { $0[index] = code }
    #else
      let shift = UInt128(truncatingIfNeeded: index &* 8)
      codes = codes & ~(0xFF &<< shift) | UInt128(code) &<< shift
    #endif
  }

  /// Adds a layer of `kind` at the end; a path already holding `capacity` layers is unchanged.
  @inlinable @inline(__always)
  mutating func append(_ kind: LayerKind) {
    append(code: kind.rawValue)
  }

  @inlinable @inline(__always)
  mutating func append(code: UInt8) {
    guard count < Self.capacity else { return }
    set(code: code, at: count)
    count &+= 1
  }

  /// Hashes one word, the codes folded with the count, as the 64-bit key this type replaced
  /// did: a statistics lookup per frame costs no more. `==` still compares every layer.
  @inlinable
  func hash(into hasher: inout Hasher) {
    let low = UInt64(truncatingIfNeeded: codes)
    let high = UInt64(truncatingIfNeeded: codes >> 64)
    hasher.combine(low ^ high &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count) << 59)
  }

  /// The path of the first `length` layers.
  func prefix(_ length: Int) -> LayerPath {
    guard length < count else { return self }
    var prefix = LayerPath()
    prefix.count = max(0, length)
    prefix.codes = prefix.count == 0 ? 0 : codes & ((1 << UInt128(prefix.count * 8)) - 1)
    return prefix
  }
}
