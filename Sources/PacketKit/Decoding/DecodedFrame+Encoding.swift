extension DecodedFrame {
  /// Emits the frame again from its decoded headers (a byte-exact round trip).
  ///
  /// Each complete layer is re-encoded from its fields; options, extension-header bodies,
  /// payloads, padding and the bytes of truncated or malformed layers come from `bytes`.
  /// For every frame the result equals `bytes`; `encodedByFields` counts how many bytes
  /// were written from decoded fields rather than copied.
  public func encode(from bytes: Span<UInt8>) -> (bytes: [UInt8], encodedByFields: Int) {
    var writer = ByteWriter(capacity: bytes.count)
    var fromFields = 0
    var cursor = 0
    func copy(_ range: Range<Int>, into writer: inout ByteWriter) {
      for index in range where index < bytes.count { writer.writeU8(bytes[index]) }
    }
    for index in 0..<count {
      let layer = self[index]
      if layer.range.lowerBound > cursor { copy(cursor..<layer.range.lowerBound, into: &writer) }
      let before = writer.count
      if layer.status.isComplete {
        if layer.header.encode(layer, from: bytes, into: &writer) {
          fromFields += writer.count - before
        }
      } else {
        copy(layer.range, into: &writer)
      }
      cursor = layer.range.lowerBound + (writer.count - before)
    }
    if cursor < bytes.count { copy(cursor..<bytes.count, into: &writer) }
    return (writer.bytes, fromFields)
  }
}
