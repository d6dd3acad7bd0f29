/// A whole pcap or pcapng file as a collection of packets that own their bytes:
///
/// ```swift
/// for packet in try CaptureFile("capture.pcap") {
///   print(packet.record.number, packet.frame.tcp?.dstPort ?? 0)
/// }
/// ```
///
/// Every record is read when the file is opened (so a damaged file throws there, not in the
/// loop) and kept in memory; frames are decoded when ``CapturedPacket/frame`` is read. A
/// record without a direction in the file (pcap, pcapng without `epb_flags`) takes the
/// direction of its Linux cooked (SLL or SLL2) header, as `read --json` gives it
/// (``CaptureRecord/cookedDirection(linkType:bytes:)``).
///
/// For large files or loops that must not allocate per packet, use ``CaptureFileReader``
/// and its zero-copy ``CaptureFileReader/forEachRecord(_:)`` instead.
public struct CaptureFile: RandomAccessCollection, Sendable {
  /// The packets in file order; `packets[0]` is record number 1.
  public let packets: [CapturedPacket]
  /// pcap or pcapng, from the magic number.
  public let format: CaptureFileFormat
  /// Every link type the file declares (the pcap header's, or one per pcapng interface).
  public let linkTypes: [LinkType]
  /// Non-fatal problems the reader found (``CaptureFileReader/warnings``).
  public let warnings: [String]

  /// Reads every packet record of the file at `path` (`"-"`: standard input).
  ///
  /// - Throws: ``CaptureFileError`` when the file cannot be opened or read, or is damaged
  ///   (a cut record or block, an unknown magic, ...).
  public init(_ path: String) throws(CaptureFileError) {
    var reader = try CaptureFileReader(path: path)
    var packets: [CapturedPacket] = []
    do {
      try reader.forEachRecord { record, bytes in
        var record = record
        if record.direction == nil {
          record.direction = CaptureRecord.cookedDirection(linkType: record.linkType, bytes: bytes)
        }
        var owned: [UInt8] = []
        owned.reserveCapacity(bytes.count)
        for index in bytes.indices { owned.append(bytes[index]) }
        packets.append(CapturedPacket(record: record, bytes: owned))
        return true
      }
    } catch let error as CaptureFileError {
      throw error
    } catch {
      preconditionFailure("only the reader throws here: \(error)")
    }
    self.packets = packets
    format = reader.format
    linkTypes = reader.linkTypes
    warnings = reader.warnings
  }

  /// The index of the first packet (0).
  public var startIndex: Int { packets.startIndex }
  /// One past the index of the last packet (the packet count).
  public var endIndex: Int { packets.endIndex }
  /// The packet at `index` (0-based; its record number is `index + 1`).
  public subscript(index: Int) -> CapturedPacket { packets[index] }
}

extension CaptureRecord {
  /// The direction a Linux cooked header gives (`read --json`'s `frame.direction` when the
  /// file has none): packet type 4 (outgoing) is outbound, 0...3 (to us, broadcast,
  /// multicast, to another host) inbound. Nil for other link types, other packet types, or
  /// a header cut before its packet type field.
  public static func cookedDirection(linkType: LinkType, bytes: Span<UInt8>) -> Direction? {
    let packetType: UInt16
    switch linkType {
    case .linuxSLL where bytes.count >= 2: packetType = bytes.be16(at: 0)
    case .linuxSLL2 where bytes.count >= 11: packetType = UInt16(bytes[10])
    default: return nil
    }
    guard packetType <= 4 else { return nil }
    return packetType == 4 ? .outbound : .inbound
  }
}
