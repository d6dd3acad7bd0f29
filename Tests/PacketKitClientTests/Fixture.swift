#if canImport(Glibc)
  import Glibc
#endif

/// Where the repository's capture fixtures are, found from this file's path as an outside
/// test suite would (no test-support module).
enum Fixture {
  /// The path of `Fixtures/<name>` in the repository.
  static func path(_ name: String) -> String {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/PacketKitClientTests/Fixture.swift
    return (parts + ["Fixtures", Substring(name)]).joined(separator: "/")
  }

  /// Every pcap and pcapng fixture's name.
  static let captureFiles = [
    "dhcp.pcap", "dhcpv6.pcap", "dns-damaged.pcap", "dns-mdns-llmnr.pcap", "dns-tcp.pcap",
    "dns-udp.pcap", "ethernet-8023-llc.pcap", "ethernet-arp.pcap", "ethernet-gre.pcap",
    "ethernet-icmpv6.pcap", "ethernet-igmp.pcap", "ethernet-ipip.pcap", "ethernet-ipv4-icmp.pcap",
    "ethernet-ipv4-options.pcap", "ethernet-ipv4-tcp.pcap", "ethernet-ipv4-udp.pcap",
    "ethernet-ipv6.pcap", "ethernet-mpls.pcap", "ethernet-vlan.pcap", "ethernet-vxlan.pcap",
    "http.pcap", "ipv4-linktype.pcap", "ipv6-linktype.pcap", "linux-sll.pcap", "linux-sll2.pcap",
    "loop.pcap", "malformed.pcap", "mixed.pcap", "multi-interface.pcapng", "ns-bigendian.pcap",
    "ntp.pcap", "null-loopback.pcap", "pcapng-bigendian.pcapng", "raw-ip.pcap", "sections.pcapng",
    "snaplen-truncated.pcap", "tls.pcap", "tunnels-damaged.pcap",
  ]

  /// A path in the temporary directory unique to this process and `name`.
  static func temporaryPath(_ name: String) -> String {
    "/tmp/packetkit-client-\(getpid())-\(name)"
  }
}
