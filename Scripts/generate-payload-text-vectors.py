#!/usr/bin/env python3
"""Writes Tests/PacketKitTests/Formatting/PayloadTextVectors.swift: frames carrying STP, CDP,
SYSLOG and Telnet payloads (from the fixtures, the tcpdump corpus and built here), each also cut
by the capture at several lengths, with the text `TZ=UTC tcpdump -t -n` (4.99.3) prints for it
at -v levels 0, 1 and 2. Run it after changing a vector; it needs tcpdump.

    Scripts/generate-payload-text-vectors.py
"""
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "tcpdump-tests")
OUT = os.path.join(ROOT, "Tests", "PacketKitTests", "Formatting", "PayloadTextVectors.swift")


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    offset = 24
    frames = []
    while offset + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        frames.append(data[offset + 16:offset + 16 + caplen])
        offset += 16 + caplen
    return frames


def ipv4_checksum(header):
    total = sum(struct.unpack("!%dH" % (len(header) // 2), header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ether(payload, dst=b"\x01\x80\xc2\x00\x00\x00"):
    """An 802.3 frame: the length field counts the LLC bytes."""
    return dst + b"\x02\x00\x00\x00\x00\x01" + struct.pack("!H", len(payload)) + payload


def ipv4(proto, payload):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                         bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]))
    header = header[:10] + struct.pack("!H", ipv4_checksum(header)) + header[12:]
    return (b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + header + payload)


def udp(sport, dport, payload):
    return ipv4(17, struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)


def tcp(sport, dport, payload):
    header = struct.pack("!HHIIBBHHH", sport, dport, 1000, 2000, 0x50, 0x18, 1024, 0, 0)
    return ipv4(6, header + payload)


def bridge(priority, mac_last):
    return struct.pack("!H", priority) + bytes([0x02, 0, 0, 0, 0, mac_last])


def config_bpdu(version=0, kind=0, flags=0, length=35, age=0x0100, timers=(0x1400, 0x0200, 0x0f00)):
    body = struct.pack("!HBBB", 0, version, kind, flags) + bridge(0x8000, 1) + struct.pack("!I", 4)
    body += bridge(0x8000, 2) + struct.pack("!HHHHH", 0x8002, age, *timers)
    if length > 35:
        body += b"\x00"
    return body[:length]


def spb_bpdu():
    mstp = struct.pack("!HBBB", 0, 4, 2, 0x7C) + bridge(0x8000, 1) + struct.pack("!I", 10)
    mstp += bridge(0x8000, 2) + struct.pack("!HHHHH", 0x8001, 0x0180, 0x1400, 0x0200, 0x0f00)
    mstp += b"\x00" + struct.pack("!H", 64) + b"\x00" + b"region".ljust(32, b"\x00")
    mstp += struct.pack("!H", 7) + bytes(range(16)) + struct.pack("!I", 20) + bridge(0x8000, 3)
    mstp += b"\x14"
    assert len(mstp) == 102
    spb = struct.pack("!H", 85) + b"\x00" + b"aux\x01".ljust(32, b"\x00") + struct.pack("!H", 9)
    spb += bytes(range(16, 32)) + bytes([0xDC, 0, 0x21, 0x43]) + struct.pack("!H", 12)
    spb += b"\x00" * 8 + bytes(range(100, 120))
    assert len(spb) == 87
    return mstp + spb


def cdp_tlv(kind, value):
    return struct.pack("!HH", kind, 4 + len(value)) + value


def cdp(tlvs, version=2, ttl=180, checksum=0x1234):
    return ether(b"\xaa\xaa\x03\x00\x00\x0c\x20\x00" + struct.pack("!BBH", version, ttl, checksum)
                 + b"".join(tlvs), dst=b"\x01\x00\x0c\xcc\xcc\xcc")


LLC_STP = b"\x42\x42\x03"

