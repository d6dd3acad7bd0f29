/// The contract name of a layer's field (`src_port`), spelled once: the JSON key, the verbose
/// label, the expression field and the `--from-json` key all come from one `FieldName`.
///
/// Names several protocols share are declared here; a protocol declares its own beside its
/// code (`extension FieldName { static let qdcount = FieldName("qdcount") }`).
public struct FieldName: Sendable {
  /// The name as it is written.
  public let text: StaticString

  /// A name; it must need no JSON escaping (lower case, digits and `_`).
  public init(_ text: StaticString) { self.text = text }

  /// The name as a `String` (expressions and JSON import; not for hot paths).
  public var string: String { text.description }

  /// The unnamed element of a list: the visitor writes the value alone.
  static let element = FieldName("")

  /// Whether this is the unnamed element of a list.
  var isElement: Bool { text.utf8CodeUnitCount == 0 }
}

extension FieldName {
  /// A source address (Ethernet, IPv4, IPv6).
  public static let src = FieldName("src")
  /// A destination address (Ethernet, IPv4, IPv6).
  public static let dst = FieldName("dst")
  static let type = FieldName("type")
  static let code = FieldName("code")
  static let length = FieldName("length")
  static let id = FieldName("id")
  static let seq = FieldName("seq")
  static let ack = FieldName("ack")
  static let flags = FieldName("flags")
  static let version = FieldName("version")
  static let `protocol` = FieldName("protocol")
  static let checksum = FieldName("checksum")
  static let checksumValid = FieldName("checksum_valid")
  static let srcPort = FieldName("src_port")
  static let dstPort = FieldName("dst_port")
  static let headerLength = FieldName("header_length")
  static let payloadLength = FieldName("payload_length")
  static let nextHeader = FieldName("next_header")
  static let options = FieldName("options")
  static let hex = FieldName("hex")
  static let value = FieldName("value")
  static let ttl = FieldName("ttl")
  static let truncated = FieldName("truncated")
  static let malformed = FieldName("malformed")
  // IPv4 and the IPv6 fragment header.
  static let fragmentOffset = FieldName("fragment_offset")
  static let mf = FieldName("mf")
  // ARP and DHCP.
  static let op = FieldName("op")
  static let rest = FieldName("rest")
  /// `src_port`'s short name in expressions and `--from-json` (scapy's).
  static let sport = FieldName("sport")
  /// `dst_port`'s short name in expressions and `--from-json` (scapy's).
  static let dport = FieldName("dport")
  // IPv6 extension headers and TLS extensions.
  static let extensions = FieldName("extensions")
  // Ethernet and DHCP: bytes after the data.
  static let padding = FieldName("padding")
  // DNS (truncation flag) and MPLS (traffic class).
  static let tc = FieldName("tc")
  // DNS record data and NTP's trailing bytes.
  static let data = FieldName("data")
  // DNS names and HTTP header names.
  static let name = FieldName("name")
}
