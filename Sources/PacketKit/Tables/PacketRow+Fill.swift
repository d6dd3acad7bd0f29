extension PacketRow {
  /// Fills the row from a decoded frame: every value as `read --json` prints it, read through
  /// the same field descriptions. Texts are appended to `text` (the caller clears it).
  public mutating func fill(
    _ frame: borrowing DecodedFrame, record: CaptureRecord, bytes: Span<UInt8>,
    text: inout TextBuffer
  ) {
    self = PacketRow()
    timeNanoseconds =
      record.timestamp.seconds &* 1_000_000_000 &+ Int64(record.timestamp.nanoseconds)
    frameNumber = record.number
    frameLength = record.wireLength
    capturedLength = record.capturedLength
    let start = text.count
    frame.writeProtocols(to: &text)
    protocols = start..<text.count

    var endpoints = ConversationTable.Endpoints()
    for index in 0..<frame.count where !endpoints.done { endpoints.visit(frame[index]) }
    if let outer = endpoints.outer {
      conversationIPSource = outer.src.address(isIPv6: outer.isIPv6)
      conversationIPDestination = outer.dst.address(isIPv6: outer.isIPv6)
    }
    if let enclosing = endpoints.enclosing, let transport = endpoints.transport {
      conversationTransport = transport.kind == .tcp ? 6 : 17
      conversationSource = enclosing.src.address(isIPv6: enclosing.isIPv6)
      conversationDestination = enclosing.dst.address(isIPv6: enclosing.isIPv6)
      conversationSourcePort = transport.srcPort
      conversationDestinationPort = transport.dstPort
    }

    var extractor = PacketRowExtractor(row: self)
    var seen = SeenLayers()
    for index in 0..<frame.count {
      let layer = frame[index]
      if layer.isQuoted { continue }
      guard let target = seen.claim(layer.kind, tlsNeedsName: extractor.row.tlsServerName == nil)
      else { continue }
      extractor.begin(target)
      layer.header.describe(layer, frame, bytes, &extractor, &text)
    }
    self = extractor.row
  }
}

/// Which layers have given their values to a row: the first of each kind wanted.
struct SeenLayers {
  var ethernet = false
  var vlan = false
  var ip = false
  var transport = false
  var dns = false
  var http = false

  /// The part of the row `kind` fills, or nil when a layer before it did or none does.
  mutating func claim(_ kind: LayerKind, tlsNeedsName: Bool) -> PacketRowExtractor.Target? {
    func once(_ flag: inout Bool, _ target: PacketRowExtractor.Target) -> PacketRowExtractor
      .Target?
    {
      if flag { return nil }
      flag = true
      return target
    }
    switch kind {
    case .ethernet: return once(&ethernet, .ethernet)
    case .vlan: return once(&vlan, .vlan)
    case .ipv4: return once(&ip, .ipv4)
    case .ipv6: return once(&ip, .ipv6)
    case .tcp: return once(&transport, .tcp)
    case .udp, .icmp, .icmpv6: return once(&transport, .otherTransport)
    case .dns: return once(&dns, .dns)
    case .http: return once(&http, .http)
    case .tls: return tlsNeedsName ? .tls : nil
    case .sll, .null, .arp, .raw, .mpls, .gre, .vxlan, .igmp, .dhcp, .dhcpv6, .ntp: return nil
    }
  }
}

/// Takes a row's values from the field descriptions of the layers (the JSON view's values).
struct PacketRowExtractor: FieldVisitor {
  /// The part of the row the layer being described fills.
  enum Target {
    case ethernet, vlan, ipv4, ipv6, tcp, otherTransport, dns, tls, http
  }

  static var view: FieldView { .json }
  var includeHex: Bool { false }

  var row: PacketRow
  var target = Target.ethernet
  /// How deep in lists and objects the description is (0: the layer's own fields).
  var depth = 0
  /// Whether the list being described is `dns.questions`, and the object index in it.
  var inQuestions = false
  var questionIndex = -1

  init(row: PacketRow) { self.row = row }

  mutating func begin(_ target: Target) {
    self.target = target
    depth = 0
    inQuestions = false
    questionIndex = -1
    switch target {
    case .ipv4: row.ipVersion = 4
    case .ipv6: row.ipVersion = 6
    default: break
    }
  }

  /// Whether the description is at the first question of `dns.questions`.
  var atFirstQuestion: Bool { inQuestions && depth == 2 && questionIndex == 0 }

