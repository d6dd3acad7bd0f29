// MARK: - Reading messages

/// The bytes of one message: pointers count from `start`; `end` is where the captured bytes
/// (or the message) end, `declaredEnd` where the headers say the message ends.
struct DNSMessageBounds {
  let start: Int
  let end: Int
  let declaredEnd: Int
}

/// How reading a name, a question or a record ended.
enum DNSReadOutcome: Equatable {
  case reading
  case done
  /// The bytes ran out.
  case short
  /// A pointer loops or points forward, or a label type is reserved.
  case bad
}

/// Reads a name's labels in order, following compression pointers: each pointer must point
/// before the previous one (before the name's start for the first), so a name can neither
/// loop nor jump forward, and reading it ends within the message's bytes. Allocates nothing.
struct DNSNameReader {
  /// Where the next label is read.
  var position: Int
  /// Pointers must point below this offset (relative to the message start).
  var limit: Int
  /// The offset just after the name where it is written (after its first pointer or its end).
  var after: Int?
  var outcome = DNSReadOutcome.reading

  init(at offset: Int, in message: DNSMessageBounds) {
    position = offset
    limit = offset - message.start
  }

  /// The byte range of the next label, or nil when the name ended (`outcome` says how).
  mutating func next(_ bytes: Span<UInt8>, _ message: DNSMessageBounds) -> Range<Int>? {
    guard outcome == .reading else { return nil }
    while true {
      guard position < message.end else {
        outcome = .short
        return nil
      }
      let length = bytes[position]
      switch length & 0xC0 {
      case 0:
        if length == 0 {
          if after == nil { after = position + 1 }
          outcome = .done
          return nil
        }
        let label = (position + 1)..<(position + 1 + Int(length))
        guard label.upperBound <= message.end else {
          outcome = .short
          return nil
        }
        position = label.upperBound
        return label
      case 0xC0:
        guard position + 1 < message.end else {
          outcome = .short
          return nil
        }
        let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
        if after == nil { after = position + 2 }
        guard target < limit else {
          outcome = .bad
          return nil
        }
        limit = target
        position = message.start &+ target
      default:
        outcome = .bad
        return nil
      }
    }
  }

  /// Reads the whole name; returns the offset after it where it is written, or nil.
  ///
  /// The same walk as `next`, with no label ranges: a length byte and a comparison a label.
  static func skip(_ bytes: Span<UInt8>, at offset: Int, _ message: DNSMessageBounds)
    -> (after: Int?, outcome: DNSReadOutcome)
  {
    bytes.withUnsafeBufferPointer { buffer in
      skip(buffer, at: offset, message, end: min(message.end, buffer.count))
    }
  }

  /// `skip` over the message's bytes as a buffer, of which the first `end` may be read
  /// (`end` is at most the message's end and the buffer's count).
  @inline(__always)
  static func skip(
    _ buffer: UnsafeBufferPointer<UInt8>, at offset: Int, _ message: DNSMessageBounds, end: Int
  ) -> (after: Int?, outcome: DNSReadOutcome) {
    var position = offset
    var limit = offset - message.start
    var after: Int? = nil
    while true {
      guard position >= 0, position < end else { return (nil, .short) }
      let length = Int(buffer[position])
      if length < 0x40 {
        // `position` is below `end` (at most the buffer's count) and a label at most 63
        // bytes: the sums below cannot overflow.
        if length == 0 { return (after ?? position &+ 1, .done) }
        position &+= 1 &+ length
        guard position <= end else { return (nil, .short) }
      } else if length >= 0xC0 {
        guard position &+ 1 < end else { return (nil, .short) }
        let target = (length & 0x3F) << 8 | Int(buffer[position &+ 1])
        if after == nil { after = position &+ 2 }
        guard target < limit else { return (nil, .bad) }
        limit = target
        position = message.start &+ target
      } else {
        return (nil, .bad)
      }
    }
  }

