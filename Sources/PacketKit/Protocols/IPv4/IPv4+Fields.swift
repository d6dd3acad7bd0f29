// IPv4's fields: what `read --json` and `read -v` print, and what expressions and
// `--from-json` set (the import is generic, by the schema).

extension FieldName {
  static let tos = FieldName("tos")
  static let totalLength = FieldName("total_length")
  static let df = FieldName("df")
}

/// IPv4's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum IPv4Protocol {
  /// Each field when its bytes were captured (it ends where the next begins).
  ///
  /// The views differ on purpose (kept as they were): the verbose view adds `version`, shows
  /// lengths and offsets in bytes, `tos` in hex with its DSCP and ECN, the flags on one
  /// `flags` line (JSON: `df` and `mf`), the protocol named, the expected value of a wrong
  /// checksum, and the options captured (JSON: only the options of a whole header).
  static func describe<V: FieldVisitor>(
    _ header: IPv4Header, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let verbose = V.view == .verbose
    if view.has(IPv4Layout.tos) {
      if verbose { fields.number(.version, header.version, &out) }
      fields.number(.headerLength, UInt(header.headerLength), .bytes, &out)
    }
    if view.has(IPv4Layout.totalLength) {
      if verbose {
        fields.text(.tos, &out) { out in
          out.append("0x")
          out.append(hex: header.tos, width: 2)
          out.append(" (DSCP ")
          out.append(decimal: header.tos >> 2)
          out.append(", ECN ")
          out.append(decimal: header.tos & 3)
          out.append(byte: UInt8(ascii: ")"))
        }
      } else {
        fields.number(.tos, header.tos, &out)
      }
    }
    if view.has(IPv4Layout.id) { fields.number(.totalLength, header.totalLength, &out) }
    if view.has(IPv4Layout.flagsAndOffset) { fields.number(.id, header.id, &out) }
    if view.has(IPv4Layout.ttl) {
      if verbose {
        fields.text(.flags, &out) { out in
          out.append(header.reservedFlag ? "reserved " : "")
          out.append(header.df ? "df true, " : "df false, ")
          out.append(header.mf ? "mf true" : "mf false")
        }
      } else {
        fields.bool(.df, header.df, &out)
        fields.bool(.mf, header.mf, &out)
      }
      fields.number(.fragmentOffset, UInt(header.fragmentOffset), .bytes, &out)
    }
    if view.has(IPv4Layout.protocol) { fields.number(.ttl, header.ttl, &out) }
    if view.has(IPv4Layout.checksum) {
      let meaning = verbose ? IPProtocol(rawValue: header.protocol).name : nil
      fields.number(.protocol, header.protocol, meaning: meaning, &out)
    }
    let hasChecksum = view.has(IPv4Layout.src)
    fields.checksum(
      hasChecksum ? header.checksum : nil, valid: layer.checksumValid,
      expected: verbose && hasChecksum ? expectedChecksum(header, layer, bytes) : nil, &out)
    if view.has(IPv4Layout.dst) { fields.ipv4(.src, header.src, &out) }
    if view.has(IPv4Layout.minimumLength) { fields.ipv4(.dst, header.dst, &out) }
    if verbose {
      let options = header.optionsRange.clamped(to: layer.range)
      if !options.isEmpty, options.upperBound <= bytes.count {
        fields.hex(.options, bytes.extracting(options), &out)
      }
    } else {
      let options = header.optionsRange
      if header.headerLength > IPv4Layout.minimumLength,
        options.count == header.headerLength - IPv4Layout.minimumLength,
        view.has(header.headerLength), options.upperBound <= bytes.count
      {
        fields.hex(.options, bytes.extracting(options), &out)
      }
    }
  }

  /// The checksum the header should have, when its own is wrong and the header was captured.
  static func expectedChecksum(_ header: IPv4Header, _ layer: DecodedLayer, _ bytes: Span<UInt8>)
    -> UInt16?
  {
    let range = layer.range.lowerBound..<(layer.range.lowerBound + header.headerLength)
    guard layer.checksumValid == false, range.upperBound <= bytes.count else { return nil }
    var sum = InternetChecksum()
    sum.add(bytes.extracting(range))
    sum.add(word: ~header.checksum)
    return sum.checksum
  }

  /// Expressions and `--from-json`: `ipv4(src=192.0.2.1, ttl=5)`.
  static let schema = LayerSchema(
    name: "ipv4", aliases: ["ip"],
    fields: [
      spec(.headerLength, .integer(max: 60)) { (l: inout IPv4, v) in l.headerLength = v.int },
      spec(.tos, .u8) { (l: inout IPv4, v) in l.tos = v.u8 },
      spec(.totalLength, .u16) { (l: inout IPv4, v) in l.totalLength = v.u16 },
      spec(.id, .u16) { (l: inout IPv4, v) in l.id = v.u16 },
      spec(.df, .bool) { (l: inout IPv4, v) in l.df = v.bool },
      spec(.mf, .bool) { (l: inout IPv4, v) in l.mf = v.bool },
      spec(.fragmentOffset, .integer(max: 0x1FFF * 8)) { (l: inout IPv4, v) in
        l.fragmentOffset = v.int
      },
      spec(.ttl, .u8) { (l: inout IPv4, v) in l.ttl = v.u8 },
      spec(.protocol, .u8) { (l: inout IPv4, v) in l.protocol = v.u8 },
      spec(.checksum, .u16) { (l: inout IPv4, v) in l.checksum = v.u16 },
      spec(.src, .ipv4) { (l: inout IPv4, v) in l.src = v.ipv4 },
      spec(.dst, .ipv4) { (l: inout IPv4, v) in l.dst = v.ipv4 },
      spec(.options, .ipv4Options) { (l: inout IPv4, v) in l.options = v.bytes },
    ], readOnly: [(.checksumValid, .bool)], make: { .ipv4(IPv4()) })
}
