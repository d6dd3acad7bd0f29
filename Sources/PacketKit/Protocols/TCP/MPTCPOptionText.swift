// The text tcpdump -n prints after `mptcp` for a Multipath TCP option (TCP option kind 30,
// RFC 6824 and RFC 8684): the option length, the subtype name and its fields
// (print-mptcp.c, non-verbose form), e.g. `4 capable v1` or `26 dss ack 17 seq 1 subseq 1 len 16`.

/// tcpdump's one-line text for a Multipath TCP option.
enum MPTCPOptionText {
  static let syn: UInt8 = 0x02
  static let ack: UInt8 = 0x10

  /// Writes ` LEN SUBTYPE FIELDS` for the option `option` (kind, length and data; the caller
  /// checked that the option length's bytes are all there, so `option.count` is that length).
  /// Returns false where tcpdump finds the option invalid for its length or the segment's
  /// flags; the text written until then stays, and tcpdump's option loop then prints
  /// `[bad opt]` and ends the line.
  ///
  /// - Parameters:
  ///   - option: the whole option, from its kind byte to its last byte.
  ///   - tcpFlags: the segment's flags byte (SYN and ACK choose among the option's forms).
  ///   - out: where the text goes.
  static func write(_ option: Span<UInt8>, tcpFlags: UInt8, to out: inout TextBuffer) -> Bool {
    let length = option.count
    guard length >= 3 else { return false }
    out.append(byte: 0x20)
    out.append(decimal: length)
    switch option[2] >> 4 {
    case 0:
      out.append(" capable")
      return capable(option, tcpFlags: tcpFlags, to: &out)
    case 1:
      out.append(" join")
      return join(option, tcpFlags: tcpFlags, to: &out)
    case 2:
      out.append(" dss")
      return dataSequenceSignal(option, tcpFlags: tcpFlags, to: &out)
    case 3:
      out.append(" add-addr")
      return addAddress(option, to: &out)
    case 4:
      out.append(" rem-addr")
      return removeAddress(option, to: &out)
    case 5:
      out.append(" prio")
      return priority(option, to: &out)
    case 6:
      out.append(" fail")
      guard length == 12 else { return false }
      out.append(" seq ")
      out.append(decimal: option.be64(at: 4))
      return true
    case 7:
      out.append(" fast-close")
      guard length == 12 else { return false }
      out.append(" key 0x")
      out.append(hex: option.be64(at: 4))
      return true
    default:
      out.append(" unknown")
      return true
    }
  }

  /// MP_CAPABLE: 4 or 12 bytes on a SYN, 20 or 22 on an ACK without SYN.
  static func capable(_ option: Span<UInt8>, tcpFlags: UInt8, to out: inout TextBuffer) -> Bool {
    let length = option.count
    let onSYN = (length == 4 || length == 12) && tcpFlags & syn != 0
    let onACK = (length == 20 || length == 22) && tcpFlags & (syn | ack) == ack
    guard onSYN || onACK else { return false }
    let version = option[2] & 0x0F
    guard version <= 1 else {
      out.append(" Unknown Version (")
      out.append(decimal: version)
      out.append(byte: 0x29)
      return true
    }
    out.append(" v")
    out.append(decimal: version)
    if option[3] & 0x80 != 0 { out.append(" csum") }
    if length == 12 || length >= 20 {
      out.append(" {0x")
      out.append(hex: option.be64(at: 4))
      if length >= 20 {
        out.append(",0x")
        out.append(hex: option.be64(at: 12))
      }
      out.append(byte: 0x7D)
    }
    return true
  }

  /// MP_JOIN: 12 bytes on a SYN, 16 on a SYN-ACK, 24 on an ACK.
  static func join(_ option: Span<UInt8>, tcpFlags: UInt8, to out: inout TextBuffer) -> Bool {
    let length = option.count
    guard
      (length == 12 && tcpFlags & syn != 0)
        || (length == 16 && tcpFlags & (syn | ack) == syn | ack)
        || (length == 24 && tcpFlags & ack != 0)
    else { return false }
    if length != 24 {
      if option[2] & 0x01 != 0 { out.append(" backup") }
      out.append(" id ")
      out.append(decimal: option[3])
    }
    switch length {
    case 12:
      out.append(" token 0x")
      out.append(hex: option.be32(at: 4))
      out.append(" nonce 0x")
      out.append(hex: option.be32(at: 8))
    case 16:
      out.append(" hmac 0x")
      out.append(hex: option.be64(at: 4))
      out.append(" nonce 0x")
      out.append(hex: option.be32(at: 12))
    default:
      out.append(" hmac 0x")
      for offset in 4..<24 { out.append(hexByte: option[offset]) }
    }
    return true
  }

