/// Formats a frame's bytes as tcpdump's `-x`, `-xx`, `-X` and `-XX` do.
///
/// Each line is `\t0x0000:  4500 0054 …` (eight 16-bit groups, offset in hex); with
/// `ascii`, the groups are padded to a fixed width and followed by two spaces and the bytes
/// as characters (`!`…`~` as is, everything else, space included, as `.`). This is
/// tcpdump 4.99's `hex_print_with_offset` / `hex_and_ascii_print_with_offset`, byte for byte.
///
/// Without `includeLinkLayer` the dump starts after the link-layer header as tcpdump counts
/// it: Ethernet and its VLAN tags (plus the LLC/SNAP header of an 802.3 frame), the SLL or
/// SLL2 header, or the 4-byte loopback header; raw IP has none. All captured bytes after
/// that are dumped, padding included.
///
/// tcpdump prints these lines right after the one-line summary; here every line ends in
/// `\n`, so the caller writes the summary line (with its newline) first.
public struct HexDumpFormatter: Sendable {
  /// Whether to dump the link-layer header too (`-xx`, `-XX`).
  public var includeLinkLayer: Bool
  /// Whether to add the ASCII column (`-X`, `-XX`).
  public var ascii: Bool

  /// A formatter: `-x` by default; `includeLinkLayer` for `-xx`, `ascii` for `-X`.
  public init(includeLinkLayer: Bool = false, ascii: Bool = false) {
    self.includeLinkLayer = includeLinkLayer
    self.ascii = ascii
  }

  /// Appends the dump of `bytes` (nothing when no byte is to be dumped).
  public func write(
    _ frame: DecodedFrame, bytes: Span<UInt8>, record: CaptureRecord, to out: inout TextBuffer
  ) {
    let start = includeLinkLayer ? 0 : min(bytes.count, Self.linkHeaderLength(frame, bytes: bytes))
    Self.dump(bytes.extracting(start..<bytes.count), ascii: ascii, to: &out)
  }

  /// The number of leading bytes tcpdump treats as the link-layer header.
  ///
  /// When tcpdump's printer gives up on a header cut short by reading past the data
  /// (tcpdump 4.99 does this for ICMP and ARP: it prints `[|icmp]`/`[|arp]` and never returns
  /// the link header length; and for a DHCP message cut before its op, hardware type and
  /// length, or before a request's client hardware address: `[|bootp]`), `-x` dumps from the
  /// frame's first byte; so does this.
  public static func linkHeaderLength(_ frame: DecodedFrame, bytes: Span<UInt8>) -> Int {
    for index in 0..<frame.count where !frame[index].isQuoted {
      let layer = frame[index]
      guard layer.status.isCutShort else { continue }
      if layer.kind == .icmp || layer.kind == .arp { return 0 }
      // tcpdump's DHCP printer reads the op, type and length, then a request's client
      // hardware address, before anything that depends on -v: a message cut before these
      // quits it the same way.
      if case .dhcp(let message) = layer.header {
        let captured = layer.range.count
        if captured < 3 || (message.op == 1 && message.hasEthernetAddress && captured < 34) {
          return 0
        }
      }
    }
    var end = 0
    var llc = false
    for index in 0..<frame.count {
      let layer = frame[index]
      switch layer.header {
      case .ethernet(let header):
        end = layer.range.upperBound
        llc = header.isLength
      case .vlan(let tag):
        end = layer.range.upperBound
        llc = tag.type < 0x0600
      case .sll(let header):
        end = layer.range.upperBound
        llc = header.protocol == 4
      case .null:
        end = layer.range.upperBound
      default:
        if llc { end += llcHeaderLength(bytes, at: end) }
        return end
      }
    }
    if llc { end += llcHeaderLength(bytes, at: end) }
    return end
  }

  /// The length of the IEEE 802.2 LLC header (with SNAP) at `offset`, as tcpdump skips it.
  static func llcHeaderLength(_ bytes: Span<UInt8>, at offset: Int) -> Int {
    guard offset + 3 <= bytes.count else { return 0 }
    let dsap = bytes[offset]
    let ssap = bytes[offset + 1]
    let control = bytes[offset + 2]
    if dsap == 0xAA && ssap == 0xAA && control == 0x03 && offset + 8 <= bytes.count { return 8 }
    if control & 3 == 3 { return 3 }
    return offset + 4 <= bytes.count ? 4 : 3
  }

  /// Appends tcpdump's hex dump lines of `data`, offsets starting at 0.
  public static func dump(_ data: Span<UInt8>, ascii: Bool, to out: inout TextBuffer) {
    var offset = 0
    while offset < data.count {
      let end = min(offset + 16, data.count)
      out.append("\t0x")
      if offset < 0x10000 {
        out.append(hex: UInt(offset), width: 4)
      } else {
        out.append(hex: UInt(offset))
      }
      out.append(": ")
      var written = 0
      var index = offset
      while index < end {
        out.append(byte: UInt8(ascii: " "))
        out.append(hexByte: data[index])
        written += 3
        if index + 1 < end {
          out.append(hexByte: data[index + 1])
          written += 2
        }
        index += 2
      }
      if ascii {
        // "%-*s  %s": the groups padded to 40 columns, then two spaces.
        for _ in written..<40 { out.append(byte: UInt8(ascii: " ")) }
        out.append("  ")
        for index in offset..<end {
          let byte = data[index]
          out.append(byte: byte > 0x20 && byte < 0x7F ? byte : UInt8(ascii: "."))
        }
      }
      out.append(byte: UInt8(ascii: "\n"))
      offset = end
    }
  }
}
