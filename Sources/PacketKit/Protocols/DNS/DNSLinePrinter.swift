// MARK: - One-line printing

/// tcpdump's non-verbose DNS text (print-domain.c, 4.99): the reads are tcpdump's, so a
/// damaged message prints what tcpdump prints, ending in ` [|domain]` where tcpdump's
/// bytes run out.
struct DNSLinePrinter {
  /// The message's first byte (compression pointers count from it).
  let start: Int
  /// Where the bytes tcpdump may read end.
  let snapend: Int
  let mdns: Bool
  /// tcpdump's `-v` level: owner names and SOA data from 1, every section from 2.
  var verbosity = 0

  static let maximumNameLength = 255

  func has(_ offset: Int, _ count: Int = 1) -> Bool { offset >= 0 && offset + count <= snapend }

  /// tcpdump's `ns_nskip`: the offset after a name as written, or nil.
  func skipName(_ bytes: Span<UInt8>, _ offset: Int) -> Int? {
    var position = offset
    guard has(position) else { return nil }
    var length = bytes[position]
    position += 1
    while length != 0 {
      switch length & 0xC0 {
      case 0xC0:
        return position + 1
      case 0x40:
        guard length & 0x3F == 1, has(position) else { return nil }
        let bits = bytes[position] == 0 ? 256 : Int(bytes[position])
        position += 1 + (bits + 7) / 8
      case 0x80:
        return nil
      default:
        position += Int(length)
      }
      guard has(position) else { return nil }
      length = bytes[position]
      position += 1
    }
    return position
  }

  /// tcpdump's `fn_print_char`.
  static func writeChar(_ byte: UInt8, _ out: inout TextBuffer) {
    var char = byte
    if char >= 0x80 {
      char &= 0x7F
      out.append("M-")
    }
    if char < 0x20 || char == 0x7F {
      char ^= 0x40
      out.append(byte: UInt8(ascii: "^"))
    }
    out.append(byte: char)
  }

  /// tcpdump's `nd_printn`: false when the bytes ran out first. A run of printable bytes
  /// (the usual label) is copied at once.
  func writeChars(_ bytes: Span<UInt8>, _ offset: Int, _ count: Int, _ out: inout TextBuffer)
    -> Bool
  {
    if offset >= 0, offset + count <= snapend,
      out.appendIfPrintable(bytes, from: offset, count: count)
    {
      return true
    }
    var index = offset
    while index < offset + count {
      guard index < snapend else { return false }
      Self.writeChar(bytes[index], &out)
      index += 1
    }
    return true
  }

  /// tcpdump's `labellen`: nil (after any marker it prints) for a label it cannot take.
  func labelLength(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    guard has(offset) else { return nil }
    let byte = bytes[offset]
    switch byte & 0xC0 {
    case 0x40:
      guard byte & 0x3F == 1 else {
        out.append("<ELT ")
        out.append(decimal: byte & 0x3F)
        out.append(byte: UInt8(ascii: ">"))
        return nil
      }
      guard has(offset + 1) else { return nil }
      let bits = bytes[offset + 1] == 0 ? 256 : Int(bytes[offset + 1])
      return (bits + 7) / 8 + 1
    case 0x80:
      out.append("<BAD LABEL TYPE>")
      return nil
    default:
      return Int(byte)
    }
  }

  /// tcpdump's `fqdn_print`: the offset after the name as written, or nil.
  func writeName(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    var position = offset
    guard var length = labelLength(bytes, position, &out), has(position) else { return nil }
    var maximumOffset = position - start
    var byte = bytes[position]
    position += 1
    var compressed = false
    var after: Int? = nil
    if byte & 0xC0 != 0xC0 { after = position + length }
    var nameChars = 0
    guard byte != 0 else {
      out.append(byte: UInt8(ascii: "."))
      return after
    }
    while byte != 0 && position < snapend {
      switch byte & 0xC0 {
      case 0xC0:
        if !compressed {
          after = position + 1
          compressed = true
        }
        guard has(position) else { return nil }
        let target = (Int(byte) << 8 | Int(bytes[position])) & 0x3FFF
        guard target < maximumOffset else {
          out.append("<BAD PTR>")
          return nil
        }
        maximumOffset = target
        position = start + target
        guard has(position) else { return nil }
        byte = bytes[position]
        guard let next = labelLength(bytes, position, &out) else { return nil }
        length = next
        position += 1
        continue
      case 0x40:
        out.append("<ELT ")
        out.append(decimal: byte & 0x3F)
        out.append(byte: UInt8(ascii: ">"))
        return nil
      case 0x80:
        out.append("<BAD LABEL TYPE>")
        return nil
      default:
        if nameChars + length <= Self.maximumNameLength {
          guard writeChars(bytes, position, length, &out) else { return nil }
        } else if nameChars < Self.maximumNameLength {
          guard writeChars(bytes, position, Self.maximumNameLength - nameChars, &out) else {
            return nil
          }
        }
        nameChars += length
      }
      position += length
      if nameChars <= Self.maximumNameLength { out.append(byte: UInt8(ascii: ".")) }
      nameChars += 1
      guard has(position) else { return nil }
      byte = bytes[position]
      guard let next = labelLength(bytes, position, &out) else { return nil }
      length = next
      position += 1
      if !compressed, let current = after { after = current + length + 1 }
    }
    if nameChars > Self.maximumNameLength { out.append("<DOMAIN NAME TOO LONG>") }
    return after
  }

