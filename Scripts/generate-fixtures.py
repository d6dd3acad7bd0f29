#!/usr/bin/env python3
"""Deterministically (re)generate the capture fixtures in Fixtures/.

Usage:
    python3 Scripts/generate-fixtures.py            # all deterministic files
    sudo python3 Scripts/generate-fixtures.py --live  # also re-capture linux-sll*.pcap

Packets are built with scapy (every field that scapy would randomise is given
explicitly) and written with the small pcap / pcapng writers below, using
fixed timestamps starting at 1700000000.000001 and increasing.  Running the
script twice gives byte-identical files (see Fixtures/README.md).

Only documentation addresses are used: 192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24, 2001:db8::/32, MACs 02:00:00:xx:xx:xx.

--live creates two network namespaces (rt-fix-a, rt-fix-b) joined by a veth
pair, captures a short real exchange with `tcpdump -i any -y LINUX_SLL` and
`-y LINUX_SLL2` inside rt-fix-a and writes Fixtures/linux-sll.pcap and
Fixtures/linux-sll2.pcap.  Those captures are not byte-deterministic, so they
are committed and the default run leaves them untouched.  Nothing is sent
outside the namespaces; every command is bounded in count and time, and the
namespaces are removed even on failure.
"""

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (  # noqa: E402
    ARP, DNS, DNSQR, Dot1AD, Dot1Q, Dot3, Ether, ICMP, IP, IPOption_NOP,
    IPOption_EOL, IPOption_RR, IPOption_Router_Alert, IPOption_Timestamp,
    IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
    IPv6ExtHdrRouting, IPv6ExtHdrSegmentRouting, ICMPv6EchoReply,
    ICMPv6EchoRequest, ICMPv6DestUnreach, ICMPv6ND_NA, ICMPv6ND_NS,
    ICMPv6ND_RA, ICMPv6ND_Redirect, ICMPv6ND_RS, ICMPv6NDOptDstLLAddr,
    ICMPv6NDOptPrefixInfo, ICMPv6NDOptRedirectedHdr, ICMPv6NDOptSrcLLAddr,
    ICMPv6PacketTooBig, ICMPv6TimeExceeded, ICMPv6MLReport, LLC, RouterAlert, STP, TCP, UDP,
    Raw, PadN, Pad1, conf,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fixtures")

# Link types
LT_NULL, LT_EN10MB, LT_RAW, LT_LOOP, LT_SLL, LT_IPV4, LT_IPV6, LT_SLL2 = \
    0, 1, 101, 108, 113, 228, 229, 276

BASE_SEC = 1700000000

M1, M2, M3, M4 = ("02:00:00:00:00:01", "02:00:00:00:00:02",
                  "02:00:00:00:00:03", "02:00:00:00:00:04")
BCAST = "ff:ff:ff:ff:ff:ff"
A1, A2, A3 = "192.0.2.1", "192.0.2.2", "192.0.2.3"
B1, B2 = "198.51.100.1", "198.51.100.2"
C1, C2 = "203.0.113.1", "203.0.113.2"
S1, S2, S3, S4 = "2001:db8::1", "2001:db8::2", "2001:db8::3", "2001:db8::4"
LL1, LL2 = "fe80::200:ff:fe00:1", "fe80::200:ff:fe00:2"


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

def ts_ns(i):
    """Timestamp of packet i (0-based) in nanoseconds: 1700000000.000001
    for the first, then +1.000001 ms per packet (strictly increasing)."""
    return BASE_SEC * 10**9 + 1000 + i * 1_000_001_000 // 1000


def write_pcap(name, records, linktype, snaplen=65535, nano=False,
               endian="<"):
    """records: list of bytes, or (bytes, wirelen), or (bytes, wirelen, t_ns).
    Writes a classic pcap (v2.4).  Byte order and resolution selectable."""
    magic = 0xa1b23c4d if nano else 0xa1b2c3d4
    out = [struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, snaplen,
                       linktype)]
    for i, rec in enumerate(records):
        if isinstance(rec, (bytes, bytearray)):
            rec = (bytes(rec),)
        data = rec[0]
        wirelen = rec[1] if len(rec) > 1 and rec[1] is not None else len(data)
        t = rec[2] if len(rec) > 2 else ts_ns(i)
        sec, ns = divmod(t, 10**9)
        frac = ns if nano else ns // 1000
        cap = data[:snaplen]
        out.append(struct.pack(endian + "IIII", sec, frac, len(cap),
                               max(wirelen, len(cap))))
        out.append(cap)
    path = os.path.join(OUT, name)
    with open(path, "wb") as f:
        f.write(b"".join(out))
    return path


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def ng_opt(e, code, value):
    return struct.pack(e + "HH", code, len(value)) + pad4(value)


def ng_opts(e, opts):
    if not opts:
        return b""
    return b"".join(ng_opt(e, c, v) for c, v in opts) + struct.pack(e + "HH", 0, 0)


def ng_block(e, btype, body):
    body = pad4(body)
    total = len(body) + 12
    return struct.pack(e + "II", btype, total) + body + struct.pack(e + "I", total)


def ng_shb(e, opts=()):
    body = struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1) + ng_opts(e, list(opts))
    return ng_block(e, 0x0A0D0D0A, body)


def ng_idb(e, linktype, snaplen=262144, opts=()):
    body = struct.pack(e + "HHI", linktype, 0, snaplen) + ng_opts(e, list(opts))
    return ng_block(e, 0x00000001, body)


def ng_epb(e, ifid, ts_units, data, wirelen=None, opts=()):
    hi, lo = ts_units >> 32, ts_units & 0xffffffff
    body = struct.pack(e + "IIIII", ifid, hi, lo, len(data),
                       wirelen if wirelen is not None else len(data))
    body += pad4(data) + ng_opts(e, list(opts))
    return ng_block(e, 0x00000006, body)


def ng_spb(e, data, wirelen=None):
    body = struct.pack(e + "I", wirelen if wirelen is not None else len(data))
    return ng_block(e, 0x00000003, body + pad4(data))


def ng_comment(text):
    return (1, text.encode())


def ng_epb_flags(e, direction):
    # bits 0-1: 01 inbound, 10 outbound; bits 2-4 reception type 1 = unicast
    return (2, struct.pack(e + "I", direction | (1 << 2)))


def write_bytes(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


# --------------------------------------------------------------------------
# Packet helpers
# --------------------------------------------------------------------------

def eth(src=M1, dst=M2, **kw):
    return Ether(src=src, dst=dst, **kw)


def b(p):
    return bytes(p)


def pad60(frame, trailer=b""):
    """Pad an Ethernet frame to 60 bytes with zeros, then append trailer."""
    frame = bytes(frame)
    return frame + b"\0" * max(0, 60 - len(frame)) + trailer


# --------------------------------------------------------------------------
# 1. ethernet-ipv4-tcp.pcap
# --------------------------------------------------------------------------

def tcp_packets():
    c = dict(src=A1, dst=A2)
    s = dict(src=A2, dst=A1)
    cm, sm = dict(src=M1, dst=M2), dict(src=M2, dst=M1)
    ISN_C, ISN_S = 1000, 5000
    P = []
    # SYN with the full option set (like Linux)
    P.append(eth(**cm) / IP(id=100, flags="DF", ttl=64, **c) /
             TCP(sport=40000, dport=80, flags="S", seq=ISN_C, window=64240,
                 options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (100, 0)),
                          ("NOP", None), ("WScale", 7)]))
    P.append(eth(**sm) / IP(id=0, flags="DF", ttl=64, **s) /
             TCP(sport=80, dport=40000, flags="SA", seq=ISN_S, ack=ISN_C + 1,
                 window=65160,
                 options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (200, 100)),
                          ("NOP", None), ("WScale", 7)]))
    P.append(eth(**cm) / IP(id=101, flags="DF", **c) /
             TCP(sport=40000, dport=80, flags="A", seq=ISN_C + 1, ack=ISN_S + 1,
                 window=502, options=[("NOP", None), ("NOP", None),
                                      ("Timestamp", (101, 200))]))
    req = b"GET / HTTP/1.1\r\nHost: 192.0.2.2\r\n\r\n"
    P.append(eth(**cm) / IP(id=102, flags="DF", **c) /
             TCP(sport=40000, dport=80, flags="PA", seq=ISN_C + 1, ack=ISN_S + 1,
                 window=502, options=[("NOP", None), ("NOP", None),
                                      ("Timestamp", (102, 200))]) / Raw(req))
    resp = b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello"
    P.append(eth(**sm) / IP(id=1, flags="DF", **s) /
             TCP(sport=80, dport=40000, flags="PA", seq=ISN_S + 1,
                 ack=ISN_C + 1 + len(req), window=509,
                 options=[("NOP", None), ("NOP", None),
                          ("Timestamp", (203, 102))]) / Raw(resp))
    # ACK with SACK blocks
    P.append(eth(**cm) / IP(id=103, flags="DF", **c) /
             TCP(sport=40000, dport=80, flags="A", seq=ISN_C + 1 + len(req),
                 ack=ISN_S + 1 + len(resp), window=501,
                 options=[("NOP", None), ("NOP", None), ("Timestamp", (104, 203)),
                          ("NOP", None), ("NOP", None),
                          ("SAck", (ISN_S + 100, ISN_S + 200, ISN_S + 300, ISN_S + 400))]))
    # FIN exchange
    P.append(eth(**sm) / IP(id=2, flags="DF", **s) /
             TCP(sport=80, dport=40000, flags="FA", seq=ISN_S + 1 + len(resp),
                 ack=ISN_C + 1 + len(req), window=509))
    P.append(eth(**cm) / IP(id=104, flags="DF", **c) /
             TCP(sport=40000, dport=80, flags="FA", seq=ISN_C + 1 + len(req),
                 ack=ISN_S + 2 + len(resp), window=501))
    P.append(eth(**sm) / IP(id=3, flags="DF", **s) /
             TCP(sport=80, dport=40000, flags="A", seq=ISN_S + 2 + len(resp),
                 ack=ISN_C + 2 + len(req), window=509))
    # RST (to a closed port) and RST/ACK
    P.append(eth(**cm) / IP(id=105, **c) /
             TCP(sport=40001, dport=81, flags="S", seq=7000, window=1024))
    P.append(eth(**sm) / IP(id=4, **s) /
             TCP(sport=81, dport=40001, flags="RA", seq=0, ack=7001, window=0))
    P.append(eth(**cm) / IP(id=106, **c) /
             TCP(sport=40000, dport=80, flags="R", seq=9999, window=0))
    # Urgent pointer
    P.append(eth(**cm) / IP(id=107, **c) /
             TCP(sport=40002, dport=23, flags="PAU", seq=8000, ack=9000,
                 window=1024, urgptr=3) / Raw(b"\xff\xf4\xff\xfd\x06"))
    # ECN: SYN with ECE+CWR (ECN setup), SYN/ACK with ECE, AE (NS) bit
    P.append(eth(**cm) / IP(id=108, tos=0x00, **c) /
             TCP(sport=40003, dport=80, flags="SEC", seq=11000, window=64240,
                 options=[("MSS", 1460)]))
    P.append(eth(**sm) / IP(id=5, tos=0x02, **s) /
             TCP(sport=80, dport=40003, flags="SAE", seq=12000, ack=11001,
                 window=65160, options=[("MSS", 1460)]))
    P.append(eth(**cm) / IP(id=109, tos=0x03, **c) /
             TCP(sport=40003, dport=80, flags="PAEN", seq=11001, ack=12001,
                 window=502) / Raw(b"ce-marked"))
    P.append(eth(**sm) / IP(id=6, tos=0x02, **s) /
             TCP(sport=80, dport=40003, flags="AC", seq=12001, ack=11010,
                 window=509))
    # Unknown option kind 254 (experimental, RFC 6994 style ExID 0x0102)
    P.append(eth(**cm) / IP(id=110, **c) /
             TCP(sport=40004, dport=80, flags="S", seq=13000, window=1024,
                 options=[("MSS", 1460), (254, b"\x01\x02\x03\x04"), ("NOP", None),
                          ("NOP", None)]))
    # EOL followed by zero padding (options: mss, nop, eol + 3 pad bytes)
    P.append(eth(**cm) / IP(id=111, **c) /
             TCP(sport=40005, dport=80, flags="S", seq=14000, window=1024,
                 options=[("MSS", 1460), ("NOP", None), ("EOL", None)]))
    return [b(p) for p in P]


# --------------------------------------------------------------------------
# 2. ethernet-ipv4-udp.pcap
# --------------------------------------------------------------------------