FIXTURE_LLC = read_pcap(os.path.join(ROOT, "Fixtures", "ethernet-8023-llc.pcap"))
FIXTURE_UDP = read_pcap(os.path.join(ROOT, "Fixtures", "ethernet-ipv4-udp.pcap"))
FIXTURE_TCP = read_pcap(os.path.join(ROOT, "Fixtures", "ethernet-ipv4-tcp.pcap"))
CDP_3560 = read_pcap(os.path.join(CORPUS, "3560_CDP.pcap"))
MSTP = read_pcap(os.path.join(CORPUS, "MSTP_Intra-Region_BPDUs.pcap"))

ipv6_address = (b"\x00\x00\x00\x01" + b"\x02\x08\xaa\xaa\x03\x00\x00\x00\x86\xdd" + b"\x00\x10"
                + bytes.fromhex("20010db8000000000000000000000001"))
generic_address = b"\x00\x00\x00\x02" + b"\x01\x01\x81\x00\x02\x0a\x0b" + b"\x01\x01\xcc\x00\x04\xc0\x00\x02\x07"

# (name, frame, cut lengths): each frame is also tried cut to each length.
VECTORS = [
    ("stp config (fixture)", FIXTURE_LLC[0], range(14, 52, 3)),
    ("cdp invalid (fixture)", FIXTURE_LLC[1], [20, 24, 26]),
    ("stp topology change", ether(LLC_STP + struct.pack("!HBB", 0, 0, 0x80)), [18]),
    ("stp rapid", ether(LLC_STP + config_bpdu(2, 2, 0x7D, 36)), range(17, 53, 5)),
    ("stp config timers", ether(LLC_STP + config_bpdu(0, 0, 0x81, 35, 0x0080, (0x1401, 0x0203, 0x0f80))), []),
    ("stp short config", ether(LLC_STP + config_bpdu(0, 0, 0, 30)), []),
    ("stp short rapid", ether(LLC_STP + config_bpdu(2, 2, 0, 35)), []),
    ("stp unknown version", ether(LLC_STP + struct.pack("!HBB", 0, 5, 0)), []),
    ("stp unknown type", ether(LLC_STP + struct.pack("!HBB", 0, 0, 0x33) + b"\x00" * 31), []),
    ("stp not an stp protocol id", ether(LLC_STP + struct.pack("!HBB", 1, 0, 0)), []),
    ("stp too short", ether(LLC_STP + b"\x00\x00\x00"), []),
    ("mstp (corpus)", MSTP[1], list(range(17, 40, 7)) + list(range(100, 155, 6))),
    ("mstp over vlan (corpus)", MSTP[0], [40, 150]),
    ("spb", ether(LLC_STP + spb_bpdu()), [120, 170, 190, 200]),
    ("pvst over snap", ether(b"\xaa\xaa\x03\x00\x00\x0c\x01\x0b" + config_bpdu(2, 2, 0x3C, 36)), [30]),
    ("cdp (corpus)", CDP_3560[0], list(range(20, 400, 23))),
    ("cdp tlvs", cdp([
        cdp_tlv(0x01, b"sw\x01\xe9"), cdp_tlv(0x02, ipv6_address), cdp_tlv(0x16, generic_address),
        cdp_tlv(0x04, b"\x00\x00\x00\x41"), cdp_tlv(0x07, b"\xc0\x00\x02\x00\x18\xc6\x33\x64\x00\x18"),
        cdp_tlv(0x0e, b"\x01\x00\x64"), cdp_tlv(0x0f, b"\x20\x00"), cdp_tlv(0x10, b"\x1e\x61"),
        cdp_tlv(0x10, b"\x05"), cdp_tlv(0x10, b"\x00\x30\x39"), cdp_tlv(0x10, b"\x03\xed"), cdp_tlv(0x11, b"\x00\x00\x05\xdc"),
        cdp_tlv(0x14, b"name"), cdp_tlv(0x15, b"\x06\x01"), cdp_tlv(0x17, b"\x01loc"),
        cdp_tlv(0x0b, b"\x00"), cdp_tlv(0x0c, b"\xab"), cdp_tlv(0x30, b"\x01\x02\x03"),
        cdp_tlv(0x04, b"\x00\x01\x02"), cdp_tlv(0x07, b"\x01\x02\x03"),
    ]), [40, 80, 120, 160, 200]),
    ("cdp short tlv", cdp([cdp_tlv(0x01, b"a"), struct.pack("!HH", 0x03, 2)]), []),
    ("cdp short tail", cdp([cdp_tlv(0x01, b"a") + b"\x00\x01"]), []),
    ("cdp empty", ether(b"\xaa\xaa\x03\x00\x00\x0c\x20\x00\x02\xb4", dst=b"\x01\x00\x0c\xcc\xcc\xcc"), []),
    ("syslog (fixture)", FIXTURE_UDP[5], range(42, 72, 4)),
    ("syslog local7 debug", udp(514, 40000, b"<191>msg\x01\xffend\n"), []),
    ("syslog unknown facility", udp(40000, 514, b"<999>x"), []),
    ("syslog no bracket", udp(514, 514, b"hello"), []),
    ("syslog no digits", udp(514, 514, b"<>x"), []),
    ("syslog four digits", udp(514, 514, b"<1234>x"), []),
    ("telnet (fixture)", FIXTURE_TCP[12], range(54, 60)),
    ("telnet negotiation", tcp(23, 40000, bytes([255, 251, 1, 255, 253, 3, 255, 255, 255, 241, 255, 252, 80, 65])), range(55, 68, 2)),
    ("telnet subnegotiation", tcp(40000, 23, bytes([255, 250, 24, 1, 255, 240, 255, 250, 31, 0, 80, 0, 24, 255, 240])), range(55, 69, 3)),
    ("telnet authentication", tcp(40000, 23, bytes([255, 250, 37, 2, 8, 0, 255, 240, 255, 250, 38, 9, 1, 255, 240, 255, 250, 37, 255, 240])), []),
    ("telnet unterminated", tcp(40000, 23, bytes([255, 250, 24, 1, 255])), []),
    ("telnet data first", tcp(40000, 23, b"ls\r\n"), []),
    ("telnet not a command", tcp(40000, 23, bytes([255, 200, 1])), []),
]


