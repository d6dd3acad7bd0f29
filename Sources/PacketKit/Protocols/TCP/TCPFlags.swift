/// TCP flag bits as in the 12-bit flags field (bits 0 to 8 as scapy: F S R P A U E C N).
public struct TCPFlags: OptionSet, Sendable, Hashable {
  public var rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  public static let fin = TCPFlags(rawValue: 0x001)
  public static let syn = TCPFlags(rawValue: 0x002)
  public static let rst = TCPFlags(rawValue: 0x004)
  public static let psh = TCPFlags(rawValue: 0x008)
  public static let ack = TCPFlags(rawValue: 0x010)
  public static let urg = TCPFlags(rawValue: 0x020)
  public static let ece = TCPFlags(rawValue: 0x040)
  public static let cwr = TCPFlags(rawValue: 0x080)
  /// AE (accurate ECN, formerly NS).
  public static let ae = TCPFlags(rawValue: 0x100)

  /// The scapy letters, lowest bit first: `F S R P A U E C N`.
  public static let letters: [(Character, TCPFlags)] = [
    ("F", .fin), ("S", .syn), ("R", .rst), ("P", .psh), ("A", .ack), ("U", .urg), ("E", .ece),
    ("C", .cwr), ("N", .ae),
  ]
}
