#!/usr/bin/env python3
"""Writes each frame of pcap/pcapng files as a FuzzDecoder seed: one selector byte for the
frame's link type, then the captured bytes. Standard library only (struct).

usage: extract-frames.py OUTPUT_DIR FILE...

The selector is the index of the link type in FuzzSupport's fuzzLinkTypes; frames of other
link types are skipped. Damaged files are read up to the damage. Identical seeds are
written once (file name = SHA-1 of the content, as libFuzzer names corpus units).
"""
import hashlib
import os
import struct
import sys

LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276]  # FuzzSupport.fuzzLinkTypes
MAX_FRAMES_PER_FILE = 200
MAX_FRAME = 65535


def pcap_frames(data):
    magic = data[0:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    if len(data) < 24:
        return
    link = struct.unpack_from(e + "I", data, 20)[0] & 0xFFFF
    offset = 24
    while offset + 16 <= len(data):
        caplen = struct.unpack_from(e + "I", data, offset + 8)[0]
        offset += 16
        if caplen > len(data) - offset:
            return
        yield link, data[offset:offset + caplen]
        offset += caplen


def pcapng_frames(data):
    e = "<"
    links = []
    offset = 0
    while offset + 12 <= len(data):
        if data[offset:offset + 4] == b"\x0a\x0d\x0d\x0a":
            bom = data[offset + 8:offset + 12]
            if bom == b"\x4d\x3c\x2b\x1a":
                e = "<"
            elif bom == b"\x1a\x2b\x3c\x4d":
                e = ">"
            else:
                return
            links = []
        block_type, length = struct.unpack_from(e + "II", data, offset)
        if length < 12 or length % 4 or offset + length > len(data):
            return
        body = data[offset + 8:offset + length - 4]
        if block_type == 1 and len(body) >= 8:
            links.append(struct.unpack_from(e + "H", body, 0)[0])
        elif block_type in (2, 6) and len(body) >= 20:
            if block_type == 6:
                interface = struct.unpack_from(e + "I", body, 0)[0]
            else:
                interface = struct.unpack_from(e + "H", body, 0)[0]
            caplen = struct.unpack_from(e + "I", body, 12)[0]
            if interface < len(links) and caplen <= len(body) - 20:
                yield links[interface], body[20:20 + caplen]
        elif block_type == 3 and len(body) >= 4 and links:
            wire = struct.unpack_from(e + "I", body, 0)[0]
            yield links[0], body[4:4 + min(wire, len(body) - 4)]
        offset += length


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    written = 0
    for path in sys.argv[2:]:
        with open(path, "rb") as handle:
            data = handle.read()
        frames = pcapng_frames(data) if data[:4] == b"\x0a\x0d\x0d\x0a" else pcap_frames(data)
        count = 0
        try:
            for link, frame in frames:
                if link not in LINK_TYPES or len(frame) > MAX_FRAME:
                    continue
                seed = bytes([LINK_TYPES.index(link)]) + frame
                name = os.path.join(out, hashlib.sha1(seed).hexdigest())
                if not os.path.exists(name):
                    with open(name, "wb") as handle:
                        handle.write(seed)
                    written += 1
                count += 1
                if count >= MAX_FRAMES_PER_FILE:
                    break
        except struct.error:
            pass
    print(f"{out}: {written} frames")


if __name__ == "__main__":
    main()
