// DHCP (BOOTP): the schema for expressions and `--from-json`, and the builder.

extension DHCPProtocol {
  /// Expressions and `--from-json`: `dhcp(op=1, xid=0x1234, chaddr=02:00:00:00:00:01,
  /// message_type=1, options=[option(code=50, value=192.0.2.5)])`.
  static let schema = LayerSchema(
    name: "dhcp", aliases: ["bootp"],
    fields: [
      spec(.op, .u8) { (l: inout DHCP, v) in l.op = v.u8 },
      spec(.htype, .u8) { (l: inout DHCP, v) in l.htype = v.u8 },
      spec(.hlen, .u8) { (l: inout DHCP, v) in l.hlen = v.u8 },
      spec(.hops, .u8) { (l: inout DHCP, v) in l.hops = v.u8 },
      spec(.xid, .u32) { (l: inout DHCP, v) in l.xid = v.u32 },
      spec(.secs, .u16) { (l: inout DHCP, v) in l.secs = v.u16 },
      spec(.flags, .u16) { (l: inout DHCP, v) in l.flags = v.u16 },
      spec(.ciaddr, .ipv4) { (l: inout DHCP, v) in l.ciaddr = v.ipv4 },
      spec(.yiaddr, .ipv4) { (l: inout DHCP, v) in l.yiaddr = v.ipv4 },
      spec(.siaddr, .ipv4) { (l: inout DHCP, v) in l.siaddr = v.ipv4 },
      spec(.giaddr, .ipv4) { (l: inout DHCP, v) in l.giaddr = v.ipv4 },
      spec(.chaddr, .structured(hardwareAddress)) { (l: inout DHCP, v) in
        l.chaddr = v.structuredBytes
      },
      spec(.sname, .structured(text)) { (l: inout DHCP, v) in l.sname = v.structuredBytes },
      spec(.file, .structured(text)) { (l: inout DHCP, v) in l.file = v.structuredBytes },
      spec(.messageType, .u8) { (l: inout DHCP, v) in l.messageType = v.u8 },
      spec(.options, .structured(optionList)) { (l: inout DHCP, v) in
        if case .structured(let value) = v { l.options = value.as([DHCPOption].self) ?? [] }
      },
      spec(.padding, .bytes) { (l: inout DHCP, v) in l.padding = v.bytes },
    ],
    readOnly: [],
    make: { .dhcp(DHCP()) })

  /// `chaddr`: a MAC address, or up to 16 bytes as hex.
  static let hardwareAddress = StructuredFieldType(
    description: "a MAC address or 0x... bytes",
    fromExpression: { value, conversion throws(ExpressionError) in
      if case .mac(let mac) = value.kind { return StructuredValue(mac.bytes) }
      let bytes = try conversion.bytes(value)
      guard bytes.count <= 16 else { throw conversion.fail(value, "is longer than 16 bytes") }
      return StructuredValue(bytes)
    },
    fromJSON: { _, layer, key throws(JSONPacketError) in
      guard let text = try layer.string(key) else { return StructuredValue([UInt8]()) }
      if let mac = MACAddress(text) { return StructuredValue(mac.bytes) }
      guard let bytes = HexBytes.parse(text), bytes.count <= 16 else {
        throw layer.fail(key, "\"\(text)\" is not a MAC address or up to 16 hex bytes")
      }
      return StructuredValue(bytes)
    })

  /// `sname`, `file`: text (a quoted string) or 0x... bytes.
  static let text = StructuredFieldType(
    description: "a quoted string",
    fromExpression: { value, conversion throws(ExpressionError) in
      StructuredValue(try conversion.bytes(value))
    },
    fromJSON: { _, layer, key throws(JSONPacketError) in
      StructuredValue(bytes(latin1: try layer.string(key) ?? ""))
    })

  /// `options`: `[option(code=50, value=192.0.2.5), option(code=61, hex=0x01...)]`.
  static let optionList = StructuredFieldType(
    description: "a list of option(code=N, value=... | hex=0x...)",
    fromExpression: { value, conversion throws(ExpressionError) in
      var options: [DHCPOption] = []
      for item in conversion.items(value) {
        guard case .call(let name, let fields) = item.kind, name == "option" else {
          throw conversion.fail(item, "expects option(code=N, value=... | hex=0x...)")
        }
        options.append(try DHCPOption(fields, item, conversion))
      }
      return StructuredValue(options)
    },
    fromJSON: { json, layer, key throws(JSONPacketError) in
      guard case .array(let items) = json else { throw layer.fail(key, "expects an array") }
      var options: [DHCPOption] = []
      for item in items {
        let entry = JSONLayer(name: layer.name, label: layer.label, object: item)
        try entry.checkKeys([FieldName.code, .hex, .value].map(\.string))
        guard let code = try entry.u8(FieldName.code.string) else {
          throw entry.fail(FieldName.code.string, "is missing")
        }
        if let hex = try entry.hex(FieldName.hex.string) {
          options.append(DHCPOption(code: code, bytes: hex))
        } else if let value = item[FieldName.value.string] {
          options.append(try DHCPOption(code: code, json: value, entry))
        } else {
          throw entry.fail(FieldName.hex.string, "is missing")
        }
      }
      return StructuredValue(options)
    })
}

