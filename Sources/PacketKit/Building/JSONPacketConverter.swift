/// Turns one object of `rawtool read --json --hex` into a `JSONPacket`: the frame object,
/// then each layer in `frame.protocols` order (the layers themselves are in
/// JSONPacketConverter+Layers.swift).
struct JSONPacketConverter {
  var prefix: [UInt8] = []
  var trailer: [UInt8] = []
  var layers: [StackLayer] = []
  /// A malformed layer's bytes, when it is the first (nothing to stack them on).
  var verbatim: [UInt8] = []
  var linkType: LinkType? = nil

  mutating func packet(_ object: JSONValue) throws(JSONPacketError) -> JSONPacket {
    guard case .object(let pairs) = object else {
      throw JSONPacketError(message: "expects a JSON object per line, not \(object.kindName)")
    }
    let frame = JSONLayer(name: "frame", label: "frame", object: object["frame"] ?? .object([]))
    try frame.checkKeys([
      "number", "time", "caplen", "len", "protocols", "interface", "direction",
    ])
    let names: [String]
    if let protocols = try frame.string("protocols") {
      names = protocols.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    } else {
      // Without frame.protocols: the keys in order, arrays expanded.
      var list: [String] = []
      for pair in pairs where pair.key != "frame" {
        if case .array(let items) = pair.value {
          list += repeatElement(pair.key, count: items.count)
        } else {
          list.append(pair.key)
        }
      }
      names = list
    }
    guard !names.isEmpty, names != [""] else {
      throw JSONPacketError(message: "no layers (frame.protocols is empty)")
    }
    // Each name's objects: the value, or the array's elements in order.
    var seen: [String: Int] = [:]
    var resolved: [JSONLayer] = []
    for name in names {
      guard let value = object[name] else {
        throw JSONPacketError(
          layer: name, message: "is listed in frame.protocols but has no object")
      }
      let occurrence = seen[name, default: 0]
      seen[name] = occurrence + 1
      var layer = value
      var label = name
      if case .array(let items) = value {
        guard occurrence < items.count else {
          throw JSONPacketError(
            layer: name,
            message:
              "frame.protocols lists it \(occurrence + 1) times but the array has \(items.count)"
          )
        }
        layer = items[occurrence]
        label = "\(name)[\(occurrence)]"
      } else if occurrence > 0 {
        throw JSONPacketError(
          layer: name, message: "is listed \(occurrence + 1) times in frame.protocols, not an array"
        )
      }
      guard case .object = layer else {
        throw JSONPacketError(layer: label, message: "expects an object, not \(layer.kindName)")
      }
      let entry = JSONLayer(name: name, label: label, object: layer)
      // A layer cut by an ICMP error's quote has its bytes (`hex`): it is rebuilt from them.
      if entry.has(FieldName.truncated.string) && !entry.has(FieldName.hex.string) {
        throw entry.fail(nil, "is truncated: a layer cut short by the capture cannot be rebuilt")
      }
      if let malformed = resolved.last, malformed.has(FieldName.malformed.string) {
        throw entry.fail(
          nil, "follows the malformed layer \(malformed.label): decoding stops at a malformed layer"
        )
      }
      if let cut = resolved.last, cut.has(FieldName.truncated.string) {
        throw entry.fail(
          nil, "follows the truncated layer \(cut.label): decoding stops at a truncated layer")
      }
      if let reason = entry.object[FieldName.malformed.string] {
        let text = if case .string(let text) = reason { text } else { "malformed" }
        guard entry.has(FieldName.hex.string) else {
          throw entry.fail(
            nil,
            "is malformed (\(text)): it cannot be rebuilt without its hex (read with --json --hex)"
          )
        }
      }
      resolved.append(entry)
    }
    for pair in pairs where pair.key != "frame" && seen[pair.key] == nil {
      throw JSONPacketError(layer: pair.key, message: "is not listed in frame.protocols")
    }

    var skipNext = false
    for (index, layer) in resolved.enumerated() {
      if skipNext {
        skipNext = false
        continue
      }
      let next = index + 1 < resolved.count ? resolved[index + 1] : nil
      let previous = index > 0 ? resolved[index - 1] : nil
      if layer.has(FieldName.malformed.string) || layer.has(FieldName.truncated.string) {
        try malformed(layer, index: index)
        break
      }
      skipNext = try convert(layer, index: index, previous: previous, next: next)
    }
    var bytes = prefix
    do {
      if !layers.isEmpty { bytes += try PacketStack(layers).build() }
    } catch {
      let label = resolved.first { $0.name == error.layer }?.label ?? error.layer
      guard case .invalidValue(_, _, let value, let reason) = error else {
        throw JSONPacketError(message: "\(error)")
      }
      throw JSONPacketError(layer: label, field: error.field, message: "\(value) \(reason)")
    }
    bytes += verbatim
    bytes += trailer

    var timestamp: Timestamp? = nil
    if let time = try frame.string("time") {
      guard let parsed = Timestamp(parsing: time) else {
        throw frame.fail("time", "\"\(time)\" is not seconds.nanoseconds")
      }
      timestamp = parsed
    }
    var wireLength = bytes.count
    if let caplen = try frame.integer("caplen", max: UInt64(UInt32.max)),
      let len = try frame.integer("len", max: UInt64(UInt32.max)), Int(caplen) == bytes.count,
      len >= caplen
    {
      wireLength = Int(len)
    }
    let interfaceName: String? =
      if case .string(let name)? = frame.object["interface"] { name } else { nil }
    let direction: CaptureRecord.Direction? =
      switch try frame.string("direction") {
      case "in": .inbound
      case "out": .outbound
      case nil: nil
      case let other?: throw frame.fail("direction", "\"\(other)\" is not in or out")
      }
    return JSONPacket(
      bytes: bytes, linkType: linkType ?? .raw, timestamp: timestamp, wireLength: wireLength,
      interfaceName: interfaceName, direction: direction)
  }

