// Telnet commands at the start of a TCP payload as tcpdump's print-telnet.c prints them (text
// only: the payload stays `raw` in rawtool's layers): ` [telnet IP, DO TIMING MARK]`.

extension OneLineFormatter {
  /// Telnet command names from 236 (EOF) to 255 (IAC).
  static let telnetCommands: [StaticString] = [
    "EOF", "SUSP", "ABORT", "EOR", "SE", "NOP", "DMARK", "BRK", "IP", "AO", "AYT", "EC", "EL",
    "GA", "SB", "WILL", "WONT", "DO", "DONT", "IAC",
  ]

  /// Telnet option names from 0 (BINARY) to 39 (NEW-ENVIRON).
  static let telnetOptions: [StaticString] = [
    "BINARY", "ECHO", "RCP", "SUPPRESS GO AHEAD", "NAME", "STATUS", "TIMING MARK", "RCTE",
    "NAOL", "NAOP", "NAOCRD", "NAOHTS", "NAOHTD", "NAOFFD", "NAOVTS", "NAOVTD", "NAOLFD",
    "EXTEND ASCII", "LOGOUT", "BYTE MACRO", "DATA ENTRY TERMINAL", "SUPDUP", "SUPDUP OUTPUT",
    "SEND LOCATION", "TERMINAL TYPE", "END OF RECORD", "TACACS UID", "OUTPUT MARKING",
    "TTYLOC", "3270 REGIME", "X.3 PAD", "NAWS", "TSPEED", "LFLOW", "LINEMODE", "XDISPLOC",
    "OLD-ENVIRON", "AUTHENTICATION", "ENCRYPT", "NEW-ENVIRON",
  ]

  /// Sub-negotiation qualifiers: the generic ones, AUTHENTICATION's and ENCRYPT's, with the
  /// type names that follow the latter two ("" where tcpdump has no name).
  static let telnetQualifiers: [StaticString] = ["IS", "SEND", "INFO"]
  static let telnetAuthCommands: [StaticString] = ["IS", "SEND", "REPLY", "NAME"]
  static let telnetAuthTypes: [StaticString] = [
    "NULL", "KERBEROS_V4", "KERBEROS_V5", "SPX", "MINK", "SRP", "RSA", "SSL", "", "", "LOKI",
    "SSA", "KEA_SJ", "KEA_SJ_INTEG", "DSS", "NTLM",
  ]
  static let telnetEncryptCommands: [StaticString] = [
    "IS", "SUPPORT", "REPLY", "START", "END", "REQUEST-START", "REQUEST-END", "END_KEYID",
    "DEC_KEYID",
  ]
  static let telnetEncryptTypes: [StaticString] = [
    "NULL", "DES_CFB64", "DES_OFB64", "DES3_CFB64", "DES3_OFB64", "", "CAST5_40_CFB64",
    "CAST5_40_OFB64", "CAST128_CFB64", "CAST128_OFB64",
  ]

  /// The commands at the start of a TCP payload in `start..<end` (the bytes captured;
  /// `length` the payload's length from the headers): nothing when it does not start with
  /// IAC, as tcpdump.
  func telnet(
    _ bytes: Span<UInt8>, start: Int, end: Int, length: Int, to out: inout TextBuffer
  ) {
    var position = start
    // tcpdump keeps the length unsigned: a sub-negotiation that ends past it wraps it.
    var remaining = UInt32(clamping: length)
    var first = true
    while remaining > 0 {
      guard position < end else { return out.append(" [|telnet]") }
      guard bytes[position] == 0xFF else { break }
      // A first pass measures the command and writes nothing (tcpdump parses it twice).
      let parsed = Self.telnetCommand(
        bytes, at: position, end: end, length: remaining, print: false, to: &out)
      guard parsed != 0 else { break }
      guard parsed > 0 else { return out.append(" [|telnet]") }
      out.append(first ? " [telnet " : ", ")
      _ = Self.telnetCommand(
        bytes, at: position, end: end, length: remaining, print: true, to: &out)
      first = false
      position += parsed
      remaining &-= UInt32(parsed)
    }
    if !first { out.append(byte: 0x5D) }
  }

