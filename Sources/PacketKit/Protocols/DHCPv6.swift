// DHCPv6 (RFC 8415)
//
// Client/server message:           Relay message (relay-forw 12, relay-repl 13):
// +-------+-----------------------+ +-------+-------+---------------------------+
// | type  |    transaction-id     | | type  | hops  | link-address (16)         |
// +-------+-----------------------+ +-------+-------+ peer-address (16)         |
// | options: code (16), length (16), data       ... | options ...               |

/// A decoded DHCPv6 message: its type and transaction id; options and relay addresses are
/// read again from the frame's bytes (the layer's `range` covers the whole message).
public struct DHCPv6Message: Sendable, Hashable {
  /// The message type (1 solicit ... 13 relay-reply ...).
  public var msgType: UInt8
  /// The 24-bit transaction id (0 for relay messages).
  public var transactionID: UInt32

  /// The client/server header's length, in bytes.
  public static let headerLength = 4
  /// A relay message header's length, in bytes.
  public static let relayHeaderLength = 34

  /// A message's summary from its fields.
  public init(msgType: UInt8, transactionID: UInt32) {
    self.msgType = msgType
    self.transactionID = transactionID
  }

  /// Whether the message is a relay-forward or relay-reply.
  public var isRelay: Bool { msgType == 12 || msgType == 13 }

  /// The header's length for this message type.
  var headerLength: Int { isRelay ? Self.relayHeaderLength : Self.headerLength }

  /// Walks the options after the header of the message at `range`, calling `body` with each
  /// option's code and data range; returns the offset where the walk stopped and whether an
  /// option ran past the end.
  func walkOptions(
    _ bytes: Span<UInt8>, _ range: Range<Int>, _ body: (UInt16, Range<Int>) -> Void = { _, _ in }
  ) -> (end: Int, overrun: Bool) {
    var cursor = range.lowerBound + headerLength
    while cursor < range.upperBound {
      guard cursor + 4 <= range.upperBound else { return (cursor, true) }
      let dataEnd = cursor + 4 + Int(bytes.be16(at: cursor + 2))
      guard dataEnd <= range.upperBound else { return (cursor, true) }
      body(bytes.be16(at: cursor), (cursor + 4)..<dataEnd)
      cursor = dataEnd
    }
    return (cursor, false)
  }
}

// MARK: - Decoding

extension Walk {
  /// Decodes `range` (a UDP payload on port 546 or 547) as DHCPv6; false when it is shorter
  /// than the 4-byte header and the capture did not cut it (not DHCPv6).
  mutating func dhcpv6(_ bytes: Span<UInt8>, _ range: Range<Int>) -> Bool {
    let start = range.lowerBound
    let minimum = DHCPv6Message.headerLength
    if range.count < minimum {
      guard announcedPayload >= minimum else { return false }
      let message = DHCPv6Message(msgType: bytes[start], transactionID: 0)
      truncated(
        bytes, .dhcpv6(message), at: start, needed: minimum, available: range.count,
        bound: .capture)
      return true
    }
    var message = DHCPv6Message(msgType: bytes[start], transactionID: 0)
    if !message.isRelay { message.transactionID = bytes.be32(at: start) & 0xFF_FFFF }
    if range.count < message.headerLength {
      appendEndingEarly(
        bytes, .dhcpv6(message), range, needed: message.headerLength,
        Malformation(
          field: FieldName.length.text, reason: "the message ends inside the relay header",
          value: range.count, headerCutShort: true))
      return true
    }
    let walk = message.walkOptions(bytes, range)
    if walk.overrun {
      appendEndingEarly(
        bytes, .dhcpv6(message), range, needed: announcedPayload,
        Malformation(
          field: FieldName.options.text, reason: "an option runs past the end of the message",
          value: walk.end - start))
      return true
    }
    append(bytes, .dhcpv6(message), range, .complete)
    return true
  }
}

// MARK: - Fields

extension FieldName {
  static let msgType = FieldName("msg_type")
  static let transactionID = FieldName("transaction_id")
  static let hopCount = FieldName("hop_count")
  static let linkAddress = FieldName("link_address")
  static let peerAddress = FieldName("peer_address")
}

