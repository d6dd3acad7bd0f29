// MPLS in tcpdump's -v text (print-mpls.c): reserved labels by name, each label stack entry
// and the payload on lines of their own.

extension OneLineFormatter {
  /// ` (IPv4 explicit NULL)` for a reserved label (0 to 15), nothing for the others.
  static func writeMPLSLabelName(_ label: UInt32, to out: inout TextBuffer) {
    switch label {
    case 0: out.append(" (IPv4 explicit NULL)")
    case 1: out.append(" (router alert)")
    case 2: out.append(" (IPv6 explicit NULL)")
    case 3: out.append(" (implicit NULL)")
    case 4..<16: out.append(" (rsvd)")
    default: break
    }
  }
}
