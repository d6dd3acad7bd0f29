#!/usr/bin/env python3
"""Generate a deterministic, mixed, 1,000,000-packet classic pcap for benchmarks.

Format: classic pcap, little-endian magic (0xa1b2c3d4 written LE), microsecond
timestamps, LINKTYPE_ETHERNET (1), snaplen 262144.

How it stays fast: ~60 template frames are built by hand once, with the fields
that vary per packet (IPv4 id, client host byte / IPv6 client suffix, client and
server ports, TCP seq/ack, DNS id, ICMP id/seq, ...) zeroed.  For each template
the one's-complement sums of the IPv4 header and of the L4 checksum coverage
(pseudo-header + segment) are precomputed with those fields zero; per packet we
only add the handful of varying 16-bit words and fold (RFC 1071 / RFC 1624), so
every IPv4 header, TCP, UDP, ICMP and ICMPv6 checksum in the file is correct
without touching payload bytes again.

Only documentation addresses are used: 192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, 2001:db8::/32 (plus link-local / multicast for ND, IGMP, LLDP).
MACs are locally administered (02:...), multicast MACs where the protocol needs it.

Approximate mix (packets): 45% IPv4/TCP (SYN/SYN-ACK carry options; payloads
0..1400; ~10% of TCP flows to/from port 80), 20% IPv4/UDP DNS, 10% IPv6/TCP,
8% IPv6/UDP DNS, 5% ICMP echo, 3% ICMPv6 (echo, NS, NA), 3% ARP,
3% 802.1Q-tagged IPv4 (VLAN 100, TCP 443 + DNS, never port 80), 3% other
(IPv4 non-first UDP fragments, IGMPv2, LLDP, ethertype 0x88b5).

Same --seed and --count -> byte-identical output; the sha256 is printed and a
sidecar <out>.meta.json records the per-category counts and the exact number of
packets matching the BPF filter 'tcp port 80'.
"""

import argparse
import hashlib
import json
import os
import random
import struct
import sys
import time

# ----------------------------------------------------------------------------
# checksum helpers (only used while building templates)


