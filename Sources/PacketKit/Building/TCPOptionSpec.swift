/// A TCP option to build (RFC 9293 §3.2, RFC 7323, RFC 2018).
public enum TCPOptionSpec: Sendable, Hashable {
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
  /// SACK blocks (kind 5).
  case sack([SACKBlock])
  /// Timestamps (kind 8).
  case timestamp(value: UInt32, echo: UInt32)
  /// Any kind with the bytes after kind and length.
  case unknown(code: UInt8, bytes: [UInt8])
  /// Bytes written as they are: the rest of an options list that cannot be decoded (the JSON
  /// option kind `malformed`).
  case verbatim([UInt8])

  /// The option's bytes on the wire.
  public var encoded: [UInt8] {
    var writer = ByteWriter(capacity: 10)
    switch self {
    case .eol: writer.writeU8(0)
    case .nop: writer.writeU8(1)
    case .mss(let value):
      writer.write(contentsOf: [2, 4])
      writer.writeBE16(value)
    case .windowScale(let shift): writer.write(contentsOf: [3, 3, shift])
    case .sackPermitted: writer.write(contentsOf: [4, 2])
    case .sack(let blocks):
      writer.write(contentsOf: [5, UInt8(truncatingIfNeeded: 2 + 8 * blocks.count)])
      for block in blocks {
        writer.writeBE32(block.left)
        writer.writeBE32(block.right)
      }
    case .timestamp(let value, let echo):
      writer.write(contentsOf: [8, 10])
      writer.writeBE32(value)
      writer.writeBE32(echo)
    case .unknown(let code, let bytes):
      writer.write(contentsOf: [code, UInt8(truncatingIfNeeded: 2 + bytes.count)])
      writer.write(contentsOf: bytes)
    case .verbatim(let bytes):
      writer.write(contentsOf: bytes)
    }
    return writer.bytes
  }
}

/// One SACK block: the left and right edges of a received range.
public struct SACKBlock: Sendable, Hashable {
  public var left: UInt32
  public var right: UInt32

  public init(left: UInt32, right: UInt32) {
    self.left = left
    self.right = right
  }
}
