#!/usr/bin/env python3
"""Builds crafting vectors with scapy and writes Tests/PacketKitTests/Building/CraftVectors.swift.

Each vector is a rawtool crafting expression, the scapy expression that builds the same
packet from explicit field values, and scapy's bytes as hex. The Swift test crafts each
expression with PacketCrafter and compares bytes. Run from the repository root:

    python3 Scripts/generate-craft-vectors.py

Regenerate only when a change is intended; the output names the scapy version used.
"""
import logging
import os
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
import scapy  # noqa: E402
from scapy.all import *  # noqa: E402,F401,F403
from scapy.layers.inet6 import *  # noqa: E402,F401,F403
from scapy.layers.ipsec import AH  # noqa: E402,F401
from scapy.layers.mobileip import *  # noqa: E402,F401,F403

M1, M2 = "02:00:00:00:00:01", "02:00:00:00:00:02"
E = f"eth(src={M1}, dst={M2})"
SE = f"Ether(src='{M1}', dst='{M2}')"
I4 = "ipv4(src=192.0.2.1, dst=192.0.2.2)"
SI4 = "IP(src='192.0.2.1', dst='192.0.2.2')"
I6 = "ipv6(src=2001:db8::1, dst=2001:db8::2)"
SI6 = "IPv6(src='2001:db8::1', dst='2001:db8::2')"


def ext_hex(scapy_ext):
    """The body after next-header and length of one scapy extension header, as 0x hex."""
    return "0x" + bytes(scapy_ext)[2:].hex()


HBH_RA = ext_hex(IPv6ExtHdrHopByHop(options=[RouterAlert()]))
DST_PAD = ext_hex(IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)]))
RT0 = IPv6ExtHdrRouting(addresses=["2001:db8::a", "2001:db8::b"], segleft=2)
RT0_HEX = ext_hex(RT0)
RT0_ZERO = IPv6ExtHdrRouting(addresses=["2001:db8::a"], segleft=0)
AH_HEX = ext_hex(AH(spi=0x1000, seq=1, icv=b"\xaa" * 12, nh=59, payloadlen=4))
MH_HEX = "0x" + bytes(IPv6(src="2001:db8::1", dst="2001:db8::2") / MIP6MH_BRR())[42:].hex()

