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

    // The layers are read in place (a span), and the row is filled through a pointer: no
    // layer and no row is copied.
    withUnsafeMutablePointer(to: &self) { row in
      frame.withLayers { layers in
        var endpoints = ConversationTable.Endpoints()
        for index in 0..<layers.count where !endpoints.done { endpoints.visit(layers[index]) }
        if let outer = endpoints.outer {
          row.pointee.conversationIPSource = outer.src.address(isIPv6: outer.isIPv6)
          row.pointee.conversationIPDestination = outer.dst.address(isIPv6: outer.isIPv6)
        }
        if let enclosing = endpoints.enclosing, let transport = endpoints.transport {
          row.pointee.conversationTransport = transport.kind == .tcp ? 6 : 17
          row.pointee.conversationSource = enclosing.src.address(isIPv6: enclosing.isIPv6)
          row.pointee.conversationDestination = enclosing.dst.address(isIPv6: enclosing.isIPv6)
          row.pointee.conversationSourcePort = transport.srcPort
          row.pointee.conversationDestinationPort = transport.dstPort
        }

        var extractor = PacketRowExtractor(row: row)
        var seen = SeenLayers()
        for index in 0..<layers.count {
          let kind = frame.kind(at: index)
          guard seen.wants(kind, tlsNeedsName: row.pointee.tlsServerName == nil),
            !layers[index].isQuoted, let target = seen.claim(kind)
          else { continue }
          extractor.begin(target)
          guard !extractor.takeComplete(layers[index], bytes, &text) else { continue }
          layers[index].header.describe(layers[index], frame, bytes, &extractor, &text)
        }
      }
    }
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

  /// Whether a layer of `kind` would fill part of the row (a cheap test before the layer is
  /// read).
  @inline(__always) func wants(_ kind: LayerKind, tlsNeedsName: Bool) -> Bool {
    switch kind {
    case .ethernet: !ethernet
    case .vlan: !vlan
    case .ipv4, .ipv6: !ip
    case .tcp, .udp, .icmp, .icmpv6: !transport
    case .dns: !dns
    case .http: !http
    case .tls: tlsNeedsName
    case .sll, .null, .arp, .raw, .mpls, .gre, .vxlan, .igmp, .dhcp, .dhcpv6, .ntp: false
    }
  }

  /// The part of the row `kind` fills (a kind `wants` accepted), marking it taken.
  mutating func claim(_ kind: LayerKind) -> PacketRowExtractor.Target? {
    switch kind {
    case .ethernet:
      ethernet = true
      return .ethernet
    case .vlan:
      vlan = true
      return .vlan
    case .ipv4:
      ip = true
      return .ipv4
    case .ipv6:
      ip = true
      return .ipv6
    case .tcp:
      transport = true
      return .tcp
    case .udp, .icmp, .icmpv6:
      transport = true
      return .otherTransport
    case .dns:
      dns = true
      return .dns
    case .http:
      http = true
      return .http
    case .tls: return .tls
    case .sll, .null, .arp, .raw, .mpls, .gre, .vxlan, .igmp, .dhcp, .dhcpv6, .ntp: return nil
    }
  }
}

/// Takes a row's values from the field descriptions of the layers (the JSON view's values).
struct PacketRowExtractor: FieldVisitor {
  /// The text fields of the row.
  enum TextField {
    case dnsQueryName, tlsServerName, httpHost, httpMethod
  }

  /// The part of the row the layer being described fills.
  enum Target {
    case ethernet, vlan, ipv4, ipv6, tcp, otherTransport, dns, tls, http
  }

  static var view: FieldView { .json }
  var includeHex: Bool { false }

  /// The row being filled.
  let row: UnsafeMutablePointer<PacketRow>
  var target = Target.ethernet
  /// How deep in lists and objects the description is (0: the layer's own fields).
  var depth = 0
  /// Whether the list being described is `dns.questions`, and the object index in it.
  var inQuestions = false
  var questionIndex = -1

