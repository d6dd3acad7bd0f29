extension DNSLinePrinter {
  /// An EDNS option as tcpdump's `eopt_print` prints it: its name, then its data decoded
  /// for ECS, COOKIE, KEEPALIVE, EXPIRE, PADDING, KEY-TAG and the algorithm lists, CHAIN's
  /// name as text, in hex for the others.
  func writeOption(_ bytes: Span<UInt8>, _ offset: Int, _ out: inout TextBuffer) -> Int? {
    guard has(offset, 2) else { return nil }
    let code = bytes.be16(at: offset)
    if let name = Self.optionName(code) {
      out.append(name)
    } else {
      out.append("Opt")
      out.append(decimal: code)
    }
    guard has(offset + 2, 2) else { return nil }
    let length = Int(bytes.be16(at: offset + 2))
    let data = offset + 4
    guard has(data, length) else { return nil }
    guard length > 0 else { return data }
    out.append(byte: UInt8(ascii: " "))
    switch code {
    case 8: writeClientSubnet(bytes, data, length, &out)
    case 10:
      guard length == 8 || (length >= 16 && length <= 40) else {
        out.append(" (invalid)")
        break
      }
      for index in 0..<length {
        if index == 8 { out.append(byte: UInt8(ascii: " ")) }
        out.append(hexByte: bytes[data + index])
      }
    case 11:
      guard length == 2 else {
        out.append(" (invalid)")
        break
      }
      let tenths = bytes.be16(at: data)
      out.append(decimal: tenths / 10)
      out.append(byte: UInt8(ascii: "."))
      out.append(decimal: tenths % 10)
      out.append(" sec")
    case 9:
      guard length == 4 else {
        out.append(" (invalid)")
        break
      }
      out.append(decimal: bytes.be32(at: data))
      out.append(" sec")
    case 12:
      out.append(byte: UInt8(ascii: "("))
      out.append(decimal: length)
      out.append(byte: UInt8(ascii: ")"))
    case 14:
      guard length % 2 == 0 else {
        out.append(" (invalid)")
        break
      }
      var index = 0
      while index < length {
        if index > 0 { out.append(byte: UInt8(ascii: " ")) }
        out.append(decimal: bytes.be16(at: data + index))
        index += 2
      }
    case 5, 6, 7:
      for index in 0..<length {
        if index > 0 { out.append(byte: UInt8(ascii: " ")) }
        let algorithm = bytes[data + index]
        if let name = Self.algorithmName(option: code, algorithm) {
          out.append(name)
        } else {
          out.append("Alg_")
          out.append(decimal: algorithm)
        }
      }
    case 13:
      // tcpdump's fqdn_print with the option's end as the message start; what it returns
      // is not used (the option's length moves on).
      let chain = DNSLinePrinter(
        start: data + length, snapend: snapend, mdns: mdns, verbosity: verbosity)
      _ = chain.writeName(bytes, data, &out)
    default:
      out.append(hexBytes: bytes.extracting(data..<(data + length)))
    }
    return data + length
  }

  /// tcpdump's `print_eopt_ecs`: `192.0.2.0/24/0`.
  func writeClientSubnet(
    _ bytes: Span<UInt8>, _ data: Int, _ length: Int, _ out: inout TextBuffer
  ) {
    guard length >= 4 else { return out.append(" (invalid)") }
    let family = bytes.be16(at: data)
    let source = Int(bytes[data + 2])
    let scope = Int(bytes[data + 3])
    let bits = family == 1 ? 32 : family == 2 ? 128 : 0
    guard bits > 0, length - 4 <= bits / 8, source <= bits, scope <= bits,
      (source + 7) / 8 == length - 4
    else { return out.append(" (invalid)") }
    var padded = InlineArray<16, UInt8>(repeating: 0)
    for index in 0..<(length - 4) { padded[index] = bytes[data + 4 + index] }
    if family == 1 {
      IPv4Address(padded.span, at: 0).write(to: &out)
    } else {
      IPv6Address(padded.span, at: 0).write(to: &out)
    }
    out.append(byte: UInt8(ascii: "/"))
    out.append(decimal: source)
    out.append(byte: UInt8(ascii: "/"))
    out.append(decimal: scope)
  }

  /// tcpdump's DNSSEC algorithm (DAU), DS hash (DHU) and NSEC3 hash (N3U) names.
  static func algorithmName(option: UInt16, _ value: UInt8) -> StaticString? {
    switch (option, value) {
    case (5, 0): "DELETE"
    case (5, 1): "RSAMD5"
    case (5, 2): "DH"
    case (5, 3): "DS"
    case (5, 5): "RSASHA1"
    case (5, 6): "DSA-NSEC3-SHA1"
    case (5, 7): "RSASHA1-NSEC3-SHA1"
    case (5, 8): "RSASHA256"
    case (5, 10): "RSASHA512"
    case (5, 12): "ECC-GOST"
    case (5, 13): "ECDSAP256SHA256"
    case (5, 14): "ECDSAP384SHA384"
    case (5, 15): "ED25519"
    case (5, 16): "ED448"
    case (5, 252): "INDIRECT"
    case (5, 253): "PRIVATEDNS"
    case (5, 254): "PRIVATEOID"
    case (6, 1), (7, 1): "SHA-1"
    case (6, 2): "SHA-256"
    case (6, 3): "GOST_R_34.11-94"
    case (6, 4): "SHA-384"
    default: nil
    }
  }

  static func optionName(_ code: UInt16) -> StaticString? {
    switch code {
    case 1: "LLQ"
    case 2: "UL"
    case 3: "NSID"
    case 5: "DAU"
    case 6: "DHU"
    case 7: "N3U"
    case 8: "ECS"
    case 9: "EXPIRE"
    case 10: "COOKIE"
    case 11: "KEEPALIVE"
    case 12: "PADDING"
    case 13: "CHAIN"
    case 14: "KEY-TAG"
    case 16: "CLIENT-TAG"
    case 17: "SERVER-TAG"
    default: nil
    }
  }

  /// tcpdump's type names (`ns_type2str`), `TypeN` for the others.
  static func writeType(_ type: UInt16, _ out: inout TextBuffer) {
    if let name = typeName(type) {
      out.append(name)
    } else {
      out.append("Type")
      out.append(decimal: type)
    }
  }

  static func typeName(_ type: UInt16) -> StaticString? {
    switch type {
    case 1: "A"
    case 2: "NS"
    case 3: "MD"
    case 4: "MF"
    case 5: "CNAME"
    case 6: "SOA"
    case 7: "MB"
    case 8: "MG"
    case 9: "MR"
    case 10: "NULL"
    case 11: "WKS"
    case 12: "PTR"
    case 13: "HINFO"
    case 14: "MINFO"
    case 15: "MX"
    case 16: "TXT"
    case 17: "RP"
    case 18: "AFSDB"
    case 19: "X25"
    case 20: "ISDN"
    case 21: "RT"
    case 22: "NSAP"
    case 23: "NSAP_PTR"
    case 24: "SIG"
    case 25: "KEY"
    case 26: "PX"
    case 27: "GPOS"
    case 28: "AAAA"
    case 29: "LOC"
    case 30: "NXT"
    case 31: "EID"
    case 32: "NIMLOC"
    case 33: "SRV"
    case 34: "ATMA"
    case 35: "NAPTR"
    case 36: "KX"
    case 37: "CERT"
    case 38: "A6"
    case 39: "DNAME"
    case 40: "SINK"
    case 41: "OPT"
    case 42: "APL"
    case 43: "DS"
    case 44: "SSHFP"
    case 45: "IPSECKEY"
    case 46: "RRSIG"
    case 47: "NSEC"
    case 48: "DNSKEY"
    case 99: "SPF"
    case 100: "UINFO"
    case 101: "UID"
    case 102: "GID"
    case 103: "UNSPEC"
    case 104: "UNSPECA"
    case 249: "TKEY"
    case 250: "TSIG"
    case 251: "IXFR"
    case 252: "AXFR"
    case 253: "MAILB"
    case 254: "MAILA"
    case 255: "ANY"
    case 256: "URI"
    default: nil
    }
  }

  /// tcpdump's class names (`ns_class2str`), `(Class N)` for the others.
  static func writeClass(_ rclass: UInt16, _ out: inout TextBuffer) {
    switch rclass {
    case 1: out.append("IN")
    case 3: out.append("CHAOS")
    case 4: out.append("HS")
    case 255: out.append("ANY")
    default:
      out.append("(Class ")
      out.append(decimal: rclass)
      out.append(byte: UInt8(ascii: ")"))
    }
  }

  static let operations: [StaticString] = [
    "", " inv_q", " stat", " op3", " notify", " update", " op6", " op7", " op8", " updateA",
    " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef",
  ]

  static let responseCodes: [StaticString] = [
    "", " FormErr", " ServFail", " NXDomain", " NotImp", " Refused", " YXDomain", " YXRRSet",
    " NXRRSet", " NotAuth", " NotZone", " Resp11", " Resp12", " Resp13", " Resp14", " NoChange",
    " BadVers", "Resp17", " Resp18", " Resp19", " Resp20", "Resp21", " Resp22", " BadCookie",
  ]

  /// The response code with an OPT record's extended bits, as tcpdump finds it: the first
  /// OPT among the additional records, when the sections before it can be skipped.
  func extendedResponseCode(
    _ bytes: Span<UInt8>, _ counts: (UInt16, UInt16, UInt16, UInt16), flags: UInt16
  )
    -> UInt16
  {
    var rcode = flags & 0xF
    var position = start + DNSHeader.headerLength
    for _ in 0..<Int(counts.0) {
      guard let next = skipName(bytes, position) else { return rcode }
      position = next + 4
      if position >= snapend { return rcode }
    }
    for _ in 0..<(Int(counts.1) + Int(counts.2)) {
      guard let next = skipName(bytes, position) else { return rcode }
      position = next + 8
      if position + 2 > snapend { return rcode }
      position += 2 + Int(bytes.be16(at: position))
      if position >= snapend { return rcode }
    }
    for _ in 0..<Int(counts.3) {
      guard let next = skipName(bytes, position) else { return rcode }
      position = next
      if position + 2 > snapend { return rcode }
      let type = bytes.be16(at: position)
      position += 4
      if position + 1 > snapend { return rcode }
      if type == DNSType.opt {
        rcode |= UInt16(bytes[position]) << 4
        return rcode
      }
      position += 4
      if position + 2 > snapend { return rcode }
      position += 2 + Int(bytes.be16(at: position))
      if position >= snapend { return rcode }
    }
    return rcode
  }

  /// The message after the header fields: false where tcpdump prints ` [|domain]`.
  func writeMessage(_ bytes: Span<UInt8>, length: Int, _ out: inout TextBuffer) -> Bool {
    guard has(start, DNSHeader.headerLength) else { return false }
    let id = bytes.be16(at: start)
    let flags = bytes.be16(at: start + 2)
    let qdcount = bytes.be16(at: start + 4)
    var ancount = bytes.be16(at: start + 6)
    let nscount = bytes.be16(at: start + 8)
    let arcount = bytes.be16(at: start + 10)
    let opcode = Int(flags >> 11 & 0xF)
    var position = start + DNSHeader.headerLength
    if flags & 0x8000 != 0 {
      let rcode = extendedResponseCode(
        bytes, (qdcount, ancount, nscount, arcount), flags: flags)
      out.append(decimal: id)
      out.append(Self.operations[opcode])
      if Int(rcode) < Self.responseCodes.count {
        out.append(Self.responseCodes[Int(rcode)])
      } else {
        out.append(" Resp")
        out.append(decimal: rcode & 0xFFF)
      }
      if flags & 0x0400 != 0 { out.append(byte: UInt8(ascii: "*")) }
      if flags & 0x0080 == 0 { out.append(byte: UInt8(ascii: "-")) }
      if flags & 0x0200 != 0 { out.append(byte: UInt8(ascii: "|")) }
      if flags & 0x0020 != 0 { out.append(byte: UInt8(ascii: "$")) }
      if qdcount != 1 {
        out.append(" [")
        out.append(decimal: qdcount)
        out.append("q]")
      }
      if verbosity > 1 {
        guard let next = writeQuestionSection(bytes, position, qdcount, &out) else { return false }
        position = next
      } else {
        for _ in 0..<Int(qdcount) {
          guard let next = skipName(bytes, position) else { return false }
          position = next + 4
        }
      }
      out.append(byte: UInt8(ascii: " "))
      out.append(decimal: ancount)
      out.append(byte: UInt8(ascii: "/"))
      out.append(decimal: nscount)
      out.append(byte: UInt8(ascii: "/"))
      out.append(decimal: arcount)
      if ancount > 0 {
        guard let next = writeRecord(bytes, position, &out) else { return false }
        position = next
        ancount -= 1
        while position < snapend && ancount > 0 {
          out.append(byte: UInt8(ascii: ","))
          guard let next = writeRecord(bytes, position, &out) else { return false }
          position = next
          ancount -= 1
        }
      }
      if ancount > 0 { return false }
      if verbosity > 1 {
        guard writeSections(bytes, position, (0, nscount, arcount), &out) else { return false }
      }
    } else {
      out.append(decimal: id)
      out.append(Self.operations[opcode])
      if flags & 0x0100 != 0 { out.append(byte: UInt8(ascii: "+")) }
      if flags & 0x0010 != 0 { out.append(byte: UInt8(ascii: "%")) }
      if flags & 0x6CF != 0 {
        out.append(" [b2&3=0x")
        out.append(hex: flags)
        out.append(byte: UInt8(ascii: "]"))
      }
      if opcode == 1 {
        if qdcount > 0 { Self.count(qdcount, "q]", &out) }
        if ancount != 1 { Self.count(ancount, "a]", &out) }
      } else {
        if ancount > 0 { Self.count(ancount, "a]", &out) }
        if qdcount != 1 { Self.count(qdcount, "q]", &out) }
      }
      if nscount > 0 { Self.count(nscount, "n]", &out) }
      if arcount > 0 { Self.count(arcount, "au]", &out) }
      var remaining = qdcount
      if remaining > 0 {
        guard let next = writeQuestion(bytes, position, &out) else { return false }
        position = next
        remaining -= 1
        while position < snapend && remaining > 0 {
          guard let next = writeQuestion(bytes, position, &out) else { return false }
          position = next
          remaining -= 1
        }
      }
      if remaining > 0 { return false }
      if verbosity > 1 {
        guard writeSections(bytes, position, (ancount, nscount, arcount), &out) else {
          return false
        }
      }
    }
    out.append(" (")
    out.append(decimal: length)
    out.append(byte: UInt8(ascii: ")"))
    return true
  }

  static func count(_ value: UInt16, _ suffix: StaticString, _ out: inout TextBuffer) {
    out.append(" [")
    out.append(decimal: value)
    out.append(suffix)
  }
}