def csum_words(data):
    """Sum of big-endian 16-bit words (odd length zero-padded), unfolded."""
    if len(data) % 2:
        data = data + b"\0"
    return sum(struct.unpack("!%dH" % (len(data) // 2), data))


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def ip4(a):
    return bytes(int(x) for x in a.split("."))


def ip6(a):
    import ipaddress

    return ipaddress.IPv6Address(a).packed


def mac(m):
    return bytes(int(x, 16) for x in m.split(":"))


MAC_C = mac("02:00:5e:10:00:01")  # client side host
MAC_S = mac("02:00:5e:10:00:fe")  # router / server side
MAC_BCAST = b"\xff" * 6

# ----------------------------------------------------------------------------
# Template model
#
# A template is a dict:
#   frame      bytes, varying fields zeroed, checksum fields zeroed
#   ip_csum    absolute offset of the IPv4 header checksum or None
#   ip_base    unfolded sum of the IPv4 header (varying fields zero)
#   l4_csum    absolute offset of the L4 checksum or None
#   l4_base    unfolded sum of pseudo-header + L4 (varying fields zero)
#   udp        True -> a computed checksum of 0 is sent as 0xffff
#   fields     list of (abs_offset, kind, in_ip, in_l4)
#   cat        category name (for the meta file)
#   port80     True if 'tcp port 80' matches every packet of this template
#
# field kinds (value source per packet):
#   ipid     u16 IPv4 identification (global counter)
#   chost4   u8  low byte of the client IPv4 address (1..254), odd offset  } from a
#   chost6   u16 last word of the client IPv6 address                      } pool of
#   cport    u16 ephemeral client port 49152..65535                        } 1024 flows
#   seq/ack  u32 TCP sequence / ack numbers (per-flow ISN + random offset)
#   id16     u16 DNS id / ICMP id
#   seq16    u16 ICMP sequence
#   tgt4     u8  ARP target IPv4 low byte (no checksum)

TEMPLATES = []


def add(weight, cat, frame, fields, ip_csum=None, ip_base=0, l4_csum=None,
        l4_base=0, udp=False, port80=False, pad60=False):
    frame = bytes(frame)
    if pad60 and len(frame) < 60:
        frame = frame + b"\0" * (60 - len(frame))
    TEMPLATES.append(dict(weight=weight, cat=cat, frame=frame, fields=fields,
                          ip_csum=ip_csum, ip_base=ip_base, l4_csum=l4_csum,
                          l4_base=l4_base, udp=udp, port80=port80))


def eth(dst, src, etype, vlan=None):
    if vlan is None:
        return dst + src + struct.pack("!H", etype)
    return dst + src + struct.pack("!HHH", 0x8100, vlan, etype)


def ipv4_hdr(src, dst, proto, payload_len, ttl=64, flags_frag=0x4000, tos=0,
             options=b""):
    ihl = 5 + len(options) // 4
    return struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, ihl * 4 + payload_len,
                       0, flags_frag, ttl, proto, 0, src, dst) + options


def ipv6_hdr(src, dst, nh, payload_len, hlim=64, flow=0):
    return struct.pack("!IHBB16s16s", (6 << 28) | flow, payload_len, nh, hlim,
                       src, dst)


def tcp_hdr(sport, dport, seq, ack, flags, window, options=b""):
    off = (20 + len(options)) // 4
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags,
                       window, 0, 0) + options


def udp_hdr(sport, dport, payload_len):
    return struct.pack("!HHHH", sport, dport, 8 + payload_len, 0)


def payload_bytes(n, tag):
    # deterministic, printable-ish filler (HTTP-ish for port 80 text)
    pat = (b"%s " % tag) + bytes(range(0x41, 0x5B)) + b"\r\n"
    return (pat * (n // len(pat) + 1))[:n]


F, S, R, P, A = 0x01, 0x02, 0x04, 0x08, 0x10

# ---------------------------------------------------------------- IPv4 / TCP


def v4_tcp(weight, cat, c2s, srvport, flags, plen, options=b"", vlan=None,
           client="192.0.2.0", server="198.51.100.10", pad=False):
    csrc, cdst = ip4(client), ip4(server)
    src, dst = (csrc, cdst) if c2s else (cdst, csrc)
    payload = payload_bytes(plen, b"GET" if srvport == 80 else b"DATA")
    seg = tcp_hdr(0, 0, 0, 0, flags, 64240 if c2s else 65160, options) + payload
    ip = ipv4_hdr(src, dst, 6, len(seg))
    e = eth(MAC_S if c2s else MAC_C, MAC_C if c2s else MAC_S, 0x0800, vlan)
    ipo = len(e)
    l4o = ipo + len(ip)
    # server port is fixed per template (so the 'tcp port 80' count is exact);
    # c2s: client port = sport, server port = dport; s2c: the reverse.
    cport_off = l4o if c2s else l4o + 2
    srv_off = l4o + 2 if c2s else l4o
    frame = bytearray(e + ip + seg)
    struct.pack_into("!H", frame, srv_off, srvport)
    chost_off = ipo + (15 if c2s else 19)
    ip_sum = csum_words(bytes(frame[ipo:l4o]))
    pseudo = frame[ipo + 12:ipo + 20] + struct.pack("!BBH", 0, 6, len(seg))
    l4_sum = csum_words(bytes(pseudo)) + csum_words(bytes(frame[l4o:]))
    fields = [(ipo + 4, "ipid", True, False), (chost_off, "chost4", True, True),
              (cport_off, "cport", False, True), (l4o + 4, "seq", False, True)]
    if flags & A:
        fields.append((l4o + 8, "ack", False, True))
    add(weight, cat, frame, fields, ip_csum=ipo + 10, ip_base=ip_sum,
        l4_csum=l4o + 16, l4_base=l4_sum, port80=(srvport == 80 and vlan is None),
        pad60=pad)


SYN_OPTS = (b"\x02\x04\x05\xb4"          # MSS 1460
            b"\x04\x02"                  # SACK permitted
            b"\x08\x0a\x00\x0f\x42\x40\x00\x00\x00\x00"  # TS val / ecr 0
            b"\x01"                      # NOP
            b"\x03\x03\x07")             # WS 7
SYNACK_OPTS = (b"\x02\x04\x05\xb4\x04\x02"
               b"\x08\x0a\x3a\x98\x1c\x2d\x00\x0f\x42\x40"
               b"\x01\x03\x03\x07")
TS_OPTS = b"\x01\x01\x08\x0a\x00\x0f\x42\x90\x3a\x98\x1c\x40"  # NOP NOP TS


def tcp_family(total, cat, make, port80_share=0.10, ports=(443, 22, 8080, 25),
               ipv6=False):
    """Spread `total` weight over TCP packet kinds and server ports."""
    kinds = [
        # (share, c2s, flags, payload len, options, pad)
        (0.035, True, S, 0, SYN_OPTS, False),
        (0.035, False, S | A, 0, SYNACK_OPTS, False),
        (0.18, True, A, 0, b"", False),
        (0.12, False, A, 0, TS_OPTS, True),
        (0.10, True, P | A, 1, TS_OPTS, False),
        (0.08, True, P | A, 120, b"", False),
        (0.06, True, P | A, 517, TS_OPTS, False),
        (0.05, False, P | A, 64, b"", False),
        (0.06, False, P | A, 900, TS_OPTS, False),
        (0.22, False, A, 1388 if not ipv6 else 1368, TS_OPTS, False),  # ~MSS
        (0.025, True, F | A, 0, b"", False),
        (0.025, False, F | A, 0, b"", True),
        (0.01, False, R | A, 0, b"", True),
    ]
    tot_share = sum(k[0] for k in kinds)
    port_shares = [(80, port80_share)] + [
        (p, (1.0 - port80_share) / len(ports)) for p in ports]
    for share, c2s, flags, plen, opts, pad in kinds:
        for port, pshare in port_shares:
            w = total * share / tot_share * pshare
            make(w, cat, c2s, port, flags, plen, opts, pad)
    # a few exact 1400-byte payloads (max payload)
    make(total * 0.002, cat, False, 443, A, 1400, b"", False)


def make_v4_tcp(w, cat, c2s, port, flags, plen, opts, pad):
    # spread servers over two documentation networks
    server = "198.51.100.10" if port in (80, 443) else "203.0.113.25"
    v4_tcp(w, cat, c2s, port, flags, plen, opts, server=server, pad=pad)


# ---------------------------------------------------------------- IPv6 / TCP


def v6_tcp(weight, cat, c2s, srvport, flags, plen, options=b"", pad=False):
    client = ip6("2001:db8:1::")       # last word varies (chost6)
    server = ip6("2001:db8:80::443")
    src, dst = (client, server) if c2s else (server, client)
    payload = payload_bytes(plen, b"GET" if srvport == 80 else b"DATA")
    seg = tcp_hdr(0, 0, 0, 0, flags, 64800 if c2s else 65000, options) + payload
    ip = ipv6_hdr(src, dst, 6, len(seg), flow=0x12345 if c2s else 0x6789a)
    e = eth(MAC_S if c2s else MAC_C, MAC_C if c2s else MAC_S, 0x86DD)
    ipo, l4o = len(e), len(e) + 40
    frame = bytearray(e + ip + seg)
    cport_off = l4o if c2s else l4o + 2
    srv_off = l4o + 2 if c2s else l4o
    struct.pack_into("!H", frame, srv_off, srvport)
    chost_off = ipo + (8 + 14 if c2s else 24 + 14)
    pseudo = bytes(frame[ipo + 8:ipo + 40]) + struct.pack("!IxxxB", len(seg), 6)
    l4_sum = csum_words(pseudo) + csum_words(bytes(frame[l4o:]))
    fields = [(chost_off, "chost6", False, True), (cport_off, "cport", False, True),
              (l4o + 4, "seq", False, True)]
    if flags & A:
        fields.append((l4o + 8, "ack", False, True))
    add(weight, cat, frame, fields, l4_csum=l4o + 16, l4_base=l4_sum,
        port80=(srvport == 80), pad60=pad)


def make_v6_tcp(w, cat, c2s, port, flags, plen, opts, pad):
    v6_tcp(w, cat, c2s, port, flags, plen, opts, pad=pad)


# ---------------------------------------------------------------- DNS payloads


def dns_name(name):
    out = b""
    for label in name.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_query(name, qtype):
    # id zero (varies), RD set, 1 question, EDNS0 OPT (udp 1232)
    hdr = struct.pack("!HHHHHH", 0, 0x0100, 1, 0, 0, 1)
    opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)
    return hdr + dns_name(name) + struct.pack("!HH", qtype, 1) + opt


def dns_response(name, qtype, answers):
    hdr = struct.pack("!HHHHHH", 0, 0x8180, 1, len(answers), 0, 1)
    body = dns_name(name) + struct.pack("!HH", qtype, 1)
    for rdata in answers:
        body += b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 300, len(rdata)) + rdata
    opt = b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)
    return hdr + body + opt