# (name, rawtool expression, scapy expression)
VECTORS = [
    # Ethernet, VLAN, QinQ, ARP
    ("eth-raw", f'{E} / raw("hello")', f"{SE}/Raw(b'hello')"),
    ("eth-type-given", f"{E.replace(')', ', type=0x88b5)')} / raw(0x0102)", f"{SE.replace(')', ', type=0x88b5)')}/Raw(b'\\x01\\x02')"),
    ("eth-only", E, SE),
    ("eth-8023-length", f"eth(src={M1}, dst={M2}, length=3) / raw(0xaaaa03)", f"Ether(src='{M1}', dst='{M2}', type=3)/Raw(bytes.fromhex('aaaa03'))"),
    ("vlan-ipv4-udp", f"{E} / vlan(id=100, pcp=5) / {I4} / udp(sport=1000, dport=2000)", f"{SE}/Dot1Q(vlan=100, prio=5)/{SI4}/UDP(sport=1000, dport=2000)"),
    ("vlan-dei-arp", f"{E} / vlan(id=4095, dei=true) / arp(op=1, sender_mac={M1}, sender_ip=192.0.2.1, target_ip=192.0.2.2)", f"{SE}/Dot1Q(vlan=4095, id=1)/ARP(op=1, hwsrc='{M1}', psrc='192.0.2.1', hwdst='00:00:00:00:00:00', pdst='192.0.2.2')"),
    ("qinq-8021ad", f"{E} / vlan(tpid=0x88a8, id=10) / vlan(id=20) / {I4} / icmp()", f"{SE}/Dot1AD(vlan=10)/Dot1Q(vlan=20)/{SI4}/ICMP()"),
    ("qinq-8100-8100", f"{E} / dot1q(id=1) / dot1q(id=2, pcp=7) / ip(src=10.0.0.1, dst=10.0.0.2) / tcp()", f"{SE}/Dot1Q(vlan=1)/Dot1Q(vlan=2, prio=7)/IP(src='10.0.0.1', dst='10.0.0.2')/TCP()"),
    ("vlan-ipv6", f"{E} / vlan(id=7) / {I6} / udp()", f"{SE}/Dot1Q(vlan=7)/{SI6}/UDP()"),
    ("vlan-type-given", f"{E} / vlan(id=3, type=0x1234) / raw(0x00)", f"{SE}/Dot1Q(vlan=3, type=0x1234)/Raw(b'\\x00')"),
    ("arp-request", f"ether(src={M1}, dst=ff:ff:ff:ff:ff:ff) / arp(sender_mac={M1}, sender_ip=192.0.2.1, target_ip=192.0.2.254)", f"Ether(src='{M1}', dst='ff:ff:ff:ff:ff:ff')/ARP(hwsrc='{M1}', psrc='192.0.2.1', hwdst='00:00:00:00:00:00', pdst='192.0.2.254')"),
    ("arp-reply", f"{E} / arp(op=2, sender_mac={M2}, sender_ip=192.0.2.2, target_mac={M1}, target_ip=192.0.2.1)", f"{SE}/ARP(op=2, hwsrc='{M2}', psrc='192.0.2.2', hwdst='{M1}', pdst='192.0.2.1')"),
    ("rarp-op3", f"{E} / arp(op=3, sender_mac={M1}, target_mac={M1})", f"{SE}/ARP(op=3, hwsrc='{M1}', psrc='0.0.0.0', hwdst='{M1}', pdst='0.0.0.0')"),
    ("arp-wrong-lengths", f"{E} / arp(op=4, hardware_length=6, protocol_length=4, hardware_type=1, protocol_type=0x0800)", f"{SE}/ARP(op=4, hwtype=1, hwlen=6, plen=4, hwsrc='00:00:00:00:00:00', psrc='0.0.0.0', hwdst='00:00:00:00:00:00', pdst='0.0.0.0')"),
    # IPv4
    ("ipv4-tcp-syn", f"{E} / {I4} / tcp(sport=1234, dport=80, flags=S, seq=1000)", f"{SE}/{SI4}/TCP(sport=1234, dport=80, flags='S', seq=1000)"),
    ("ipv4-all-fields", f"{E} / ipv4(src=198.51.100.1, dst=203.0.113.9, tos=0xb8, id=0xbeef, df=true, ttl=3) / udp(sport=5, dport=6) / raw(\"x\")", f"{SE}/IP(src='198.51.100.1', dst='203.0.113.9', tos=0xb8, id=0xbeef, flags='DF', ttl=3)/UDP(sport=5, dport=6)/Raw(b'x')"),
    ("ipv4-fragment", f"{I4.replace(')', ', id=7, mf=true, fragment_offset=1480)')} / raw(0x0102030405060708)", "IP(src='192.0.2.1', dst='192.0.2.2', id=7, flags='MF', frag=185)/Raw(bytes.fromhex('0102030405060708'))"),
    ("ipv4-options-ra", f"ipv4(src=192.0.2.1, dst=224.0.0.22, ttl=1, options=0x94040000) / raw(0x22)", "IP(src='192.0.2.1', dst='224.0.0.22', ttl=1, options=[IPOption_Router_Alert()])/Raw(b'\\x22')"),
    ("ipv4-options-padded", f"ipv4(src=192.0.2.1, dst=192.0.2.2, options=0x0101) / udp()", "IP(src='192.0.2.1', dst='192.0.2.2', options=[IPOption_NOP(), IPOption_NOP()])/UDP()"),
    ("ipv4-options-lsrr-udp", f"ipv4(src=192.0.2.1, dst=192.0.2.2, options=0x830b04c6336401c6336405) / udp(sport=1, dport=2)", "IP(src='192.0.2.1', dst='192.0.2.2', options=[IPOption_LSRR(routers=['198.51.100.1', '198.51.100.5'])])/UDP(sport=1, dport=2)"),
    ("ipv4-options-timestamp-tcp", f"ipv4(src=192.0.2.1, dst=192.0.2.2, options=0x4408050000000000) / tcp(dport=443)", "IP(src='192.0.2.1', dst='192.0.2.2', options=[IPOption_Timestamp(flg=0, length=8, pointer=5)])/TCP(dport=443)"),
    ("ipv4-proto-raw", f"{I4} / raw(\"payload\")", f"{SI4}/Raw(b'payload')"),
    ("ipv4-proto-given", f"{I4.replace(')', ', protocol=47')}) / raw(0x0000)", f"{SI4.replace(')', ', proto=47')})/Raw(b'\\x00\\x00')"),
    ("ipv4-wrong-checksum", f"{I4.replace(')', ', checksum=0x1234')}) / icmp()", f"{SI4.replace(')', ', chksum=0x1234')})/ICMP()"),
    ("ipv4-wrong-total-length", f"{I4.replace(')', ', total_length=1000')}) / udp(sport=7, dport=7) / raw(\"abc\")", f"{SI4.replace(')', ', len=1000')})/UDP(sport=7, dport=7)/Raw(b'abc')"),
    ("ipv4-short-total-length-tcp", f"{I4.replace(')', ', total_length=30')}) / tcp() / raw(\"abcdef\")", f"{SI4.replace(')', ', len=30')})/TCP()/Raw(b'abcdef')"),
    ("ipv4-wrong-header-length", f"{I4.replace(')', ', header_length=24')}) / udp()", f"{SI4.replace(')', ', ihl=6')})/UDP()"),
    ("ipv4-in-ipv4", f"{I4} / ipv4(src=10.1.1.1, dst=10.2.2.2) / udp()", f"{SI4}/IP(src='10.1.1.1', dst='10.2.2.2')/UDP()"),
    ("ipv6-in-ipv4", f"{I4} / {I6} / icmpv6(id=1, seq=2)", f"{SI4}/{SI6}/ICMPv6EchoRequest(id=1, seq=2)"),
    ("ipv4-defaults", "ipv4() / tcp()", "IP(src='127.0.0.1', dst='127.0.0.1')/TCP()"),
    ("ipv4-udp-defaults", "ip() / udp()", "IP(src='127.0.0.1', dst='127.0.0.1')/UDP()"),
    # TCP
    ("tcp-all-options", f"{E} / {I4} / tcp(sport=1234, dport=80, flags=S, seq=1000, window=65535, options=[mss=1460, nop, window_scale=7, sack_permitted, timestamp=(100,0), sack=[(1,2),(5,9)], eol])", f"{SE}/{SI4}/TCP(sport=1234, dport=80, flags='S', seq=1000, window=65535, options=[('MSS', 1460), ('NOP', None), ('WScale', 7), ('SAckOK', b''), ('Timestamp', (100, 0)), ('SAck', (1, 2, 5, 9)), ('EOL', None)])"),
    ("tcp-option-mss", f"{I4} / tcp(options=[mss=536])", f"{SI4}/TCP(options=[('MSS', 536)])"),
    ("tcp-option-wscale-pad", f"{I4} / tcp(options=[window_scale=14])", f"{SI4}/TCP(options=[('WScale', 14)])"),
    ("tcp-option-sackok", f"{I4} / tcp(options=[sack_permitted])", f"{SI4}/TCP(options=[('SAckOK', b'')])"),
    ("tcp-option-sack", f"{I4} / tcp(flags=A, ack=5, options=[nop, nop, sack=[(100,200)]])", f"{SI4}/TCP(flags='A', ack=5, options=[('NOP', None), ('NOP', None), ('SAck', (100, 200))])"),
    ("tcp-option-timestamp", f"{I4} / tcp(flags=PA, options=[nop, nop, timestamp=(4294967295,1)]) / raw(\"data\")", f"{SI4}/TCP(flags='PA', options=[('NOP', None), ('NOP', None), ('Timestamp', (4294967295, 1))])/Raw(b'data')"),
    ("tcp-option-unknown", f"{I4} / tcp(options=[unknown=(254,0x0102), nop])", f"{SI4}/TCP(options=[(254, b'\\x01\\x02'), ('NOP', None)])"),
    ("tcp-option-eol-only", f"{I4} / tcp(options=[eol])", f"{SI4}/TCP(options=[('EOL', None)])"),
    ("tcp-flags-all-letters", f"{I4} / tcp(flags=FSRPAUECN, urgent=9)", f"{SI4}/TCP(flags='FSRPAUECN', urgptr=9)"),
    ("tcp-flags-int", f"{I4} / tcp(flags=0x012, seq=0xffffffff, ack=0x80000000)", f"{SI4}/TCP(flags=0x12, seq=0xffffffff, ack=0x80000000)"),
    ("tcp-flags-rst-ack", f"{I4} / tcp(sport=80, dport=40000, flags=RA)", f"{SI4}/TCP(sport=80, dport=40000, flags='RA')"),
    ("tcp-wrong-checksum", f"{I4} / tcp(checksum=0xdead)", f"{SI4}/TCP(chksum=0xdead)"),
    ("tcp-wrong-header-length", f"{I4} / tcp(header_length=24) / raw(\"zz\")", f"{SI4}/TCP(dataofs=6)/Raw(b'zz')"),
    ("tcp-ipv6-options", f"{E} / {I6} / tcp(sport=4000, dport=22, flags=S, options=[mss=1220, sack_permitted, timestamp=(7,0), nop, window_scale=2])", f"{SE}/{SI6}/TCP(sport=4000, dport=22, flags='S', options=[('MSS', 1220), ('SAckOK', b''), ('Timestamp', (7, 0)), ('NOP', None), ('WScale', 2)])"),
    ("tcp-ipv6-payload", f"{I6} / tcp(flags=PA, seq=1, ack=1) / raw(\"GET / HTTP/1.0\\r\\n\\r\\n\")", f"{SI6}/TCP(flags='PA', seq=1, ack=1)/Raw(b'GET / HTTP/1.0\\r\\n\\r\\n')"),
    ("tcp-alone", "tcp(sport=1, dport=2)", "TCP(sport=1, dport=2)"),
    # UDP
    ("udp-ipv4", f"{E} / {I4} / udp(sport=53, dport=33333) / raw(0x000081800001)", f"{SE}/{SI4}/UDP(sport=53, dport=33333)/Raw(bytes.fromhex('000081800001'))"),
    ("udp-ipv6", f"{E} / {I6} / udp(sport=547, dport=546) / raw(\"dhcp\")", f"{SE}/{SI6}/UDP(sport=547, dport=546)/Raw(b'dhcp')"),
    ("udp-wrong-length", f"{I4} / udp(length=100) / raw(\"abc\")", f"{SI4}/UDP(len=100)/Raw(b'abc')"),
    ("udp-wrong-length-v6", f"{I6} / udp(length=9) / raw(\"abcd\")", f"{SI6}/UDP(len=9)/Raw(b'abcd')"),
    ("udp-wrong-checksum", f"{I4} / udp(checksum=0xffff)", f"{SI4}/UDP(chksum=0xffff)"),
    ("udp-zero-checksum", f"{I4} / udp(checksum=0) / raw(\"q\")", f"{SI4}/UDP(chksum=0)/Raw(b'q')"),
    ("udp-odd-payload", f"{I4} / udp(sport=1, dport=2) / raw(0x010203)", f"{SI4}/UDP(sport=1, dport=2)/Raw(b'\\x01\\x02\\x03')"),
    ("udp-alone", "udp(sport=10, dport=20) / raw(\"a\")", "UDP(sport=10, dport=20)/Raw(b'a')"),
    # ICMP
    ("icmp-echo", f"{E} / {I4} / icmp(id=0x1234, seq=1) / raw(\"ping\")", f"{SE}/{SI4}/ICMP(id=0x1234, seq=1)/Raw(b'ping')"),
    ("icmp-echo-reply", f"{I4} / icmp(type=0, id=7, seq=9)", f"{SI4}/ICMP(type=0, id=7, seq=9)"),
    ("icmp-unreachable-quote", f"{E} / ipv4(src=192.0.2.254, dst=192.0.2.1) / icmp(type=3, code=3) / ipv4(src=192.0.2.1, dst=192.0.2.2, ttl=1) / udp(sport=40000, dport=33434) / raw(\"probe\")", f"{SE}/IP(src='192.0.2.254', dst='192.0.2.1')/ICMP(type=3, code=3)/IP(src='192.0.2.1', dst='192.0.2.2', ttl=1)/UDP(sport=40000, dport=33434)/Raw(b'probe')"),
    ("icmp-time-exceeded-tcp", f"{I4} / icmp(type=11, code=0) / ipv4(src=192.0.2.2, dst=198.51.100.7) / tcp(sport=5555, dport=443)", f"{SI4}/ICMP(type=11, code=0)/IP(src='192.0.2.2', dst='198.51.100.7')/TCP(sport=5555, dport=443)"),
    ("icmp-rest", f"{I4} / icmp(type=12, rest=0x14000000) / raw(0x00)", f"{SI4}/ICMP(type=12, ptr=20)/Raw(b'\\x00')"),
    ("icmp-wrong-checksum", f"{I4} / icmp(checksum=0)", f"{SI4}/ICMP(chksum=0)"),
    ("icmp-timestamp", f"{I4} / icmp(type=13, id=1, seq=2) / raw(0x000000010000000200000003)", f"{SI4}/ICMP(type=13, id=1, seq=2, ts_ori=1, ts_rx=2, ts_tx=3)"),
    # IPv6
    ("ipv6-all-fields", f"{E} / ipv6(src=2001:db8::1, dst=2001:db8::2, traffic_class=0x20, flow_label=0x12345, hop_limit=7) / udp()", f"{SE}/IPv6(src='2001:db8::1', dst='2001:db8::2', tc=0x20, fl=0x12345, hlim=7)/UDP()"),
    ("ipv6-defaults", "ipv6() / icmpv6()", "IPv6(src='::1', dst='::1')/ICMPv6EchoRequest()"),
    ("ipv6-nh-raw", f"{I6} / raw(0x01)", f"{SI6}/Raw(b'\\x01')"),
    ("ipv6-nh-given", f"{I6.replace(')', ', next_header=200')}) / raw(0x01)", f"{SI6.replace(')', ', nh=200')})/Raw(b'\\x01')"),
    ("ipv6-wrong-payload-length", f"{I6.replace(')', ', payload_length=3')}) / udp(sport=1, dport=2)", f"{SI6.replace(')', ', plen=3')})/UDP(sport=1, dport=2)"),
    ("ipv6-mapped-dst", "ipv6(src=::ffff:192.0.2.1, dst=::ffff:192.0.2.2) / tcp()", "IPv6(src='::ffff:192.0.2.1', dst='::ffff:192.0.2.2')/TCP()"),
    ("ipv6-in-ipv6", f"{I6} / ipv6(src=fd00::1, dst=fd00::2) / udp()", f"{SI6}/IPv6(src='fd00::1', dst='fd00::2')/UDP()"),
    ("ipv4-in-ipv6", f"{I6} / {I4} / icmp()", f"{SI6}/{SI4}/ICMP()"),
    ("ext-hbh-udp", f"{E} / ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop(hex={HBH_RA})]) / udp(sport=1, dport=2)", f"{SE}/{SI6}/IPv6ExtHdrHopByHop(options=[RouterAlert()])/UDP(sport=1, dport=2)"),
    ("ext-hbh-default", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop]) / tcp()", f"{SI6}/IPv6ExtHdrHopByHop()/TCP()"),
    ("ext-hbh-fragment-udp", f"{E} / ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop(hex=0x010400000000), fragment(fragment_offset=0, mf=true, id=7)]) / udp(sport=1, dport=2) / raw(\"frag\")", f"{SE}/{SI6}/IPv6ExtHdrHopByHop()/IPv6ExtHdrFragment(offset=0, m=1, id=7)/UDP(sport=1, dport=2)/Raw(b'frag')"),
    ("ext-fragment-offset", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[fragment(fragment_offset=1232, id=0xdeadbeef)]) / raw(0x0102)", f"{SI6}/IPv6ExtHdrFragment(offset=154, id=0xdeadbeef, nh=59)/Raw(b'\\x01\\x02')"),
    ("ext-routing-final-dst", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[routing(routing_type=0, segments_left=2, hex={RT0_HEX})]) / udp(sport=9, dport=9)", f"{SI6}/IPv6ExtHdrRouting(addresses=['2001:db8::a', '2001:db8::b'], segleft=2)/UDP(sport=9, dport=9)"),
    ("ext-routing-segleft0", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[routing(segments_left=0, hex={ext_hex(RT0_ZERO)})]) / tcp()", f"{SI6}/IPv6ExtHdrRouting(addresses=['2001:db8::a'], segleft=0)/TCP()"),
    ("ext-destination", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[destination(hex={DST_PAD})]) / icmpv6(id=3, seq=4)", f"{SI6}/IPv6ExtHdrDestOpt(options=[PadN(optdata=b'\\x00'*4)])/ICMPv6EchoRequest(id=3, seq=4)"),
    ("ext-chain-four", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop, destination, routing(segments_left=0, hex={ext_hex(RT0_ZERO)}), fragment(id=1)]) / tcp(dport=22)", f"{SI6}/IPv6ExtHdrHopByHop()/IPv6ExtHdrDestOpt()/IPv6ExtHdrRouting(addresses=['2001:db8::a'], segleft=0)/IPv6ExtHdrFragment(id=1)/TCP(dport=22)"),
    ("ext-ah", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[ah(hex={AH_HEX})])", f"{SI6}/AH(spi=0x1000, seq=1, icv=b'\\xaa'*12, nh=59, payloadlen=4)"),
    ("ext-mobility", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[mobility(hex={MH_HEX})])", f"{SI6}/MIP6MH_BRR()"),
    ("ext-nh-given", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[fragment(id=2, next_header=17)]) / raw(0x0000)", f"{SI6}/IPv6ExtHdrFragment(id=2, nh=17)/Raw(b'\\x00\\x00')"),
    # ICMPv6
    ("icmpv6-echo", f"{E} / {I6} / icmpv6(type=128, id=0x4242, seq=1) / raw(\"ping6\")", f"{SE}/{SI6}/ICMPv6EchoRequest(id=0x4242, seq=1)/Raw(b'ping6')"),
    ("icmpv6-echo-reply", f"{I6} / icmpv6(type=129, id=1, seq=1)", f"{SI6}/ICMPv6EchoReply(id=1, seq=1)"),
    ("icmpv6-ns", f"{E} / ipv6(src=2001:db8::1, dst=ff02::1:ff00:2) / icmpv6(type=135, target=2001:db8::2, options=[source_mac={M1}])", f"{SE}/IPv6(src='2001:db8::1', dst='ff02::1:ff00:2')/ICMPv6ND_NS(tgt='2001:db8::2')/ICMPv6NDOptSrcLLAddr(lladdr='{M1}')"),
    ("icmpv6-ns-defaults", f"ipv6(src=fe80::1) / icmpv6(type=135, target=fe80::2)", "IPv6(src='fe80::1')/ICMPv6ND_NS(tgt='fe80::2')"),
    ("icmpv6-na", f"{E} / ipv6(src=2001:db8::2, dst=2001:db8::1, hop_limit=255) / icmpv6(type=136, rest=0x60000000, target=2001:db8::2, options=[target_mac={M2}])", f"{SE}/IPv6(src='2001:db8::2', dst='2001:db8::1', hlim=255)/ICMPv6ND_NA(R=0, S=1, O=1, tgt='2001:db8::2')/ICMPv6NDOptDstLLAddr(lladdr='{M2}')"),
    ("icmpv6-na-default-flags", f"ipv6(src=fe80::2, dst=ff02::1) / icmpv6(type=136, target=fe80::2)", "IPv6(src='fe80::2', dst='ff02::1')/ICMPv6ND_NA(tgt='fe80::2')"),
    ("icmpv6-na-tuple-option", f"{I6} / icmpv6(type=136, rest=0x20000000, target=2001:db8::2, options=[(2, {M2}), (5, 0x0000000005dc)])", f"{SI6}/ICMPv6ND_NA(R=0, S=0, O=1, tgt='2001:db8::2')/ICMPv6NDOptDstLLAddr(lladdr='{M2}')/ICMPv6NDOptMTU(mtu=1500)"),
    ("icmpv6-ns-mtu-option", f"{I6} / icmpv6(type=135, target=2001:db8::9, options=[mtu=1280])", f"{SI6}/ICMPv6ND_NS(tgt='2001:db8::9')/ICMPv6NDOptMTU(mtu=1280)"),
    ("icmpv6-unreachable-quote", f"{I6} / icmpv6(type=1, code=4) / ipv6(src=2001:db8::2, dst=2001:db8::1) / udp(sport=33434, dport=53)", f"{SI6}/ICMPv6DestUnreach(code=4)/IPv6(src='2001:db8::2', dst='2001:db8::1')/UDP(sport=33434, dport=53)"),
    ("icmpv6-wrong-checksum", f"{I6} / icmpv6(checksum=0xabcd, id=1)", f"{SI6}/ICMPv6EchoRequest(cksum=0xabcd, id=1)"),
    ("icmpv6-over-ext", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop(hex={HBH_RA})]) / icmpv6(type=143, rest=1) / raw(0x04000000ff0200000000000000000000000000fb)", f"{SI6}/IPv6ExtHdrHopByHop(options=[RouterAlert()])/ICMPv6MLReport2(records_number=1, records=[ICMPv6MLDMultAddrRec(dst='ff02::fb', rtype=4)])"),
    ("icmpv6-packet-too-big", f"{I6} / icmpv6(type=2, rest=1280) / ipv6(src=2001:db8::2, dst=2001:db8::3) / raw(0x00)", f"{SI6}/ICMPv6PacketTooBig(mtu=1280)/IPv6(src='2001:db8::2', dst='2001:db8::3')/Raw(b'\\x00')"),
    # DHCP, DHCPv6, NTP (UDP ports from the layer, as scapy's bind_layers)
    ("dhcp-discover", f"eth(src={M1}, dst=ff:ff:ff:ff:ff:ff) / ipv4(src=0.0.0.0, dst=255.255.255.255) / udp() / dhcp(op=1, xid=0x1234, chaddr={M1}, message_type=1, options=[option(code=50, value=192.0.2.5), option(code=61, hex=0x01020000000001)])", f"Ether(src='{M1}', dst='ff:ff:ff:ff:ff:ff')/IP(src='0.0.0.0', dst='255.255.255.255')/UDP()/BOOTP(op=1, xid=0x1234, chaddr=mac2str('{M1}'))/DHCP(options=[('message-type', 1), ('requested_addr', '192.0.2.5'), (61, b'\\x01\\x02\\x00\\x00\\x00\\x00\\x01'), 'end'])"),
    ("dhcp-offer-values", f"{I4} / udp() / dhcp(op=2, xid=0x1a2b3c4d, yiaddr=192.0.2.3, siaddr=192.0.2.2, chaddr={M1}, sname=\"boot.example\", file=\"pxelinux.0\", message_type=2, options=[option(code=54, value=192.0.2.2), option(code=51, value=3600), option(code=58, value=1800), option(code=59, value=3150), option(code=1, value=255.255.255.0), option(code=3, value=[192.0.2.1, 192.0.2.254]), option(code=6, value=[198.51.100.1]), option(code=15, value=\"example.com\")])", f"{SI4}/UDP()/BOOTP(op=2, xid=0x1a2b3c4d, yiaddr='192.0.2.3', siaddr='192.0.2.2', chaddr=mac2str('{M1}'), sname=b'boot.example', file=b'pxelinux.0')/DHCP(options=[('message-type', 2), ('server_id', '192.0.2.2'), ('lease_time', 3600), ('renewal_time', 1800), ('rebinding_time', 3150), ('subnet_mask', '255.255.255.0'), ('router', '192.0.2.1', '192.0.2.254'), ('name_server', '198.51.100.1'), ('domain', b'example.com'), 'end'])"),
    ("dhcp-request-params", f"{I4} / udp(sport=68, dport=67) / dhcp(xid=7, secs=3, flags=0x8000, chaddr={M1}, message_type=3, options=[option(code=55, value=[1, 3, 6, 15]), option(code=12, value=\"client-1\"), option(code=61, value=\"01:02:00:00:00:00:01\")])", f"{SI4}/UDP(sport=68, dport=67)/BOOTP(xid=7, secs=3, flags=0x8000, chaddr=mac2str('{M1}'))/DHCP(options=[('message-type', 3), ('param_req_list', [1, 3, 6, 15]), ('hostname', b'client-1'), ('client_id', b'\\x01\\x02\\x00\\x00\\x00\\x00\\x01'), 'end'])"),
    ("dhcp-bootp-plain", f"{I4} / udp() / dhcp(xid=0x0b007001, hops=1, giaddr=198.51.100.1, chaddr={M1}, padding=0x{'00' * 64})", f"{SI4}/UDP()/BOOTP(xid=0x0b007001, hops=1, giaddr='198.51.100.1', chaddr=mac2str('{M1}'))/Raw(b'\\x00' * 64)"),
    ("dhcp-hex-chaddr-padding", f"{I4} / udp() / dhcp(htype=32, hlen=16, chaddr=0x0102030405060708090a0b0c0d0e0f10, options=[option(code=53, hex=0x08)], padding=0x000000)", f"{SI4}/UDP()/BOOTP(htype=32, hlen=16, chaddr=bytes(range(1, 17)))/DHCP(options=[('message-type', 8), 'end'])/Raw(b'\\x00' * 3)"),
    ("dhcpv6-solicit", f"{E} / ipv6(src=fe80::200:ff:fe00:1, dst=ff02::1:2) / udp() / dhcpv6(msg_type=1, transaction_id=0x123456, options=[option(code=1, hex=0x00030001020000000001), option(code=8, hex=0x0000)])", f"{SE}/IPv6(src='fe80::200:ff:fe00:1', dst='ff02::1:2')/UDP()/DHCP6_Solicit(trid=0x123456)/DHCP6OptClientId(duid=DUID_LL(lladdr='{M1}'))/DHCP6OptElapsedTime()"),
    ("dhcpv6-advertise", f"{I6} / udp() / dhcpv6(msg_type=2, transaction_id=0x123456, options=[option(code=2, hex=0x00030001020000000002)])", f"{SI6}/UDP()/DHCP6_Advertise(trid=0x123456)/DHCP6OptServerId(duid=DUID_LL(lladdr='{M2}'))"),
    ("dhcpv6-reply", f"{I6} / udp() / dhcpv6(msg_type=7, transaction_id=0xabcdef)", f"{SI6}/UDP()/DHCP6_Reply(trid=0xabcdef)"),
    ("dhcpv6-relay-forward", f"{I6} / udp() / dhcpv6(msg_type=12, hop_count=1, link_address=2001:db8::1, peer_address=fe80::200:ff:fe00:1, options=[option(code=9, hex=0x01000005)])", f"{SI6}/UDP()/DHCP6_RelayForward(hopcount=1, linkaddr='2001:db8::1', peeraddr='fe80::200:ff:fe00:1')/DHCP6OptRelayMsg(message=DHCP6_Solicit(trid=5))"),
    ("dhcpv6-inf-req", f"{I6} / udp() / dhcpv6(msg_type=11, transaction_id=1)", f"{SI6}/UDP()/DHCP6_InfoRequest(trid=1)"),
    ("ntp-client", f"{E} / {I4} / udp() / ntp(mode=3, version=4, transmit_time=\"3913056000.2147483648\")", f"{SE}/{SI4}/UDP()/NTP(version=4, mode=3, orig=0, sent=3913056000.5)"),
    ("ntp-server", f"{I4} / udp(sport=123, dport=50123) / ntp(mode=4, poll=6, precision=\"-20\", root_delay=2732, root_dispersion=4961, reference_id=0xc6336401, reference_time=\"3913055900.0\", origin_time=\"3913056000.2147483648\", receive_time=\"3913056000.1073741824\", transmit_time=\"3913056000.3221225472\")", f"{SI4}/UDP(sport=123, dport=50123)/NTP(version=4, mode=4, stratum=2, poll=6, precision=-20, delay=0.0417, dispersion=0.0757, id='198.51.100.1', ref=3913055900.0, orig=3913056000.5, recv=3913056000.25, sent=3913056000.75)"),
    ("ntp-ipv6-leap", f"{I6} / udp() / ntp(leap=3, version=3, mode=1, stratum=16, precision=236, origin_time=0)", f"{SI6}/UDP()/NTP(leap=3, version=3, mode=1, stratum=16, precision=-20, orig=0, sent=0)"),
    # Expansion (several packets, in scapy's order)
    ("expand-ttl-dport", f"{I4.replace(')', ', ttl=[1,2]')}) / tcp(dport=[1,2])", f"{SI4.replace(')', ', ttl=[1,2]')})/TCP(dport=[1,2])"),
    ("expand-range-sport-dport", f"{I4} / udp(sport=[3,4], dport=1-2)", f"{SI4}/UDP(dport=(1,2), sport=[3,4])"),
    ("expand-prefix", "ipv4(src=192.0.2.1, dst=192.0.2.0/30) / icmp()", "IP(src='192.0.2.1', dst='192.0.2.0/30')/ICMP()"),
    ("expand-fields-in-layer", "ipv4(src=192.0.2.1, dst=192.0.2.2, ttl=[1,2], id=[5,6], tos=[7,8]) / raw(0x00)", "IP(src='192.0.2.1', dst='192.0.2.2', ttl=[1,2], id=[5,6], tos=[7,8])/Raw(b'\\x00')"),
    ("expand-flags", f"{I4} / tcp(flags=[S, SA, 0x011])", f"[{SI4}/TCP(flags=f) for f in ('S', 'SA', 0x11)]"),
    ("expand-ipv6-prefix", "ipv6(src=2001:db8::1, dst=2001:db8::/127) / udp()", "IPv6(src='2001:db8::1', dst='2001:db8::/127')/UDP()"),
    ("expand-vlan-ids", f"{E} / vlan(id=[10, 20-21]) / {I4} / udp()", f"{SE}/Dot1Q(vlan=[10, 20, 21])/{SI4}/UDP()"),
]


