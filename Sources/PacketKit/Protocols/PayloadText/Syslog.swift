// BSD syslog (RFC 3164) as tcpdump's print-syslog.c prints it (text only: the UDP payload
// stays `raw` in rawtool's layers): `SYSLOG user.notice, length: 29`, and at -v the
// facility, severity and message on lines of their own (-vv adds a hex dump).

extension OneLineFormatter {
  /// A syslog message in `start..<end` (the bytes captured; `length` from the UDP header).
  func syslog(
    _ bytes: Span<UInt8>, start: Int, end: Int, length: Int, to out: inout TextBuffer
  ) {
    var offset = start
    guard offset < end else { return out.append(" [|syslog]") }
    guard bytes[offset] == UInt8(ascii: "<") else { return out.append(" (invalid)") }
    offset += 1
    var priority = 0
    while offset - start <= 3 {
      guard offset < end else { return out.append(" [|syslog]") }
      let digit = bytes[offset]
      guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { break }
      priority = priority * 10 + Int(digit - UInt8(ascii: "0"))
      offset += 1
    }
    guard offset < end else { return out.append(" [|syslog]") }
    guard bytes[offset] == UInt8(ascii: ">") else { return out.append(" (invalid)") }
    offset += 1
    let facility = (priority & 0x3F8) >> 3
    let severity = priority & 0x7
    guard verbosity > 0 else {
      out.append("SYSLOG ")
      Self.writeSyslogFacility(facility, to: &out)
      out.append(byte: 0x2E)
      Self.writeSyslogSeverity(severity, to: &out)
      out.append(", length: ")
      out.append(decimal: length)
      return
    }
    out.append("SYSLOG, length: ")
    out.append(decimal: length)
    out.append("\n\tFacility ")
    Self.writeSyslogFacility(facility, to: &out)
    out.append(" (")
    out.append(decimal: facility)
    out.append("), Severity ")
    Self.writeSyslogSeverity(severity, to: &out)
    out.append(" (")
    out.append(decimal: severity)
    out.append(")\n\tMsg: ")
    while offset < start + length {
      guard offset < end else { return out.append(" [|syslog]") }
      Self.writeCharacter(bytes[offset], to: &out)
      offset += 1
    }
    if verbosity > 1 {
      Self.writeHexLines(bytes, from: start, count: length, prefix: "\n\t", to: &out)
    }
  }

  /// tcpdump's `syslog_facility_values`, `unknown (N)` past them.
  static func writeSyslogFacility(_ facility: Int, to out: inout TextBuffer) {
    let name: StaticString =
      switch facility {
      case 0: "kernel"
      case 1: "user"
      case 2: "mail"
      case 3: "daemon"
      case 4: "auth"
      case 5: "syslog"
      case 6: "lpr"
      case 7: "news"
      case 8: "uucp"
      case 9: "cron"
      case 10: "authpriv"
      case 11: "ftp"
      case 12: "ntp"
      case 13: "security"
      case 14: "console"
      case 15: "cron"
      case 16: "local0"
      case 17: "local1"
      case 18: "local2"
      case 19: "local3"
      case 20: "local4"
      case 21: "local5"
      case 22: "local6"
      case 23: "local7"
      default: ""
      }
    if name.utf8CodeUnitCount == 0 {
      out.append("unknown (")
      out.append(decimal: facility)
      out.append(byte: 0x29)
    } else {
      out.append(name)
    }
  }

  /// tcpdump's `syslog_severity_values` (every 3-bit value has a name).
  static func writeSyslogSeverity(_ severity: Int, to out: inout TextBuffer) {
    switch severity {
    case 0: out.append("emergency")
    case 1: out.append("alert")
    case 2: out.append("critical")
    case 3: out.append("error")
    case 4: out.append("warning")
    case 5: out.append("notice")
    case 6: out.append("info")
    default: out.append("debug")
    }
  }
}
