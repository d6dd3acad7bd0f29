#!/usr/bin/env python3
"""Prints, for each capture file given, every (probe, reply) pair of packet numbers for which
scapy's `reply.answers(probe)` is true. Tests/PacketKitTests/Probing/ReplyMatcherTests.swift
compares ReplyMatcher with these pairs. Run from Fixtures/:

    python3 ../Scripts/answers-oracle.py ethernet-ipv4-tcp.pcap mixed.pcap
"""
import logging
import sys

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
import scapy  # noqa: E402
from scapy.all import rdpcap  # noqa: E402
from scapy.layers.inet6 import *  # noqa: E402,F401,F403

print(f"# scapy {scapy.__version__}")
for name in sys.argv[1:]:
    packets = rdpcap(name)
    pairs = []
    for reply_index, reply in enumerate(packets):
        for probe_index, probe in enumerate(packets):
            if reply_index != probe_index and reply.answers(probe):
                pairs.append((probe_index + 1, reply_index + 1))
    print(name, sorted(pairs))