def udp_packets():
    P = []
    q = eth() / IP(id=200, src=A1, dst=A2) / UDP(sport=53000, dport=53) / \
        DNS(id=0x1234, rd=1, qd=DNSQR(qname="example.com", qtype="A"))
    P.append(b(q))
    P.append(b(eth(src=M2, dst=M1) / IP(id=201, src=A2, dst=A1) /
               UDP(sport=53, dport=53000) / Raw(bytes.fromhex(
                   "123481800001000100000000076578616d706c6503636f6d0000010001"
                   "c00c000100010000012c0004c0000201"))))
    # zero checksum (no checksum) over IPv4
    P.append(b(eth() / IP(id=202, src=A1, dst=A2) /
               UDP(sport=5000, dport=5001, chksum=0) / Raw(b"no checksum")))
    # deliberately bad UDP checksum
    P.append(b(eth() / IP(id=203, src=A1, dst=A2) /
               UDP(sport=5000, dport=5001, chksum=0xbad1) / Raw(b"bad udp checksum")))
    # bad IPv4 header checksum (UDP checksum correct)
    P.append(b(eth() / IP(id=204, src=A1, dst=A2, chksum=0xdead) /
               UDP(sport=5000, dport=5001) / Raw(b"bad ip checksum")))
    # syslog-like, empty payload, large payload
    P.append(b(eth() / IP(id=205, src=A1, dst=B1) /
               UDP(sport=514, dport=514) / Raw(b"<13>Nov 14 22:13:20 host test")))
    P.append(b(eth() / IP(id=206, src=A1, dst=A2) / UDP(sport=7, dport=7)))
    P.append(b(eth() / IP(id=207, src=A1, dst=A2) / UDP(sport=9, dport=9) /
               Raw(bytes(range(256)) * 4)))
    return P


# --------------------------------------------------------------------------
# 3. ethernet-ipv4-icmp.pcap
# --------------------------------------------------------------------------

def icmp_packets():
    P = []
    P.append(b(eth() / IP(id=300, src=A1, dst=A2) /
               ICMP(type=8, id=0x0101, seq=1) / Raw(bytes(range(0x10, 0x40)))))
    P.append(b(eth(src=M2, dst=M1) / IP(id=301, src=A2, dst=A1) /
               ICMP(type=0, id=0x0101, seq=1) / Raw(bytes(range(0x10, 0x40)))))
    # timestamp request / reply
    P.append(b(eth() / IP(id=302, src=A1, dst=A2) /
               ICMP(type=13, id=0x0202, seq=7, ts_ori=36000000, ts_rx=0, ts_tx=0)))
    P.append(b(eth(src=M2, dst=M1) / IP(id=303, src=A2, dst=A1) /
               ICMP(type=14, id=0x0202, seq=7, ts_ori=36000000, ts_rx=36000010,
                    ts_tx=36000011)))
    # port unreachable quoting IPv4+UDP (full original datagram, it is short)
    orig_udp = b(IP(id=304, src=A1, dst=A2, ttl=64) /
                 UDP(sport=40000, dport=33434) / Raw(b"probe"))
    P.append(b(eth(src=M2, dst=M1) / IP(id=305, src=A2, dst=A1) /
               ICMP(type=3, code=3) / Raw(orig_udp)))
    # time exceeded quoting IPv4 + first 8 bytes of TCP (as routers do)
    orig_tcp = b(IP(id=306, src=A1, dst=C1, ttl=1) /
                 TCP(sport=40010, dport=443, flags="S", seq=424242, window=64240,
                     options=[("MSS", 1460)]))
    P.append(b(eth(src=M3, dst=M1) / IP(id=307, src=B1, dst=A1) /
               ICMP(type=11, code=0) / Raw(orig_tcp[:28])))
    # redirect (type 5 code 1: redirect for host), gateway 192.0.2.3
    orig_r = b(IP(id=308, src=A1, dst=C2) / UDP(sport=40020, dport=53) /
               Raw(b"\0" * 12))
    P.append(b(eth(src=M3, dst=M1) / IP(id=309, src=A3, dst=A1) /
               ICMP(type=5, code=1, gw=A3) / Raw(orig_r[:28])))
    # ICMP error quoting a full datagram (host unreachable, quoted ICMP echo)
    orig_full = b(IP(id=310, src=A1, dst=C2) / ICMP(type=8, id=9, seq=9) /
                  Raw(b"full quoted datagram"))
    P.append(b(eth(src=M3, dst=M1) / IP(id=311, src=B1, dst=A1) /
               ICMP(type=3, code=1) / Raw(orig_full)))
    # fragmentation needed (type 3 code 4) with next-hop MTU, quoting TCP (8 bytes)
    orig_big = b(IP(id=312, flags="DF", src=A1, dst=C1) /
                 TCP(sport=40011, dport=443, flags="PA", seq=1, ack=1) /
                 Raw(b"x" * 1400))
    P.append(b(eth(src=M3, dst=M1) / IP(id=313, src=B1, dst=A1) /
               ICMP(type=3, code=4, nexthopmtu=1280) / Raw(orig_big[:28])))
    return P


# --------------------------------------------------------------------------
# 4. ethernet-ipv4-options.pcap
# --------------------------------------------------------------------------

def ipopt_packets():
    P = []
    P.append(b(eth() / IP(id=400, src=A1, dst=A2,
                          options=[IPOption_RR(pointer=4, routers=[
                              "0.0.0.0"] * 3)]) /
               ICMP(type=8, id=1, seq=1)))
    # timestamp option, flag 1 (address + timestamp), two slots, first filled
    ts_addr = bytes([0x44, 20, 13, 0x01]) + bytes([198, 51, 100, 1]) + \
        struct.pack("!I", 36000000) + b"\0" * 8
    P.append(b(eth() / IP(id=401, src=A1, dst=A2, options=[Raw(ts_addr)]) /
               ICMP(type=8, id=1, seq=2)))
    # timestamp option hand-built (flag 0: timestamps only, two slots, one used)
    ts_opt = bytes([0x44, 12, 9, 0x00]) + struct.pack("!II", 36000000, 0)
    P.append(b(eth() / IP(id=402, src=A1, dst=A2, options=[Raw(ts_opt)]) /
               ICMP(type=8, id=1, seq=3)))
    # router alert (IGMP-like payload), proto 2
    P.append(b(eth(dst="01:00:5e:00:00:16") /
               IP(id=403, src=A1, dst="224.0.0.22", ttl=1, proto=2, tos=0xc0,
                  options=[IPOption_Router_Alert()]) /
               Raw(bytes.fromhex("2200f9020000000104000000e00000fb"))))
    # NOP, NOP, EOL padding
    P.append(b(eth() / IP(id=404, src=A1, dst=A2,
                          options=[IPOption_NOP(), IPOption_NOP(), IPOption_EOL(),
                                   Raw(b"\0")]) /
               UDP(sport=5000, dport=5001) / Raw(b"nop nop eol")))
    # DF set
    P.append(b(eth() / IP(id=405, flags="DF", src=A1, dst=A2) /
               UDP(sport=5000, dport=5001) / Raw(b"dont fragment")))
    # fragments of one UDP datagram: first (MF), middle (MF), last (offset)
    whole = b(UDP(sport=5000, dport=5001) / Raw(bytes(range(64)) * 2 + b"end!"))
    # 8 + 132 = 140 bytes -> fragments 48 + 48 + 44
    chunks = [(0, whole[0:48], "MF"), (6, whole[48:96], "MF"), (12, whole[96:], 0)]
    for off, data, fl in chunks:
        P.append(b(eth() / IP(id=406, src=A1, dst=A2, proto=17, flags=fl,
                              frag=off) / Raw(data)))
    # a DF + MF-less single fragment with options and payload (record route filled)
    P.append(b(eth(src=M2, dst=M1) /
               IP(id=407, flags="DF", src=A2, dst=A1,
                  options=[IPOption_RR(pointer=12, routers=[B1, C1, "0.0.0.0"])]) /
               ICMP(type=0, id=1, seq=1)))
    return P


# --------------------------------------------------------------------------
# 5. ethernet-ipv6.pcap
# --------------------------------------------------------------------------

def v6eth(src=M1, dst=M2):
    return Ether(src=src, dst=dst, type=0x86DD)


def ipv6_packets():
    P = []
    P.append(b(v6eth() / IPv6(src=S1, dst=S2, tc=0x28, fl=0x12345, hlim=64) /
               TCP(sport=40000, dport=443, flags="S", seq=1, window=64800,
                   options=[("MSS", 1440), ("SAckOK", b""), ("Timestamp", (1, 0)),
                            ("NOP", None), ("WScale", 7)])))
    P.append(b(v6eth(M2, M1) / IPv6(src=S2, dst=S1, tc=0x00, fl=0xabcde) /
               TCP(sport=443, dport=40000, flags="SA", seq=100, ack=2,
                   window=64260, options=[("MSS", 1440)])))
    P.append(b(v6eth() / IPv6(src=S1, dst=S2, tc=0xb8, fl=0xfffff) /
               UDP(sport=5000, dport=5001) / Raw(b"ipv6 udp")))
    # hop-by-hop with router alert (MLD-like)
    P.append(b(v6eth(dst="33:33:00:00:00:16") /
               IPv6(src=LL1, dst="ff02::16", hlim=1) /
               IPv6ExtHdrHopByHop(options=[RouterAlert(value=0), PadN(optdata=b"")]) /
               ICMPv6MLReport(mladdr="ff02::fb")))
    # destination options (PadN) + UDP
    P.append(b(v6eth() / IPv6(src=S1, dst=S2) /
               IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")]) /
               UDP(sport=5000, dport=5001) / Raw(b"dstopt")))
    # routing header type 0 (deprecated, still decodable)
    P.append(b(v6eth() / IPv6(src=S1, dst=S3) /
               IPv6ExtHdrRouting(type=0, segleft=2, addresses=[S4, S2]) /
               UDP(sport=5000, dport=5001) / Raw(b"rh0")))
    # segment routing header (type 4)
    P.append(b(v6eth() / IPv6(src=S1, dst=S3) /
               IPv6ExtHdrSegmentRouting(addresses=[S2, S4, S3], segleft=2,
                                        lastentry=2, tag=0) /
               UDP(sport=5000, dport=5001) / Raw(b"srv6")))
    # fragments: first and non-first
    whole = b(UDP(sport=5000, dport=5001) / Raw(bytes(range(96))))
    # computing the UDP checksum needs the IPv6 header
    whole = b(IPv6(src=S1, dst=S2) / UDP(sport=5000, dport=5001) /
              Raw(bytes(range(96))))[40:]
    P.append(b(v6eth() / IPv6(src=S1, dst=S2) /
               IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x0000abcd) /
               Raw(whole[:56])))
    P.append(b(v6eth() / IPv6(src=S1, dst=S2) /
               IPv6ExtHdrFragment(nh=17, offset=7, m=0, id=0x0000abcd) /
               Raw(whole[56:])))
    # hop-by-hop + destination options + fragment chain, atomic fragment
    P.append(b(v6eth() / IPv6(src=S1, dst=S2) /
               IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
               IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")]) /
               IPv6ExtHdrFragment(offset=0, m=0, id=0x11111111) /
               TCP(sport=40001, dport=80, flags="A", seq=5, ack=6, window=100)))
    # UDP with zero checksum over IPv6 (invalid)
    P.append(b(v6eth() / IPv6(src=S1, dst=S2) /
               UDP(sport=5000, dport=5001, chksum=0) / Raw(b"zero csum v6")))
    # IPv4-mapped addresses are not meaningful on the wire for IPv6 packets
    # (RFC 4291 2.5.5.2); skipped as the brief allows.
    return P


# --------------------------------------------------------------------------
# 6. ethernet-icmpv6.pcap
# --------------------------------------------------------------------------

