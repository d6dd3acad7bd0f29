#!/usr/bin/env python3
"""Reference point for run.sh (D): parse every packet of a pcap with dpkt
(Ethernet -> 802.1Q -> IPv4/IPv6 -> TCP/UDP/ICMP) and print the counts."""
import sys

import dpkt


def main(path):
    n = l3 = l4 = 0
    with open(path, "rb") as f:
        for _ts, buf in dpkt.pcap.Reader(f):
            n += 1
            try:
                eth = dpkt.ethernet.Ethernet(buf)
            except (dpkt.UnpackError, dpkt.NeedData):
                continue
            ip = eth.data
            if isinstance(ip, (dpkt.ip.IP, dpkt.ip6.IP6)):
                l3 += 1
                seg = ip.data
                if isinstance(seg, (dpkt.tcp.TCP, dpkt.udp.UDP)):
                    l4 += 1
                    _ = (seg.sport, seg.dport, len(seg.data))
                elif isinstance(seg, (dpkt.icmp.ICMP, dpkt.icmp6.ICMP6)):
                    l4 += 1
    print("packets=%d ip=%d l4=%d" % (n, l3, l4))


if __name__ == "__main__":
    main(sys.argv[1])