  /// One command at `start` (tcpdump's `telnet_parse`): its length in bytes, 0 when it is
  /// not a command tcpdump prints (it stops there), -1 when the capture ends inside it.
  static func telnetCommand(
    _ bytes: Span<UInt8>, at start: Int, end: Int, length: UInt32, print: Bool,
    to out: inout TextBuffer
  ) -> Int {
    var cursor = TelnetCursor(position: start, remaining: length, end: end)
    guard let iac = cursor.fetch(bytes) else { return 0 }
    guard iac >= 0 else { return -1 }
    guard iac == 0xFF else { return 0 }
    guard let command = cursor.fetch(bytes) else { return 0 }
    guard command >= 0 else { return -1 }
    if command == 0xFF {
      if print { out.append("IAC IAC") }
      return cursor.position - start
    }
    guard command >= 236 else { return 0 }
    let name = telnetCommands[command - 236]
    switch command {
    case 250...254:
      guard let option = cursor.fetch(bytes) else { return 0 }
      guard option >= 0 else { return -1 }
      if print {
        out.append(name)
        out.append(byte: 0x20)
        if option < telnetOptions.count {
          out.append(telnetOptions[option])
        } else {
          writeAlternateHex(option, to: &out)
        }
      }
      guard command == 250 else { break }
      // Sub-negotiation: up to IAC SE.
      var scan = cursor.position
      while Int(cursor.remaining) > scan + 1 - cursor.position {
        guard scan < end else { return -1 }
        if bytes[scan] == 0xFF {
          guard scan + 1 < end else { return -1 }
          if bytes[scan + 1] == 0xF0 { break }
        }
        scan += 1
      }
      guard scan < end else { return -1 }
      guard bytes[scan] == 0xFF else { return 0 }
      let (first, second): ([StaticString], [StaticString]?) =
        switch option {
        case 37: (telnetAuthCommands, telnetAuthTypes)
        case 38: (telnetEncryptCommands, telnetEncryptTypes)
        default: (telnetQualifiers, nil)
        }
      guard
        telnetQualifier(bytes, &cursor, before: scan, first, print: print, to: &out),
        second.map({ telnetQualifier(bytes, &cursor, before: scan, $0, print: print, to: &out) })
          ?? true
      else { return 0 }
      while scan > cursor.position {
        guard let value = cursor.fetch(bytes), value >= 0 else { return 0 }
        if print {
          out.append(byte: 0x20)
          writeAlternateHex(value, to: &out)
        }
      }
      if print { out.append(" SE") }
      cursor.position += 2
    default:
      if print { out.append(name) }
    }
    return cursor.position - start
  }

  /// A sub-negotiation's qualifier (`IS`, `SEND`, ...) by `names`, when a byte is left
  /// before the IAC SE at `scan`; false when the length ran out.
  static func telnetQualifier(
    _ bytes: Span<UInt8>, _ cursor: inout TelnetCursor, before scan: Int,
    _ names: [StaticString], print: Bool, to out: inout TextBuffer
  ) -> Bool {
    guard scan > cursor.position else { return true }
    guard let value = cursor.fetch(bytes), value >= 0 else { return false }
    if print {
      out.append(byte: 0x20)
      if value < names.count, names[value].utf8CodeUnitCount > 0 {
        out.append(names[value])
      } else {
        writeAlternateHex(value, to: &out)
      }
    }
    return true
  }

  /// printf's `%#x`: `0` for zero, `0x1f` otherwise.
  static func writeAlternateHex(_ value: Int, to out: inout TextBuffer) {
    if value != 0 { out.append("0x") }
    out.append(hex: UInt(value))
  }
}

/// Where tcpdump's Telnet parser is in a command: the next byte and the payload length left
/// (unsigned, as tcpdump keeps it).
struct TelnetCursor {
  var position: Int
  var remaining: UInt32
  let end: Int

  /// The next byte: nil when the length is used up (the command is not printed), -1 when
  /// the capture ended.
  mutating func fetch(_ bytes: Span<UInt8>) -> Int? {
    guard remaining >= 1 else { return nil }
    guard position < end else { return -1 }
    let byte = bytes[position]
    position += 1
    remaining -= 1
    return Int(byte)
  }
}