def icmpv6_packets():
    P = []
    P.append(b(v6eth() / IPv6(src=S1, dst=S2) /
               ICMPv6EchoRequest(id=0x0303, seq=1, data=b"ping6 payload")))
    P.append(b(v6eth(M2, M1) / IPv6(src=S2, dst=S1) /
               ICMPv6EchoReply(id=0x0303, seq=1, data=b"ping6 payload")))
    # neighbour solicitation (to solicited-node multicast) with SLLA
    P.append(b(v6eth(M1, "33:33:ff:00:00:02") /
               IPv6(src=S1, dst="ff02::1:ff00:2", hlim=255) /
               ICMPv6ND_NS(tgt=S2) / ICMPv6NDOptSrcLLAddr(lladdr=M1)))
    # neighbour advertisement with TLLA (solicited, override)
    P.append(b(v6eth(M2, M1) / IPv6(src=S2, dst=S1, hlim=255) /
               ICMPv6ND_NA(tgt=S2, R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=M2)))
    # router solicitation / advertisement with prefix information
    P.append(b(v6eth(M1, "33:33:00:00:00:02") /
               IPv6(src=LL1, dst="ff02::2", hlim=255) /
               ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=M1)))
    P.append(b(v6eth(M3, "33:33:00:00:00:01") /
               IPv6(src="fe80::200:ff:fe00:3", dst="ff02::1", hlim=255) /
               ICMPv6ND_RA(chlim=64, M=0, O=0, routerlifetime=1800,
                           reachabletime=0, retranstimer=0) /
               ICMPv6NDOptSrcLLAddr(lladdr=M3) /
               ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=86400,
                                     preferredlifetime=14400,
                                     prefix="2001:db8:0:1::")))
    # redirect with target link-layer option and redirected header
    orig = b(IPv6(src=S1, dst="2001:db8:0:2::5") / UDP(sport=5000, dport=5001) /
             Raw(b"redirected"))
    P.append(b(v6eth(M3, M1) / IPv6(src="fe80::200:ff:fe00:3", dst=S1, hlim=255) /
               ICMPv6ND_Redirect(tgt=LL2, dst="2001:db8:0:2::5") /
               ICMPv6NDOptDstLLAddr(lladdr=M2) /
               ICMPv6NDOptRedirectedHdr(pkt=orig)))
    # destination unreachable (port unreachable) quoting IPv6 + UDP
    orig_u = b(IPv6(src=S1, dst=S2) / UDP(sport=40000, dport=33434) / Raw(b"probe6"))
    P.append(b(v6eth(M2, M1) / IPv6(src=S2, dst=S1) /
               ICMPv6DestUnreach(code=4) / Raw(orig_u)))
    # packet too big quoting IPv6 + TCP
    orig_t = b(IPv6(src=S1, dst=S4) / TCP(sport=40001, dport=443, flags="PA",
                                          seq=1, ack=1) / Raw(b"y" * 64))
    P.append(b(v6eth(M3, M1) / IPv6(src=S3, dst=S1) /
               ICMPv6PacketTooBig(mtu=1280) / Raw(orig_t)))
    # time exceeded (hop limit) quoting IPv6 + UDP
    orig_h = b(IPv6(src=S1, dst=S4, hlim=1) / UDP(sport=40002, dport=33435) /
               Raw(b"trace6"))
    P.append(b(v6eth(M3, M1) / IPv6(src=S3, dst=S1) /
               ICMPv6TimeExceeded(code=0) / Raw(orig_h)))
    return P


# --------------------------------------------------------------------------
# 7. ethernet-arp.pcap
# --------------------------------------------------------------------------

def arp_packets():
    P = []
    P.append(pad60(eth(M1, BCAST) /
                   ARP(op=1, hwsrc=M1, psrc=A1, hwdst="00:00:00:00:00:00", pdst=A2)))
    P.append(pad60(eth(M2, M1) / ARP(op=2, hwsrc=M2, psrc=A2, hwdst=M1, pdst=A1)))
    # gratuitous ARP request and reply (sender ip == target ip)
    P.append(pad60(eth(M3, BCAST) /
                   ARP(op=1, hwsrc=M3, psrc=A3, hwdst="00:00:00:00:00:00", pdst=A3)))
    P.append(pad60(eth(M3, BCAST) / ARP(op=2, hwsrc=M3, psrc=A3, hwdst=BCAST,
                                        pdst=A3)))
    # RARP request / reply (ethertype 0x8035, op 3/4)
    P.append(pad60(Ether(src=M4, dst=BCAST, type=0x8035) /
                   ARP(op=3, hwsrc=M4, psrc="0.0.0.0", hwdst=M4, pdst="0.0.0.0")))
    P.append(pad60(Ether(src=M2, dst=M4, type=0x8035) /
                   ARP(op=4, hwsrc=M2, psrc=A2, hwdst=M4, pdst="192.0.2.4")))
    # ARP with hardware type 32 (InfiniBand, 20-byte hardware addresses)
    ib1 = bytes.fromhex("00000048fe800000000000000200000000000001")
    ib2 = bytes.fromhex("00000049fe800000000000000200000000000002")
    body = struct.pack("!HHBBH", 32, 0x0800, 20, 4, 1) + ib1 + \
        bytes([192, 0, 2, 1]) + b"\0" * 20 + bytes([192, 0, 2, 2])
    P.append(pad60(Ether(src=M1, dst=BCAST, type=0x0806) / Raw(body)))
    # ARP with hardware type 6 (IEEE 802) and a 2-byte protocol (0x0800) but
    # 8-byte "hardware" addresses (EUI-64 style)
    body = struct.pack("!HHBBH", 6, 0x0800, 8, 4, 2) + \
        bytes.fromhex("0200000000000005") + bytes([192, 0, 2, 5]) + \
        bytes.fromhex("0200000000000001") + bytes([192, 0, 2, 1])
    P.append(pad60(Ether(src=M1, dst=M2, type=0x0806) / Raw(body)))
    return P


# --------------------------------------------------------------------------
# 8. ethernet-vlan.pcap
# --------------------------------------------------------------------------

def vlan_packets():
    P = []
    P.append(b(Ether(src=M1, dst=M2) / Dot1Q(prio=5, dei=1, vlan=100) /
               IP(id=800, src=A1, dst=A2) / ICMP(type=8, id=8, seq=1) /
               Raw(b"vlan ping")))
    P.append(b(Ether(src=M2, dst=M1) / Dot1Q(prio=0, dei=0, vlan=100) /
               IP(id=801, src=A2, dst=A1) / ICMP(type=0, id=8, seq=1) /
               Raw(b"vlan ping")))
    # QinQ: 802.1ad outer (0x88a8), 802.1Q inner
    P.append(b(Ether(src=M1, dst=M2, type=0x88a8) /
               Dot1AD(prio=3, dei=0, vlan=200) / Dot1Q(prio=1, dei=1, vlan=10) /
               IP(id=802, src=A1, dst=A2) / UDP(sport=6000, dport=6001) /
               Raw(b"qinq")))
    # 0x9100 outer (legacy QinQ)
    P.append(b(Ether(src=M1, dst=M2, type=0x9100) /
               Dot1Q(prio=2, dei=0, vlan=300, type=0x8100) /
               Dot1Q(prio=0, dei=0, vlan=30) /
               IP(id=803, src=A1, dst=A2) / TCP(sport=40000, dport=80, flags="S",
                                               seq=1, window=1024)))
    # VLAN carrying ARP
    P.append(pad60(Ether(src=M1, dst=BCAST) / Dot1Q(prio=0, vlan=4094) /
                   ARP(op=1, hwsrc=M1, psrc=A1, pdst=A2,
                       hwdst="00:00:00:00:00:00")))
    # VLAN carrying IPv6
    P.append(b(Ether(src=M1, dst=M2) / Dot1Q(prio=7, dei=0, vlan=1) /
               IPv6(src=S1, dst=S2, fl=1) / ICMPv6EchoRequest(id=1, seq=1)))
    # priority tag (VID 0)
    P.append(b(Ether(src=M1, dst=M2) / Dot1Q(prio=6, vlan=0) /
               IP(id=804, src=A1, dst=A2) / UDP(sport=6000, dport=6001) /
               Raw(b"priority tagged")))
    return P


# --------------------------------------------------------------------------
# 9. ethernet-8023-llc.pcap
# --------------------------------------------------------------------------

def llc_packets():
    P = []
    bpdu = Dot3(src=M1, dst="01:80:c2:00:00:00") / \
        LLC(dsap=0x42, ssap=0x42, ctrl=3) / \
        STP(proto=0, version=0, bpdutype=0, bpduflags=0, rootid=32768,
            rootmac=M1, pathcost=0, bridgeid=32768, bridgemac=M1, portid=0x8001,
            age=0, maxage=20, hellotime=2, fwddelay=15)
    P.append(pad60(bpdu))
    # 802.3 with LLC SNAP (CDP-like, OUI 00000c pid 2000) and payload
    snap = Dot3(src=M2, dst="01:00:0c:cc:cc:cc") / \
        Raw(bytes.fromhex("aaaa0300000c2000") + b"\x02\xb4\x00\x00" + b"snap payload")
    P.append(pad60(snap))
    # short ICMP echo: 14+20+8 = 42 bytes, zero padding to 60 visible
    P.append(pad60(eth() / IP(id=900, src=A1, dst=A2) / ICMP(type=8, id=9, seq=1)))
    # short TCP ACK: 14+20+20 = 54 bytes + 6 padding
    P.append(pad60(eth(M2, M1) / IP(id=901, src=A2, dst=A1) /
                   TCP(sport=80, dport=40000, flags="A", seq=1, ack=1, window=512)))
    # UDP with 2-byte payload padded + 4-byte trailer beyond the padding
    P.append(pad60(eth() / IP(id=902, src=A1, dst=A2) / UDP(sport=7, dport=7) /
                   Raw(b"hi"), trailer=b"\xde\xad\xbe\xef"))
    # non-zero padding bytes (some NICs) on an ICMP echo reply
    f = bytes(eth(M2, M1) / IP(id=903, src=A2, dst=A1) / ICMP(type=0, id=9, seq=1))
    P.append(f + b"\xaa" * (60 - len(f)))
    return P


# --------------------------------------------------------------------------
# 10. raw IP link types
# --------------------------------------------------------------------------

def raw_ip_packets():
    return [
        b(IP(id=1000, src=A1, dst=A2) / ICMP(type=8, id=10, seq=1) / Raw(b"raw v4")),
        b(IPv6(src=S1, dst=S2) / ICMPv6EchoRequest(id=10, seq=1, data=b"raw v6")),
        b(IP(id=1001, src=A1, dst=A2) / UDP(sport=5000, dport=53) /
          DNS(id=1, rd=1, qd=DNSQR(qname="example.org"))),
        b(IPv6(src=S1, dst=S2) / TCP(sport=40000, dport=80, flags="S", seq=1,
                                     window=1024)),
        b(IP(id=1002, src=A1, dst=A2) / TCP(sport=40000, dport=80, flags="S",
                                            seq=1, window=1024)),
        b(IPv6(src=S1, dst=S2) / UDP(sport=5000, dport=5001) / Raw(b"raw v6 udp")),
    ]


# --------------------------------------------------------------------------
# 12. null / loop
# --------------------------------------------------------------------------

def null_records(byteorder):
    fmt = "<I" if byteorder == "little" else ">I"
    v4 = raw_ip_packets()
    recs = [struct.pack(fmt, 2) + v4[0],
            struct.pack(fmt, 24) + v4[1],     # NetBSD/OpenBSD AF_INET6
            struct.pack(fmt, 2) + v4[2],
            struct.pack(fmt, 28) + v4[3],     # FreeBSD/DragonFly AF_INET6
            struct.pack(fmt, 2) + v4[4],
            struct.pack(fmt, 30) + v4[5]]     # macOS AF_INET6
    return recs


# --------------------------------------------------------------------------
# 14. snaplen-truncated.pcap
# --------------------------------------------------------------------------

def trunc_records():
    full = [
        b(eth() / IP(id=1400, src=A1, dst=A2) /
          TCP(sport=40000, dport=80, flags="PA", seq=1, ack=1, window=512) /
          Raw(b"A" * 100)),
        b(eth() / IP(id=1401, src=A1, dst=A2) / UDP(sport=5000, dport=5001) /
          Raw(b"B" * 100)),
        b(v6eth() / IPv6(src=S1, dst=S2) / TCP(sport=40000, dport=80, flags="S",
                                              seq=1, window=1024,
                                              options=[("MSS", 1440)])),
        b(v6eth() / IPv6(src=S1, dst=S2) / UDP(sport=5000, dport=5001) /
          Raw(b"C" * 100)),
        b(eth() / IP(id=1402, src=A1, dst=A2) / ICMP(type=8, id=1, seq=1) /
          Raw(b"D" * 100)),
        # TCP with 40 bytes of options: 14+20+60 = 94; cut at 64 -> mid options
        b(eth() / IP(id=1403, src=A1, dst=A2) /
          TCP(sport=40000, dport=80, flags="S", seq=1, window=64240,
              options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)),
                       ("NOP", None), ("WScale", 7), ("NOP", None), ("NOP", None),
                       ("SAck", (1, 2, 3, 4))])),
    ]
    recs = [(f[:64], len(f)) for f in full]
    # cut in the middle of the IPv4 header (14 + 10 bytes)
    f = b(eth() / IP(id=1404, src=A1, dst=A2) / UDP(sport=1, dport=2) / Raw(b"E" * 20))
    recs.append((f[:24], len(f)))
    # cut in the middle of the IPv6 header
    f = b(v6eth() / IPv6(src=S1, dst=S2) / UDP(sport=1, dport=2))
    recs.append((f[:30], len(f)))
    # cut in the middle of the TCP header (14+20+10)
    f = b(eth() / IP(id=1405, src=A1, dst=A2) /
          TCP(sport=40000, dport=80, flags="A", seq=1, ack=1, window=512))
    recs.append((f[:44], len(f)))
    # cut inside the Ethernet header
    recs.append((f[:8], len(f)))
    # a frame that fits whole (caplen == len)
    f = pad60(eth() / IP(id=1406, src=A1, dst=A2) / ICMP(type=8, id=1, seq=2))
    recs.append((f, len(f)))
    return recs


