#!/usr/bin/env python3
"""Writes a classic pcap of COUNT IPv4/UDP packets that are COUNT distinct UDP conversations.

Used by run.sh to measure the memory `rawtool stats` takes per conversation: the peak RSS
of two such files (e.g. 100,000 and 400,000 conversations) differs by the added
conversations' memory. Sources are 198.51.100.1-254 (so the IP conversations stay few),
the destination is 203.0.113.1, and each packet has its own (source, source port,
destination port) triple. Deterministic: the same COUNT gives the same bytes.

usage: make-conversations-pcap.py OUT.pcap COUNT
"""
import struct
import sys


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    ether = bytes.fromhex("020000000002" "020000000001" "0800")
    payload = b"conversation"
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for n in range(count):
            src = bytes([198, 51, 100, 1 + n % 254])
            dst = bytes([203, 0, 113, 1])
            rest = n // 254
            sport = 1024 + rest % 64000
            dport = 1 + rest // 64000
            udp_len = 8 + len(payload)
            total = 20 + udp_len
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, n & 0xFFFF, 0, 64, 17, 0, src, dst)
            ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
            pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
            udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
            udp_sum = checksum(pseudo + udp) or 0xFFFF
            udp = udp[:6] + struct.pack("!H", udp_sum) + udp[8:]
            frame = ether + ip + udp
            f.write(struct.pack("<IIII", 1_700_000_000 + n // 1000, (n % 1000) * 1000, len(frame), len(frame)))
            f.write(frame)


if __name__ == "__main__":
    main()
