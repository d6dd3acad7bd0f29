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

// MARK: - Fields

extension FieldName {
  static let kind = FieldName("kind")
  static let blocks = FieldName("blocks")
  static let echo = FieldName("echo")
}

extension TCPOption {
  /// Writes the options in `range` (`read --json`: the `options` list of objects; `read -v`:
  /// one `options` line, `mss 1460, nop, sack 1-2`).
  ///
  /// JSON: the list stops silently at an option whose length is missing, below 2 or runs past
  /// the header; with `includeHex` (and a complete layer) it ends with
  /// `{"kind":"malformed","hex":…}`, the bytes from that option's kind to the end of the
  /// options, so `craft --from-json` can rebuild them. Likewise the `eol` that ends the list
  /// is `{"kind":"eol","hex":…}` when a byte after it is not zero. The verbose view names the
  /// option (`malformed option 5`).
  static func describe<V: FieldVisitor>(
    _ range: Range<Int>, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    if V.view == .json {
      fields.list(.options, &out) { fields, out in
        guard !range.isEmpty, range.upperBound <= bytes.count else { return }
        var start = range.lowerBound
        forEach(in: bytes, range: range) { option in
          defer { start = option.end(from: start) }
          if case .eol = option, fields.includeHex, layer.status.isComplete,
            ((start + 1)..<range.upperBound).contains(where: { bytes[$0] != 0 })
          {
            fields.object(&out) { fields, out in
              fields.word(.kind, "eol", &out)
              fields.hex(.hex, bytes.extracting((start + 1)..<range.upperBound), &out)
            }
            return false
          }
          if case .malformed(_, let offset) = option {
            // Not in a truncated layer: the option may be whole on the wire.
            guard fields.includeHex, layer.status.isComplete else { return false }
            fields.object(&out) { fields, out in
              fields.word(.kind, "malformed", &out)
              fields.hex(.hex, bytes.extracting(offset..<min(range.upperBound, bytes.count)), &out)
            }
            return false
          }
          fields.object(&out) { fields, out in option.describe(bytes, &fields, &out) }
          return true
        }
      }
    } else {
      fields.text(.options, &out) { out in
        var first = true
        forEach(in: bytes, range: range) { option in
          if !first { out.append(", ") }
          first = false
          option.writeVerbose(bytes, &out)
          return true
        }
      }
    }
  }

  /// The offset just past the option, which starts at `offset`.
  func end(from offset: Int) -> Int {
    switch self {
    case .eol, .nop: offset + 1
    case .mss: offset + 4
    case .windowScale: offset + 3
    case .sackPermitted: offset + 2
    case .timestamp: offset + 10
    case .sack(let blocks): blocks.upperBound
    case .unknown(_, let data): data.upperBound
    case .malformed(_, let start): start
    }
  }

  /// The members of the option's JSON object.
  func describe<V: FieldVisitor>(_ bytes: Span<UInt8>, _ fields: inout V, _ out: inout TextBuffer) {
    switch self {
    case .eol: fields.word(.kind, "eol", &out)
    case .nop: fields.word(.kind, "nop", &out)
    case .mss(let value):
      fields.word(.kind, "mss", &out)
      fields.number(.value, value, &out)
    case .windowScale(let value):
      fields.word(.kind, "window_scale", &out)
      fields.number(.value, value, &out)
    case .sackPermitted: fields.word(.kind, "sack_permitted", &out)
    case .sack(let blocks):
      fields.word(.kind, "sack", &out)
      fields.list(.blocks, &out) { fields, out in
        var offset = blocks.lowerBound
        while offset + 8 <= blocks.upperBound {
          let left = bytes.be32(at: offset)
          let right = bytes.be32(at: offset + 4)
          fields.list(.element, &out) { fields, out in
            fields.number(.element, left, &out)
            fields.number(.element, right, &out)
          }
          offset += 8
        }
      }
    case .timestamp(let value, let echo):
      fields.word(.kind, "timestamp", &out)
      fields.number(.value, value, &out)
      fields.number(.echo, echo, &out)
    case .unknown(let code, let data):
      fields.word(.kind, "unknown", &out)
      fields.number(.code, code, &out)
      fields.hex(.hex, bytes.extracting(data), &out)
    case .malformed: break
    }
  }

  /// The option as the verbose view writes it: `mss 1460`, `sack 1-2 3-4`.
  func writeVerbose(_ bytes: Span<UInt8>, _ out: inout TextBuffer) {
    switch self {
    case .eol: out.append("eol")
    case .nop: out.append("nop")
    case .mss(let value):
      out.append("mss ")
      out.append(decimal: value)
    case .windowScale(let value):
      out.append("window_scale ")
      out.append(decimal: value)
    case .sackPermitted: out.append("sack_permitted")
    case .sack(let blocks):
      out.append("sack")
      var offset = blocks.lowerBound
      while offset + 8 <= blocks.upperBound {
        out.append(byte: UInt8(ascii: " "))
        out.append(decimal: bytes.be32(at: offset))
        out.append(byte: UInt8(ascii: "-"))
        out.append(decimal: bytes.be32(at: offset + 4))
        offset += 8
      }
    case .timestamp(let value, let echo):
      out.append("timestamp ")
      out.append(decimal: value)
      out.append(" echo ")
      out.append(decimal: echo)
    case .unknown(let code, let data):
      out.append("unknown ")
      out.append(decimal: code)
      out.append(" 0x")
      out.append(hexBytes: bytes.extracting(data))
    case .malformed(let code, _):
      out.append("malformed option ")
      out.append(decimal: code)
    }
  }
}

// MARK: - Building

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
  /// The first sequence number of the block.
  public var left: UInt32
  /// The sequence number just past the block.
  public var right: UInt32

  /// A block from `left` to `right`.
  public init(left: UInt32, right: UInt32) {
    self.left = left
    self.right = right
  }
}