  mutating func number<T: UnsignedInteger & FixedWidthInteger>(
    _ name: FieldName, _ value: T, _ style: NumberStyle, meaning: StaticString?,
    _ out: inout TextBuffer
  ) {
    if atFirstQuestion {
      if name.isSame(as: .type) { row.dnsQueryType = UInt16(truncatingIfNeeded: value) }
      return
    }
    guard depth == 0 else { return }
    switch target {
    case .ethernet:
      if name.isSame(as: .type) { row.ethType = UInt16(truncatingIfNeeded: value) }
    case .vlan:
      if name.isSame(as: .id) { row.vlanID = UInt16(truncatingIfNeeded: value) }
    case .ipv4, .ipv6:
      if name.isSame(as: .ttl) || name.isSame(as: .hopLimit) {
        row.ipTTL = UInt8(truncatingIfNeeded: value)
      } else if name.isSame(as: .protocol) || name.isSame(as: .nextHeader) {
        row.ipProtocol = UInt8(truncatingIfNeeded: value)
      }
    case .tcp:
      if name.isSame(as: .srcPort) {
        row.sourcePort = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .dstPort) {
        row.destinationPort = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .seq) {
        row.tcpSeq = UInt32(truncatingIfNeeded: value)
      } else if name.isSame(as: .ack) {
        row.tcpAck = UInt32(truncatingIfNeeded: value)
      } else if name.isSame(as: .flags) {
        row.tcpFlags = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .window) {
        row.tcpWindow = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .payloadLength) {
        row.payloadLength = Int(value)
      }
    case .otherTransport:
      if name.isSame(as: .srcPort) {
        row.sourcePort = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .dstPort) {
        row.destinationPort = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .payloadLength) {
        row.payloadLength = Int(value)
      }
    case .dns:
      if name.isSame(as: .rcode) { row.dnsRcode = UInt8(truncatingIfNeeded: value) }
    case .http:
      if name.isSame(as: .status) { row.httpStatus = UInt16(truncatingIfNeeded: value) }
    case .tls: break
    }
  }

  mutating func signed(_ name: FieldName, _ value: Int, _ out: inout TextBuffer) {}

  mutating func bool(_ name: FieldName, _ value: Bool, _ out: inout TextBuffer) {}

  mutating func mac(_ name: FieldName, _ value: MACAddress, _ out: inout TextBuffer) {
    guard depth == 0, target == .ethernet else { return }
    if name.isSame(as: .src) {
      row.ethSource = value
    } else if name.isSame(as: .dst) {
      row.ethDestination = value
    }
  }

  mutating func ipv4(_ name: FieldName, _ value: IPv4Address, _ out: inout TextBuffer) {
    guard depth == 0, target == .ipv4 else { return }
    if name.isSame(as: .src) {
      row.ipSource = .v4(value)
    } else if name.isSame(as: .dst) {
      row.ipDestination = .v4(value)
    }
  }

  mutating func ipv6(_ name: FieldName, _ value: IPv6Address, _ out: inout TextBuffer) {
    guard depth == 0, target == .ipv6 else { return }
    if name.isSame(as: .src) {
      row.ipSource = .v6(value)
    } else if name.isSame(as: .dst) {
      row.ipDestination = .v6(value)
    }
  }

  mutating func hex(_ name: FieldName, _ bytes: Span<UInt8>, _ out: inout TextBuffer) {}

  mutating func text(
    _ name: FieldName, _ out: inout TextBuffer, _ write: (inout TextBuffer) -> Void
  ) {
    let wanted: WritableKeyPath<PacketRow, Range<Int>?>?
    if atFirstQuestion {
      wanted = name.isSame(as: .name) ? \.dnsQueryName : nil
    } else if depth != 0 {
      wanted = nil
    } else {
      switch target {
      case .tls: wanted = name.isSame(as: .sni) ? \.tlsServerName : nil
      case .http:
        wanted =
          name.isSame(as: .host) ? \.httpHost : name.isSame(as: .method) ? \.httpMethod : nil
      default: wanted = nil
      }
    }
    guard let wanted else { return }
    let start = out.count
    write(&out)
    row[keyPath: wanted] = start..<out.count
  }

  mutating func word(_ name: FieldName, _ value: StaticString, _ out: inout TextBuffer) {}

  mutating func checksum(
    _ value: UInt16?, valid: Bool?, expected: UInt16?, _ out: inout TextBuffer
  ) {
    guard depth == 0, let valid else { return }
    switch target {
    case .ipv4: row.ipChecksumValid = valid
    case .tcp, .otherTransport: row.l4ChecksumValid = valid
    default: break
    }
  }

  mutating func list(
    _ name: FieldName, _ out: inout TextBuffer, _ body: (inout Self, inout TextBuffer) -> Void
  ) {
    // Only `dns.questions` holds a wanted value, and HTTP finds its host while its headers
    // are described; other lists are not walked.
    guard depth == 0 else { return }
    let questions = target == .dns && name.isSame(as: .questions)
    guard questions || target == .http else { return }
    inQuestions = questions
    depth += 1
    body(&self, &out)
    depth -= 1
    inQuestions = false
  }

  mutating func object(
    _ out: inout TextBuffer, _ body: (inout Self, inout TextBuffer) -> Void
  ) {
    if inQuestions {
      questionIndex += 1
      guard questionIndex == 0 else { return }
    }
    depth += 1
    body(&self, &out)
    depth -= 1
  }
}

extension FieldName {
  /// Whether two names are the same text (the same constant, or equal bytes).
  @inline(__always) func isSame(as other: FieldName) -> Bool {
    let count = text.utf8CodeUnitCount
    guard count == other.text.utf8CodeUnitCount else { return false }
    if text.utf8Start == other.text.utf8Start { return true }
    for index in 0..<count where text.utf8Start[index] != other.text.utf8Start[index] {
      return false
    }
    return true
  }
}
