/// TCP flag bits as in the 12-bit flags field (bits 0 to 8 as scapy: F S R P A U E C N).
public struct TCPFlags: OptionSet, Sendable, Hashable {
  /// The flag bits as in the header's 12 low bits of the offset word (FIN is bit 0).
  public var rawValue: UInt16
  /// The flags of the bits `rawValue`.
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  /// FIN (bit 0): no more data.
  public static let fin = TCPFlags(rawValue: 0x001)
  /// SYN (bit 1): synchronize sequence numbers.
  public static let syn = TCPFlags(rawValue: 0x002)
  /// RST (bit 2): reset the connection.
  public static let rst = TCPFlags(rawValue: 0x004)
  /// PSH (bit 3): push.
  public static let psh = TCPFlags(rawValue: 0x008)
  /// ACK (bit 4): the acknowledgment number is valid.
  public static let ack = TCPFlags(rawValue: 0x010)
  /// URG (bit 5): the urgent pointer is valid.
  public static let urg = TCPFlags(rawValue: 0x020)
  /// ECE (bit 6): ECN echo.
  public static let ece = TCPFlags(rawValue: 0x040)
  /// CWR (bit 7): congestion window reduced.
  public static let cwr = TCPFlags(rawValue: 0x080)
  /// AE (accurate ECN, formerly NS).
  public static let ae = TCPFlags(rawValue: 0x100)

  /// The scapy letters, lowest bit first: `F S R P A U E C N`.
  public static let letters: [(Character, TCPFlags)] = [
    ("F", .fin), ("S", .syn), ("R", .rst), ("P", .psh), ("A", .ack), ("U", .urg), ("E", .ece),
    ("C", .cwr), ("N", .ae),
  ]
}

extension TCPFlags {
  /// The letters of the flags set among bits 0 to 8, in scapy's order `FSRPAUECN`
  /// (`SA` for SYN+ACK, `FPA` for FIN+PSH+ACK, empty when none): what expressions take and
  /// what `read --json` prints as `tcp.flags_text`. The reserved bits 9 to 11 have no letter.
  public var letters: String {
    var text = ""
    for (letter, flag) in Self.letters where contains(flag) { text.append(letter) }
    return text
  }

  /// Appends the letters of `flags` (see `letters`) without allocating.
  static func writeLetters(_ flags: UInt16, _ out: inout TextBuffer) {
    let alphabet: StaticString = "FSRPAUECN"
    for bit in 0..<9 where flags & (1 << bit) != 0 {
      out.append(byte: alphabet.withUTF8Buffer { $0[bit] })
    }
  }
}