def pcap_bytes(frame, caplen):
    header = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    return header + struct.pack("<IIII", 1_700_000_000, 1, caplen, len(frame)) + frame[:caplen]


def tcpdump(frame, caplen, level):
    with tempfile.NamedTemporaryFile(suffix=".pcap", delete=False) as f:
        f.write(pcap_bytes(frame, caplen))
        path = f.name
    try:
        flags = ["-" + "v" * level] if level else []
        out = subprocess.run(["tcpdump", "-t", "-n", "-r", path] + flags, capture_output=True,
                             env={"TZ": "UTC", "PATH": os.environ["PATH"]}, check=True)
        return out.stdout.decode("latin-1")
    finally:
        os.unlink(path)


def swift_string(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")
    return '"' + escaped + '"'


def main():
    lines = [
        "// Generated by Scripts/generate-payload-text-vectors.py: do not edit. What `TZ=UTC tcpdump",
        "// -t -n` 4.99.3 prints (at -v levels 0, 1, 2) for frames carrying STP, CDP, SYSLOG and",
        "// Telnet payloads, whole and cut by the capture.",
        "",
        "extension PayloadTextTests {",
        "  static let vectors: [PayloadTextVector] = [",
    ]
    count = 0
    for name, frame, cuts in VECTORS:
        for caplen in [len(frame)] + [c for c in cuts if c < len(frame)]:
            texts = [tcpdump(frame, caplen, level) for level in range(3)]
            lines.append("    PayloadTextVector(")
            lines.append("      name: %s, caplen: %d," % (swift_string(name), caplen))
            lines.append("      hex: \"%s\"," % frame.hex())
            lines.append("      text: [")
            for text in texts:
                lines.append("        %s," % swift_string(text))
            lines.append("      ]),")
            count += 1
    lines += ["  ]", "}", ""]
    with open(OUT, "w") as f:
        f.write("\n".join(lines))
    print("wrote %d vectors to %s" % (count, os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    sys.exit(main())