/// DHCPv6's fields, for `read --json`, `read -v`, expressions and `--from-json`.
enum DHCPv6Protocol {
  static func describe<V: FieldVisitor>(
    _ message: DHCPv6Message, _ layer: DecodedLayer, _ bytes: Span<UInt8>, _ fields: inout V,
    _ out: inout TextBuffer
  ) {
    let view = LayerExtent(layer)
    let s = layer.range.lowerBound
    if view.has(1) {
      fields.number(.msgType, message.msgType, meaning: name(message.msgType), &out)
    }
    if message.isRelay {
      if view.has(2) { fields.number(.hopCount, bytes[s + 1], &out) }
      if view.has(18) { fields.ipv6(.linkAddress, IPv6Address(bytes, at: s + 2), &out) }
      if view.has(34) { fields.ipv6(.peerAddress, IPv6Address(bytes, at: s + 18), &out) }
    } else if view.has(4) {
      fields.number(.transactionID, message.transactionID, .hex(width: 6), &out)
    }
    guard view.has(message.headerLength) else { return }
    fields.list(.options, &out) { list, out in
      _ = message.walkOptions(bytes, layer.range) { code, data in
        list.object(&out) { option, out in
          option.number(.code, code, &out)
          option.hex(.hex, bytes.extracting(data), &out)
        }
      }
    }
  }

  /// tcpdump's name of a message type, nil when it has none.
  static func name(_ type: UInt8) -> StaticString? {
    switch type {
    case 1: "solicit"
    case 2: "advertise"
    case 3: "request"
    case 4: "confirm"
    case 5: "renew"
    case 6: "rebind"
    case 7: "reply"
    case 8: "release"
    case 9: "decline"
    case 10: "reconfigure"
    case 11: "inf-req"
    case 12: "relay-fwd"
    case 13: "relay-reply"
    case 14: "leasequery"
    case 15: "leasequery-reply"
    default: nil
    }
  }

  /// Expressions and `--from-json`: `dhcpv6(msg_type=1, transaction_id=0x1234,
  /// options=[option(code=8, hex=0x0000)])`.
  static let schema = LayerSchema(
    name: "dhcpv6", aliases: ["dhcp6"],
    fields: [
      spec(.msgType, .u8) { (l: inout DHCPv6, v) in l.msgType = v.u8 },
      spec(.transactionID, .integer(max: 0xFF_FFFF)) { (l: inout DHCPv6, v) in
        l.transactionID = v.u32
      },
      spec(.hopCount, .u8) { (l: inout DHCPv6, v) in l.hopCount = v.u8 },
      spec(.linkAddress, .ipv6) { (l: inout DHCPv6, v) in l.linkAddress = v.ipv6 },
      spec(.peerAddress, .ipv6) { (l: inout DHCPv6, v) in l.peerAddress = v.ipv6 },
      spec(.options, .structured(optionList)) { (l: inout DHCPv6, v) in
        if case .structured(let value) = v { l.options = value.as([DHCPv6Option].self) ?? [] }
      },
    ],
    readOnly: [],
    make: { .dhcpv6(DHCPv6()) })

  /// `options`: `[option(code=1, hex=0x0001...)]`.
  static let optionList = StructuredFieldType(
    description: "a list of option(code=N, hex=0x...)",
    fromExpression: { value, conversion throws(ExpressionError) in
      var options: [DHCPv6Option] = []
      for item in conversion.items(value) {
        guard case .call(let name, let fields) = item.kind, name == "option" else {
          throw conversion.fail(item, "expects option(code=N, hex=0x...)")
        }
        var code: UInt16? = nil
        var data: [UInt8] = []
        for field in fields {
          switch field.name {
          case FieldName.code.string:
            code = UInt16(try conversion.integer(field.value, max: 0xFFFF))
          case FieldName.hex.string: data = try conversion.bytes(field.value)
          default:
            throw conversion.fail(
              field.value, "option has no field \(field.name); it takes code, hex")
          }
        }
        guard let code else { throw conversion.fail(item, "option needs code=N") }
        options.append(DHCPv6Option(code: code, bytes: data))
      }
      return StructuredValue(options)
    },
    fromJSON: { json, layer, key throws(JSONPacketError) in
      guard case .array(let items) = json else { throw layer.fail(key, "expects an array") }
      var options: [DHCPv6Option] = []
      for item in items {
        let entry = JSONLayer(name: layer.name, label: layer.label, object: item)
        try entry.checkKeys([FieldName.code, .hex].map(\.string))
        guard let code = try entry.u16(FieldName.code.string) else {
          throw entry.fail(FieldName.code.string, "is missing")
        }
        options.append(DHCPv6Option(code: code, bytes: try entry.hex(FieldName.hex.string) ?? []))
      }
      return StructuredValue(options)
    })
}