DNS_NAMES = ["example.com", "www.example.org", "mail.example.net",
             "a-rather-long-hostname-for-testing.cdn.example.com"]


def v4_udp_dns(weight, cat, c2s, name, qtype, answers=(), vlan=None):
    client, server = ip4("192.0.2.0"), ip4("203.0.113.53")
    src, dst = (client, server) if c2s else (server, client)
    dns = dns_query(name, qtype) if c2s else dns_response(name, qtype, list(answers))
    seg = udp_hdr(0, 0, len(dns)) + dns
    ip = ipv4_hdr(src, dst, 17, len(seg), flags_frag=0 if c2s else 0x4000)
    e = eth(MAC_S if c2s else MAC_C, MAC_C if c2s else MAC_S, 0x0800, vlan)
    ipo = len(e)
    l4o = ipo + len(ip)
    frame = bytearray(e + ip + seg)
    cport_off = l4o if c2s else l4o + 2
    srv_off = l4o + 2 if c2s else l4o
    struct.pack_into("!H", frame, srv_off, 53)
    chost_off = ipo + (15 if c2s else 19)
    ip_sum = csum_words(bytes(frame[ipo:l4o]))
    pseudo = bytes(frame[ipo + 12:ipo + 20]) + struct.pack("!BBH", 0, 17, len(seg))
    l4_sum = csum_words(pseudo) + csum_words(bytes(frame[l4o:]))
    fields = [(ipo + 4, "ipid", True, False), (chost_off, "chost4", True, True),
              (cport_off, "cport", False, True), (l4o + 8, "id16", False, True)]
    add(weight, cat, frame, fields, ip_csum=ipo + 10, ip_base=ip_sum,
        l4_csum=l4o + 6, l4_base=l4_sum, udp=True)


