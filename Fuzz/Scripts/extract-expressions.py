#!/usr/bin/env python3
r"""Writes every Swift string literal of the given files as a FuzzExpressionParser seed.

usage: extract-expressions.py OUTPUT_DIR FILE.swift...

Handles "..." (escapes \\ \" \n \t \r \0 \u{...}) and raw #"..."# literals on one line;
literals with interpolation (\\( ... )) are skipped. Test names and messages come along
too: they are harmless seeds (parse errors are code paths as well). Standard library only.
Identical seeds are written once (file name = SHA-1 of the content).
"""
import hashlib
import os
import re
import sys

RAW = re.compile(r'(#+)"(.*?)"\1')
PLAIN = re.compile(r'(?<!#)"((?:[^"\\\n]|\\.)*)"')
ESCAPES = {"\\": "\\", '"': '"', "'": "'", "n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def unescape(text):
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if nxt == "(":
            return None  # interpolation
        if nxt == "u" and text[i + 2:i + 3] == "{":
            end = text.index("}", i)
            out.append(chr(int(text[i + 3:end], 16)))
            i = end + 1
            continue
        out.append(ESCAPES.get(nxt, nxt))
        i += 2
    return "".join(out)


def literals(line):
    for match in RAW.finditer(line):
        yield match.group(2)
    line = RAW.sub("", line)
    for match in PLAIN.finditer(line):
        text = unescape(match.group(1))
        if text is not None:
            yield text


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seen = set()
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            for line in f:
                for text in literals(line):
                    data = text.encode("utf-8")
                    if not data:
                        continue
                    name = hashlib.sha1(data).hexdigest()
                    if name not in seen:
                        seen.add(name)
                        with open(os.path.join(out, name), "wb") as seed:
                            seed.write(data)
    print(f"extract-expressions: {len(seen)} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