extension FieldValue {
  /// The bytes a structured field of bytes holds.
  var structuredBytes: [UInt8] {
    if case .structured(let value) = self { return value.as([UInt8].self) ?? [] }
    return bytes
  }
}

extension MACAddress {
  /// The six bytes.
  var bytes: [UInt8] {
    (0..<6).map { UInt8(truncatingIfNeeded: rawValue >> (40 - 8 * UInt64($0))) }
  }
}

// MARK: - Building

/// One DHCP option to build: its code and data (the length byte is computed).
public struct DHCPOption: Sendable, Hashable {
  /// The option code (1 to 254).
  public var code: UInt8
  /// The option's data.
  public var bytes: [UInt8]

  /// An option of `code` with `bytes` as its data.
  public init(code: UInt8, bytes: [UInt8]) {
    self.code = code
    self.bytes = bytes
  }

  /// `option(code=N, value=...)` or `option(code=N, hex=0x...)`.
  init(_ fields: [FieldExpression], _ item: ValueExpression, _ conversion: ValueConversion)
    throws(ExpressionError)
  {
    var code: UInt8? = nil
    var data: [UInt8]? = nil
    var value: ValueExpression? = nil
    for field in fields {
      switch field.name {
      case FieldName.code.string: code = UInt8(try conversion.integer(field.value, max: 254))
      case FieldName.hex.string: data = try conversion.bytes(field.value)
      case FieldName.value.string: value = field.value
      default:
        throw conversion.fail(
          field.value, "option has no field \(field.name); it takes code, value, hex")
      }
    }
    guard let code else { throw conversion.fail(item, "option needs code=N") }
    if let data {
      self.init(code: code, bytes: data)
      return
    }
    guard let value else { throw conversion.fail(item, "option needs value=... or hex=0x...") }
    self.init(code: code, bytes: try Self.data(code, value, conversion))
  }

  /// The data of option `code` written as a value.
  static func data(_ code: UInt8, _ value: ValueExpression, _ conversion: ValueConversion)
    throws(ExpressionError) -> [UInt8]
  {
    func address(_ item: ValueExpression) throws(ExpressionError) -> [UInt8] {
      guard case .ipv4(let address) = item.kind else {
        throw conversion.fail(item, "option \(code) expects an IPv4 address")
      }
      var writer = ByteWriter(capacity: 4)
      address.encode(into: &writer)
      return writer.bytes
    }
    switch code {
    case 1, 50, 54: return try address(value)
    case 3, 6:
      var data: [UInt8] = []
      for item in conversion.items(value) { data += try address(item) }
      return data
    case 12, 15: return try conversion.bytes(value)
    case 51, 58, 59:
      var writer = ByteWriter(capacity: 4)
      writer.writeBE32(UInt32(try conversion.integer(value, max: 0xFFFF_FFFF)))
      return writer.bytes
    case 53: return [UInt8(try conversion.integer(value, max: 0xFF))]
    case 55:
      var data: [UInt8] = []
      for item in conversion.items(value) {
        data.append(UInt8(try conversion.integer(item, max: 0xFF)))
      }
      return data
    case 61:
      if case .string(let text) = value.kind,
        let bytes = HexBytes.parse(String(decoding: text, as: UTF8.self).replacing(":", with: ""))
      {
        return bytes
      }
      return try conversion.bytes(value)
    default:
      throw conversion.fail(
        value,
        "option \(code) takes hex=0x... (value= is for 1, 3, 6, 12, 15, 50, 51, 53, 54, 55, 58, 59, 61)"
      )
    }
  }

  /// An option of `read --json` without `hex`: its `value`.
  init(code: UInt8, json value: JSONValue, _ entry: JSONLayer) throws(JSONPacketError) {
    var writer = ByteWriter(capacity: 8)
    func address(_ item: JSONValue) throws(JSONPacketError) {
      guard case .string(let text) = item, let address = IPv4Address(text) else {
        throw entry.fail(FieldName.value.string, "expects an IPv4 address")
      }
      address.encode(into: &writer)
    }
    func integer(_ item: JSONValue, max: UInt64) throws(JSONPacketError) -> UInt64 {
      guard case .number(let text) = item, let number = UInt64(text), number <= max else {
        throw entry.fail(FieldName.value.string, "expects an integer in 0...\(max)")
      }
      return number
    }
    switch (code, value) {
    case (1, _), (50, _), (54, _): try address(value)
    case (3, .array(let items)), (6, .array(let items)):
      for item in items { try address(item) }
    case (12, .string(let text)), (15, .string(let text)):
      writer.write(contentsOf: DHCPProtocol.bytes(latin1: text))
    case (51, _), (58, _), (59, _): writer.writeBE32(UInt32(try integer(value, max: 0xFFFF_FFFF)))
    case (53, _): writer.writeU8(UInt8(try integer(value, max: 0xFF)))
    case (55, .array(let items)):
      for item in items { writer.writeU8(UInt8(try integer(item, max: 0xFF))) }
    case (61, .string(let text)):
      guard let bytes = HexBytes.parse(text.replacing(":", with: "")) else {
        throw entry.fail(FieldName.value.string, "\"\(text)\" is not hex bytes")
      }
      writer.write(contentsOf: bytes)
    default:
      throw entry.fail(FieldName.hex.string, "is missing")
    }
    self.init(code: code, bytes: writer.bytes)
  }
}