def v6_udp_dns(weight, cat, c2s, name, qtype, answers=()):
    client, server = ip6("2001:db8:1::"), ip6("2001:db8:53::53")
    src, dst = (client, server) if c2s else (server, client)
    dns = dns_query(name, qtype) if c2s else dns_response(name, qtype, list(answers))
    seg = udp_hdr(0, 0, len(dns)) + dns
    ip = ipv6_hdr(src, dst, 17, len(seg))
    e = eth(MAC_S if c2s else MAC_C, MAC_C if c2s else MAC_S, 0x86DD)
    ipo, l4o = len(e), len(e) + 40
    frame = bytearray(e + ip + seg)
    cport_off = l4o if c2s else l4o + 2
    srv_off = l4o + 2 if c2s else l4o
    struct.pack_into("!H", frame, srv_off, 53)
    chost_off = ipo + (8 + 14 if c2s else 24 + 14)
    pseudo = bytes(frame[ipo + 8:ipo + 40]) + struct.pack("!IxxxB", len(seg), 17)
    l4_sum = csum_words(pseudo) + csum_words(bytes(frame[l4o:]))
    fields = [(chost_off, "chost6", False, True), (cport_off, "cport", False, True),
              (l4o + 8, "id16", False, True)]
    add(weight, cat, frame, fields, l4_csum=l4o + 6, l4_base=l4_sum, udp=True)


