// DHCPv6's names in tcpdump's text (print-dhcp6.c, 4.99): options and status codes.

extension OneLineFormatter {
  /// tcpdump's option names (`client-ID`, `IA_NA`, ...), `opt_N` for the others.
  static func writeDHCPv6OptionName(_ code: UInt16, to out: inout TextBuffer) {
    let name: StaticString? =
      switch code {
      case 1: "client-ID"
      case 2: "server-ID"
      case 3: "IA_NA"
      case 4: "IA_TA"
      case 5: "IA_ADDR"
      case 6: "option-request"
      case 7: "preference"
      case 8: "elapsed-time"
      case 9: "relay-message"
      case 11: "authentication"
      case 12: "server-unicast"
      case 13: "status-code"
      case 14: "rapid-commit"
      case 15: "user-class"
      case 16: "vendor-class"
      case 17: "vendor-specific-info"
      case 18: "interface-ID"
      case 19: "reconfigure-message"
      case 20: "reconfigure-accept"
      case 21: "SIP-servers-domain"
      case 22: "SIP-servers-address"
      case 23: "DNS-server"
      case 24: "DNS-search-list"
      case 25: "IA_PD"
      case 26: "IA_PD-prefix"
      case 27: "NIS-server"
      case 28: "NIS+-server"
      case 29: "NIS-domain-name"
      case 30: "NIS+-domain-name"
      case 31: "SNTP-servers"
      case 32: "lifetime"
      case 33: "BCMCS-domain-name"
      case 34: "BCMCS-server"
      case 36: "Geoconf-Civic"
      case 37: "Remote-ID"
      case 38: "Subscriber-ID"
      case 39: "Client-FQDN"
      case 40: "PANA-agent"
      case 41: "POSIX-timezone"
      case 42: "POSIX-tz-database"
      case 43: "Echo-request-option"
      case 44: "Lease-query"
      case 45: "LQ-client-data"
      case 46: "Clt-time"
      case 47: "LQ-relay-data"
      case 48: "LQ-client-link"
      case 56: "NTP-server"
      case 64: "AFTR-Name"
      case 112: "MUD-URL"
      default: nil
      }
    if let name {
      out.append(name)
    } else {
      out.append("opt_")
      out.append(decimal: code)
    }
  }

  /// tcpdump's status code names (`Success`, `NoAddrsAvail`, ...), `codeN` for the others.
  static func writeDHCPv6StatusCode(_ code: UInt16, to out: inout TextBuffer) {
    let name: StaticString? =
      switch code {
      case 0: "Success"
      case 1: "UnspecFail"
      case 2: "NoAddrsAvail"
      case 3: "NoBinding"
      case 4: "NotOnLink"
      case 5: "UseMulticast"
      case 6: "NoPrefixAvail"
      case 7: "UnknownQueryType"
      case 8: "MalformedQuery"
      case 9: "NotConfigured"
      case 10: "NotAllowed"
      default: nil
      }
    if let name {
      out.append(name)
    } else if code > 255 {
      out.append("INVALID code")
    } else {
      out.append("code")
      out.append(decimal: code)
    }
  }
}
