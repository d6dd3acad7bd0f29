/// How many of a decoded layer's bytes were captured, for leaving out the fields of a
/// damaged layer whose bytes are missing.
///
/// The decoder zero-fills what a truncated or malformed layer lacks and clips its `range`
/// to the bytes it had, so a field at offsets `a..<b` of the header was read from the
/// frame exactly when `has(b)`.
struct LayerExtent {
  /// The layer's first byte, as an offset in the frame.
  let start: Int
  /// The header bytes captured from `start` (unbounded for a complete layer).
  let available: Int

  init(_ layer: DecodedLayer) {
    start = layer.range.lowerBound
    available = layer.status.isComplete ? Int.max : layer.range.count
  }

  /// Whether the header's first `end` bytes were captured.
  @inline(__always) func has(_ end: Int) -> Bool { available >= end }
}