  init(row: UnsafeMutablePointer<PacketRow>) { self.row = row }

  mutating func begin(_ target: Target) {
    self.target = target
    depth = 0
    inQuestions = false
    questionIndex = -1
    switch target {
    case .ipv4: row.pointee.ipVersion = 4
    case .ipv6: row.pointee.ipVersion = 6
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
      if name.isSame(as: .type) { row.pointee.dnsQueryType = UInt16(truncatingIfNeeded: value) }
      return
    }
    guard depth == 0 else { return }
    switch target {
    case .ethernet:
      if name.isSame(as: .type) { row.pointee.ethType = UInt16(truncatingIfNeeded: value) }
    case .vlan:
      if name.isSame(as: .id) { row.pointee.vlanID = UInt16(truncatingIfNeeded: value) }
    case .ipv4, .ipv6:
      if name.isSame(as: .ttl) || name.isSame(as: .hopLimit) {
        row.pointee.ipTTL = UInt8(truncatingIfNeeded: value)
      } else if name.isSame(as: .protocol) || name.isSame(as: .nextHeader) {
        row.pointee.ipProtocol = UInt8(truncatingIfNeeded: value)
      }
    case .tcp:
      if name.isSame(as: .srcPort) {
        row.pointee.sourcePort = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .dstPort) {
        row.pointee.destinationPort = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .seq) {
        row.pointee.tcpSeq = UInt32(truncatingIfNeeded: value)
      } else if name.isSame(as: .ack) {
        row.pointee.tcpAck = UInt32(truncatingIfNeeded: value)
      } else if name.isSame(as: .flags) {
        row.pointee.tcpFlags = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .window) {
        row.pointee.tcpWindow = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .payloadLength) {
        row.pointee.payloadLength = Int(value)
      }
    case .otherTransport:
      if name.isSame(as: .srcPort) {
        row.pointee.sourcePort = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .dstPort) {
        row.pointee.destinationPort = UInt16(truncatingIfNeeded: value)
      } else if name.isSame(as: .payloadLength) {
        row.pointee.payloadLength = Int(value)
      }
    case .dns:
      if name.isSame(as: .rcode) { row.pointee.dnsRcode = UInt8(truncatingIfNeeded: value) }
    case .http:
      if name.isSame(as: .status) { row.pointee.httpStatus = UInt16(truncatingIfNeeded: value) }
    case .tls: break
    }
  }

  mutating func signed(_ name: FieldName, _ value: Int, _ out: inout TextBuffer) {}

  mutating func bool(_ name: FieldName, _ value: Bool, _ out: inout TextBuffer) {}

  mutating func mac(_ name: FieldName, _ value: MACAddress, _ out: inout TextBuffer) {
    guard depth == 0, target == .ethernet else { return }
    if name.isSame(as: .src) {
      row.pointee.ethSource = value
    } else if name.isSame(as: .dst) {
      row.pointee.ethDestination = value
    }
  }

  mutating func ipv4(_ name: FieldName, _ value: IPv4Address, _ out: inout TextBuffer) {
    guard depth == 0, target == .ipv4 else { return }
    if name.isSame(as: .src) {
      row.pointee.ipSource = .v4(value)
    } else if name.isSame(as: .dst) {
      row.pointee.ipDestination = .v4(value)
    }
  }

  mutating func ipv6(_ name: FieldName, _ value: IPv6Address, _ out: inout TextBuffer) {
    guard depth == 0, target == .ipv6 else { return }
    if name.isSame(as: .src) {
      row.pointee.ipSource = .v6(value)
    } else if name.isSame(as: .dst) {
      row.pointee.ipDestination = .v6(value)
    }
  }

  mutating func hex(_ name: FieldName, _ bytes: Span<UInt8>, _ out: inout TextBuffer) {}

