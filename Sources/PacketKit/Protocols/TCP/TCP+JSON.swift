/// `--from-json` for TCP: the fields by name as the schema has them, the options list
/// (objects of `kind` and `value`: `mss` 1460; the `malformed` entry's bytes as they are) and the header
/// length's zeros after `eol` (or the bytes its `hex` gives).
extension JSONPacketConverter {
  mutating func tcp(_ layer: JSONLayer) throws(JSONPacketError) {
    try layer.checkKeys([
      FieldName.srcPort.string, FieldName.sport.string, FieldName.dstPort.string,
      FieldName.dport.string, FieldName.seq.string, FieldName.ack.string,
      FieldName.headerLength.string, FieldName.flags.string, FieldName.flagsText.string,
      FieldName.window.string,
      FieldName.checksum.string, FieldName.checksumValid.string, FieldName.urgent.string,
      FieldName.options.string, FieldName.payloadLength.string,
    ])
    var tcp = TCP()
    if let port = try layer.u16(FieldName.srcPort.string) { tcp.srcPort = port }
    if let port = try layer.u16(FieldName.sport.string) { tcp.srcPort = port }
    if let port = try layer.u16(FieldName.dstPort.string) { tcp.dstPort = port }
    if let port = try layer.u16(FieldName.dport.string) { tcp.dstPort = port }
    if let seq = try layer.u32(FieldName.seq.string) { tcp.seq = seq }
    if let ack = try layer.u32(FieldName.ack.string) { tcp.ack = ack }
    tcp.headerLength = try layer.integer(FieldName.headerLength.string, max: 60).map { Int($0) }
    if let flags = try layer.integer(FieldName.flags.string, max: 0xFFF) {
      tcp.flags = TCPFlags(rawValue: UInt16(flags))
    }
    if let text = try layer.string(FieldName.flagsText.string) {
      try checkFlagsText(text, in: layer, against: &tcp)
    }
    if let window = try layer.u16(FieldName.window.string) { tcp.window = window }
    tcp.checksum = try layer.u16(FieldName.checksum.string)
    if let urgent = try layer.u16(FieldName.urgent.string) { tcp.urgent = urgent }
    for (position, item) in (try layer.list(FieldName.options.string) ?? []).enumerated() {
      let option = JSONLayer(
        name: "option", label: "\(layer.label).options[\(position)]", object: item)
      if case .verbatim? = tcp.options.last {
        throw option.fail(nil, "follows a malformed option, which ends the list")
      }
      tcp.options.append(try tcpOption(option))
    }
    // The list stops at eol: what follows up to the header length is zeros. A malformed
    // option's bytes run to the end of the options: nothing is added after them.
    let endsVerbatim = if case .verbatim? = tcp.options.last { true } else { false }
    if !endsVerbatim, let headerLength = tcp.headerLength {
      let written = tcp.options.reduce(0) { $0 + $1.encoded.count }
      if headerLength - 20 > written, tcp.options.last != .eol {
        // read lists options up to eol; a list that stops short without one stopped at an
        // option it could not decode, whose bytes are not in the JSON.
        throw layer.fail(
          FieldName.options.string,
          "the options listed take \(written) of the header's \(headerLength - 20) option bytes and do not end with eol: the rest is not in the JSON"
        )
      }
      if headerLength - 20 > written {
        tcp.options += repeatElement(.eol, count: headerLength - 20 - written)
      }
    }
    layers.append(.tcp(tcp))
  }

  /// `flags_text` (`"SA"`): sets the flags when `flags` is absent, else must name the same
  /// bits 0 to 8 as `flags` does.
  func checkFlagsText(_ text: String, in layer: JSONLayer, against tcp: inout TCP)
    throws(JSONPacketError)
  {
    var bits: UInt16 = 0
    for letter in text {
      guard let flag = TCPFlags.letters.first(where: { $0.0 == letter })?.1 else {
        throw layer.fail(
          FieldName.flagsText.string,
          "\"\(text)\" has \(letter), which is not a flag letter (F S R P A U E C N)")
      }
      bits |= flag.rawValue
    }
    guard layer.has(FieldName.flags.string) else {
      tcp.flags = TCPFlags(rawValue: bits)
      return
    }
    let given = TCPFlags(rawValue: tcp.flags.rawValue & 0x1FF)
    guard given.rawValue == bits else {
      throw layer.fail(
        FieldName.flagsText.string,
        "\"\(text)\" does not match flags \(tcp.flags.rawValue) (\"\(given.letters)\")")
    }
  }

  func tcpOption(_ option: JSONLayer) throws(JSONPacketError) -> TCPOptionSpec {
    guard let kind = try option.string(FieldName.kind.string) else {
      throw option.fail(FieldName.kind.string, "is missing")
    }
    switch kind {
    case "eol":
      // Bytes after the end of the list that are not zero (read gives them with --hex).
      if let rest = try option.hex(FieldName.hex.string) { return .verbatim([0] + rest) }
      return .eol
    case "nop": return .nop
    case "sack_permitted": return .sackPermitted
    case "mss": return .mss(try option.u16(FieldName.value.string) ?? 0)
    case "window_scale": return .windowScale(try option.u8(FieldName.value.string) ?? 0)
    case "timestamp":
      return .timestamp(
        value: try option.u32(FieldName.value.string) ?? 0,
        echo: try option.u32(FieldName.echo.string) ?? 0)
    case "sack":
      var blocks: [SACKBlock] = []
      for block in try option.list(FieldName.blocks.string) ?? [] {
        guard case .array(let pair) = block, pair.count == 2,
          let left = pair[0].unsignedInteger, let right = pair[1].unsignedInteger,
          left <= 0xFFFF_FFFF, right <= 0xFFFF_FFFF
        else {
          throw option.fail(
            FieldName.blocks.string, "expects [[left, right], ...] of 32-bit integers")
        }
        blocks.append(SACKBlock(left: UInt32(left), right: UInt32(right)))
      }
      return .sack(blocks)
    case "unknown":
      guard let code = try option.u8(FieldName.code.string) else {
        throw option.fail(FieldName.code.string, "is missing")
      }
      return .unknown(code: code, bytes: try option.hex(FieldName.hex.string) ?? [])
    case "malformed":
      guard let bytes = try option.hex(FieldName.hex.string) else {
        throw option.fail(FieldName.hex.string, "is missing")
      }
      return .verbatim(bytes)
    default:
      throw option.fail(
        FieldName.kind.string,
        "unknown option \(kind); kinds: eol, nop, mss, window_scale, sack_permitted, sack, timestamp, unknown, malformed"
      )
    }
  }
}
