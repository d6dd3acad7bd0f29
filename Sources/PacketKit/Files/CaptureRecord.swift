/// One packet record of a capture file: its metadata, without the packet bytes.
///
/// The bytes are lent separately by ``CaptureFileReader/forEachRecord(_:)``.
/// Creating or copying a record does not allocate (an interface name is a shared `String`).
public struct CaptureRecord: Sendable, Hashable {
  /// 1-based number of this packet record in the file (other pcapng blocks are not counted).
  public var number: Int
  /// When the packet was captured.
  public var timestamp: Timestamp
  /// Bytes of the packet present in the file (pcap `incl_len`, pcapng captured length).
  public var capturedLength: Int
  /// Length of the packet on the wire, in bytes (pcap `orig_len`, pcapng original length).
  public var wireLength: Int
  /// Link-layer header type of this record's interface, masked to its low 16 bits.
  public var linkType: LinkType
  /// pcapng interface id of the record (index within its section); `nil` for pcap.
  public var interfaceIndex: Int?
  /// pcapng `if_name` option of the record's interface, when present.
  public var interfaceName: String?
  /// pcapng `epb_flags` bits 0-1 (1 inbound, 2 outbound); `nil` when absent or unknown.
  public var direction: Direction?

  /// Packet direction as recorded in pcapng `epb_flags` (draft-ietf-opsawg-pcapng §4.3.1).
  public enum Direction: Sendable, Hashable {
    /// Received by the interface.
    case inbound
    /// Sent by the host.
    case outbound
  }

  /// Creates a record from its fields.
  public init(
    number: Int, timestamp: Timestamp, capturedLength: Int, wireLength: Int, linkType: LinkType,
    interfaceIndex: Int? = nil, interfaceName: String? = nil, direction: Direction? = nil
  ) {
    self.number = number
    self.timestamp = timestamp
    self.capturedLength = capturedLength
    self.wireLength = wireLength
    self.linkType = linkType
    self.interfaceIndex = interfaceIndex
    self.interfaceName = interfaceName
    self.direction = direction
  }
}