  mutating func text(
    _ name: FieldName, _ out: inout TextBuffer, _ write: (inout TextBuffer) -> Void
  ) {
    let wanted: TextField?
    if atFirstQuestion {
      wanted = name.isSame(as: .name) ? .dnsQueryName : nil
    } else if depth != 0 {
      wanted = nil
    } else {
      switch target {
      case .tls: wanted = name.isSame(as: .sni) ? .tlsServerName : nil
      case .http:
        wanted =
          name.isSame(as: .host) ? .httpHost : name.isSame(as: .method) ? .httpMethod : nil
      default: wanted = nil
      }
    }
    guard let wanted else { return }
    let start = out.count
    write(&out)
    let range = start..<out.count
    switch wanted {
    case .dnsQueryName: row.pointee.dnsQueryName = range
    case .tlsServerName: row.pointee.tlsServerName = range
    case .httpHost: row.pointee.httpHost = range
    case .httpMethod: row.pointee.httpMethod = range
    }
  }

  mutating func word(_ name: FieldName, _ value: StaticString, _ out: inout TextBuffer) {}

  mutating func checksum(
    _ value: UInt16?, valid: Bool?, expected: UInt16?, _ out: inout TextBuffer
  ) {
    guard depth == 0, let valid else { return }
    switch target {
    case .ipv4: row.pointee.ipChecksumValid = valid
    case .tcp, .otherTransport: row.pointee.l4ChecksumValid = valid
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

extension PacketRowExtractor {
  /// Takes the values of a complete Ethernet, VLAN, IPv4, IPv6, TCP, UDP or DNS layer
  /// straight from its header: the values its description gives (every field of a complete
  /// header is described), without describing the other fields. False for other layers and
  /// for damaged ones, which are described.
  @inline(__always) mutating func takeComplete(
    _ layer: borrowing DecodedLayer, _ bytes: Span<UInt8>, _ text: inout TextBuffer
  ) -> Bool {
    guard layer.status.isComplete else { return false }
    let row = self.row
    switch layer.header {
    case .ethernet(let header):
      row.pointee.ethSource = header.src
      row.pointee.ethDestination = header.dst
      if !header.isLength { row.pointee.ethType = header.typeOrLength }
    case .vlan(let tag):
      row.pointee.vlanID = tag.id
    case .ipv4(let header):
      row.pointee.ipTTL = header.ttl
      row.pointee.ipProtocol = header.protocol
      row.pointee.ipChecksumValid = layer.checksumValid
      row.pointee.ipSource = .v4(header.src)
      row.pointee.ipDestination = .v4(header.dst)
    case .ipv6(let header):
      row.pointee.ipTTL = header.hopLimit
      row.pointee.ipProtocol = header.nextHeader
      row.pointee.ipSource = .v6(header.src)
      row.pointee.ipDestination = .v6(header.dst)
    case .tcp(let header):
      row.pointee.sourcePort = header.srcPort
      row.pointee.destinationPort = header.dstPort
      row.pointee.tcpSeq = header.seq
      row.pointee.tcpAck = header.ack
      row.pointee.tcpFlags = header.flags
      row.pointee.tcpWindow = header.window
      row.pointee.l4ChecksumValid = layer.checksumValid
      row.pointee.payloadLength = layer.payloadLength
    case .udp(let header):
      row.pointee.sourcePort = header.srcPort
      row.pointee.destinationPort = header.dstPort
      row.pointee.l4ChecksumValid = layer.checksumValid
      row.pointee.payloadLength = layer.payloadLength
    case .dns(let header):
      row.pointee.dnsRcode = header.rcode
      // The first question that reads, as the description's `questions` list has it.
      let message = DNSMessageBounds(
        start: layer.range.lowerBound + header.prefixLength, end: layer.range.upperBound,
        declaredEnd: layer.range.upperBound)
      var reader = DNSSectionReader(message)
      if header.qdcount > 0, let question = reader.question(bytes) {
        let start = text.count
        _ = DNSNameReader.write(bytes, at: question.name, message, to: &text)
        row.pointee.dnsQueryName = start..<text.count
        row.pointee.dnsQueryType = question.type
      }
    default:
      return false
    }
    return true
  }
}