def dns_family(total, cat, v6=False, vlan=None):
    n = len(DNS_NAMES)
    for i, name in enumerate(DNS_NAMES):
        w = total / n / 2
        if v6:
            v6_udp_dns(w * 0.5, cat, True, name, 28)
            v6_udp_dns(w * 0.5, cat, False, name, 28,
                       [ip6("2001:db8:80::%x" % (i + 1))] * (1 + i % 2))
            v6_udp_dns(w * 0.5, cat, True, name, 1)
            v6_udp_dns(w * 0.5, cat, False, name, 1, [ip4("198.51.100.%d" % (i + 1))])
        else:
            v4_udp_dns(w * 0.6, cat, True, name, 1, vlan=vlan)
            v4_udp_dns(w * 0.6, cat, False, name, 1,
                       [ip4("198.51.100.%d" % (i + 1)), ip4("203.0.113.%d" % (i + 7))][: 1 + i % 2],
                       vlan=vlan)
            v4_udp_dns(w * 0.4, cat, True, name, 28, vlan=vlan)
            v4_udp_dns(w * 0.4, cat, False, name, 28, [ip6("2001:db8:80::%x" % (i + 1))],
                       vlan=vlan)


# ---------------------------------------------------------------- ICMP


def v4_icmp_echo(weight, cat, request):
    client, server = ip4("192.0.2.0"), ip4("198.51.100.1")
    src, dst = (client, server) if request else (server, client)
    data = struct.pack("!II", 0x6553f100, 0x000c3500) + bytes(range(0x10, 0x10 + 48))
    icmp = struct.pack("!BBHHH", 8 if request else 0, 0, 0, 0, 0) + data
    ip = ipv4_hdr(src, dst, 1, len(icmp), ttl=64 if request else 57,
                  flags_frag=0x4000 if request else 0)
    e = eth(MAC_S if request else MAC_C, MAC_C if request else MAC_S, 0x0800)
    ipo, l4o = len(e), len(e) + 20
    frame = bytearray(e + ip + icmp)
    ip_sum = csum_words(bytes(frame[ipo:l4o]))
    l4_sum = csum_words(bytes(frame[l4o:]))
    fields = [(ipo + 4, "ipid", True, False),
              (ipo + (15 if request else 19), "chost4", True, False),
              (l4o + 4, "id16", False, True), (l4o + 6, "seq16", False, True)]
    add(weight, cat, frame, fields, ip_csum=ipo + 10, ip_base=ip_sum,
        l4_csum=l4o + 2, l4_base=l4_sum)


def v6_icmp(weight, cat, src, dst, dmac, smac, icmp, hlim, varying):
    ip = ipv6_hdr(src, dst, 58, len(icmp), hlim=hlim)
    e = eth(dmac, smac, 0x86DD)
    ipo, l4o = len(e), len(e) + 40
    frame = bytearray(e + ip + icmp)
    pseudo = bytes(frame[ipo + 8:ipo + 40]) + struct.pack("!IxxxB", len(icmp), 58)
    l4_sum = csum_words(pseudo) + csum_words(bytes(frame[l4o:]))
    fields = []
    if varying:
        fields = [(l4o + 4, "id16", False, True), (l4o + 6, "seq16", False, True)]
    add(weight, cat, frame, fields, l4_csum=l4o + 2, l4_base=l4_sum)