  /// tcpdump's `ns_qprint`: ` A? example.com.`; the offset after the question, or nil.
  func writeQuestion(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    guard let after = skipName(bytes, offset), has(after, 4) else { return nil }
    out.append(byte: UInt8(ascii: " "))
    Self.writeType(bytes.be16(at: after), &out)
    let raw = bytes.be16(at: after + 2)
    let qclass = mdns ? raw & 0x7FFF : raw
    if qclass != 1 {
      out.append(byte: UInt8(ascii: " "))
      Self.writeClass(qclass, &out)
    }
    if mdns { out.append(raw & 0x8000 != 0 ? " (QU)" : " (QM)") }
    out.append("? ")
    guard let end = writeName(bytes, offset, &out) else { return nil }
    return end + 4
  }

  /// tcpdump's `ns_rprint` without `-v`: ` A 192.0.2.5`; the offset after the record
  /// (`snapend` when tcpdump gives up quietly), or nil.
  func writeRecord(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    if verbosity > 0 { out.append(byte: UInt8(ascii: " ")) }
    guard
      let fixed = verbosity > 0
        ? writeName(bytes, offset, &out) : skipName(bytes, offset)
    else { return verbosity > 0 ? nil : snapend }
    guard has(fixed, 10) else { return snapend }
    let type = bytes.be16(at: fixed)
    let raw = bytes.be16(at: fixed + 2)
    let rclass = mdns ? raw & 0x7FFF : raw
    if rclass != 1 && type != DNSType.opt {
      out.append(byte: UInt8(ascii: " "))
      Self.writeClass(rclass, &out)
    }
    if mdns && raw & 0x8000 != 0 { out.append(" (Cache flush)") }
    let optFlags = bytes.be16(at: fixed + 6)
    let length = Int(bytes.be16(at: fixed + 8))
    let data = fixed + 10
    let end = data + length
    out.append(byte: UInt8(ascii: " "))
    Self.writeType(type, &out)
    guard end <= snapend else { return nil }
    switch type {
    case DNSType.a:
      guard has(data, 4) else { return nil }
      out.append(byte: UInt8(ascii: " "))
      IPv4Address(bytes, at: data).write(to: &out)
    case DNSType.ns, DNSType.cname, DNSType.ptr, DNSType.dname:
      out.append(byte: UInt8(ascii: " "))
      guard writeName(bytes, data, &out) != nil else { return nil }
    case DNSType.mx:
      out.append(byte: UInt8(ascii: " "))
      guard has(data, 2), writeName(bytes, data + 2, &out) != nil else { return nil }
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data))
    case DNSType.txt:
      var position = data
      while position < end {
        out.append(" \"")
        guard has(position) else { return nil }
        let count = Int(bytes[position])
        guard writeChars(bytes, position + 1, count, &out) else { return nil }
        position += 1 + count
        out.append(byte: UInt8(ascii: "\""))
      }
    case DNSType.srv:
      out.append(byte: UInt8(ascii: " "))
      guard has(data, 6), writeName(bytes, data + 6, &out) != nil else { return nil }
      out.append(byte: UInt8(ascii: ":"))
      out.append(decimal: bytes.be16(at: data + 4))
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data))
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data + 2))
    case DNSType.aaaa:
      guard has(data, 16) else { return nil }
      out.append(byte: UInt8(ascii: " "))
      IPv6Address(bytes, at: data).write(to: &out)
    case 256:  // URI
      guard has(data, length), length >= 4 else { return nil }
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data))
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: bytes.be16(at: data + 2))
      out.append(byte: UInt8(ascii: " "))
      guard writeChars(bytes, data + 4, length - 4, &out) else { return nil }
    case DNSType.opt:
      out.append(" UDPsize=")
      out.append(decimal: rclass)
      if optFlags & 0x8000 != 0 { out.append(" DO") }
      if data < end {
        out.append(" [")
        var position = data
        while position < end {
          guard let next = writeOption(bytes, position, &out) else { return nil }
          position = next
          if position < end { out.append(byte: UInt8(ascii: ",")) }
        }
        out.append(byte: UInt8(ascii: "]"))
      }
    case 103:  // UNSPECA
      guard has(data, length), writeChars(bytes, data, length, &out) else { return nil }
    case DNSType.soa where verbosity > 0:
      guard writeStartOfAuthority(bytes, data, &out) else { return nil }
    default:
      break
    }
    return end
  }
}
