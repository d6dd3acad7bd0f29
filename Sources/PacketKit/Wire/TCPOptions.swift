// TCP options (RFC 9293 §3.2, RFC 7323, RFC 2018). Kind 0 ends the list, kind 1 is one byte
// of padding, every other kind has a length byte covering kind and length.

/// One TCP option, as iterated from a header's option bytes.
public enum TCPOption: Sendable, Hashable {
  /// End of option list (kind 0).
  case eol
  /// No operation (kind 1).
  case nop
  /// Maximum segment size (kind 2).
  case mss(UInt16)
  /// Window scale shift count (kind 3).
  case windowScale(UInt8)
  /// SACK permitted (kind 4).
  case sackPermitted
  /// SACK blocks (kind 5): the blocks' bytes as offsets in the frame, 8 bytes a block.
  case sack(blocks: Range<Int>)
  /// Timestamps (kind 8).
  case timestamp(value: UInt32, echo: UInt32)
  /// Any other kind, or a known kind with an unexpected length: the bytes after kind and length.
  case unknown(code: UInt8, data: Range<Int>)
  /// An option whose length byte is missing, below 2, or runs past the options' end.
  case malformed(code: UInt8, offset: Int)

  /// Calls `body` for each option in `range` of `bytes`, stopping after the first `eol`,
  /// after a malformed option, or when `body` returns false.
  @inlinable
  public static func forEach(in bytes: Span<UInt8>, range: Range<Int>, _ body: (TCPOption) -> Bool)
  {
    var offset = range.lowerBound
    let end = min(range.upperBound, bytes.count)
    while offset < end {
      let kind = bytes[offset]
      if kind == 0 {
        _ = body(.eol)
        return
      }
      if kind == 1 {
        if !body(.nop) { return }
        offset += 1
        continue
      }
      guard offset + 1 < end else {
        _ = body(.malformed(code: kind, offset: offset))
        return
      }
      let length = Int(bytes[offset + 1])
      guard length >= 2, offset + length <= end else {
        _ = body(.malformed(code: kind, offset: offset))
        return
      }
      let option: TCPOption
      switch (kind, length) {
      case (2, 4): option = .mss(bytes.be16(at: offset + 2))
      case (3, 3): option = .windowScale(bytes[offset + 2])
      case (4, 2): option = .sackPermitted
      case (5, _) where (length - 2) % 8 == 0:
        option = .sack(blocks: (offset + 2)..<(offset + length))
      case (8, 10):
        option = .timestamp(value: bytes.be32(at: offset + 2), echo: bytes.be32(at: offset + 6))
      default: option = .unknown(code: kind, data: (offset + 2)..<(offset + length))
      }
      if !body(option) { return }
      offset += length
    }
  }
}