def icmp6_family(total, cat):
    a, b = ip6("2001:db8:1::10"), ip6("2001:db8:80::1")
    data = struct.pack("!II", 0x6553f100, 0x000c3500) + bytes(range(0x10, 0x10 + 48))
    v6_icmp(total * 0.35, cat, a, b, MAC_S, MAC_C,
            struct.pack("!BBHHH", 128, 0, 0, 0, 0) + data, 64, True)
    v6_icmp(total * 0.35, cat, b, a, MAC_C, MAC_S,
            struct.pack("!BBHHH", 129, 0, 0, 0, 0) + data, 62, True)
    # Neighbor Solicitation for 2001:db8:1::1 to solicited-node multicast
    target = ip6("2001:db8:1::1")
    ns = (struct.pack("!BBHI", 135, 0, 0, 0) + target +
          b"\x01\x01" + MAC_C)  # source link-layer address option
    v6_icmp(total * 0.15, cat, ip6("fe80::5e:10ff:fe00:1"), ip6("ff02::1:ff00:1"),
            mac("33:33:ff:00:00:01"), MAC_C, ns, 255, False)
    na = (struct.pack("!BBHI", 136, 0, 0, 0x60000000) + target +
          b"\x02\x01" + MAC_S)  # solicited+override, target link-layer option
    v6_icmp(total * 0.15, cat, ip6("fe80::5e:10ff:fe00:fe"), ip6("fe80::5e:10ff:fe00:1"),
            MAC_C, MAC_S, na, 255, False)


# ---------------------------------------------------------------- ARP


def arp(weight, cat, request):
    if request:
        body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_C,
                           ip4("192.0.2.10"), b"\0" * 6, ip4("192.0.2.0"))
        e = eth(MAC_BCAST, MAC_C, 0x0806)
        tgt = len(e) + 27
    else:
        body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, MAC_S,
                           ip4("192.0.2.0"), MAC_C, ip4("192.0.2.10"))
        e = eth(MAC_C, MAC_S, 0x0806)
        tgt = len(e) + 17
    add(weight, cat, e + body, [(tgt, "tgt4", False, False)], pad60=not request)


# ---------------------------------------------------------------- other