# --------------------------------------------------------------------------
# 15. malformed.pcap
# --------------------------------------------------------------------------

def malformed_packets():
    P = []

    def ip4_bytes(**kw):
        return bytearray(b(IP(src=A1, dst=A2, **kw) / UDP(sport=1, dport=2) /
                           Raw(b"payload!")))

    E = b(eth())[:12]
    E4 = E + b"\x08\x00"
    E6 = E + b"\x86\xdd"
    # IHL < 5 (IHL = 4)
    x = ip4_bytes(id=1500)
    x[0] = 0x44
    P.append(E4 + bytes(x))
    # total length > frame (claims 200 bytes, 36 present)
    P.append(b(eth() / IP(id=1501, src=A1, dst=A2, len=200) /
               UDP(sport=1, dport=2) / Raw(b"payload!")))
    # total length < IHL*4 (16 < 20)
    P.append(b(eth() / IP(id=1502, src=A1, dst=A2, len=16) /
               UDP(sport=1, dport=2) / Raw(b"payload!")))
    # TCP data offset < 5 (dataofs = 3)
    P.append(b(eth() / IP(id=1503, src=A1, dst=A2) /
               TCP(sport=40000, dport=80, flags="A", seq=1, ack=1, dataofs=3,
                   window=512) / Raw(b"data")))
    # TCP data offset beyond the IP payload (dataofs 15 = 60 bytes, 24 present)
    P.append(b(eth() / IP(id=1504, src=A1, dst=A2) /
               TCP(sport=40000, dport=80, flags="A", seq=1, ack=1, dataofs=15,
                   window=512) / Raw(b"data")))
    # UDP length < 8
    P.append(b(eth() / IP(id=1505, src=A1, dst=A2) /
               UDP(sport=1, dport=2, len=4) / Raw(b"payload!")))
    # UDP length > IP payload
    P.append(b(eth() / IP(id=1506, src=A1, dst=A2) /
               UDP(sport=1, dport=2, len=100) / Raw(b"payload!")))
    # IPv6 payload length > frame
    P.append(b(v6eth() / IPv6(src=S1, dst=S2, plen=400) /
               UDP(sport=1, dport=2) / Raw(b"payload!")))
    # IPv6 extension header running past the end (hop-by-hop len says 64 bytes)
    P.append(E6 + b(IPv6(src=S1, dst=S2, nh=0, plen=16))[:40] +
             bytes([17, 7]) + b"\x01\x0c" + b"\0" * 12)
    # ICMP truncated to 4 bytes (IP total length consistent)
    P.append(b(eth() / IP(id=1507, src=A1, dst=A2, proto=1) /
               Raw(b"\x08\x00\xf7\xff")))
    # ARP cut short (only 14 bytes of the 28-byte ARP body)
    P.append(b(eth(M1, BCAST) / ARP(op=1, hwsrc=M1, psrc=A1, pdst=A2,
                                    hwdst="00:00:00:00:00:00"))[:28])
    # IP version 5 and 7 in ethertype 0x0800 frames
    for ver, ident in ((5, 1508), (7, 1509)):
        x = ip4_bytes(id=ident)
        x[0] = (ver << 4) | 5
        P.append(E4 + bytes(x))
    # IPv6 ethertype with version field 4 (wrong)
    x = bytearray(b(IPv6(src=S1, dst=S2) / UDP(sport=1, dport=2) / Raw(b"v6")))
    x[0] = 0x40 | (x[0] & 0x0f)
    P.append(E6 + bytes(x))
    # an Ethernet frame of 10 bytes
    P.append(b(eth())[:10])
    # TCP option with length 0 and option running past the header
    P.append(b(eth() / IP(id=1510, src=A1, dst=A2) /
               TCP(sport=40000, dport=80, flags="S", seq=1, window=512, dataofs=6) /
               Raw(b"\x02\x00\x01\x01")))
    P.append(b(eth() / IP(id=1511, src=A1, dst=A2) /
               TCP(sport=40000, dport=80, flags="S", seq=1, window=512, dataofs=6) /
               Raw(b"\x01\x01\x08\x0a")))
    return P


# --------------------------------------------------------------------------
# 18. ethernet-ipip.pcap
# --------------------------------------------------------------------------

def ipip_packets():
    return [
        b(eth() / IP(id=1800, src=B1, dst=B2, proto=4) /
          IP(id=1801, src=A1, dst=A2) / ICMP(type=8, id=18, seq=1) / Raw(b"ip-in-ip"))
        ,
        b(eth() / IP(id=1802, src=B1, dst=B2, proto=41) /
          IPv6(src=S1, dst=S2) / UDP(sport=5000, dport=5001) / Raw(b"6in4")),
        b(v6eth() / IPv6(src=S3, dst=S4, nh=4) /
          IP(id=1803, src=A1, dst=A2) / TCP(sport=40000, dport=80, flags="S",
                                           seq=1, window=1024)),
        b(v6eth() / IPv6(src=S3, dst=S4, nh=41) /
          IPv6(src=S1, dst=S2) / ICMPv6EchoRequest(id=18, seq=2, data=b"6in6")),
        # double IPv4 encapsulation
        b(eth() / IP(id=1804, src=C1, dst=C2, proto=4) /
          IP(id=1805, src=B1, dst=B2, proto=4) / IP(id=1806, src=A1, dst=A2) /
          UDP(sport=5000, dport=5001) / Raw(b"4in4in4")),
    ]


# --------------------------------------------------------------------------
# 16./17. pcapng
# --------------------------------------------------------------------------

def sll_header(ptype, proto, addr=b"\x02\x00\x00\x00\x00\x01"):
    return struct.pack("!HHH", ptype, 1, len(addr)) + addr.ljust(8, b"\0") + \
        struct.pack("!H", proto)


