// ARP in tcpdump's -v text (print-arp.c): the address formats, which the one-line text
// gives only for unusual ones, come first in every message.

extension OneLineFormatter {
  /// `Ethernet (len 6), IPv4 (len 4), `: the hardware and protocol address formats, with
  /// tcpdump's names (`arphrd_values`, `ethertype_values`).
  func writeARPFormats(_ message: ARPMessage, to out: inout TextBuffer) {
    let hardware: StaticString? =
      switch message.hardwareType {
      case 1: "Ethernet"
      case 6: "TokenRing"
      case 7: "ArcNet"
      case 15: "FrameRelay"
      case 23: "Strip"
      case 24: "IEEE 1394"
      case 19: "ATM"
      case 32: "InfiniBand"
      default: nil
      }
    if let hardware {
      out.append(hardware)
    } else {
      out.append("Unknown Hardware (")
      out.append(decimal: message.hardwareType)
      out.append(byte: 0x29)
    }
    out.append(" (len ")
    out.append(decimal: message.hardwareLength)
    out.append("), ")
    out.append(EtherType(rawValue: message.protocolType).description)
    out.append(" (len ")
    out.append(decimal: message.protocolLength)
    out.append("), ")
  }
}