def other_family(total, cat):
    # IPv4 non-first UDP fragment (offset 1480, MF=0): no L4 header inside
    data = payload_bytes(520, b"FRAG")
    ip = ipv4_hdr(ip4("203.0.113.9"), ip4("192.0.2.0"), 17, len(data),
                  flags_frag=1480 // 8)
    e = eth(MAC_C, MAC_S, 0x0800)
    frame = e + ip + data
    add(total * 0.3, cat, frame, [(14 + 4, "ipid", True, False), (14 + 19, "chost4", True, False)],
        ip_csum=24, ip_base=csum_words(ip))
    # IGMPv2 membership report for 239.1.2.3 with Router Alert option
    igmp = bytearray(struct.pack("!BBH4s", 0x16, 0, 0, ip4("239.1.2.3")))
    struct.pack_into("!H", igmp, 2, ~fold(csum_words(bytes(igmp))) & 0xFFFF)
    ip = ipv4_hdr(ip4("192.0.2.10"), ip4("239.1.2.3"), 2, len(igmp), ttl=1,
                  flags_frag=0, tos=0xc0, options=b"\x94\x04\x00\x00")
    e = eth(mac("01:00:5e:01:02:03"), MAC_C, 0x0800)
    add(total * 0.2, cat, e + ip + bytes(igmp), [(14 + 4, "ipid", True, False)],
        ip_csum=24, ip_base=csum_words(ip))
    # LLDP: chassis id (MAC), port id (ifname), TTL, system name, end
    def tlv(t, v):
        return struct.pack("!H", (t << 9) | len(v)) + v
    lldp = (tlv(1, b"\x04" + MAC_S) + tlv(2, b"\x05" + b"eth0") +
            tlv(3, b"\x00\x78") + tlv(5, b"switch.example.net") + b"\0\0")
    add(total * 0.2, cat, eth(mac("01:80:c2:00:00:0e"), MAC_S, 0x88CC) + lldp, [],
        pad60=True)
    # local experimental ethertype 0x88b5 with opaque payload
    add(total * 0.3, cat, eth(MAC_BCAST, MAC_S, 0x88B5) + payload_bytes(100, b"EXP"), [])


# ---------------------------------------------------------------- mix

def build_templates():
    tcp_family(45.0, "ipv4_tcp", make_v4_tcp)
    dns_family(20.0, "ipv4_udp")
    tcp_family(10.0, "ipv6_tcp", make_v6_tcp, ports=(443, 22), ipv6=True)
    dns_family(8.0, "ipv6_udp", v6=True)
    v4_icmp_echo(2.5, "icmp", True)
    v4_icmp_echo(2.5, "icmp", False)
    icmp6_family(3.0, "icmpv6")
    arp(1.8, "arp", True)
    arp(1.2, "arp", False)
    # 802.1Q, VLAN 100: TCP 443 (ACK + data) and DNS; never port 80
    v4_tcp(0.6, "vlan_ipv4", True, 443, A, 0, vlan=100)
    v4_tcp(0.9, "vlan_ipv4", False, 443, A, 1200, TS_OPTS, vlan=100)
    v4_tcp(0.3, "vlan_ipv4", True, 443, P | A, 300, vlan=100)
    dns_family(1.2, "vlan_ipv4", vlan=100)
    other_family(3.0, "other")


# ----------------------------------------------------------------------------


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", nargs="?", default=os.path.join(here, "out", "mixed-1m.pcap"),
                    help="output path (default: Benchmarks/out/mixed-1m.pcap)")
    ap.add_argument("--count", type=int, default=1_000_000, help="packets (default 1000000)")
    ap.add_argument("--seed", type=int, default=20240501, help="PRNG seed")
    args = ap.parse_args()

    t0 = time.perf_counter()
    build_templates()
    tpls = TEMPLATES
    rng = random.Random(args.seed)
    weights = [t["weight"] for t in tpls]
    choice = rng.choices(range(len(tpls)), weights=weights, k=args.count)

    # Flatten templates to tuples for the hot loop.
    SRC = {"ipid": 0, "chost4": 1, "chost6": 2, "cport": 3, "seq": 4, "ack": 5,
           "id16": 6, "seq16": 7, "tgt4": 8}
    flat = []
    for t in tpls:
        flat.append((t["frame"], tuple((o, SRC[k], ii, il) for o, k, ii, il in t["fields"]),
                     t["ip_csum"], t["ip_base"], t["l4_csum"], t["l4_base"], t["udp"],
                     struct.pack("<II", len(t["frame"]), len(t["frame"]))))

    # Client endpoints come from a fixed pool of FLOWS flows (host, port, ISN):
    # real captures are made of flows, and tcpdump keeps per-TCP-connection
    # state (relative sequence numbers), so a fresh random 4-tuple per packet
    # would make tcpdump pathologically slow and the comparison unfair.
    FLOWS = 1024
    FLOW_MASK = FLOWS - 1
    fl_chost4 = [1 + (i % 254) for i in range(FLOWS)]
    fl_chost6 = [0x100 + i for i in range(FLOWS)]
    fl_cport = [49152 + ((i * 7919) % 16384) for i in range(FLOWS)]
    fl_isn = [rng.getrandbits(32) for _ in range(FLOWS)]
    fl_irs = [rng.getrandbits(32) for _ in range(FLOWS)]

    os.makedirs(os.path.dirname(os.path.abspath(args.out)) or ".", exist_ok=True)
    pack_into = struct.pack_into
    pack_ts = struct.Struct("<II").pack
    getrandbits = rng.getrandbits
    sec, usec = 1714550400, 0  # 2024-05-01T08:00:00Z
    ipid = 0x1000
    chunks = []
    counts = {}
    port80 = 0
    h = hashlib.sha256()
    with open(args.out, "wb") as f:
        hdr = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
        f.write(hdr)
        h.update(hdr)
        for n, ti in enumerate(choice):
            frame, fields, ipc, ipb, l4c, l4b, udp, lens = flat[ti]
            r = getrandbits(128)
            usec += 1 + (r & 0x1FF)  # mean gap ~257 us
            if usec >= 1_000_000:
                sec += 1
                usec -= 1_000_000
            buf = bytearray(frame)
            ipid = (ipid + 1) & 0xFFFF
            fl = (r >> 9) & FLOW_MASK
            vals = (ipid, fl_chost4[fl], fl_chost6[fl], fl_cport[fl],
                    (fl_isn[fl] + ((r >> 47) & 0xFFFFF)) & 0xFFFFFFFF,
                    (fl_irs[fl] + ((r >> 79) & 0xFFFFF)) & 0xFFFFFFFF,
                    (r >> 111) & 0xFFFF, n & 0xFFFF, 1 + ((r >> 17) & 0xFF) % 254)
            for off, src, in_ip, in_l4 in fields:
                v = vals[src]
                if src == 1 or src == 8:       # u8 at odd offset: low byte of a word
                    buf[off] = v
                    w = v
                elif src == 4 or src == 5:     # u32
                    pack_into("!I", buf, off, v)
                    w = (v >> 16) + (v & 0xFFFF)
                else:                          # u16
                    pack_into("!H", buf, off, v)
                    w = v
                if in_ip:
                    ipb += w
                if in_l4:
                    l4b += w
            if ipc is not None:
                while ipb >> 16:
                    ipb = (ipb & 0xFFFF) + (ipb >> 16)
                pack_into("!H", buf, ipc, ~ipb & 0xFFFF)
            if l4c is not None:
                while l4b >> 16:
                    l4b = (l4b & 0xFFFF) + (l4b >> 16)
                c = ~l4b & 0xFFFF
                if udp and c == 0:
                    c = 0xFFFF
                pack_into("!H", buf, l4c, c)
            chunks.append(pack_ts(sec, usec))
            chunks.append(lens)
            chunks.append(buf)
            if len(chunks) >= 30000:
                blob = b"".join(chunks)
                f.write(blob)
                h.update(blob)
                chunks.clear()
        if chunks:
            blob = b"".join(chunks)
            f.write(blob)
            h.update(blob)
    for ti in choice:
        c = tpls[ti]["cat"]
        counts[c] = counts.get(c, 0) + 1
        if tpls[ti]["port80"]:
            port80 += 1
    elapsed = time.perf_counter() - t0
    digest = h.hexdigest()
    meta = {
        "file": os.path.basename(args.out), "packets": args.count, "seed": args.seed,
        "sha256": digest, "bytes": os.path.getsize(args.out), "templates": len(tpls),
        "categories": dict(sorted(counts.items())),
        "expected_tcp_port_80": port80,
        "note": "'tcp port 80' count = untagged IPv4/IPv6 TCP with port 80 (VLAN frames never use port 80)",
    }
    with open(args.out + ".meta.json", "w") as m:
        json.dump(meta, m, indent=2)
        m.write("\n")
    print("wrote %s: %d packets, %d bytes, %d templates, %.1f s"
          % (args.out, args.count, meta["bytes"], len(tpls), elapsed), file=sys.stderr)
    for k, v in meta["categories"].items():
        print("  %-10s %8d  %5.2f%%" % (k, v, 100.0 * v / args.count), file=sys.stderr)
    print("  tcp port 80: %d" % port80, file=sys.stderr)
    print("sha256 %s  %s" % (digest, args.out))


if __name__ == "__main__":
    main()