/// A DHCP (BOOTP) message to build (contract layer `dhcp`).
///
/// Defaults as scapy's `BOOTP()`: a request (`op` 1) for an Ethernet address (`htype` 1,
/// `hlen` 6), everything else zero. With `messageType` or `options`, the magic cookie, the
/// options (option 53 first when `messageType` is given) and the end option follow, as
/// scapy's `BOOTP() / DHCP(options=[..., "end"])`; no padding is added (scapy adds none)
/// unless `padding` is given. Over UDP it implies ports 67 to 68 (scapy's `bind_layers`,
/// the last of which wins).
public struct DHCP: PacketLayer {
  /// 1 = request, 2 = reply.
  /// Default: `1`.
  public var op: UInt8 = 1
  /// Hardware address type (1 = Ethernet).
  /// Default: `1`.
  public var htype: UInt8 = 1
  /// Hardware address length.
  /// Default: `6`.
  public var hlen: UInt8 = 6
  /// Relay agents passed.
  /// Default: `0`.
  public var hops: UInt8 = 0
  /// Transaction id.
  /// Default: `0`.
  public var xid: UInt32 = 0
  /// Seconds since the client began.
  /// Default: `0`.
  public var secs: UInt16 = 0
  /// Flags (0x8000 = broadcast).
  /// Default: `0`.
  public var flags: UInt16 = 0
  /// Client address (when bound).
  public var ciaddr = IPv4Address.any
  /// The address offered to the client.
  public var yiaddr = IPv4Address.any
  /// Next server address.
  public var siaddr = IPv4Address.any
  /// Relay agent address.
  public var giaddr = IPv4Address.any
  /// Client hardware address: up to 16 bytes, zero-filled.
  /// Default: `[]`.
  public var chaddr: [UInt8] = []
  /// Server host name: up to 64 bytes, zero-filled.
  /// Default: `[]`.
  public var sname: [UInt8] = []
  /// Boot file name: up to 128 bytes, zero-filled.
  /// Default: `[]`.
  public var file: [UInt8] = []
  /// The DHCP message type (option 53); nil: none unless `options` has one.
  /// Default: `nil`.
  public var messageType: UInt8? = nil
  /// The options, in order; nil (and no `messageType`): no magic cookie, plain BOOTP.
  /// Default: `nil`.
  public var options: [DHCPOption]? = nil
  /// Bytes after the end option (or after the fixed header of plain BOOTP).
  /// Default: `[]`.
  public var padding: [UInt8] = []

  /// A BOOTP request with every field at its default.
  public init() {}

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .dhcp(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .dhcp(let layer) = stackLayer else { return nil }
    self = layer
  }

  /// The options as written: option 53 set to `messageType` (first, when missing).
  var effectiveOptions: [DHCPOption]? {
    guard let messageType else { return options }
    var list = options ?? []
    if let index = list.firstIndex(where: { $0.code == 53 }) {
      list[index].bytes = [messageType]
    } else {
      list.insert(DHCPOption(code: 53, bytes: [messageType]), at: 0)
    }
    return list
  }

  func encode(into writer: inout ByteWriter) throws(BuildError) {
    writer.writeU8(op)
    writer.writeU8(htype)
    writer.writeU8(hlen)
    writer.writeU8(hops)
    writer.writeBE32(xid)
    writer.writeBE16(secs)
    writer.writeBE16(flags)
    for address in [ciaddr, yiaddr, siaddr, giaddr] { address.encode(into: &writer) }
    for (name, bytes, size) in [
      (FieldName.chaddr, chaddr, 16), (.sname, sname, 64), (.file, file, 128),
    ] {
      guard bytes.count <= size else {
        throw .invalidValue(
          layer: "dhcp", field: name.string, value: "\(bytes.count) bytes",
          reason: "exceeds \(size)")
      }
      writer.write(contentsOf: bytes)
      writer.write(contentsOf: repeatElement(0, count: size - bytes.count))
    }
    if let options = effectiveOptions {
      writer.writeBE32(DHCPMessage.magicCookie)
      for option in options {
        guard option.bytes.count <= 255 else {
          throw .invalidValue(
            layer: "dhcp", field: FieldName.options.string, value: "option \(option.code)",
            reason: "data exceeds 255 bytes")
        }
        writer.writeU8(option.code)
        writer.writeU8(UInt8(option.bytes.count))
        writer.write(contentsOf: option.bytes)
      }
      writer.writeU8(255)
    }
    writer.write(contentsOf: padding)
  }
}