  /// DSS: the data ACK (`a` flag: 8 bytes, else 4) when `A` is set, and the mapping (data
  /// sequence number, 8 bytes with `m`, else 4; subflow sequence number; data-level length;
  /// an optional checksum) when `M` is set. Bytes left over make the option invalid.
  static func dataSequenceSignal(
    _ option: Span<UInt8>, tcpFlags: UInt8, to out: inout TextBuffer
  ) -> Bool {
    guard option.count >= 4, tcpFlags & syn == 0 else { return false }
    let flags = option[3]
    var cursor = 4
    var left = option.count - 4
    /// Writes the 8- or 4-byte number at the cursor; false when the option is too short.
    func number(wide: Bool, to out: inout TextBuffer) -> Bool {
      let size = wide ? 8 : 4
      guard left >= size else { return false }
      if wide {
        out.append(decimal: option.be64(at: cursor))
      } else {
        out.append(decimal: option.be32(at: cursor))
      }
      cursor += size
      left -= size
      return true
    }
    if flags & 0x10 != 0 { out.append(" fin") }
    if flags & 0x01 != 0 {
      out.append(" ack ")
      guard number(wide: flags & 0x02 != 0, to: &out) else { return false }
    }
    if flags & 0x04 != 0 {
      out.append(" seq ")
      guard number(wide: flags & 0x08 != 0, to: &out) else { return false }
      guard left >= 4 else { return false }
      out.append(" subseq ")
      out.append(decimal: option.be32(at: cursor))
      cursor += 4
      left -= 4
      guard left >= 2 else { return false }
      out.append(" len ")
      out.append(decimal: option.be16(at: cursor))
      cursor += 2
      left -= 2
      if left >= 2 {
        out.append(" csum 0x")
        out.append(hex: option.be16(at: cursor))
        left -= 2
      }
    }
    return left == 0
  }

  /// ADD_ADDR: version/echo, address id, an IPv4 (lengths 8, 10, 16, 18) or IPv6 (20, 22,
  /// 28, 30) address, a port (lengths 10, 18, 22, 30) and an HMAC (16, 18, 28, 30).
  static func addAddress(_ option: Span<UInt8>, to out: inout TextBuffer) -> Bool {
    let length = option.count
    let addressSize: Int
    switch length {
    case 8, 10, 16, 18: addressSize = 4
    case 20, 22, 28, 30: addressSize = 16
    default: return false
    }
    switch option[2] & 0x0F {
    case 0x6: out.append(" v0-ip6")
    case 0x4: out.append(" v0-ip4")
    case 0x1: out.append(" v1-echo")
    case 0x0: out.append(" v1")
    default: out.append(" [bad version/echo]")
    }
    out.append(" id ")
    out.append(decimal: option[3])
    out.append(byte: 0x20)
    if addressSize == 4 {
      IPv4Address(option, at: 4).write(to: &out)
    } else {
      IPv6Address(high: option.be64(at: 4), low: option.be64(at: 12)).write(to: &out)
    }
    let withPort = length == 10 || length == 18 || length == 22 || length == 30
    let afterAddress = 4 + addressSize
    if withPort {
      out.append(byte: 0x3A)
      out.append(decimal: option.be16(at: afterAddress))
    }
    if length == 16 || length == 18 || length == 28 || length == 30 {
      out.append(" hmac 0x")
      out.append(hex: option.be64(at: afterAddress + (withPort ? 2 : 0)))
    }
    return true
  }

  /// REMOVE_ADDR: the address ids after the subtype byte.
  static func removeAddress(_ option: Span<UInt8>, to out: inout TextBuffer) -> Bool {
    guard option.count >= 4 else { return false }
    out.append(" id")
    for offset in 3..<option.count {
      out.append(byte: 0x20)
      out.append(decimal: option[offset])
    }
    return true
  }

  /// MP_PRIO: the backup bit and, in the 4-byte form, the address id.
  static func priority(_ option: Span<UInt8>, to out: inout TextBuffer) -> Bool {
    guard option.count == 3 || option.count == 4 else { return false }
    out.append(option[2] & 0x01 != 0 ? " backup" : " non-backup")
    if option.count == 4 {
      out.append(" id ")
      out.append(decimal: option[3])
    }
    return true
  }
}
