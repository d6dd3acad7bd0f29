#!/usr/bin/env bash
# Rewrites the expected outputs beside every fixture: x.pcap.txt (one-line), x.pcap.verbose.txt
# (the per-layer tree, -V), x.pcap.v.txt (tcpdump's -v text) and x.pcap.jsonl (--json). Run it
# only when a change of output is intended, and read the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release >/dev/null
bin=.build/release/rawtool
export TZ=UTC
for f in Fixtures/*.pcap Fixtures/*.pcapng; do
  "$bin" read "$f" > "$f.txt" 2>/dev/null || true
  "$bin" read -V "$f" > "$f.verbose.txt" 2>/dev/null || true
  "$bin" read -v "$f" > "$f.v.txt" 2>/dev/null || true
  "$bin" read --json "$f" > "$f.jsonl" 2>/dev/null || true
done
echo "regenerated golden outputs for $(ls Fixtures/*.pcap Fixtures/*.pcapng | wc -l) fixtures"