// MARK: - Building

/// One DHCPv6 option to build: its code and data (the length is computed).
public struct DHCPv6Option: Sendable, Hashable {
  /// The option code.
  public var code: UInt16
  /// The option's data.
  public var bytes: [UInt8]

  /// An option of `code` with `bytes` as its data.
  public init(code: UInt16, bytes: [UInt8]) {
    self.code = code
    self.bytes = bytes
  }
}

/// A DHCPv6 message to build (contract layer `dhcpv6`).
///
/// Defaults as scapy's `DHCP6_Solicit()`: a solicit (type 1) with transaction id 0. Relay
/// messages (12, 13) carry `hopCount`, `linkAddress` and `peerAddress` instead of the
/// transaction id. Over UDP it implies scapy's ports: 547 to 546 for advertise, reply and
/// reconfigure, 547 to 547 for relay messages, 546 to 547 for the others.
public struct DHCPv6: PacketLayer {
  /// The message type (1 solicit, 2 advertise, ... 12 relay-forward, 13 relay-reply).
  /// Default: `1`.
  public var msgType: UInt8 = 1
  /// The 24-bit transaction id.
  /// Default: `0`.
  public var transactionID: UInt32 = 0
  /// Relay messages: relay agents passed.
  /// Default: `0`.
  public var hopCount: UInt8 = 0
  /// Relay messages: the link the client is on.
  public var linkAddress = IPv6Address.unspecified
  /// Relay messages: the client's (or previous relay's) address.
  public var peerAddress = IPv6Address.unspecified
  /// The options, in order.
  /// Default: `[]`.
  public var options: [DHCPv6Option] = []

  /// A solicit with transaction id 0 and no options.
  public init() {}

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .dhcpv6(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .dhcpv6(let layer) = stackLayer else { return nil }
    self = layer
  }

  /// The UDP ports scapy gives this message type.
  var udpPorts: (src: UInt16, dst: UInt16) {
    switch msgType {
    case 2, 7, 10: (547, 546)
    case 12, 13: (547, 547)
    default: (546, 547)
    }
  }

  func encode(into writer: inout ByteWriter) throws(BuildError) {
    if msgType == 12 || msgType == 13 {
      writer.writeU8(msgType)
      writer.writeU8(hopCount)
      linkAddress.encode(into: &writer)
      peerAddress.encode(into: &writer)
    } else {
      writer.writeBE32(UInt32(msgType) << 24 | transactionID & 0xFF_FFFF)
    }
    for option in options {
      guard option.bytes.count <= 0xFFFF else {
        throw .invalidValue(
          layer: "dhcpv6", field: FieldName.options.string, value: "option \(option.code)",
          reason: "data exceeds 65535 bytes")
      }
      writer.writeBE16(option.code)
      writer.writeBE16(UInt16(option.bytes.count))
      writer.write(contentsOf: option.bytes)
    }
  }
}

// MARK: - One-line printing

extension OneLineFormatter {
  /// tcpdump's `dhcp6_print`: `dhcp6 solicit`, and at `-v` the message's fields and options
  /// in parentheses (`dhcpv6Verbose`). `length` is the message's length from the UDP header.
  func dhcpv6(
    _ message: DHCPv6Message, _ layer: DecodedLayer, _ bytes: Span<UInt8>, length: Int,
    to out: inout TextBuffer
  ) {
    if verbosity > 0 {
      let snapend = min(layer.range.upperBound, bytes.count)
      if !dhcpv6Verbose(
        bytes, at: layer.range.lowerBound, length: length, snapend: snapend, to: &out)
      {
        out.append(" [|dhcp6]")
      }
      return
    }
    out.append("dhcp6")
    guard LayerExtent(layer).has(4) else { return out.append(" [|dhcp6]") }
    out.append(byte: UInt8(ascii: " "))
    if let name = DHCPv6Protocol.name(message.msgType) {
      out.append(name)
    } else {
      out.append("msgtype-")
      out.append(decimal: message.msgType)
    }
  }
}