  /// Appends the bytes of a malformed layer, or of one cut by an ICMP error's quote (its
  /// `hex`), as they are, after the layers before it: those are built from their fields as
  /// given (lengths and checksums are explicit in `read`'s JSON), so the verbatim tail
  /// changes none of them.
  mutating func malformed(_ layer: JSONLayer, index: Int) throws(JSONPacketError) {
    guard let bytes = try layer.hex(FieldName.hex.string) else {
      throw layer.fail(FieldName.hex.string, "is missing")
    }
    if index == 0 {
      switch layer.name {
      case "eth": linkType = .ethernet
      case "sll": linkType = layer.has(FieldName.ifindex.string) ? .linuxSLL2 : .linuxSLL
      case "null": linkType = .null
      // Raw IP tells IPv6 from IPv4 by the version nibble: a header whose nibble says
      // otherwise needs the link type of its kind to be read back as it was.
      case "ipv4": linkType = bytes.first.map { $0 >> 4 == 6 } == true ? .ipv4 : .raw
      case "ipv6": linkType = bytes.first.map { $0 >> 4 != 6 } == true ? .ipv6 : .raw
      default:
        throw layer.fail(nil, "cannot start a packet (first layers: eth, sll, null, ipv4, ipv6)")
      }
    }
    if layers.isEmpty {
      verbatim = bytes
    } else {
      layers.append(.payload(Payload(bytes)))
    }
  }

  /// Appends the builder layer for `layer`; returns true when it consumed `next` too.
  mutating func convert(_ layer: JSONLayer, index: Int, previous: JSONLayer?, next: JSONLayer?)
    throws(JSONPacketError) -> Bool
  {
    let linkLayers = ["eth", "sll", "null"]
    // An Ethernet frame may follow a tunnel (VXLAN, GRE) further in.
    let tunnelled = layer.name == "eth" && ["vxlan", "gre"].contains(previous?.name ?? "")
    if linkLayers.contains(layer.name) && index != 0 && !tunnelled {
      throw layer.fail(nil, "a link-layer header must come first")
    }
    if index == 0 {
      switch layer.name {
      case "eth": linkType = .ethernet
      case "sll": linkType = layer.has(FieldName.ifindex.string) ? .linuxSLL2 : .linuxSLL
      case "null": linkType = .null
      case "ipv4", "ipv6": linkType = .raw
      default:
        throw layer.fail(nil, "cannot start a packet (first layers: eth, sll, null, ipv4, ipv6)")
      }
    }
    switch layer.name {
    case "eth": try ethernet(layer)
    case "sll": try cooked(layer)
    case "null": try loopback(layer)
    case "vlan": try vlan(layer, previous: previous)
    case "arp": try arp(layer)
    case "ipv6": try ipv6(layer, next: next)
    case "tcp": try tcp(layer)
    case "icmpv6": return try icmpv6(layer, next: next)
    case "raw", "payload": try payload(layer)
    default:
      // Every other layer by its schema (ProtocolRegistry.swift).
      guard let schema = LayerSchema.named(layer.name) else {
        throw layer.fail(
          nil,
          "unknown layer; layers: \((LayerSchema.all.map(\.name) + ["sll", "null"]).joined(separator: ", "))"
        )
      }
      layers.append(try schema.imported(from: layer))
    }
    return false
  }
}
