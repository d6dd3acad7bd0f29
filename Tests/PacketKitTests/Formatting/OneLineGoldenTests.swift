import PacketKit
import Testing

// Golden lines: what `TZ=UTC tcpdump -nr Fixtures/<file>` (tcpdump 4.99.3) prints, STP, CDP,
// SYSLOG and Telnet payloads included. linux-sll2 uses interface name "lo" (its index 1), as
// tcpdump shows.

@Suite("OneLineFormatter golden lines")
struct OneLineGoldenTests {
  static let expected: [(file: String, lines: [String])] = [
    (
      "ethernet-ipv4-tcp.pcap",
      [
        "22:13:20.000001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1000, win 64240, options [mss 1460,sackOK,TS val 100 ecr 0,nop,wscale 7], length 0",
        "22:13:20.001001 IP 192.0.2.2.80 > 192.0.2.1.40000: Flags [S.], seq 5000, ack 1001, win 65160, options [mss 1460,sackOK,TS val 200 ecr 100,nop,wscale 7], length 0",
        "22:13:20.002001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [.], ack 1, win 502, options [nop,nop,TS val 101 ecr 200], length 0",
        "22:13:20.003001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [P.], seq 1:36, ack 1, win 502, options [nop,nop,TS val 102 ecr 200], length 35: HTTP: GET / HTTP/1.1",
        "22:13:20.004001 IP 192.0.2.2.80 > 192.0.2.1.40000: Flags [P.], seq 1:44, ack 36, win 509, options [nop,nop,TS val 203 ecr 102], length 43: HTTP: HTTP/1.0 200 OK",
        "22:13:20.005001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [.], ack 44, win 501, options [nop,nop,TS val 104 ecr 203,nop,nop,sack 2 {100:200}{300:400}], length 0",
        "22:13:20.006001 IP 192.0.2.2.80 > 192.0.2.1.40000: Flags [F.], seq 44, ack 36, win 509, length 0",
        "22:13:20.007001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [F.], seq 36, ack 45, win 501, length 0",
        "22:13:20.008001 IP 192.0.2.2.80 > 192.0.2.1.40000: Flags [.], ack 37, win 509, length 0",
        "22:13:20.009001 IP 192.0.2.1.40001 > 192.0.2.2.81: Flags [S], seq 7000, win 1024, length 0",
        "22:13:20.010001 IP 192.0.2.2.81 > 192.0.2.1.40001: Flags [R.], seq 0, ack 7001, win 0, length 0",
        "22:13:20.011001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [R], seq 9999, win 0, length 0",
        "22:13:20.012001 IP 192.0.2.1.40002 > 192.0.2.2.23: Flags [P.U], seq 8000:8005, ack 9000, win 1024, urg 3, length 5 [telnet IP, DO TIMING MARK]",
        "22:13:20.013001 IP 192.0.2.1.40003 > 192.0.2.2.80: Flags [SEW], seq 11000, win 64240, options [mss 1460], length 0",
        "22:13:20.014001 IP 192.0.2.2.80 > 192.0.2.1.40003: Flags [S.E], seq 12000, ack 11001, win 65160, options [mss 1460], length 0",
        "22:13:20.015001 IP 192.0.2.1.40003 > 192.0.2.2.80: Flags [P.E], seq 1:10, ack 1, win 502, length 9: HTTP",
        "22:13:20.016001 IP 192.0.2.2.80 > 192.0.2.1.40003: Flags [.W], ack 10, win 509, length 0",
        "22:13:20.017001 IP 192.0.2.1.40004 > 192.0.2.2.80: Flags [S], seq 13000, win 1024, options [mss 1460,exp-0102,nop,nop], length 0",
        "22:13:20.018001 IP 192.0.2.1.40005 > 192.0.2.2.80: Flags [S], seq 14000, win 1024, options [mss 1460,nop,eol], length 0",
      ]
    ),
    (
      "ethernet-ipv4-udp.pcap",
      [
        "22:13:20.000001 IP 192.0.2.1.53000 > 192.0.2.2.53: 4660+ A? example.com. (29)",
        "22:13:20.001001 IP 192.0.2.2.53 > 192.0.2.1.53000: 4660 1/0/0 A 192.0.2.1 (45)",
        "22:13:20.002001 IP 192.0.2.1.5000 > 192.0.2.2.5001: UDP, length 11",
        "22:13:20.003001 IP 192.0.2.1.5000 > 192.0.2.2.5001: UDP, length 16",
        "22:13:20.004001 IP 192.0.2.1.5000 > 192.0.2.2.5001: UDP, length 15",
        "22:13:20.005001 IP 192.0.2.1.514 > 198.51.100.1.514: SYSLOG user.notice, length: 29",
        "22:13:20.006001 IP 192.0.2.1.7 > 192.0.2.2.7: UDP, length 0",
        "22:13:20.007001 IP 192.0.2.1.9 > 192.0.2.2.9: UDP, length 1024",
      ]
    ),
    (
      "ethernet-ipv4-icmp.pcap",
      [
        "22:13:20.000001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 257, seq 1, length 56",
        "22:13:20.001001 IP 192.0.2.2 > 192.0.2.1: ICMP echo reply, id 257, seq 1, length 56",
        "22:13:20.002001 IP 192.0.2.1 > 192.0.2.2: ICMP time stamp query id 514 seq 7, length 20",
        "22:13:20.003001 IP 192.0.2.2 > 192.0.2.1: ICMP time stamp reply id 514 seq 7: org 10:00:00.000, recv 10:00:00.010, xmit 10:00:00.011, length 20",
        "22:13:20.004001 IP 192.0.2.2 > 192.0.2.1: ICMP 192.0.2.2 udp port 33434 unreachable, length 41",
        "22:13:20.005001 IP 198.51.100.1 > 192.0.2.1: ICMP time exceeded in-transit, length 36",
        "22:13:20.006001 IP 192.0.2.3 > 192.0.2.1: ICMP redirect 203.0.113.2 to host 192.0.2.3, length 36",
        "22:13:20.007001 IP 198.51.100.1 > 192.0.2.1: ICMP host 203.0.113.2 unreachable, length 56",
        "22:13:20.008001 IP 198.51.100.1 > 192.0.2.1: ICMP 203.0.113.1 unreachable - need to frag (mtu 1280), length 36",
      ]
    ),
    (
      "ethernet-ipv4-options.pcap",
      [
        "22:13:20.000001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 1, seq 1, length 8",
        "22:13:20.001001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 1, seq 2, length 8",
        "22:13:20.002001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 1, seq 3, length 8",
        "22:13:20.003001 IP 192.0.2.1 > 224.0.0.22: igmp v3 report, 1 group record(s)",
        "22:13:20.004001 IP 192.0.2.1.5000 > 192.0.2.2.5001: UDP, length 11",
        "22:13:20.005001 IP 192.0.2.1.5000 > 192.0.2.2.5001: UDP, length 13",
        "22:13:20.006001 IP 192.0.2.1.5000 > 192.0.2.2.5001: UDP, length 132",
        "22:13:20.007001 IP 192.0.2.1 > 192.0.2.2: ip-proto-17",
        "22:13:20.008001 IP 192.0.2.1 > 192.0.2.2: ip-proto-17",
        "22:13:20.009001 IP 192.0.2.2 > 192.0.2.1: ICMP echo reply, id 1, seq 1, length 8",
      ]
    ),
    (
      "ethernet-icmpv6.pcap",
      [
        "22:13:20.000001 IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 771, seq 1, length 21",
        "22:13:20.001001 IP6 2001:db8::2 > 2001:db8::1: ICMP6, echo reply, id 771, seq 1, length 21",
        "22:13:20.002001 IP6 2001:db8::1 > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has 2001:db8::2, length 32",
        "22:13:20.003001 IP6 2001:db8::2 > 2001:db8::1: ICMP6, neighbor advertisement, tgt is 2001:db8::2, length 32",
        "22:13:20.004001 IP6 fe80::200:ff:fe00:1 > ff02::2: ICMP6, router solicitation, length 16",
        "22:13:20.005001 IP6 fe80::200:ff:fe00:3 > ff02::1: ICMP6, router advertisement, length 56",
        "22:13:20.006001 IP6 fe80::200:ff:fe00:3 > 2001:db8::1: ICMP6, redirect, 2001:db8:0:2::5 to fe80::200:ff:fe00:2, length 112",
        "22:13:20.007001 IP6 2001:db8::2 > 2001:db8::1: ICMP6, destination unreachable, unreachable port, 2001:db8::2 udp port 33434, length 62",
        "22:13:20.008001 IP6 2001:db8::3 > 2001:db8::1: ICMP6, packet too big, mtu 1280, length 132",
        "22:13:20.009001 IP6 2001:db8::3 > 2001:db8::1: ICMP6, time exceeded in-transit for 2001:db8::4, length 62",
      ]
    ),
    (
      "ethernet-ipv6.pcap",
      [
        "22:13:20.000001 IP6 2001:db8::1.40000 > 2001:db8::2.443: Flags [S], seq 1, win 64800, options [mss 1440,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0",
        "22:13:20.001001 IP6 2001:db8::2.443 > 2001:db8::1.40000: Flags [S.], seq 100, ack 2, win 64260, options [mss 1440], length 0",
        "22:13:20.002001 IP6 2001:db8::1.5000 > 2001:db8::2.5001: UDP, length 8",
        "22:13:20.003001 IP6 fe80::200:ff:fe00:1 > ff02::16: HBH ICMP6, multicast listener reportmax resp delay: 0 addr: ff02::fb, length 24",
        "22:13:20.004001 IP6 2001:db8::1 > 2001:db8::2: DSTOPT 5000 > 5001: UDP, length 6",
        "22:13:20.005001 IP6 2001:db8::1 > 2001:db8::3: RT6 (len=4, type=0 [Deprecated], segleft=2, [0]2001:db8::4, [1]2001:db8::2) 5000 > 5001: UDP, length 3",
        "22:13:20.006001 IP6 2001:db8::1 > 2001:db8::3: RT6 (len=6, type=4, segleft=2, last-entry=2, tag=0, [0]2001:db8::2, [1]2001:db8::4, [2]2001:db8::3) 5000 > 5001: UDP, length 4",
        "22:13:20.007001 IP6 2001:db8::1 > 2001:db8::2: frag (0|56) 5000 > 5001: UDP, length 96",
        "22:13:20.008001 IP6 2001:db8::1 > 2001:db8::2: frag (56|48)",
        "22:13:20.009001 IP6 2001:db8::1 > 2001:db8::2: HBH DSTOPT frag (0|20) 40001 > 80: Flags [.], ack 6, win 100, length 0",
        "22:13:20.010001 IP6 2001:db8::1.5000 > 2001:db8::2.5001: UDP, length 12",
      ]
    ),
    (
      "ethernet-arp.pcap",
      [
        "22:13:20.000001 ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 46",
        "22:13:20.001001 ARP, Reply 192.0.2.2 is-at 02:00:00:00:00:02, length 46",
        "22:13:20.002001 ARP, Request who-has 192.0.2.3 tell 192.0.2.3, length 46",
        "22:13:20.003001 ARP, Reply 192.0.2.3 is-at 02:00:00:00:00:03, length 46",
        "22:13:20.004001 ARP, Reverse Request who-is 02:00:00:00:00:04 tell 02:00:00:00:00:04, length 46",
        "22:13:20.005001 ARP, Reverse Reply 02:00:00:00:00:04 at 192.0.2.4, length 46",
        "22:13:20.006001 ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 56",
        "22:13:20.007001 ARP, Reply 192.0.2.5 is-at 02:00:00:00:00:00:00:05, length 46",
      ]
    ),
    (
      "ethernet-vlan.pcap",
      [
        "22:13:20.000001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 8, seq 1, length 17",
        "22:13:20.001001 IP 192.0.2.2 > 192.0.2.1: ICMP echo reply, id 8, seq 1, length 17",
        "22:13:20.002001 IP 192.0.2.1.6000 > 192.0.2.2.6001: UDP, length 4",
        "22:13:20.003001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1, win 1024, length 0",
        "22:13:20.004001 ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 42",
        "22:13:20.005001 IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 1, seq 1, length 8",
        "22:13:20.006001 IP 192.0.2.1.6000 > 192.0.2.2.6001: UDP, length 15",
      ]
    ),
    (
      "ethernet-ipip.pcap",
      [
        "22:13:20.000001 IP 198.51.100.1 > 198.51.100.2: IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 18, seq 1, length 16",
        "22:13:20.001001 IP 198.51.100.1 > 198.51.100.2: IP6 2001:db8::1.5000 > 2001:db8::2.5001: UDP, length 4",
        "22:13:20.002001 IP6 2001:db8::3 > 2001:db8::4: IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1, win 1024, length 0",
        "22:13:20.003001 IP6 2001:db8::3 > 2001:db8::4: IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 18, seq 2, length 12",
        "22:13:20.004001 IP 203.0.113.1 > 203.0.113.2: IP 198.51.100.1 > 198.51.100.2: IP 192.0.2.1.5000 > 192.0.2.2.5001: UDP, length 7",
      ]
    ),
    (
      "ethernet-8023-llc.pcap",
      [
        "22:13:20.000001 STP 802.1d, Config, Flags [none], bridge-id 8000.02:00:00:00:00:01.8001, length 35",
        "22:13:20.001001 CDPv2, ttl: 180s (TLV length 24944 > 12) (invalid)",
        "22:13:20.002001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 9, seq 1, length 8",
        "22:13:20.003001 IP 192.0.2.2.80 > 192.0.2.1.40000: Flags [.], ack 1, win 512, length 0",
        "22:13:20.004001 IP 192.0.2.1.7 > 192.0.2.2.7: UDP, length 2",
        "22:13:20.005001 IP 192.0.2.2 > 192.0.2.1: ICMP echo reply, id 9, seq 1, length 8",
      ]
    ),
    (
      "malformed.pcap",
      [
        "22:13:20.000001 IP bad-hlen 16",
        "22:13:20.001001 IP truncated-ip - 164 bytes missing! 192.0.2.1.1 > 192.0.2.2.2: UDP, length 8",
        "22:13:20.002001 IP bad-len 16",
        "22:13:20.003001 IP 192.0.2.1.40000 > 192.0.2.2.80:  tcp 12 [bad hdr length 12 - too short, < 20]",
        "22:13:20.004001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [.] [bad hdr length 60 - too long, > 24]",
        "22:13:20.005001 IP 192.0.2.1.1 > 192.0.2.2.2: truncated-udplength 4",
        "22:13:20.006001 IP 192.0.2.1.1 > 192.0.2.2.2: UDP, bad length 92 > 8",
        "22:13:20.007001 IP6 truncated-ip6 - 384 bytes missing!2001:db8::1.1 > 2001:db8::2.2: UDP, length 8",
        "22:13:20.008001 IP6 2001:db8::1 > 2001:db8::2:  [|hbhopt]",
        "22:13:20.009001 IP 192.0.2.1 > 192.0.2.2:  [|icmp]",
        "22:13:20.010001  [|arp]",
        "22:13:20.011001 IP5 (invalid)",
        "22:13:20.012001 IP7 (invalid)",
        "22:13:20.013001 IP6 version error: 4 != 6",
        "22:13:20.014001  [|ether]",
        "22:13:20.015001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1, win 512, options [[bad opt]",
        "22:13:20.016001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1, win 512, options [nop,nop,[bad opt]]",
      ]
    ),
    (
      "snaplen-truncated.pcap",
      [
        "22:13:20.000001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [P.], seq 1:101, ack 1, win 512, length 100: HTTP",
        "22:13:20.001001 IP 192.0.2.1.5000 > 192.0.2.2.5001: UDP, length 100",
        "22:13:20.002001 IP6 2001:db8::1.40000 > 2001:db8::2.80:  [|tcp]",
        "22:13:20.003001 IP6 2001:db8::1.5000 > 2001:db8::2.5001: UDP, length 100",
        "22:13:20.004001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 1, seq 1, length 108",
        "22:13:20.005001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1, win 64240, options [mss 1460,sackOK,TS [|tcp]>",
        "22:13:20.006001 IP  [|ip]",
        "22:13:20.007001  [|ip6]",
        "22:13:20.008001 IP 192.0.2.1.40000 > 192.0.2.2.80:  [|tcp]",
        "22:13:20.009001  [|ether]",
        "22:13:20.010001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 1, seq 2, length 8",
      ]
    ),
    (
      "raw-ip.pcap",
      [
        "22:13:20.000001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 10, seq 1, length 14",
        "22:13:20.001001 IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 10, seq 1, length 14",
        "22:13:20.002001 IP 192.0.2.1.5000 > 192.0.2.2.53: 1+ A? example.org. (29)",
        "22:13:20.003001 IP6 2001:db8::1.40000 > 2001:db8::2.80: Flags [S], seq 1, win 1024, length 0",
        "22:13:20.004001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1, win 1024, length 0",
        "22:13:20.005001 IP6 2001:db8::1.5000 > 2001:db8::2.5001: UDP, length 10",
      ]
    ),
    (
      "null-loopback.pcap",
      [
        "22:13:20.000001 IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 10, seq 1, length 14",
        "22:13:20.001001 IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 10, seq 1, length 14",
        "22:13:20.002001 IP 192.0.2.1.5000 > 192.0.2.2.53: 1+ A? example.org. (29)",
        "22:13:20.003001 IP6 2001:db8::1.40000 > 2001:db8::2.80: Flags [S], seq 1, win 1024, length 0",
        "22:13:20.004001 IP 192.0.2.1.40000 > 192.0.2.2.80: Flags [S], seq 1, win 1024, length 0",
        "22:13:20.005001 IP6 2001:db8::1.5000 > 2001:db8::2.5001: UDP, length 10",
      ]
    ),
    (
      "linux-sll2.pcap",
      [
        "23:56:33.261998 lo    Out IP6 fe80::ff:fe00:a01 > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 48",
        "23:56:33.581956 lo    M   IP6 :: > ff02::1:ff00:b01: ICMP6, neighbor solicitation, who has fe80::ff:fe00:b01, length 32",
        "23:56:33.741973 lo    M   IP6 :: > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 48",
        "23:56:34.222000 lo    Out IP6 fe80::ff:fe00:a01 > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 48",
        "23:56:34.606030 lo    M   IP6 fe80::ff:fe00:b01 > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 48",
        "23:56:34.917218 lo    Out ARP, Request who-has 192.0.2.2 tell 192.0.2.1, length 28",
        "23:56:34.917236 lo    In  ARP, Reply 192.0.2.2 is-at 02:00:00:00:0b:01, length 28",
        "23:56:34.917238 lo    Out IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 9132, seq 1, length 64",
        "23:56:34.917410 lo    In  IP 192.0.2.2 > 192.0.2.1: ICMP echo reply, id 9132, seq 1, length 64",
        "23:56:35.118001 lo    Out IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 9132, seq 2, length 64",
        "23:56:35.118030 lo    In  IP 192.0.2.2 > 192.0.2.1: ICMP echo reply, id 9132, seq 2, length 64",
        "23:56:35.322022 lo    Out IP 192.0.2.1 > 192.0.2.2: ICMP echo request, id 9132, seq 3, length 64",
        "23:56:35.322052 lo    In  IP 192.0.2.2 > 192.0.2.1: ICMP echo reply, id 9132, seq 3, length 64",
        "23:56:35.332785 lo    Out IP6 2001:db8::1 > ff02::1:ff00:2: ICMP6, neighbor solicitation, who has 2001:db8::2, length 32",
        "23:56:35.332831 lo    In  IP6 2001:db8::2 > 2001:db8::1: ICMP6, neighbor advertisement, tgt is 2001:db8::2, length 32",
        "23:56:35.332839 lo    Out IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 9133, seq 1, length 64",
        "23:56:35.332849 lo    In  IP6 2001:db8::2 > 2001:db8::1: ICMP6, echo reply, id 9133, seq 1, length 64",
        "23:56:35.534030 lo    Out IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 9133, seq 2, length 64",
        "23:56:35.534058 lo    In  IP6 2001:db8::2 > 2001:db8::1: ICMP6, echo reply, id 9133, seq 2, length 64",
        "23:56:35.630004 lo    M   IP6 fe80::ff:fe00:b01 > ff02::16: HBH ICMP6, multicast listener report v2, 2 group record(s), length 48",
        "23:56:35.738040 lo    Out IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 9133, seq 3, length 64",
        "23:56:35.738069 lo    In  IP6 2001:db8::2 > 2001:db8::1: ICMP6, echo reply, id 9133, seq 3, length 64",
        "23:56:35.820449 lo    Out IP 192.0.2.1.41590 > 192.0.2.2.8080: Flags [S], seq 1137436114, win 64240, options [mss 1460,sackOK,TS val 368670638 ecr 0,nop,wscale 10], length 0",
        "23:56:35.820482 lo    In  IP 192.0.2.2.8080 > 192.0.2.1.41590: Flags [S.], seq 949092140, ack 1137436115, win 65160, options [mss 1460,sackOK,TS val 1363583158 ecr 368670638,nop,wscale 10], length 0",
        "23:56:35.820543 lo    Out IP 192.0.2.1.41590 > 192.0.2.2.8080: Flags [.], ack 1, win 63, options [nop,nop,TS val 368670638 ecr 1363583158], length 0",
        "23:56:35.820660 lo    Out IP 192.0.2.1.41590 > 192.0.2.2.8080: Flags [P.], seq 1:129, ack 1, win 63, options [nop,nop,TS val 368670638 ecr 1363583158], length 128: HTTP: GET /index.html HTTP/1.1",
        "23:56:35.820668 lo    In  IP 192.0.2.2.8080 > 192.0.2.1.41590: Flags [.], ack 129, win 64, options [nop,nop,TS val 1363583158 ecr 368670638], length 0",
        "23:56:35.824703 lo    In  IP 192.0.2.2.8080 > 192.0.2.1.41590: Flags [P.], seq 1:186, ack 129, win 64, options [nop,nop,TS val 1363583162 ecr 368670638], length 185: HTTP: HTTP/1.0 200 OK",
        "23:56:35.824744 lo    Out IP 192.0.2.1.41590 > 192.0.2.2.8080: Flags [.], ack 186, win 63, options [nop,nop,TS val 368670642 ecr 1363583162], length 0",
        "23:56:35.824784 lo    In  IP 192.0.2.2.8080 > 192.0.2.1.41590: Flags [P.], seq 186:202, ack 129, win 64, options [nop,nop,TS val 1363583162 ecr 368670642], length 16: HTTP",
        "23:56:35.824787 lo    Out IP 192.0.2.1.41590 > 192.0.2.2.8080: Flags [.], ack 202, win 63, options [nop,nop,TS val 368670642 ecr 1363583162], length 0",
        "23:56:35.824825 lo    In  IP 192.0.2.2.8080 > 192.0.2.1.41590: Flags [F.], seq 202, ack 129, win 64, options [nop,nop,TS val 1363583162 ecr 368670642], length 0",
        "23:56:35.825180 lo    Out IP 192.0.2.1.41590 > 192.0.2.2.8080: Flags [F.], seq 129, ack 203, win 63, options [nop,nop,TS val 368670643 ecr 1363583162], length 0",
        "23:56:35.825227 lo    In  IP 192.0.2.2.8080 > 192.0.2.1.41590: Flags [.], ack 130, win 64, options [nop,nop,TS val 1363583163 ecr 368670643], length 0",
        "23:56:35.901074 lo    Out IP 192.0.2.1.40053 > 192.0.2.2.9: UDP, length 11",
        "23:56:35.901232 lo    In  IP 192.0.2.2 > 192.0.2.1: ICMP 192.0.2.2 udp port 9 unreachable, length 47",
      ]
    ),
  ]

  @Test("fixture lines match", arguments: 0..<expected.count)
  func fixtureLines(_ index: Int) throws {
    let (file, lines) = Self.expected[index]
    let pcap = try FixturePcap(named: file)
    let actual = pcap.lines(OneLineFormatter(), interfaceName: file.contains("sll2") ? "lo" : nil)
    #expect(actual.count == lines.count)
    for (got, want) in zip(actual, lines) { #expect(got == want) }
  }
}