# Tunnels: GRE, VXLAN, MPLS, IGMP. scapy needs the *_present flags that rawtool sets from the
# fields given, VXLAN's RFC 7348 flags (0x08) written out (scapy's VXLAN / Ether default is the
# VXLAN-GPE form, flags 0x0c and next protocol 3), and the IGMP packets' IP fields written out
# (scapy's IGMP sets TTL 1, TOS 0xc0, router alert and the group's destination by itself).
from scapy.contrib.mpls import MPLS  # noqa: E402

IN4 = "ipv4(src=10.0.0.1, dst=10.0.0.2)"
SIN4 = "IP(src='10.0.0.1', dst='10.0.0.2')"
E2 = "eth(src=02:00:00:00:00:03, dst=02:00:00:00:00:04)"
SE2 = "Ether(src='02:00:00:00:00:03', dst='02:00:00:00:00:04')"
IG = "ipv4(src=192.0.2.1, dst={}, ttl=1, tos=0xc0, options=0x94040000)"
SIG = "IP(src='192.0.2.1', dst='{}', ttl=1, tos=0xc0, options=[IPOption_Router_Alert()])"
VECTORS += [
    ("gre-plain", f"{E} / {I4} / gre() / {IN4} / icmp(id=1, seq=1)", f"{SE}/{SI4}/GRE()/{SIN4}/ICMP(id=1, seq=1)"),
    ("gre-key", f"{E} / {I4} / gre(key=7) / {IN4} / udp(sport=1, dport=2)", f"{SE}/{SI4}/GRE(key_present=1, key=7)/{SIN4}/UDP(sport=1, dport=2)"),
    ("gre-seq-ipv6", f"{I4} / gre(seq=5) / {I6} / udp()", f"{SI4}/GRE(seqnum_present=1, seqence_number=5)/{SI6}/UDP()"),
    ("gre-checksum-computed", f"{I4} / gre(flags=0x8000) / {IN4} / tcp(flags=S)", f"{SI4}/GRE(chksum_present=1)/{SIN4}/TCP(flags='S')"),
    ("gre-checksum-key-seq", f"{I4} / gre(checksum=0x1234, key=0x11223344, seq=9) / {IN4} / icmp()", f"{SI4}/GRE(chksum_present=1, key_present=1, seqnum_present=1, chksum=0x1234, key=0x11223344, seqence_number=9)/{SIN4}/ICMP()"),
    ("gre-key-checksum-computed", f"{I4} / gre(flags=0xa000, key=1) / raw(\"abc\")", f"{SI4}/GRE(chksum_present=1, key_present=1, key=1)/Raw(b'abc')"),
    ("gre-ethernet", f"{E} / {I4} / gre(key=1) / {E2} / {IN4} / udp(sport=7, dport=9)", f"{SE}/{SI4}/GRE(key_present=1, key=1)/{SE2}/{SIN4}/UDP(sport=7, dport=9)"),
    ("gre-mpls", f"{I4} / gre() / mpls(label=16, ttl=5) / {IN4} / icmp()", f"{SI4}/GRE()/MPLS(label=16, ttl=5)/{SIN4}/ICMP()"),
    ("gre-protocol-given", f"{I4} / gre(protocol=0x88be) / raw(0x10000001)", f"{SI4}/GRE(proto=0x88be)/Raw(bytes.fromhex('10000001'))"),
    ("vxlan", f"{E} / {I4} / udp() / vxlan(vni=42) / {E2} / {IN4} / icmp()", f"{SE}/{SI4}/UDP()/VXLAN(flags=0x08, vni=42)/{SE2}/{SIN4}/ICMP()"),
    ("vxlan-ports-arp", f"{I4} / udp(sport=50000, dport=4789) / vxlan(vni=100) / {E2} / arp(sender_ip=10.0.0.2, target_ip=10.0.0.1)", f"{SI4}/UDP(sport=50000, dport=4789)/VXLAN(flags=0x08, vni=100)/{SE2}/ARP(psrc='10.0.0.2', pdst='10.0.0.1', hwsrc='00:00:00:00:00:00', hwdst='00:00:00:00:00:00')"),
    ("vxlan-flags-max-vni", f"{I6} / udp() / vxlan(flags=0, vni=16777215) / {E2} / raw(\"x\")", f"{SI6}/UDP()/VXLAN(flags=0, vni=16777215)/{SE2}/Raw(b'x')"),
    ("mpls-single", f"{E} / mpls(label=100, ttl=64) / {IN4} / icmp()", f"{SE}/MPLS(label=100, ttl=64)/{SIN4}/ICMP()"),
    ("mpls-stack", f"{E} / mpls(label=100, ttl=64) / mpls(label=200, tc=5, ttl=63) / {I6} / udp()", f"{SE}/MPLS(label=100, ttl=64)/MPLS(label=200, cos=5, ttl=63)/{SI6}/UDP()"),
    ("mpls-three", f"{E} / mpls(label=1048575, tc=7, ttl=255) / mpls(label=0, ttl=1) / mpls(ttl=2) / {IN4} / udp()", f"{SE}/MPLS(label=1048575, cos=7, ttl=255)/MPLS(label=0, ttl=1)/MPLS(ttl=2)/{SIN4}/UDP()"),
    ("mpls-defaults", f"{E} / mpls() / raw(\"x\")", f"{SE}/MPLS()/Raw(b'x')"),
    ("mpls-s-given", f"{E} / mpls(label=1, s=false, ttl=9) / raw(0x45)", f"{SE}/MPLS(label=1, s=0, ttl=9)/Raw(b'\\x45')"),
    ("igmp-query-default", f"{IG.format('224.0.0.1')} / igmp()", f"{SIG.format('224.0.0.1')}/IGMP()"),
    ("igmp-v1-query", f"{IG.format('224.0.0.1')} / igmp(type=0x11, max_resp=0)", f"{SIG.format('224.0.0.1')}/IGMP(type=0x11, mrcode=0)"),
    ("igmp-v2-report", f"{E} / {IG.format('239.1.1.1')} / igmp(type=0x16, group=239.1.1.1)", f"{SE}/{SIG.format('239.1.1.1')}/IGMP(type=0x16, gaddr='239.1.1.1')"),
    ("igmp-leave", f"{IG.format('224.0.0.2')} / igmp(type=0x17, group=239.1.1.1)", f"{SIG.format('224.0.0.2')}/IGMP(type=0x17, gaddr='239.1.1.1')"),
    ("igmp-checksum-given", f"{IG.format('239.1.1.1')} / igmp(type=0x16, group=239.1.1.1, checksum=0xbeef)", f"{SIG.format('239.1.1.1')}/IGMP(type=0x16, gaddr='239.1.1.1', chksum=0xbeef)"),
    ("igmp-v3-query", f"{IG.format('239.1.1.1')} / igmp(type=0x11, group=239.1.1.1, sources=[192.0.2.9, 192.0.2.10], qrv=2, qqic=125)", f"{SIG.format('239.1.1.1')}/IGMPv3_MQ(gaddr='239.1.1.1', srcaddrs=['192.0.2.9', '192.0.2.10'], qrv=2, qqic=125)"),
    ("igmp-v3-query-general", f"{IG.format('224.0.0.1')} / igmp(type=0x11, s=true, sources=[])", f"{SIG.format('224.0.0.1')}/IGMPv3_MQ(s=1)"),
    ("igmp-v3-report", f"{E} / {IG.format('224.0.0.22')} / igmp(type=0x22, records=[record(type=1, group=239.1.1.1, sources=[192.0.2.9]), record(group=239.2.2.2)])", f"{SE}/{SIG.format('224.0.0.22')}/IGMPv3_MR(records=[IGMPv3_MR_Group(rtype=1, maddr='239.1.1.1', srcaddrs=['192.0.2.9']), IGMPv3_MR_Group(maddr='239.2.2.2')])"),
    ("igmp-v3-report-empty", f"{IG.format('224.0.0.22')} / igmp(type=0x22)", f"{SIG.format('224.0.0.22')}/IGMPv3_MR()"),
]