  /// Writes the name as text with a trailing dot (`example.com.`, the root `.`): `.` and `\`
  /// inside a label as `\.` and `\\`, other bytes outside printable ASCII as `\DDD`.
  /// Returns the offset after the name, or nil when it cannot be read whole.
  static func write(
    _ bytes: Span<UInt8>, at offset: Int, _ message: DNSMessageBounds, to out: inout TextBuffer
  ) -> Int? {
    var reader = DNSNameReader(at: offset, in: message)
    var any = false
    while let label = reader.next(bytes, message) {
      any = true
      for index in label {
        let byte = bytes[index]
        if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "\\") {
          out.append(byte: UInt8(ascii: "\\"))
          out.append(byte: byte)
        } else if byte < 0x21 || byte > 0x7E {
          out.append(byte: UInt8(ascii: "\\"))
          out.append(decimal: byte, width: 3)
        } else {
          out.append(byte: byte)
        }
      }
      out.append(byte: UInt8(ascii: "."))
    }
    if !any { out.append(byte: UInt8(ascii: ".")) }
    return reader.outcome == .done ? reader.after : nil
  }
}

/// A question as read: where its name starts, its type and class.
struct DNSQuestionEntry {
  var name: Int
  var type: UInt16
  var qclass: UInt16
}

/// A resource record as read.
struct DNSRecordEntry {
  var name: Int
  var type: UInt16
  var rclass: UInt16
  var ttl: UInt32
  var data: Range<Int>
}

/// Reads a message's questions and records in order.
struct DNSSectionReader {
  var position: Int
  var outcome = DNSReadOutcome.reading
  let message: DNSMessageBounds

  init(_ message: DNSMessageBounds) {
    self.message = message
    position = message.start + DNSHeader.headerLength
  }

  mutating func question(_ bytes: Span<UInt8>) -> DNSQuestionEntry? {
    let start = position
    let name = DNSNameReader.skip(bytes, at: start, message)
    guard let after = name.after else {
      outcome = name.outcome
      return nil
    }
    guard after + 4 <= message.end else {
      outcome = .short
      return nil
    }
    position = after + 4
    return DNSQuestionEntry(
      name: start, type: bytes.be16(at: after), qclass: bytes.be16(at: after + 2))
  }

  mutating func record(_ bytes: Span<UInt8>) -> DNSRecordEntry? {
    let start = position
    let name = DNSNameReader.skip(bytes, at: start, message)
    guard let after = name.after else {
      outcome = name.outcome
      return nil
    }
    guard after + 10 <= message.end else {
      outcome = .short
      return nil
    }
    let dataStart = after + 10
    let dataEnd = dataStart + Int(bytes.be16(at: after + 8))
    guard dataEnd <= message.end else {
      outcome = .short
      return nil
    }
    position = dataEnd
    return DNSRecordEntry(
      name: start, type: bytes.be16(at: after), rclass: bytes.be16(at: after + 2),
      ttl: bytes.be32(at: after + 4), data: dataStart..<dataEnd)
  }
}

extension DNSSectionReader {
  /// Reads `questions` questions, then, when every one was read, `records` records, keeping
  /// only where reading stopped (`position`, `outcome`); returns how many of the entries of
  /// the section it stopped in were left unread (0 when all were read).
  ///
  /// The checks of `question` and `record` in one pass over the bytes, with no entry built:
  /// the decoder judges every message it decodes this way, so it is the hot path.
  mutating func skip(_ bytes: Span<UInt8>, questions: Int, records: Int) -> Int {
    var position = self.position
    var outcome = DNSReadOutcome.reading
    let remaining = bytes.withUnsafeBufferPointer { buffer -> Int in
      // Every byte read is below `end`, which is within `buffer`.
      let end = min(message.end, buffer.count)
      var remaining = questions
      var inRecords = false
      while true {
        if remaining == 0 {
          if inRecords || records == 0 { return 0 }
          inRecords = true
          remaining = records
        }
        let name = DNSNameReader.skip(buffer, at: position, message, end: end)
        guard let after = name.after else {
          outcome = name.outcome
          return remaining
        }
        // A question's type and class; a record's type, class, TTL, length and data.
        // `after` is at most `end`, itself at most the buffer's count: no sum below overflows.
        if inRecords {
          guard after &+ 10 <= end else {
            outcome = .short
            return remaining
          }
          let dataEnd =
            after &+ 10 &+ (Int(buffer[after &+ 8]) << 8 | Int(buffer[after &+ 9]))
          guard dataEnd <= end else {
            outcome = .short
            return remaining
          }
          position = dataEnd
        } else {
          guard after &+ 4 <= end else {
            outcome = .short
            return remaining
          }
          position = after &+ 4
        }
        remaining &-= 1
      }
    }
    self.position = position
    self.outcome = outcome
    return remaining
  }
}
