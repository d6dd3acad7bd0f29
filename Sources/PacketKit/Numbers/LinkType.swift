/// A pcap/pcapng link-layer header type (tcpdump.org/linktypes.html).
///
/// Open: unknown values round-trip. Read from files masked to the low 16 bits.
public struct LinkType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  /// The link-type number of the file header or interface block.
  public var rawValue: UInt32
  /// The link type `rawValue`, known to rawtool or not.
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// BSD loopback (0): a 4-byte address family in the host's byte order.
  public static let null = LinkType(rawValue: 0)
  /// Ethernet (1).
  public static let ethernet = LinkType(rawValue: 1)
  /// Raw IP on some BSDs (12, `DLT_RAW` there).
  public static let rawBSD = LinkType(rawValue: 12)
  /// Raw IP on BSD/OS (14).
  public static let rawBSDOS = LinkType(rawValue: 14)
  /// Raw IP (101): IPv4 or IPv6, told by the first byte's version nibble.
  public static let raw = LinkType(rawValue: 101)
  /// OpenBSD loopback (108): a 4-byte address family in network byte order.
  public static let loop = LinkType(rawValue: 108)
  /// Linux cooked capture, SLL (113).
  public static let linuxSLL = LinkType(rawValue: 113)
  /// Raw IPv4 (228); an IPv6 packet in it is read as IPv6, by its version nibble.
  public static let ipv4 = LinkType(rawValue: 228)
  /// Raw IPv6 (229); an IPv4 packet in it is read as IPv4, by its version nibble.
  public static let ipv6 = LinkType(rawValue: 229)
  /// Linux cooked capture version 2, SLL2 (276).
  public static let linuxSLL2 = LinkType(rawValue: 276)

  /// Whether rawtool decodes this link type.
  public var isSupported: Bool {
    switch rawValue {
    case 0, 1, 12, 14, 101, 108, 113, 228, 229, 276: true
    default: false
    }
  }

  /// The name tcpdump and libpcap use (`EN10MB`, `RAW`, `LINUX_SLL`, …).
  public var name: String {
    switch rawValue {
    case 0: "NULL"
    case 1: "EN10MB"
    case 12, 14, 101: "RAW"
    case 108: "LOOP"
    case 113: "LINUX_SLL"
    case 228: "IPV4"
    case 229: "IPV6"
    case 276: "LINUX_SLL2"
    case 9: "PPP"
    case 104: "C_HDLC"
    case 105: "IEEE802_11"
    case 119: "PRISM_HEADER"
    case 127: "IEEE802_11_RADIO"
    case 147...162: "USER\(rawValue - 147)"
    case 163: "IEEE802_11_RADIO_AVS"
    case 187: "BLUETOOTH_HCI_H4"
    case 192: "PPI"
    case 195: "IEEE802_15_4_WITHFCS"
    case 220: "USB_LINUX_MMAPPED"
    case 253: "NETLINK"
    default: "LINKTYPE_\(rawValue)"
    }
  }

  /// The name and the number, `EN10MB (1)`.
  public var description: String { "\(name) (\(rawValue))" }
}