def multi_interface_pcapng():
    e = "<"
    out = [ng_shb(e, [(4, b"rawtool generate-fixtures.py"),
                      (2, b"x86_64"), (3, b"Linux")]),
           ng_idb(e, LT_EN10MB, opts=[(2, b"veth0"), (9, b"\x09")]),
           ng_idb(e, LT_RAW, opts=[(2, b"tun0"), (9, b"\x06")]),
           ng_idb(e, LT_SLL, opts=[(2, b"any")])]   # default resolution: us
    eths = tcp_packets()[:3] + icmp_packets()[:2]
    raws = raw_ip_packets()
    k = 0

    def t(i):
        return ts_ns(i)
    # interleave: eth, raw, sll, ...
    for i in range(5):
        tn = t(k)
        opts = []
        if i == 0:
            opts = [ng_epb_flags(e, 2), ng_comment("outbound SYN")]
        elif i == 1:
            opts = [ng_epb_flags(e, 1)]
        out.append(ng_epb(e, 0, tn, eths[i], opts=opts))
        k += 1
        tn = t(k)
        out.append(ng_epb(e, 1, tn // 1000, raws[i],
                          opts=[ng_epb_flags(e, 1)] if i % 2 else []))
        k += 1
        if i < 3:
            tn = t(k)
            sll = sll_header(0 if i != 1 else 4, 0x0800 if i != 1 else 0x86dd) + \
                raws[i]
            out.append(ng_epb(e, 2, tn // 1000, sll))
            k += 1
        if i == 1:
            # SPB (goes to interface 0 by definition)
            out.append(ng_spb(e, pad60(eth() / IP(id=1600, src=A1, dst=A2) /
                                       ICMP(type=8, id=16, seq=1))))
            # unknown (unassigned) block type 0x00000042: readers must skip it
            out.append(ng_block(e, 0x00000042, b"unknown block body\0\0"))
            # custom blocks (copiable 0x00000BAD, non-copiable 0x40000BAD);
            # body starts with a Private Enterprise Number (32473 = example)
            out.append(ng_block(e, 0x00000BAD, struct.pack(e + "I", 32473) +
                                b"custom copiable"))
            out.append(ng_block(e, 0x40000BAD, struct.pack(e + "I", 32473) +
                                b"custom non-copiable"))
    # one truncated EPB (caplen < len)
    f = tcp_packets()[3]
    out.append(ng_epb(e, 0, t(k), f[:60], wirelen=len(f)))
    return b"".join(out)


def bigendian_pcapng():
    e = ">"
    out = [ng_shb(e, [(4, b"rawtool generate-fixtures.py (big-endian)")]),
           ng_idb(e, LT_EN10MB, opts=[(2, b"eth0-be"), (9, b"\x06")])]
    pk = udp_packets()[:3] + icmp_packets()[:2] + ipv6_packets()[:2]
    for i, p in enumerate(pk):
        out.append(ng_epb(e, 0, ts_ns(i) // 1000, p,
                          opts=[ng_epb_flags(e, 1 + (i % 2))] if i < 2 else []))
    return b"".join(out)


def sections_pcapng():
    out = []
    # section 1: little-endian, Ethernet (ns) + raw IP
    e = "<"
    out += [ng_shb(e, [(4, b"section 1 (little-endian)")]),
            ng_idb(e, LT_EN10MB, opts=[(2, b"eth0"), (9, b"\x09")]),
            ng_idb(e, LT_RAW, opts=[(2, b"tun0")])]
    eths = arp_packets()[:2]
    raws = raw_ip_packets()[:2]
    k = 0
    for i in range(2):
        out.append(ng_epb(e, 0, ts_ns(k), eths[i])); k += 1
        out.append(ng_epb(e, 1, ts_ns(k) // 1000, raws[i])); k += 1
    # section 2: big-endian; interface ids restart at 0 and now mean raw IP / Ethernet
    e = ">"
    out += [ng_shb(e, [(4, b"section 2 (big-endian)")]),
            ng_idb(e, LT_RAW, opts=[(2, b"tun1"), (9, b"\x06")]),
            ng_idb(e, LT_EN10MB, opts=[(2, b"eth1"), (9, b"\x03")])]  # ms
    eths = vlan_packets()[:2]
    raws = raw_ip_packets()[2:4]
    for i in range(2):
        out.append(ng_epb(e, 0, ts_ns(k) // 1000, raws[i])); k += 1
        out.append(ng_epb(e, 1, ts_ns(k) // 10**6, eths[i])); k += 1
    return b"".join(out)


# --------------------------------------------------------------------------
# 11. live capture (optional)
# --------------------------------------------------------------------------

NS_A, NS_B = "rt-fix-a", "rt-fix-b"


# --------------------------------------------------------------------------
# DNS: dns-udp.pcap, dns-tcp.pcap, dns-mdns-llmnr.pcap, dns-damaged.pcap
# --------------------------------------------------------------------------

def dns_fixtures():
    """DNS over UDP and TCP, mDNS and LLMNR, EDNS, and damaged messages."""
    from scapy.layers.dns import DNSRR, DNSRRMX, DNSRROPT, DNSRRSOA, DNSRRSRV, EDNS0TLV
    def udp4(payload, sport=53000, dport=53, src=A1, dst=A2, ip_id=300):
        return b(eth() / IP(id=ip_id, src=src, dst=dst) / UDP(sport=sport, dport=dport) / payload)

    def resp(q, *ans, **kw):
        return DNS(id=kw.pop("id", 0x1234), qr=1, aa=kw.pop("aa", 1), rd=1, ra=kw.pop("ra", 1),
                   qd=q, an=list(ans) or None, **kw)

    ex = "example.com."
    udp = [
        udp4(DNS(id=4660, rd=1, qd=DNSQR(qname=ex, qtype="A"))),
        udp4(resp(DNSQR(qname=ex), DNSRR(rrname=ex, type="A", ttl=300, rdata="192.0.2.5"),
                  id=4660).compress(), sport=53, dport=53000, src=A2, dst=A1),
        udp4(DNS(id=2, rd=1, qd=DNSQR(qname="www.example.com.", qtype="AAAA"))),
        udp4(resp(DNSQR(qname="www.example.com.", qtype="AAAA"),
                  DNSRR(rrname="www.example.com.", type="CNAME", ttl=60, rdata=ex),
                  DNSRR(rrname=ex, type="AAAA", ttl=60, rdata="2001:db8::5"), id=2).compress(),
             sport=53, dport=53000, src=A2, dst=A1),
        udp4(resp(DNSQR(qname=ex, qtype="MX"),
                  DNSRRMX(rrname=ex, ttl=3600, preference=10, exchange="mail.example.com."),
                  DNSRRMX(rrname=ex, ttl=3600, preference=20, exchange="mx2.example.net."),
                  id=3), sport=53, dport=53000, src=A2, dst=A1),
        udp4(resp(DNSQR(qname=ex, qtype="NS"),
                  DNSRR(rrname=ex, type="NS", ttl=86400, rdata="ns1.example.com."),
                  DNSRR(rrname=ex, type="NS", ttl=86400, rdata="ns2.example.com."),
                  id=4).compress(), sport=53, dport=53000, src=A2, dst=A1),
        udp4(resp(DNSQR(qname="5.2.0.192.in-addr.arpa.", qtype="PTR"),
                  DNSRR(rrname="5.2.0.192.in-addr.arpa.", type="PTR", ttl=300, rdata="host.example.com."),
                  id=5), sport=53, dport=53000, src=A2, dst=A1),
        udp4(resp(DNSQR(qname=ex, qtype="TXT"),
                  DNSRR(rrname=ex, type="TXT", ttl=300, rdata=["v=spf1 -all", "hello world"]),
                  id=6), sport=53, dport=53000, src=A2, dst=A1),
        udp4(resp(DNSQR(qname=ex, qtype="SOA"),
                  DNSRRSOA(rrname=ex, ttl=3600, mname="ns1.example.com.", rname="hostmaster.example.com.",
                           serial=2024010101, refresh=7200, retry=3600, expire=1209600, minimum=300),
                  id=7).compress(), sport=53, dport=53000, src=A2, dst=A1),
        udp4(resp(DNSQR(qname="_sip._tcp.example.com.", qtype="SRV"),
                  DNSRRSRV(rrname="_sip._tcp.example.com.", ttl=300, priority=10, weight=60, port=5060,
                           target="sip.example.com."),
                  id=8), sport=53, dport=53000, src=A2, dst=A1),
        # NXDOMAIN with the SOA in the authority section, not recursive
        udp4(DNS(id=9, qr=1, aa=1, rd=1, ra=0, rcode=3, qd=DNSQR(qname="nope.example.com."),
                 ns=[DNSRRSOA(rrname=ex, mname="ns1.example.com.", rname="hostmaster.example.com.")]),
             sport=53, dport=53000, src=A2, dst=A1),
        # EDNS: a query with OPT (DO), and a response whose OPT extends the rcode (BADVERS)
        udp4(DNS(id=10, rd=1, ad=1, qd=DNSQR(qname=ex), ar=[DNSRROPT(rclass=1232, z=0x8000)])),
        udp4(DNS(id=10, qr=1, ra=1, rd=1, qd=DNSQR(qname=ex), ar=[DNSRROPT(rclass=1232, extrcode=1)]),
             sport=53, dport=53000, src=A2, dst=A1),
        # an OPT record in the answer section prints its options
        udp4(DNS(id=11, qr=1, ra=1, qd=DNSQR(qname=ex),
                 an=[DNSRROPT(rclass=4096, z=0x8000, rdata=[EDNS0TLV(optcode=3, optdata=b"ns1"),
                                                            EDNS0TLV(optcode=12, optdata=b"\0" * 6)])]),
             sport=53, dport=53000, src=A2, dst=A1),
        # every EDNS option tcpdump decodes, in an OPT record of the answer section
        udp4(DNS(id=18, qr=1, ra=1, qd=DNSQR(qname=ex),
                 an=[DNSRROPT(rclass=1232, rdata=[
                     EDNS0TLV(optcode=8, optdata=bytes.fromhex("00011800c00002")),
                     EDNS0TLV(optcode=8, optdata=bytes.fromhex("00023000") + bytes.fromhex("20010db80000")),
                     EDNS0TLV(optcode=10, optdata=bytes(range(1, 9))),
                     EDNS0TLV(optcode=10, optdata=bytes(range(1, 17))),
                     EDNS0TLV(optcode=10, optdata=bytes(range(1, 11))),
                     EDNS0TLV(optcode=11, optdata=b"\x01\x2c"),
                     EDNS0TLV(optcode=9, optdata=b"\x00\x00\x0e\x10"),
                     EDNS0TLV(optcode=14, optdata=b"\x4f\x66\x00\x01"),
                     EDNS0TLV(optcode=5, optdata=bytes([8, 13, 15, 99])),
                     EDNS0TLV(optcode=6, optdata=bytes([1, 2, 4])),
                     EDNS0TLV(optcode=7, optdata=bytes([1])),
                     EDNS0TLV(optcode=65001, optdata=b"xy"),
                     EDNS0TLV(optcode=11, optdata=b"\x01"),
                 ])]),
             sport=53, dport=53000, src=A2, dst=A1),
        # CHAOS class, checking disabled, several questions, unknown type, notify
        udp4(DNS(id=12, rd=0, cd=1, qd=DNSQR(qname="version.bind.", qtype="TXT", qclass="CH"))),
        udp4(DNS(id=13, rd=1, qd=[DNSQR(qname=ex, qtype="A"), DNSQR(qname=ex, qtype="AAAA")])),
        udp4(DNS(id=14, rd=1, qd=DNSQR(qname=ex, qtype=65280))),
        udp4(resp(DNSQR(qname=ex, qtype=65280), DNSRR(rrname=ex, type=65280, ttl=60, rdata=b"\x00\x01\x00\x00"),
                  id=14), sport=53, dport=53000, src=A2, dst=A1),
        udp4(DNS(id=15, opcode=4, aa=1, rd=0, qd=DNSQR(qname=ex, qtype="SOA"))),
        udp4(DNS(id=16, qr=1, rd=1, ra=1, rcode=2, qd=DNSQR(qname=ex))),
        b(v6eth() / IPv6(src=S1, dst=S2) / UDP(sport=53001, dport=53) /
          DNS(id=17, rd=1, qd=DNSQR(qname="ipv6.example.com.", qtype="AAAA"))),
        b(v6eth(src=M2, dst=M1) / IPv6(src=S2, dst=S1) / UDP(sport=53, dport=53001) /
          resp(DNSQR(qname="ipv6.example.com.", qtype="AAAA"),
               DNSRR(rrname="ipv6.example.com.", type="AAAA", ttl=30, rdata="2001:db8::17"), id=17)),
    ]
    write_pcap("dns-udp.pcap", udp, LT_EN10MB)

    def tcp4(payload, sport=40000, dport=53, src=A1, dst=A2, seq=1000, flags="PA"):
        return b(eth() / IP(id=310, src=src, dst=dst) /
                 TCP(sport=sport, dport=dport, seq=seq, ack=5000, flags=flags, window=8192) / payload)

    q = DNS(id=0x4321, rd=1, qd=DNSQR(qname=ex, qtype="A"))
    r = resp(DNSQR(qname=ex), DNSRR(rrname=ex, type="A", ttl=300, rdata="192.0.2.5"),
             id=0x4321).compress()
    q2 = DNS(id=0x4322, rd=1, qd=DNSQR(qname="www.example.com.", qtype="AAAA"))
    tcp = [
        tcp4(q),
        tcp4(r, sport=53, dport=40000, src=A2, dst=A1, seq=5000),
        # two messages in one segment
        tcp4(Raw(bytes(TCP() / q)[20:] + bytes(TCP() / q2)[20:]), seq=1031),
        # the first part of a message that continues in the next segment
        tcp4(Raw(bytes(TCP() / r)[20:][:20]), sport=53, dport=40000, src=A2, dst=A1, seq=5047),
    ]
    write_pcap("dns-tcp.pcap", tcp, LT_EN10MB)

    mdns_group, llmnr_group = "224.0.0.251", "224.0.0.252"
    local = "printer.local."
    mdns = [
        b(eth(dst="01:00:5e:00:00:fb") / IP(id=320, src=A1, dst=mdns_group, ttl=255) /
          UDP(sport=5353, dport=5353) /
          DNS(id=0, rd=0, qd=[DNSQR(qname="_ipp._tcp.local.", qtype="PTR"),
                              DNSQR(qname=local, qtype="A", unicastresponse=1)])),
        b(eth(dst="01:00:5e:00:00:fb") / IP(id=321, src=A2, dst=mdns_group, ttl=255) /
          UDP(sport=5353, dport=5353) /
          DNS(id=0, qr=1, aa=1, rd=0, qd=None,
              an=[DNSRR(rrname="_ipp._tcp.local.", type="PTR", ttl=4500,
                        rdata="printer._ipp._tcp.local."),
                  DNSRR(rrname=local, type="A", rclass=0x8001, ttl=120, rdata=A2)])),
        b(eth(dst="01:00:5e:00:00:fc") / IP(id=322, src=A1, dst=llmnr_group, ttl=1) /
          UDP(sport=49153, dport=5355) / DNS(id=0x77, rd=0, qd=DNSQR(qname="host.", qtype="A"))),
        b(eth(src=M2, dst=M1) / IP(id=323, src=A2, dst=A1) / UDP(sport=5355, dport=49153) /
          DNS(id=0x77, qr=1, rd=0, qd=DNSQR(qname="host.", qtype="A"),
              an=[DNSRR(rrname="host.", type="A", ttl=30, rdata=A2)])),
    ]
    write_pcap("dns-mdns-llmnr.pcap", mdns, LT_EN10MB)

    full = resp(DNSQR(qname="www.example.com."),
                DNSRR(rrname="www.example.com.", type="A", ttl=300, rdata="192.0.2.5"),
                DNSRR(rrname="www.example.com.", type="A", ttl=300, rdata="192.0.2.6"), id=20)
    full_frame = udp4(full, sport=53, dport=53000, src=A2, dst=A1)
    damaged = [
        # the capture ends inside the second answer, then inside the header
        (full_frame[:len(full_frame) - 6], len(full_frame)),
        (full_frame[:14 + 20 + 8 + 7], len(full_frame)),
        # a name whose pointer points at itself (a loop)
        udp4(Raw(bytes.fromhex("001681800001000100000000") + b"\x07example\x03com\x00\x00\x01\x00\x01" +
                 b"\xc0\x1d\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc0\x00\x02\x05")),
        # a pointer forward
        udp4(Raw(bytes.fromhex("001701000001000000000000") + b"\xc0\x20\x00\x01\x00\x01" +
                 b"\x07example\x03com\x00")),
        # huge counts: 65535 questions announced, one present
        udp4(Raw(bytes.fromhex("00180100ffff000000000000") + b"\x07example\x03com\x00\x00\x01\x00\x01")),
        udp4(Raw(bytes.fromhex("0019818000010fff00000000") + b"\x07example\x03com\x00\x00\x01\x00\x01")),
        # a data length beyond the message
        udp4(Raw(bytes.fromhex("001a81800001000100000000") + b"\x07example\x03com\x00\x00\x01\x00\x01" +
                 b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x40\xc0\x00\x02\x05")),
        # too short to be DNS: stays raw
        udp4(Raw(b"\x00\x1b\x01\x00\x00")),
    ]
    write_pcap("dns-damaged.pcap", damaged, LT_EN10MB)


def run(cmd, check=True, timeout=20, **kw):
    return subprocess.run(cmd, check=check, timeout=timeout, **kw)


def cleanup_ns():
    for ns in (NS_A, NS_B):
        subprocess.run(["ip", "netns", "del", ns], stderr=subprocess.DEVNULL,
                       timeout=10)



def set_sll2_ifindex(path, index):
    """Rewrites the interface index of every SLL2 header in the pcap file at `path`.

    tcpdump (and rawtool's text) name an SLL2 frame's interface by looking the index up
    on the machine that reads the file; index 1 is `lo` in every Linux network namespace,
    so the names in the goldens and in tcpdump's text are the same on any machine.
    """
    with open(path, "rb") as f:
        data = bytearray(f.read())
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    offset = 24
    while offset + 16 <= len(data):
        caplen = struct.unpack_from(endian + "I", data, offset + 8)[0]
        if caplen >= 8:
            struct.pack_into(">I", data, offset + 16 + 4, index)
        offset += 16 + caplen
    with open(path, "wb") as f:
        f.write(data)

def live_capture():
    if os.geteuid() != 0:
        sys.exit("--live needs root (network namespaces, tcpdump)")
    for tool in ("ip", "tcpdump", "ping", "timeout"):
        if not shutil.which(tool):
            sys.exit(f"--live needs {tool}")
    tmp = tempfile.mkdtemp(prefix="rt-fix-")
    procs = []
    cleanup_ns()
    try:
        A = ["ip", "netns", "exec", NS_A]
        B = ["ip", "netns", "exec", NS_B]
        run(["ip", "netns", "add", NS_A])
        run(["ip", "netns", "add", NS_B])
        # veth created directly inside the namespaces: never touches the host side
        run(["ip", "-n", NS_A, "link", "add", "veth-a", "address",
             "02:00:00:00:0a:01", "type", "veth", "peer", "name", "veth-b",
             "netns", NS_B, "address", "02:00:00:00:0b:01"])
        for ns, dev, v4, v6 in ((NS_A, "veth-a", "192.0.2.1/24", "2001:db8::1/64"),
                                (NS_B, "veth-b", "192.0.2.2/24", "2001:db8::2/64")):
            run(["ip", "-n", ns, "link", "set", "lo", "up"])
            run(["ip", "-n", ns, "addr", "add", v4, "dev", dev])
            run(["ip", "-n", ns, "addr", "add", v6, "dev", dev, "nodad"])
            run(["ip", "-n", ns, "link", "set", dev, "up"])
            # no router solicitations / MLD chatter to keep the capture small
            run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                 f"net.ipv6.conf.{dev}.router_solicitations=0"], check=False)
        time.sleep(1)
        # HTTP server in B, bounded
        srv = subprocess.Popen(B + ["timeout", "30", "python3", "-m", "http.server",
                                    "8080", "--bind", "192.0.2.2",
                                    "--directory", tmp],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(srv)
        with open(os.path.join(tmp, "index.html"), "w") as f:
            f.write("rawtool fixture\n")
        files = {"LINUX_SLL": os.path.join(tmp, "sll.pcap"),
                 "LINUX_SLL2": os.path.join(tmp, "sll2.pcap")}
        filt = "not (icmp6 and (ip6[40] == 133 or ip6[40] == 143))"
        for dlt, path in files.items():
            p = subprocess.Popen(A + ["timeout", "30", "tcpdump", "-i", "any", "-y",
                                      dlt, "-s", "262144", "-U", "-c", "40",
                                      "-w", path, filt],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(p)
        time.sleep(2)
        run(A + ["ping", "-c", "3", "-i", "0.2", "-W", "1", "192.0.2.2"],
            stdout=subprocess.DEVNULL)
        run(A + ["ping", "-6", "-c", "3", "-i", "0.2", "-W", "1", "2001:db8::2"],
            stdout=subprocess.DEVNULL)
        client = ("import urllib.request;"
                  "print(urllib.request.urlopen('http://192.0.2.2:8080/index.html',"
                  " timeout=5).read())")
        run(A + ["timeout", "10", "python3", "-c", client], stdout=subprocess.DEVNULL)
        udp = ("import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);"
               "s.bind(('192.0.2.1',40053));s.sendto(b'rawtool udp',('192.0.2.2',9))")
        run(A + ["timeout", "5", "python3", "-c", udp])
        time.sleep(2)
        for p in procs[1:]:
            p.terminate()
        for p in procs[1:]:
            p.wait(timeout=10)
        shutil.copyfile(files["LINUX_SLL"], os.path.join(OUT, "linux-sll.pcap"))
        shutil.copyfile(files["LINUX_SLL2"], os.path.join(OUT, "linux-sll2.pcap"))
        set_sll2_ifindex(os.path.join(OUT, "linux-sll2.pcap"), 1)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=5)
        cleanup_ns()
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------
# http.pcap, tls.pcap (read-only application layers)
# --------------------------------------------------------------------------

def tcp_flow(payloads, sport, dport, first_id=300, seq=1000, ack=5000):
    """One client->server TCP segment per payload (PSH/ACK), seq numbers running on."""
    P = []
    for i, data in enumerate(payloads):
        P.append(b(eth() / IP(id=first_id + i, flags="DF", src=A1, dst=A2) /
                   TCP(sport=sport, dport=dport, flags="PA", seq=seq, ack=ack,
                       window=502) / Raw(data)))
        seq += len(data)
    return P


def http_packets():
    c, s = dict(src=A1, dst=A2), dict(src=A2, dst=A1)

    def seg(sport, dport, data, ident, fwd=True, seq=1000, ack=5000):
        return b(eth(**(dict(src=M1, dst=M2) if fwd else dict(src=M2, dst=M1))) /
                 IP(id=ident, flags="DF", **(c if fwd else s)) /
                 TCP(sport=sport, dport=dport, flags="PA", seq=seq, ack=ack,
                     window=502) / Raw(data))
    P = []
    get = (b"GET /index.html?q=1 HTTP/1.1\r\nHost: www.example.com\r\n"
           b"User-Agent: rawtool-test/1.0\r\nAccept: */*\r\n\r\n")
    P.append(seg(40100, 80, get, 300))
    body = b"<html>hello</html>"
    resp = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 40\r\n"
            b"Server:  test  \r\n\r\n" + body)
    P.append(seg(80, 40100, resp, 301, fwd=False, seq=5000, ack=1000 + len(get)))
    # the rest of the body: no message head, tcpdump still says HTTP on port 80
    P.append(seg(80, 40100, b"<p>continued body</p>", 302, fwd=False,
                 seq=5000 + len(resp), ack=1000 + len(get)))
    # POST on 8080 with a body in the same segment
    post = (b"POST /api/v1/items HTTP/1.1\r\nHost: 192.0.2.2:8080\r\n"
            b"Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"id\": 42}\r\n\r\n")
    P.append(seg(40101, 8080, post, 303))
    # response without a reason phrase, header block going on in the next segment
    P.append(seg(8080, 40101, b"HTTP/1.0 404\r\nX-Trace: abc\r\n", 304, fwd=False))
    # PATCH (unknown to tcpdump's method list), bare LF line endings
    P.append(seg(40102, 80, b"PATCH /x HTTP/1.1\nHost: h\n\n", 305))
    # lower-case method: not an HTTP message head for the contract, still printed by tcpdump
    P.append(seg(40103, 80, b"get / HTTP/1.1\r\n\r\n", 306))
    # HTTP on port 8000 and, sniffed, on port 3128
    P.append(seg(40104, 8000, b"HEAD / HTTP/1.1\r\nHost: a.example\r\n\r\n", 307))
    P.append(seg(40105, 3128, b"CONNECT www.example.com:443 HTTP/1.1\r\n"
                              b"Host: www.example.com:443\r\n\r\n", 308))
    # not HTTP on port 80: binary
    P.append(seg(40106, 80, bytes(range(1, 40)), 309))
    # HTTP-looking but no version: raw
    P.append(seg(40107, 8000, b"GET /nothing\r\n\r\n", 310))
    # cut by the capture inside the header block (caplen 100 of the frame)
    long_get = (b"GET /a/rather/long/path/to/something HTTP/1.1\r\nHost: www.example.com\r\n"
                b"Accept-Language: en\r\nCookie: " + b"x" * 40 + b"\r\n\r\n")
    full = seg(40108, 80, long_get, 311)
    P.append((full[:130], len(full)))
    # cut inside the first line
    P.append((full[:70], len(full)))
    return P


def tls_record(ctype, body, version=0x0303):
    return struct.pack(">BHH", ctype, version, len(body)) + body


def tls_handshake(htype, body):
    return struct.pack(">B", htype) + len(body).to_bytes(3, "big") + body


def tls_ext(etype, data):
    return struct.pack(">HH", etype, len(data)) + data


def tls_client_hello(sni=b"example.com", alpn=(b"h2", b"http/1.1"), versions=(0x0304, 0x0303),
                     suites=(0x1301, 0x1302, 0xc02b, 0xc02f, 0x009c), sid=b"\x11" * 32,
                     extra=()):
    exts = b""
    if sni is not None:
        entry = b"\x00" + struct.pack(">H", len(sni)) + sni
        exts += tls_ext(0, struct.pack(">H", len(entry)) + entry)
    exts += tls_ext(10, bytes.fromhex("0004001d0017"))   # supported_groups
    exts += tls_ext(11, bytes.fromhex("0100"))           # ec_point_formats
    if alpn is not None:
        lst = b"".join(bytes([len(p)]) + p for p in alpn)
        exts += tls_ext(16, struct.pack(">H", len(lst)) + lst)
    exts += tls_ext(13, bytes.fromhex("000404030804"))   # signature_algorithms
    if versions is not None:
        exts += tls_ext(43, bytes([2 * len(versions)]) +
                        b"".join(struct.pack(">H", v) for v in versions))
    for e in extra:
        exts += e
    body = (struct.pack(">H", 0x0303) + bytes(range(32)) + bytes([len(sid)]) + sid +
            struct.pack(">H", 2 * len(suites)) + b"".join(struct.pack(">H", x) for x in suites) +
            b"\x01\x00" + struct.pack(">H", len(exts)) + exts)
    return tls_handshake(1, body)


def tls_server_hello(suite=0x1301, selected=0x0304, sid=b"\x11" * 32):
    exts = b""
    if selected is not None:
        exts += tls_ext(43, struct.pack(">H", selected))
    exts += tls_ext(51, bytes.fromhex("001d0004") + b"\x22" * 4)
    body = (struct.pack(">H", 0x0303) + bytes(range(100, 132)) + bytes([len(sid)]) + sid +
            struct.pack(">HB", suite, 0) + struct.pack(">H", len(exts)) + exts)
    return tls_handshake(2, body)


def tls_packets():
    c, s = dict(src=A1, dst=A2), dict(src=A2, dst=A1)

    def seg(sport, dport, data, ident, fwd=True):
        return b(eth(**(dict(src=M1, dst=M2) if fwd else dict(src=M2, dst=M1))) /
                 IP(id=ident, flags="DF", **(c if fwd else s)) /
                 TCP(sport=sport, dport=dport, flags="PA", seq=1000, ack=5000,
                     window=502) / Raw(data))
    P = []
    # ClientHello with SNI, ALPN and supported_versions (record version 0x0301 as browsers send)
    P.append(seg(40200, 443, tls_record(22, tls_client_hello(), version=0x0301), 400))
    # TLS 1.3 ServerHello + ChangeCipherSpec + encrypted handshake in one segment
    P.append(seg(443, 40200, tls_record(22, tls_server_hello()) + tls_record(20, b"\x01") +
                 tls_record(23, bytes(range(7, 60))), 401, fwd=False))
    # TLS 1.2 server flight: ServerHello, Certificate, ServerHelloDone in one record
    flight = (tls_server_hello(suite=0xc02f, selected=None) +
              tls_handshake(11, bytes.fromhex("000006000003010203")) + tls_handshake(14, b""))
    P.append(seg(443, 40201, tls_record(22, flight), 402, fwd=False))
    # ClientHello without SNI or ALPN, TLS 1.2 only, on 8443 (sniffed by content)
    P.append(seg(40202, 8443, tls_record(22, tls_client_hello(sni=None, alpn=None, versions=None,
                                                               suites=(0xc02f, 0x009c))),
                 403))
    # application data running on into the next segment, and an alert
    P.append(seg(40200, 443, tls_record(23, bytes(200))[:80], 404))
    P.append(seg(443, 40200, tls_record(21, b"\x01\x00"), 405, fwd=False))
    # damaged: the extensions length runs past the ClientHello
    hello = bytearray(tls_client_hello(alpn=(b"h2",)))
    ext_at = 4 + 2 + 32 + 1 + 32 + 2 + 10 + 2
    hello[ext_at:ext_at + 2] = struct.pack(">H", 0x4000)
    P.append(seg(40203, 443, tls_record(22, bytes(hello)), 406))
    # damaged: a valid alert followed by bytes that are not a record header
    P.append(seg(443, 40203, tls_record(21, b"\x02\x28") + b"\x99\x99\x99\x99\x99\x99", 407,
                 fwd=False))
    # a record header split at the end of the segment
    P.append(seg(443, 40203, tls_record(23, b"abc") + b"\x17\x03", 408, fwd=False))
    # cut by the capture inside the ClientHello
    full = seg(40204, 443, tls_record(22, tls_client_hello(sni=b"cut.example.org")), 409)
    P.append((full[:120], len(full)))
    # not TLS on port 443
    P.append(seg(40205, 443, b"hello, not tls", 410))
    return P
# Tunnels: ethernet-{gre,vxlan,mpls,igmp}.pcap, tunnels-damaged.pcap
# --------------------------------------------------------------------------

def tunnel_fixtures():
    """GRE (key, sequence, checksum, Ethernet, MPLS, IPv6, version 1), VXLAN, MPLS label
    stacks, IGMP v1/v2/v3, and damaged ones of each."""
    from scapy.layers.l2 import GRE, GRE_PPTP
    from scapy.layers.vxlan import VXLAN
    from scapy.contrib.mpls import MPLS
    from scapy.layers.igmp import IGMP, IGMPv3_MQ, IGMPv3_MR, IGMPv3_MR_Group
    from scapy.layers.inet import IPOption_Router_Alert
    inner4 = IP(id=2001, src="10.0.0.1", dst="10.0.0.2")
    gre = [
        b(eth() / IP(id=2000, src=A1, dst=A2) / GRE() / inner4 / ICMP(id=20, seq=1) / Raw(b"gre")),
        b(eth() / IP(id=2002, src=A1, dst=A2) / GRE(key_present=1, key=7) / inner4 /
          UDP(sport=5000, dport=5001) / Raw(b"key")),
        b(eth() / IP(id=2003, src=A1, dst=A2) / GRE(seqnum_present=1, seqence_number=5) /
          IPv6(src=S1, dst=S2) / ICMPv6EchoRequest(id=20, seq=2)),
        b(eth() / IP(id=2004, src=A1, dst=A2) / GRE(chksum_present=1) / inner4 /
          TCP(sport=40000, dport=80, flags="S", seq=1, window=1024)),
        b(eth() / IP(id=2005, src=A1, dst=A2) /
          GRE(chksum_present=1, key_present=1, seqnum_present=1, key=0x1234, seqence_number=9) /
          Ether(src=M3, dst=M4) / inner4 / ICMP(id=20, seq=3)),
        b(eth() / IP(id=2006, src=A1, dst=A2) / GRE() / MPLS(label=300, ttl=9) / inner4 /
          UDP(sport=1, dport=2)),
        b(eth() / IP(id=2007, src=A1, dst=A2) / GRE(proto=0x88be) / Raw(b"\x10\x00\x00\x01erspan")),
        b(v6eth() / IPv6(src=S1, dst=S2) / GRE(key_present=1, key=0xdeadbeef) / inner4 /
          ICMP(type=0, id=20, seq=4)),
        b(eth() / IP(id=2008, src=A1, dst=A2) /
          GRE_PPTP(seqnum_present=0, acknum_present=1, call_id=5, payload_len=0, ack_number=3)),
    ]
    vx = [
        b(eth() / IP(id=2100, src=A1, dst=A2) / UDP(sport=50000, dport=4789) / VXLAN(flags=0x08, vni=42) /
          Ether(src=M3, dst=M4) / inner4 / ICMP(id=21, seq=1) / Raw(b"vxlan")),
        b(eth() / IP(id=2101, src=A2, dst=A1) / UDP(sport=50001, dport=4789) / VXLAN(flags=0x08, vni=100) /
          Ether(src=M4, dst=BCAST) / ARP(hwsrc=M4, psrc="10.0.0.2", pdst="10.0.0.1")),
        b(eth() / IP(id=2102, src=A1, dst=A2) / UDP(sport=50002, dport=4789) / VXLAN(flags=0x08, vni=7) /
          Ether(src=M3, dst=M4) / IPv6(src=S3, dst=S4) / UDP(sport=6000, dport=6001) / Raw(b"v6")),
        b(eth() / IP(id=2103, src=A1, dst=A2) / UDP(sport=50003, dport=4789) /
          VXLAN(flags=0, vni=16777215) / Ether(src=M3, dst=M4) / Dot1Q(vlan=10) / inner4 /
          TCP(sport=1234, dport=443, flags="S", seq=7, window=512)),
        b(v6eth() / IPv6(src=S1, dst=S2) / UDP(sport=4789, dport=4789) / VXLAN(flags=0x08, vni=5) /
          Ether(src=M3, dst=M4) / inner4 / UDP(sport=7, dport=9) / Raw(b"x")),
    ]
    mpls = [
        b(eth() / MPLS(label=100, ttl=64) / inner4 / ICMP(id=22, seq=1)),
        b(eth() / MPLS(label=100, ttl=64) / MPLS(label=200, cos=5, ttl=63) / inner4 /
          UDP(sport=3000, dport=3001) / Raw(b"two labels")),
        b(eth() / MPLS(label=2, ttl=64) / IPv6(src=S1, dst=S2) / ICMPv6EchoRequest(id=22, seq=2)),
        b(eth(type=0x8848) / MPLS(label=16, ttl=1) / inner4 /
          TCP(sport=179, dport=40000, flags="SA", seq=5, ack=2, window=1000)),
        b(eth() / MPLS(label=1048575, cos=7, ttl=255) / MPLS(label=0, ttl=1) /
          MPLS(label=3, ttl=2) / inner4 / ICMP(type=0, id=22, seq=3)),
    ]
    def igmp_ip(dst, **kw):
        return IP(id=2300, src=A1, dst=dst, ttl=1, tos=0xc0, options=[IPOption_Router_Alert()], **kw)
    igmp = [
        b(eth() / igmp_ip("224.0.0.1") / IGMP(type=0x11, mrcode=0)),
        b(eth() / igmp_ip("224.0.0.1") / IGMP(type=0x11, mrcode=100)),
        b(eth() / igmp_ip("239.1.1.1") / IGMP(type=0x11, mrcode=10, gaddr="239.1.1.1")),
        b(eth() / igmp_ip("239.1.1.1") / IGMP(type=0x12, mrcode=0, gaddr="239.1.1.1")),
        b(eth() / igmp_ip("239.1.1.1") / IGMP(type=0x16, gaddr="239.1.1.1")),
        b(eth() / igmp_ip("224.0.0.2") / IGMP(type=0x17, gaddr="239.1.1.1")),
        b(eth() / igmp_ip("224.0.0.1") / IGMPv3_MQ(mrcode=20, qrv=2, qqic=125)),
        b(eth() / igmp_ip("239.1.1.1") / IGMPv3_MQ(mrcode=200, gaddr="239.1.1.1",
                                                   srcaddrs=[A2, A3], s=1, qrv=2)),
        b(eth() / igmp_ip("224.0.0.22") / IGMPv3_MR(records=[
            IGMPv3_MR_Group(rtype=1, maddr="239.1.1.1", srcaddrs=[A2]),
            IGMPv3_MR_Group(rtype=4, maddr="239.2.2.2")])),
        b(eth() / igmp_ip("224.0.0.22") / IGMP(type=0x30)),
    ]
    damaged = []
    # GRE cut inside its key (the capture ends: truncated).
    full = b(eth() / IP(id=2400, src=A1, dst=A2) / GRE(key_present=1, seqnum_present=1, key=1,
                                                       seqence_number=2) / inner4 / ICMP())
    damaged.append((full[:14 + 20 + 6], len(full)))
    # GRE with a wrong checksum.
    damaged.append(b(eth() / IP(id=2401, src=A1, dst=A2) / GRE(chksum_present=1, chksum=0x1234) /
                     inner4 / ICMP(id=24, seq=1)))
    # VXLAN cut inside the inner Ethernet header.
    full = b(eth() / IP(id=2402, src=A1, dst=A2) / UDP(sport=50000, dport=4789) / VXLAN(flags=0x08, vni=1) /
             Ether(src=M3, dst=M4) / inner4 / ICMP())
    damaged.append((full[:14 + 20 + 8 + 8 + 10], len(full)))
    # MPLS stack with no bottom-of-stack entry before the frame ends (captured whole).
    damaged.append(b(eth() / MPLS(label=100, s=0, ttl=64) / MPLS(label=101, s=0, ttl=64)))
    # MPLS cut inside its second entry.
    full = b(eth() / MPLS(label=100, ttl=64) / MPLS(label=200, ttl=64) / inner4 / ICMP())
    damaged.append((full[:14 + 6], len(full)))
    # IGMPv3 report announcing 5 records, holding 1.
    damaged.append(b(eth() / igmp_ip("224.0.0.22") / IGMPv3_MR(numgrp=5, records=[
        IGMPv3_MR_Group(rtype=2, maddr="239.1.1.1")])))
    # IGMPv3 query announcing 10 sources, holding none.
    damaged.append(b(eth() / igmp_ip("224.0.0.1") / IGMPv3_MQ(numsrc=10)))
    # IGMP v2 report with a wrong checksum.
    damaged.append(b(eth() / igmp_ip("239.1.1.1") / IGMP(type=0x16, gaddr="239.1.1.1", chksum=0)))
    # IGMP cut after 4 bytes.
    full = b(eth() / igmp_ip("239.1.1.1") / IGMP(type=0x16, gaddr="239.1.1.1"))
    damaged.append((full[:14 + 24 + 4], len(full)))
    write_pcap("ethernet-gre.pcap", gre, LT_EN10MB)
    write_pcap("ethernet-vxlan.pcap", vx, LT_EN10MB)
    write_pcap("ethernet-mpls.pcap", mpls, LT_EN10MB)
    write_pcap("ethernet-igmp.pcap", igmp, LT_EN10MB)
    write_pcap("tunnels-damaged.pcap", damaged, LT_EN10MB)
# dhcp.pcap, dhcpv6.pcap, ntp.pcap (application layers on UDP ports)
# --------------------------------------------------------------------------

def dhcp_packets():
    """DHCP exchanges (client padded to 300 bytes as real clients do), plain BOOTP,
    non-Ethernet hardware, a relay; damaged: cut by the capture, an option running past the
    end, a message without cookie shorter than BOOTP's 300 bytes."""
    from scapy.all import BOOTP, DHCP
    from scapy.utils import mac2str
    P = []
    bc = dict(src="0.0.0.0", dst="255.255.255.255")

    def client(payload, i, **ip):
        return b(eth(dst=BCAST) / IP(id=300 + i, ttl=64, **(ip or bc)) /
                 UDP(sport=68, dport=67) / payload)

    def server(payload, i, dst=A3):
        return b(eth(src=M2, dst=M1) / IP(id=320 + i, src=A2, dst=dst) /
                 UDP(sport=67, dport=68) / payload)

    ch = mac2str(M1)
    discover = BOOTP(op=1, xid=0x1a2b3c4d, flags=0x8000, chaddr=ch) / DHCP(options=[
        ("message-type", "discover"), ("client_id", b"\x01" + ch),
        ("param_req_list", [1, 3, 6, 12, 15, 28, 51, 58, 59]),
        ("hostname", b"client-1"), "end"])
    P.append(client(discover / Raw(b"\0" * (300 - len(discover))), 0))
    offer = BOOTP(op=2, xid=0x1a2b3c4d, yiaddr=A3, siaddr=A2, chaddr=ch,
                  sname=b"boot.example", file=b"pxelinux.0") / DHCP(options=[
        ("message-type", "offer"), ("server_id", A2), ("lease_time", 3600),
        ("renewal_time", 1800), ("rebinding_time", 3150), ("subnet_mask", "255.255.255.0"),
        ("router", A1, "192.0.2.254"), ("name_server", B1, B2),
        ("domain", b"example.com"), "end"])
    P.append(server(offer, 0))
    request = BOOTP(op=1, xid=0x1a2b3c4d, secs=3, chaddr=ch) / DHCP(options=[
        ("message-type", "request"), ("requested_addr", A3), ("server_id", A2),
        ("client_id", b"\x01" + ch), ("param_req_list", [1, 3, 6]), "end"])
    P.append(client(request / Raw(b"\0" * (300 - len(request))), 1))
    ack = BOOTP(op=2, xid=0x1a2b3c4d, yiaddr=A3, siaddr=A2, chaddr=ch) / DHCP(options=[
        ("message-type", "ack"), ("server_id", A2), ("lease_time", 3600),
        ("subnet_mask", "255.255.255.0"), ("router", A1), "end"])
    P.append(server(ack, 1))
    # renewal from a bound client (unicast, ciaddr), release with a message option
    P.append(client(BOOTP(op=1, xid=0x55667788, ciaddr=A3, chaddr=ch) / DHCP(options=[
        ("message-type", "request"), (57, b"\x05\xdc"), "end"]), 2, src=A3, dst=A2))
    P.append(client(BOOTP(op=1, xid=0x55667789, ciaddr=A3, chaddr=ch) / DHCP(options=[
        ("message-type", "release"), ("server_id", A2), "end"]), 3, src=A3, dst=A2))
    # plain BOOTP (RFC 951): no magic cookie, 64-byte vendor area
    P.append(client(BOOTP(op=1, xid=0x0b007001, chaddr=ch) / Raw(b"\0" * 64), 4))
    P.append(server(BOOTP(op=2, xid=0x0b007001, yiaddr=A3, chaddr=ch, file=b"/boot/kernel") /
                    Raw(b"\0" * 64), 2))
    # non-Ethernet hardware: IEEE 802 (6) with hlen 6, InfiniBand (32) with hlen 16 (hex)
    P.append(client(BOOTP(op=1, htype=6, hlen=6, xid=0x600d, chaddr=ch) / DHCP(options=[
        ("message-type", "discover"), "end"]), 5))
    P.append(client(BOOTP(op=1, htype=32, hlen=16, xid=0x1b, chaddr=bytes(range(1, 17))) /
                    DHCP(options=[("message-type", "inform"), "end"]), 6))
    # a relay agent to the server (server port both ways), hops 1, giaddr set
    P.append(b(eth(src=M3, dst=M2) / IP(id=340, src=B1, dst=A2) / UDP(sport=67, dport=67) /
               BOOTP(op=1, hops=1, xid=0x77, giaddr=B1, chaddr=ch) /
               DHCP(options=[("message-type", "discover"), (82, b"\x01\x04port"), "end"])))
    # unknown op
    P.append(client(BOOTP(op=3, xid=0x3) / DHCP(options=[("message-type", "nak"), "end"]), 7))
    # damaged: the capture keeps only 20 and 120 bytes of the message
    whole = client(discover, 8)
    P.append((whole[:42 + 20], len(whole)))
    P.append((whole[:42 + 120], len(whole)))
    # damaged: the last option announces 40 bytes, 3 follow (frame captured whole)
    bad = bytes(BOOTP(op=1, xid=0xbad, chaddr=ch) / DHCP(options=[("message-type", "discover")]))
    P.append(client(Raw(bad + b"\x0c\x28abc"), 9))
    # damaged: no cookie and shorter than 300 bytes
    P.append(client(BOOTP(op=1, xid=0x5407, chaddr=ch) / Raw(b"\0" * 10), 10))
    return P


def dhcpv6_packets():
    """DHCPv6: the four-message exchange, relay messages, the other message types, an
    unknown type; damaged: cut by the capture, an option running past the end."""
    from scapy.layers.dhcp6 import (
        DHCP6_Advertise, DHCP6_Confirm, DHCP6_Decline, DHCP6_InfoRequest, DHCP6_Rebind,
        DHCP6_Reconf, DHCP6_RelayForward, DHCP6_RelayReply, DHCP6_Release, DHCP6_Renew,
        DHCP6_Reply, DHCP6_Request, DHCP6_Solicit, DHCP6OptClientId, DHCP6OptElapsedTime,
        DHCP6OptIA_NA, DHCP6OptIAAddress, DHCP6OptIfaceId, DHCP6OptOptReq, DHCP6OptRelayMsg,
        DHCP6OptServerId, DUID_LL)
    P = []
    cid = DHCP6OptClientId(duid=DUID_LL(lladdr=M1))
    sid = DHCP6OptServerId(duid=DUID_LL(lladdr=M2))
    ia = DHCP6OptIA_NA(iaid=1, T1=1800, T2=2880)
    ia_addr = DHCP6OptIA_NA(iaid=1, T1=1800, T2=2880, ianaopts=[
        DHCP6OptIAAddress(addr=S3, preflft=3600, validlft=7200)])
    ALL = "ff02::1:2"

    def client(msg, i):
        return b(v6eth(dst="33:33:00:01:00:02") / IPv6(src=LL1, dst=ALL, hlim=1) /
                 UDP(sport=546, dport=547) / msg)

    def server(msg, i):
        return b(v6eth(src=M2, dst=M1) / IPv6(src=LL2, dst=LL1) / UDP(sport=547, dport=546) / msg)

    P.append(client(DHCP6_Solicit(trid=0x123456) / cid / DHCP6OptOptReq(reqopts=[23, 24]) /
                    DHCP6OptElapsedTime() / ia, 0))
    P.append(server(DHCP6_Advertise(trid=0x123456) / ia_addr / cid / sid, 0))
    P.append(client(DHCP6_Request(trid=0x654321) / cid / sid / DHCP6OptElapsedTime(elapsedtime=10) /
                    ia_addr, 1))
    P.append(server(DHCP6_Reply(trid=0x654321) / ia_addr / cid / sid, 1))
    for i, cls in enumerate([DHCP6_Confirm, DHCP6_Renew, DHCP6_Rebind, DHCP6_Release,
                             DHCP6_Decline, DHCP6_InfoRequest]):
        P.append(client(cls(trid=0x10 + i) / cid, 2 + i))
    P.append(server(DHCP6_Reconf(trid=0) / sid / cid, 2))
    relay = DHCP6_RelayForward(hopcount=0, linkaddr=S1, peeraddr=LL1) / \
        DHCP6OptIfaceId(ifaceid=b"eth0") / DHCP6OptRelayMsg(message=DHCP6_Solicit(trid=0x123456) / cid)
    P.append(b(v6eth(src=M3, dst=M2) / IPv6(src=S1, dst=S2) / UDP(sport=547, dport=547) / relay))
    P.append(b(v6eth(src=M2, dst=M3) / IPv6(src=S2, dst=S1) / UDP(sport=547, dport=547) /
               DHCP6_RelayReply(hopcount=0, linkaddr=S1, peeraddr=LL1) /
               DHCP6OptRelayMsg(message=DHCP6_Advertise(trid=0x123456) / cid / sid)))
    # unknown message type 20 (an option follows)
    P.append(client(Raw(bytes.fromhex("14000001") + bytes(cid)), 9))
    # damaged: the capture keeps 3 bytes of the message; then 30 bytes of it
    whole = client(DHCP6_Solicit(trid=0x777) / cid / ia, 10)
    P.append((whole[:62 + 3], len(whole)))
    P.append((whole[:62 + 30], len(whole)))
    # damaged: an option announces 100 bytes, 2 follow (captured whole)
    P.append(client(Raw(bytes.fromhex("0b000888") + bytes.fromhex("000100640102")), 11))
    return P


def ntp_packets():
    """NTP: client and server v4 with every field, v3, broadcast, symmetric, control and
    private modes (48 bytes), over IPv6, with a MAC; damaged: cut by the capture."""
    def ntp(flags, stratum=0, poll=0, precision=0, delay=0, disp=0, refid=0,
            ref=(0, 0), org=(0, 0), rec=(0, 0), xmt=(0, 0)):
        return struct.pack(">BBBbIII", flags, stratum, poll, precision, delay, disp, refid) + \
            b"".join(struct.pack(">II", *t) for t in (ref, org, rec, xmt))

    def over4(data, i, sport=123, dport=123, src=A1, dst=A2):
        return b(eth() / IP(id=400 + i, src=src, dst=dst) / UDP(sport=sport, dport=dport) /
                 Raw(data))

    P = []
    P.append(over4(ntp(0x23, xmt=(3913056000, 2147483648)), 0, sport=50123))
    P.append(over4(ntp(0x24, stratum=2, poll=6, precision=-20, delay=0x00000ab1,
                       disp=0x0000135f, refid=0xc6336401, ref=(3913055900, 123456789),
                       org=(3913056000, 2147483648), rec=(3913056000, 2500000000),
                       xmt=(3913056000, 2500100000)), 1, dport=50123, src=A2, dst=A1))
    P.append(over4(ntp(0x1b, poll=10, precision=-6, xmt=(3913056001, 1)), 2))
    P.append(over4(ntp(0x25, stratum=3, poll=17, precision=-23, refid=0x47505300,
                       xmt=(4294967295, 4294967295)), 3, dst="192.0.2.255"))
    P.append(over4(ntp(0xd9, stratum=16, poll=4, precision=-18, refid=0x494e4954), 4))
    P.append(over4(ntp(0x16) [:2] + b"\x01\x02" + b"\0" * 44, 5))  # control (mode 6)
    P.append(over4(ntp(0x17, stratum=0x2a) , 6))  # private (mode 7)
    P.append(over4(ntp(0x02, precision=5), 7))  # version 0, symmetric passive
    P.append(b(v6eth() / IPv6(src=S1, dst=S2) / UDP(sport=123, dport=123) /
               Raw(ntp(0x23, precision=-29, xmt=(3913056002, 999)))))
    # symmetric key authentication: key id and a 16-byte MAC after the 48 bytes
    P.append(over4(ntp(0x23, xmt=(3913056004, 1 << 31)) + struct.pack(">I", 7) + bytes(range(16)), 9))
    whole = over4(ntp(0x23, xmt=(3913056003, 7)), 8)
    P.append((whole[:42 + 20], len(whole)))
    return P


def write_application_fixtures():
    """dhcp.pcap, dhcpv6.pcap, ntp.pcap: the application layers on UDP ports."""
    write_pcap("dhcp.pcap", dhcp_packets(), LT_EN10MB)
    write_pcap("dhcpv6.pcap", dhcpv6_packets(), LT_EN10MB)
    write_pcap("ntp.pcap", ntp_packets(), LT_EN10MB)


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--live", action="store_true",
                    help="also re-capture linux-sll.pcap / linux-sll2.pcap in "
                         "network namespaces (root)")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)

    tcp, udp, icmp = tcp_packets(), udp_packets(), icmp_packets()
    opts, v6, icmp6 = ipopt_packets(), ipv6_packets(), icmpv6_packets()
    arp, vlan, llc = arp_packets(), vlan_packets(), llc_packets()
    ipip, mal = ipip_packets(), malformed_packets()

    write_pcap("ethernet-ipv4-tcp.pcap", tcp, LT_EN10MB)
    write_pcap("ethernet-ipv4-udp.pcap", udp, LT_EN10MB)
    write_pcap("ethernet-ipv4-icmp.pcap", icmp, LT_EN10MB)
    write_pcap("ethernet-ipv4-options.pcap", opts, LT_EN10MB)
    write_pcap("ethernet-ipv6.pcap", v6, LT_EN10MB)
    write_pcap("ethernet-icmpv6.pcap", icmp6, LT_EN10MB)
    write_pcap("ethernet-arp.pcap", arp, LT_EN10MB)
    write_pcap("ethernet-vlan.pcap", vlan, LT_EN10MB)
    write_pcap("ethernet-8023-llc.pcap", llc, LT_EN10MB)
    raws = raw_ip_packets()
    write_pcap("raw-ip.pcap", raws, LT_RAW)
    write_pcap("ipv4-linktype.pcap", [p for p in raws if p[0] >> 4 == 4], LT_IPV4)
    write_pcap("ipv6-linktype.pcap", [p for p in raws if p[0] >> 4 == 6], LT_IPV6)
    write_pcap("null-loopback.pcap", null_records("little"), LT_NULL)
    write_pcap("loop.pcap", null_records("big"), LT_LOOP)
    ns = [tcp[0], udp[0], icmp[0], v6[0], arp[0], vlan[0]]
    write_pcap("ns-bigendian.pcap",
               [(p, None, BASE_SEC * 10**9 + 123456789 + i * 1_000_000_001)
                for i, p in enumerate(ns)], LT_EN10MB, nano=True, endian=">")
    write_pcap("snaplen-truncated.pcap", trunc_records(), LT_EN10MB, snaplen=64)
    write_pcap("malformed.pcap", mal, LT_EN10MB)
    write_pcap("ethernet-ipip.pcap", ipip, LT_EN10MB)
    write_pcap("http.pcap", http_packets(), LT_EN10MB)
    write_pcap("tls.pcap", tls_packets(), LT_EN10MB)
    write_bytes("multi-interface.pcapng", multi_interface_pcapng())
    write_bytes("pcapng-bigendian.pcapng", bigendian_pcapng())
    write_bytes("sections.pcapng", sections_pcapng())
    write_application_fixtures()
    mixed = (tcp[:6] + udp[:3] + icmp[2:6] + opts[:3] + opts[6:9] + v6[3:8] +
             icmp6[2:6] + arp[:2] + vlan[:3] + llc[:2] + ipip[:2] + [mal[0], mal[4]])
    assert len(mixed) <= 40, len(mixed)
    write_pcap("mixed.pcap", mixed, LT_EN10MB)
    tunnel_fixtures()
    dns_fixtures()

    if args.live:
        live_capture()


if __name__ == "__main__":
    main()
