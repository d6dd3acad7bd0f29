/// One packet as a flat row of the packet table (`read --parquet`): the key fields of its
/// outermost layers, with the values `read --json` prints for them; nil where the packet has
/// no such layer or field.
///
/// Each value is the one of the first layer of its kind that is not quoted inside an ICMP
/// error (the outer one of a tunnel): `ip_*` from the first IPv4 or IPv6 layer, the ports
/// and `l4_checksum_valid` from the first TCP, UDP, ICMP or ICMPv6 layer. Texts (`protocols`,
/// DNS names, TLS server names, HTTP hosts and methods) are ranges of a `TextBuffer` the
/// caller passes to `fill` and clears between packets, so filling a row allocates nothing
/// once that buffer has grown to its working size.
public struct PacketRow: Sendable {
  /// An IPv4 or IPv6 address of the row.
  public typealias Address = ConversationTable.Address

  /// `frame.time` in nanoseconds since the Unix epoch.
  public var timeNanoseconds: Int64 = 0
  /// `frame.number`: the packet's place in its file, from 1.
  public var frameNumber: Int = 0
  /// `frame.len`: bytes on the wire.
  public var frameLength: Int = 0
  /// `frame.caplen`: bytes captured.
  public var capturedLength: Int = 0
  /// `frame.protocols` (`eth:ipv4:tcp`), a range of the text buffer.
  public var protocols: Range<Int> = 0..<0

  /// `eth.src`.
  public var ethSource: MACAddress? = nil
  /// `eth.dst`.
  public var ethDestination: MACAddress? = nil
  /// `eth.type`.
  public var ethType: UInt16? = nil
  /// `vlan.id` of the outer tag.
  public var vlanID: UInt16? = nil

  /// 4 or 6.
  public var ipVersion: UInt8? = nil
  /// `ipv4.src` or `ipv6.src`.
  public var ipSource: Address? = nil
  /// `ipv4.dst` or `ipv6.dst`.
  public var ipDestination: Address? = nil
  /// `ipv4.ttl` or `ipv6.hop_limit`.
  public var ipTTL: UInt8? = nil
  /// `ipv4.protocol` or `ipv6.next_header`.
  public var ipProtocol: UInt8? = nil
  /// `ipv4.checksum_valid`.
  public var ipChecksumValid: Bool? = nil

  /// `src_port` of TCP or UDP.
  public var sourcePort: UInt16? = nil
  /// `dst_port` of TCP or UDP.
  public var destinationPort: UInt16? = nil
  /// `tcp.flags`.
  public var tcpFlags: UInt16? = nil
  /// `tcp.seq`.
  public var tcpSeq: UInt32? = nil
  /// `tcp.ack`.
  public var tcpAck: UInt32? = nil
  /// `tcp.window`.
  public var tcpWindow: UInt16? = nil
  /// `payload_length` of TCP or UDP.
  public var payloadLength: Int? = nil
  /// `checksum_valid` of TCP, UDP, ICMP or ICMPv6.
  public var l4ChecksumValid: Bool? = nil

  /// The name of the first question of `dns.questions`, a range of the text buffer.
  public var dnsQueryName: Range<Int>? = nil
  /// The type of that question.
  public var dnsQueryType: UInt16? = nil
  /// `dns.rcode`.
  public var dnsRcode: UInt8? = nil
  /// `tls.sni` of the first TLS record that has one, a range of the text buffer.
  public var tlsServerName: Range<Int>? = nil
  /// `http.host`, a range of the text buffer.
  public var httpHost: Range<Int>? = nil
  /// `http.method` (requests), a range of the text buffer.
  public var httpMethod: Range<Int>? = nil
  /// `http.status` (responses).
  public var httpStatus: UInt16? = nil

  /// The source of the IP conversation `rawtool stats` counts the packet in: the outer IP
  /// header's, when that header is complete.
  public var conversationIPSource: Address? = nil
  /// The destination of that IP conversation.
  public var conversationIPDestination: Address? = nil
  /// 6 (TCP) or 17 (UDP) for the TCP or UDP conversation `rawtool stats` counts the packet
  /// in: its first complete TCP or UDP header outside an ICMP quote.
  public var conversationTransport: UInt8? = nil
  /// The source address of that conversation: the IP header enclosing the TCP or UDP header.
  public var conversationSource: Address? = nil
  /// The destination address of that conversation.
  public var conversationDestination: Address? = nil
  /// The source port of that conversation.
  public var conversationSourcePort: UInt16? = nil
  /// The destination port of that conversation.
  public var conversationDestinationPort: UInt16? = nil

  /// An empty row.
  public init() {}
}