# DNS: queries and answers of every listed type, compressed and not, over UDP and TCP
from scapy.layers.dns import DNSRR, DNSRRMX, DNSRROPT, DNSRRSOA, DNSRRSRV, dns_compress  # noqa: E402

U = f"{I4} / udp(sport=1234)"
SU = f"{SI4}/UDP(sport=1234)"
EXQ = 'questions=[question(name="example.com.", type=A)]'
SEXQ = "qd=DNSQR(qname='example.com.', qtype='A')"
R = "id=7, qr=true, aa=true, rd=true, ra=true"
SR = "id=7, qr=1, aa=1, rd=1, ra=1"
VECTORS += [
    ("dns-query-a", f"{U} / dns(id=4660, rd=true, {EXQ})", f"{SU}/DNS(id=4660, rd=1, {SEXQ})"),
    ("dns-answer-a", f'{U} / dns(id=4660, rd=true, {EXQ}, answers=[record(name="example.com.", type=A, ttl=300, data=192.0.2.5)])', f"{SU}/DNS(id=4660, rd=1, {SEXQ}, an=DNSRR(rrname='example.com.', type='A', ttl=300, rdata='192.0.2.5'))"),
    ("dns-answer-a-compressed", f'{U} / dns(id=4660, {R.replace("id=7, ", "")}, compress=true, {EXQ}, answers=[record(name="example.com.", type=A, ttl=300, data=192.0.2.5), record(name="example.com.", type=A, ttl=300, data=192.0.2.6)])', f"{SU}/dns_compress(DNS(id=4660, {SR.replace('id=7, ', '')}, {SEXQ}, an=[DNSRR(rrname='example.com.', type='A', ttl=300, rdata='192.0.2.5'), DNSRR(rrname='example.com.', type='A', ttl=300, rdata='192.0.2.6')]))"),
    ("dns-answer-aaaa", f'{U} / dns({R}, questions=[question(name="www.example.com.", type=AAAA)], answers=[record(name="www.example.com.", type=AAAA, ttl=60, data=2001:db8::5)])', f"{SU}/DNS({SR}, qd=DNSQR(qname='www.example.com.', qtype='AAAA'), an=DNSRR(rrname='www.example.com.', type='AAAA', ttl=60, rdata='2001:db8::5'))"),
    ("dns-answer-ns-compressed", f'{U} / dns({R}, compress=true, questions=[question(name="example.com.", type=NS)], answers=[record(name="example.com.", type=NS, ttl=86400, data="ns1.example.com."), record(name="example.com.", type=NS, ttl=86400, data="ns2.example.com.")])', f"{SU}/dns_compress(DNS({SR}, qd=DNSQR(qname='example.com.', qtype='NS'), an=[DNSRR(rrname='example.com.', type='NS', ttl=86400, rdata='ns1.example.com.'), DNSRR(rrname='example.com.', type='NS', ttl=86400, rdata='ns2.example.com.')]))"),
    ("dns-answer-ns", f'{U} / dns({R}, questions=[question(name="example.com.", type=NS)], answers=[record(name="example.com.", type=NS, ttl=86400, data="ns1.example.com.")])', f"{SU}/DNS({SR}, qd=DNSQR(qname='example.com.', qtype='NS'), an=DNSRR(rrname='example.com.', type='NS', ttl=86400, rdata='ns1.example.com.'))"),
    ("dns-answer-cname-compressed", f'{U} / dns({R}, compress=true, questions=[question(name="www.example.com.", type=A)], answers=[record(name="www.example.com.", type=CNAME, ttl=60, data="example.com."), record(name="example.com.", type=A, ttl=60, data=192.0.2.5)])', f"{SU}/dns_compress(DNS({SR}, qd=DNSQR(qname='www.example.com.', qtype='A'), an=[DNSRR(rrname='www.example.com.', type='CNAME', ttl=60, rdata='example.com.'), DNSRR(rrname='example.com.', type='A', ttl=60, rdata='192.0.2.5')]))"),
    ("dns-answer-ptr", f'{U} / dns({R}, questions=[question(name="5.2.0.192.in-addr.arpa.", type=PTR)], answers=[record(name="5.2.0.192.in-addr.arpa.", type=PTR, ttl=300, data="host.example.com.")])', f"{SU}/DNS({SR}, qd=DNSQR(qname='5.2.0.192.in-addr.arpa.', qtype='PTR'), an=DNSRR(rrname='5.2.0.192.in-addr.arpa.', type='PTR', ttl=300, rdata='host.example.com.'))"),
    ("dns-answer-mx", f'{U} / dns({R}, questions=[question(name="example.com.", type=MX)], answers=[record(name="example.com.", type=MX, ttl=3600, data="10 mail.example.com.")])', f"{SU}/DNS({SR}, qd=DNSQR(qname='example.com.', qtype='MX'), an=DNSRRMX(rrname='example.com.', ttl=3600, preference=10, exchange='mail.example.com.'))"),
    ("dns-answer-mx-compressed", f'{U} / dns({R}, compress=true, questions=[question(name="example.com.", type=MX)], answers=[record(name="example.com.", type=MX, ttl=3600, data="10 mail.example.com."), record(name="example.com.", type=MX, ttl=3600, data="20 mx2.example.com.")])', f"{SU}/dns_compress(DNS({SR}, qd=DNSQR(qname='example.com.', qtype='MX'), an=[DNSRRMX(rrname='example.com.', ttl=3600, preference=10, exchange='mail.example.com.'), DNSRRMX(rrname='example.com.', ttl=3600, preference=20, exchange='mx2.example.com.')]))"),
    ("dns-answer-txt", f'{U} / dns({R}, questions=[question(name="example.com.", type=TXT)], answers=[record(name="example.com.", type=TXT, ttl=300, data=["v=spf1 -all", "hello"])])', f"{SU}/DNS({SR}, qd=DNSQR(qname='example.com.', qtype='TXT'), an=DNSRR(rrname='example.com.', type='TXT', ttl=300, rdata=['v=spf1 -all', 'hello']))"),
    ("dns-answer-soa", f'{U} / dns({R}, questions=[question(name="example.com.", type=SOA)], answers=[record(name="example.com.", type=SOA, ttl=3600, data="ns1.example.com. hostmaster.example.com. 2024010101 7200 3600 1209600 300")])', f"{SU}/DNS({SR}, qd=DNSQR(qname='example.com.', qtype='SOA'), an=DNSRRSOA(rrname='example.com.', ttl=3600, mname='ns1.example.com.', rname='hostmaster.example.com.', serial=2024010101, refresh=7200, retry=3600, expire=1209600, minimum=300))"),
    ("dns-answer-soa-compressed", f'{U} / dns({R}, compress=true, questions=[question(name="example.com.", type=SOA)], authorities=[record(name="example.com.", type=SOA, ttl=3600, data="ns1.example.com. hostmaster.example.com. 1 2 3 4 5")])', f"{SU}/dns_compress(DNS({SR}, qd=DNSQR(qname='example.com.', qtype='SOA'), ns=DNSRRSOA(rrname='example.com.', ttl=3600, mname='ns1.example.com.', rname='hostmaster.example.com.', serial=1, refresh=2, retry=3, expire=4, minimum=5)))"),
    ("dns-answer-srv", f'{U} / dns({R}, questions=[question(name="_sip._tcp.example.com.", type=SRV)], answers=[record(name="_sip._tcp.example.com.", type=SRV, ttl=300, data="10 60 5060 sip.example.com.")])', f"{SU}/DNS({SR}, qd=DNSQR(qname='_sip._tcp.example.com.', qtype='SRV'), an=DNSRRSRV(rrname='_sip._tcp.example.com.', ttl=300, priority=10, weight=60, port=5060, target='sip.example.com.'))"),
    ("dns-query-opt", f'{U} / dns(id=9, rd=true, {EXQ}, additionals=[record(name=".", type=OPT, class=1232, ttl=0x8000)])', f"{SU}/DNS(id=9, rd=1, {SEXQ}, ar=DNSRROPT(rclass=1232, z=0x8000))"),
    ("dns-query-any-class", f'{U} / dns(id=10, rd=false, questions=[question(name="version.bind.", type=TXT, class=CH), question(name="example.com.", type=ANY, class=255)])', f"{SU}/DNS(id=10, rd=0, qd=[DNSQR(qname='version.bind.', qtype='TXT', qclass='CH'), DNSQR(qname='example.com.', qtype='ALL', qclass=255)])"),
    ("dns-answer-other-type-hex", f'{U} / dns({R}, questions=[question(name="example.com.", type=65)], answers=[record(name="example.com.", type=65, ttl=60, data=0x00010000)])', f"{SU}/DNS({SR}, qd=DNSQR(qname='example.com.', qtype=65), an=DNSRR(rrname='example.com.', type=65, ttl=60, rdata=b'\\x00\\x01\\x00\\x00'))"),
    ("dns-nxdomain-flags", f'{U} / dns(id=11, qr=true, opcode=0, rcode=3, aa=true, {EXQ})', f"{SU}/DNS(id=11, qr=1, rcode=3, aa=1, {SEXQ})"),
    ("dns-over-tcp", f"{I4} / tcp(sport=40000, dport=53) / dns(id=4660, rd=true, {EXQ})", f"{SI4}/TCP(sport=40000, dport=53)/DNS(id=4660, rd=1, {SEXQ})"),
    ("dns-ipv6-udp-default-ports", f"{I6} / udp() / dns(id=1, {EXQ})", f"{SI6}/UDP()/DNS(id=1, {SEXQ})"),
    ("dns-mdns-cache-flush", f'{I4} / udp(sport=5353, dport=5353) / dns(qr=true, aa=true, rd=false, answers=[record(name="printer.local.", type=A, class=0x8001, ttl=120, data=192.0.2.2)])', f"{SI4}/UDP(sport=5353, dport=5353)/DNS(qr=1, aa=1, rd=0, qd=[], an=DNSRR(rrname='printer.local.', type='A', cacheflush=1, ttl=120, rdata='192.0.2.2'))"),
]


