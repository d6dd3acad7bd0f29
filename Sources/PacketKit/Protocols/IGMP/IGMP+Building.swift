// MARK: - Building

/// One group record of an IGMPv3 report to build: type 4 (`to_ex`... as scapy's default
/// `IGMPv3_MR_Group`), group 0.0.0.0, no sources, no auxiliary data.
public struct IGMPGroupRecord: Sendable, Hashable {
  /// Record type (1 is_in, 2 is_ex, 3 to_in, 4 to_ex, 5 allow, 6 block).
  public var type: UInt8
  /// The multicast address.
  public var group: IPv4Address
  /// Source addresses.
  public var sources: [IPv4Address]

  /// A group record: type 4 (change to exclude), group 0.0.0.0 and no sources by default.
  public init(type: UInt8 = 4, group: IPv4Address = .any, sources: [IPv4Address] = []) {
    self.type = type
    self.group = group
    self.sources = sources
  }
}

/// An IGMP message to build (contract layer `igmp`), as scapy's `IGMP`, `IGMPv3_MQ` and
/// `IGMPv3_MR`: type 0x11 by default; `max_resp` 20 for a query, else 0; `checksum` computed.
/// A query with `sources` (or `s`, `qrv`, `qqic`) given is a v3 query; type 0x22 (or
/// `records` given) is a v3 report. The IP layer is not changed (scapy sets TTL 1, TOS 0xC0,
/// the router alert option and the group's destination: give them to `ipv4`).
public struct IGMP: PacketLayer {
  /// Message type.
  public var type: UInt8
  /// Max response code; nil: 20 for a query, 0 otherwise.
  public var maxResp: UInt8?
  /// Checksum; nil: computed.
  public var checksum: UInt16?
  /// Group address (not in a v3 report).
  public var group: IPv4Address
  /// v3 query: suppress router-side processing.
  public var suppress: Bool?
  /// v3 query: querier's robustness variable.
  public var qrv: UInt8?
  /// v3 query: querier's query interval code.
  public var qqic: UInt8?
  /// v3 query: source addresses.
  public var sources: [IPv4Address]?
  /// v3 report: group records.
  public var records: [IGMPGroupRecord]?

  /// An IGMP message to build; the defaults are those listed with each property.
  public init(
    type: UInt8 = 0x11, maxResp: UInt8? = nil, checksum: UInt16? = nil,
    group: IPv4Address = .any, suppress: Bool? = nil, qrv: UInt8? = nil, qqic: UInt8? = nil,
    sources: [IPv4Address]? = nil, records: [IGMPGroupRecord]? = nil
  ) {
    self.type = type
    self.maxResp = maxResp
    self.checksum = checksum
    self.group = group
    self.suppress = suppress
    self.qrv = qrv
    self.qqic = qqic
    self.sources = sources
    self.records = records
  }

  /// This layer as a `StackLayer` case, to put in a `PacketStack`.
  public var stackLayer: StackLayer { .igmp(self) }

  /// The layer `stackLayer` holds; nil when it holds another kind of layer.
  public init?(_ stackLayer: StackLayer) {
    guard case .igmp(let layer) = stackLayer else { return nil }
    self = layer
  }

  func encode(payload: [UInt8]) -> [UInt8] {
    var writer = ByteWriter(capacity: 16 + payload.count)
    writer.writeU8(type)
    writer.writeU8(maxResp ?? (type == 0x11 ? 20 : 0))
    writer.writeBE16(checksum ?? 0)
    if type == 0x22 || records != nil {
      let list = records ?? []
      writer.writeBE16(0)
      writer.writeBE16(UInt16(truncatingIfNeeded: list.count))
      for record in list {
        writer.writeU8(record.type)
        writer.writeU8(0)
        writer.writeBE16(UInt16(truncatingIfNeeded: record.sources.count))
        writer.writeBE32(record.group.rawValue)
        for source in record.sources { writer.writeBE32(source.rawValue) }
      }
    } else {
      writer.writeBE32(group.rawValue)
      if sources != nil || suppress != nil || qrv != nil || qqic != nil {
        let list = sources ?? []
        writer.writeU8((suppress == true ? 0x08 : 0) | (qrv ?? 0) & 7)
        writer.writeU8(qqic ?? 0)
        writer.writeBE16(UInt16(truncatingIfNeeded: list.count))
        for source in list { writer.writeBE32(source.rawValue) }
      }
    }
    writer.write(contentsOf: payload)
    if checksum == nil {
      var sum = InternetChecksum()
      sum.add(writer.bytes)
      writer.setBE16(sum.checksum, at: 2)
    }
    return writer.bytes
  }
}