# Fragmentation: fragment(size=N) after the IP layer, as scapy's fragment(pkt, fragsize=N)
# (IPv4: data per fragment) and fragment6(pkt, N) (IPv6: bytes per packet, every layer
# counted). scapy's fragment6 puts a missing fragment header right after the fixed header
# and draws its id at random: the scapy side writes that header out with the id rawtool is
# given. Every vector has its own id, so that tshark's reassembly (CraftTsharkTests) does
# not mix the fragments of two vectors.
F4 = "IP(src='192.0.2.1', dst='192.0.2.2', id={})"
F6 = "IPv6(src='2001:db8::1', dst='2001:db8::2')"
VECTORS += [
    ("frag-ipv4-udp", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=101) / fragment(size=16) / udp(sport=1000, dport=2000) / raw(length=40, fill=0x41)", f"fragment({F4.format(101)}/UDP(sport=1000, dport=2000)/Raw(b'A' * 40), fragsize=16)"),
    ("frag-ipv4-tcp-size-not-multiple-of-8", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=102) / fragment(size=20) / tcp(sport=1234, dport=80, flags=PA, seq=7) / raw(length=50, fill=\"xyz\")", f"fragment({F4.format(102)}/TCP(sport=1234, dport=80, flags='PA', seq=7)/Raw((b'xyz' * 17)[:50]), fragsize=20)"),
    ("frag-ipv4-icmp-df-rr-size-below-8", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=103, df=true, options=[rr]) / fragment(size=3) / icmp(id=1, seq=1) / raw(length=30)", f"fragment(IP(src='192.0.2.1', dst='192.0.2.2', id=103, flags='DF', options=[IPOption_RR()])/ICMP(id=1, seq=1)/Raw(b'\\x00' * 30), fragsize=3)"),
    ("frag-ipv4-eth-fragment-of-fragment", f"{E} / ipv4(src=192.0.2.1, dst=192.0.2.2, id=104, mf=true, fragment_offset=800) / fragment(size=24) / raw(length=49, fill=0x7879)", f"fragment({SE}/IP(src='192.0.2.1', dst='192.0.2.2', id=104, flags='MF', frag=100)/Raw((b'xy' * 25)[:49]), fragsize=24)"),
    ("frag-ipv4-raw-protocol-0", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=105) / fragment(size=8) / raw(length=20, fill=0x01)", f"fragment({F4.format(105)}/Raw(b'\\x01' * 20), fragsize=8)"),
    ("frag-ipv4-protocol-given", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=106, protocol=47) / fragment(size=16) / raw(length=33)", f"fragment(IP(src='192.0.2.1', dst='192.0.2.2', id=106, proto=47)/Raw(b'\\x00' * 33), fragsize=16)"),
    ("frag-ipv4-in-ipv4-outer", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=107) / fragment(size=32) / ipv4(src=198.51.100.1, dst=198.51.100.2, id=1) / udp(sport=7, dport=7) / raw(length=40)", f"fragment({F4.format(107)}/IP(src='198.51.100.1', dst='198.51.100.2', id=1)/UDP(sport=7, dport=7)/Raw(b'\\x00' * 40), fragsize=32)"),
    ("frag-ipv4-lsrr-udp", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=108, options=[lsrr=[198.51.100.1, 198.51.100.5]]) / fragment(size=24) / udp(sport=1, dport=2) / raw(length=60, fill=\"0123456789\")", f"fragment(IP(src='192.0.2.1', dst='192.0.2.2', id=108, options=[IPOption_LSRR(routers=['198.51.100.1', '198.51.100.5'])])/UDP(sport=1, dport=2)/Raw(b'0123456789' * 6), fragsize=24)"),
    ("frag-ipv4-vlan", f"{E} / vlan(id=10) / ipv4(src=192.0.2.1, dst=192.0.2.2, id=109, ttl=9) / fragment(size=40) / udp(sport=5353, dport=5353) / raw(length=100, fill=0x55)", f"fragment({SE}/Dot1Q(vlan=10)/IP(src='192.0.2.1', dst='192.0.2.2', id=109, ttl=9)/UDP(sport=5353, dport=5353)/Raw(b'\\x55' * 100), fragsize=40)"),
    ("frag-ipv4-expansion", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=110, ttl=[1,2]) / fragment(size=8) / udp(sport=9, dport=9) / raw(length=9)", f"fragment(IP(src='192.0.2.1', dst='192.0.2.2', id=110, ttl=[1, 2])/UDP(sport=9, dport=9)/Raw(b'\\x00' * 9), fragsize=8)"),
    ("frag-ipv6-udp", f"{I6} / fragment(size=100, id=0x1234) / udp(sport=1000, dport=2000) / raw(length=100, fill=0x41)", f"fragment6({F6}/IPv6ExtHdrFragment(id=0x1234)/UDP(sport=1000, dport=2000)/Raw(b'A' * 100), 100)"),
    ("frag-ipv6-header-before-hop-by-hop", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop]) / fragment(size=90, id=5) / udp(sport=1, dport=2) / raw(length=100)", f"fragment6({F6}/IPv6ExtHdrFragment(id=5)/IPv6ExtHdrHopByHop()/UDP(sport=1, dport=2)/Raw(b'\\x00' * 100), 90)"),
    ("frag-ipv6-existing-header", f"ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[hop_by_hop, fragment(id=9), destination]) / fragment(size=80) / tcp(sport=1, dport=2) / raw(length=100, fill=0x02)", f"fragment6({F6}/IPv6ExtHdrHopByHop()/IPv6ExtHdrFragment(id=9)/IPv6ExtHdrDestOpt()/TCP(sport=1, dport=2)/Raw(b'\\x02' * 100), 80)"),
    ("frag-ipv6-eth-routing-icmpv6", f"{E} / ipv6(src=2001:db8::1, dst=2001:db8::2, extensions=[routing(addresses=[2001:db8::9])]) / fragment(size=150, id=3) / icmpv6(id=1, seq=2) / raw(length=200)", f"fragment6({SE}/{F6}/IPv6ExtHdrFragment(id=3)/IPv6ExtHdrRouting(addresses=['2001:db8::9'])/ICMPv6EchoRequest(id=1, seq=2)/Raw(b'\\x00' * 200), 150)"),
    ("frag-ipv6-fits-atomic", f"{I6} / fragment(size=1500, id=4) / udp(sport=3, dport=4) / raw(length=10)", f"fragment6({F6}/IPv6ExtHdrFragment(id=4)/UDP(sport=3, dport=4)/Raw(b'\\x00' * 10), 1500)"),
    ("frag-ipv6-size-not-multiple-of-8", f"{I6} / fragment(size=83, id=6) / udp(sport=5, dport=6) / raw(length=90, fill=\"ab\")", f"fragment6({F6}/IPv6ExtHdrFragment(id=6)/UDP(sport=5, dport=6)/Raw(b'ab' * 45), 83)"),
    ("frag-ipv6-in-ipv4", f"ipv4(src=192.0.2.1, dst=192.0.2.2, id=111) / fragment(size=16) / {I6} / udp(sport=8, dport=8)", f"fragment({F4.format(111)}/{F6}/UDP(sport=8, dport=8), fragsize=16)"),
    # raw(length, fill), IPv4 options by name, routing header addresses
    ("raw-length-fill", f"{I4} / udp(sport=1, dport=2) / raw(length=100, fill=0x41)", f"{SI4}/UDP(sport=1, dport=2)/Raw(b'A' * 100)"),
    ("raw-text-then-fill", f"{I4} / udp(sport=1, dport=2) / raw(\"hi\", length=7, fill=\"xy\")", f"{SI4}/UDP(sport=1, dport=2)/Raw(b'hixyxyx')"),
    ("ipv4-options-by-name", f"ipv4(src=192.0.2.1, dst=192.0.2.2, options=[nop, rr, ts, ra]) / udp()", "IP(src='192.0.2.1', dst='192.0.2.2', options=[IPOption_NOP(), IPOption_RR(), IPOption_Timestamp(), IPOption_Router_Alert()])/UDP()"),
    ("ipv4-options-routes-by-name", f"ipv4(src=192.0.2.1, dst=192.0.2.2, options=[lsrr=[198.51.100.1, 198.51.100.5], nop]) / tcp(dport=22)", "IP(src='192.0.2.1', dst='192.0.2.2', options=[IPOption_LSRR(routers=['198.51.100.1', '198.51.100.5']), IPOption_NOP()])/TCP(dport=22)"),
    ("ipv4-options-fields-by-name", f"ipv4(src=192.0.2.1, dst=192.0.2.2, options=[ssrr(pointer=8, routers=[198.51.100.1]), ts(flag=0, timestamp=5), ra=1, eol]) / icmp()", "IP(src='192.0.2.1', dst='192.0.2.2', options=[IPOption_SSRR(pointer=8, routers=['198.51.100.1']), IPOption_Timestamp(flg=0, timestamp=5), IPOption_Router_Alert(alert=1), IPOption_EOL()])/ICMP()"),
    ("ipv4-options-unknown", f"ipv4(src=192.0.2.1, dst=192.0.2.2, options=[unknown=(30, 0x0102), rr=[192.0.2.9]]) / udp()", "IP(src='192.0.2.1', dst='192.0.2.2', options=[IPOption(option=30, value=b'\\x01\\x02'), IPOption_RR(routers=['192.0.2.9'])])/UDP()"),
    ("ipv6-routing-addresses", f"{I6.replace(')', ', extensions=[routing(addresses=[2001:db8::a, 2001:db8::b])])')} / udp(sport=1, dport=2)", f"{SI6}/IPv6ExtHdrRouting(addresses=['2001:db8::a', '2001:db8::b'])/UDP(sport=1, dport=2)"),
]


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "Tests", "PacketKitTests", "Building", "CraftVectors.swift")
    names = set()
    lines = [
        "// AUTO-GENERATED by Scripts/generate-craft-vectors.py with scapy %s. Do not edit." % scapy.VERSION,
        "// Each vector: the rawtool expression, the scapy expression (comment) and scapy's bytes,",
        "// one hex string per packet the expression expands to, in scapy's order.",
        "",
        "struct CraftVector: Sendable, CustomStringConvertible {",
        "  let name: String",
        "  let expression: String",
        "  let hex: [String]",
        "  var description: String { name }",
        "}",
        "",
        "enum CraftVectors {",
        "  static let all: [CraftVector] = [",
    ]
    total = 0
    for name, expression, scapy_expression in VECTORS:
        assert name not in names, name
        names.add(name)
        packet = eval(scapy_expression)
        packets = list(packet)
        total += len(packets)
        lines.append("    // %s" % scapy_expression)
        lines.append("    CraftVector(")
        lines.append("      name: %s," % swift_string(name))
        lines.append("      expression: %s," % swift_string(expression))
        lines.append("      hex: [")
        for p in packets:
            lines.append("        %s," % swift_string(bytes(p).hex()))
        lines.append("      ]),")
    lines += ["  ]", "}", ""]
    with open(out, "w") as f:
        f.write("\n".join(lines))
    print("%d vectors, %d packets -> %s" % (len(VECTORS), total, out), file=sys.stderr)


if __name__ == "__main__":
    main()
