#!/bin/sh
# Builds the fuzz seed corpora from the fixtures and the shared tcpdump corpus:
#   seeds/FuzzPcapReader/  whole capture files
#   seeds/FuzzDecoder/     single frames, each prefixed with its link-type selector byte
#   seeds/FuzzFormatters/  the frames of Fixtures/ only, in the same selector + frame form
#   seeds/FuzzExpressionParser/  every string literal of the crafting tests (CraftVectors,
#                          Expressions/*.swift), one expression per file
# Seeds are generated, never committed (.gitignore). Usage: Fuzz/make-seeds.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
seeds="$here/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/FuzzPcapReader" "$seeds/FuzzDecoder" "$seeds/FuzzFormatters" \
  "$seeds/FuzzExpressionParser"

files=$(ls "$root"/Fixtures/*.pcap "$root"/Fixtures/*.pcapng \
  "$root"/../shared/corpus/tcpdump-tests/*.pcap "$root"/../shared/corpus/tcpdump-tests/*.pcapng \
  2>/dev/null || true)
if [ -z "$files" ]; then
  echo "make-seeds: no capture files found" >&2
  exit 1
fi
for file in $files; do
  # Whole files for the reader; files over 1 MiB are left out (libFuzzer's -max_len).
  if [ "$(wc -c < "$file")" -le 1048576 ]; then
    cp "$file" "$seeds/FuzzPcapReader/$(basename "$file")"
  fi
done
# shellcheck disable=SC2086
python3 "$here/Scripts/extract-frames.py" "$seeds/FuzzDecoder" $files
# The formatter target reads the same selector + frame input; the fixtures cover every
# decoder layer the golden outputs check (the shared corpus would only slow its start).
python3 "$here/Scripts/extract-frames.py" "$seeds/FuzzFormatters" \
  "$root"/Fixtures/*.pcap "$root"/Fixtures/*.pcapng 2>/dev/null || true
python3 "$here/Scripts/extract-expressions.py" "$seeds/FuzzExpressionParser" \
  "$root"/Tests/PacketKitTests/Building/CraftVectors.swift \
  "$root"/Tests/PacketKitTests/Expressions/*.swift
# --- craft --from-json (FuzzCraftJSON) -------------------------------------------------
# One seed per line of the fixtures' golden JSON, with payload hex as craft needs it.
mkdir -p "$seeds/FuzzCraftJSON"
bin="$root/.build/debug/rawtool"
[ -x "$bin" ] || bin="$root/.build/release/rawtool"
if [ -x "$bin" ]; then
  n=0
  for f in "$root"/Fixtures/*.pcap "$root"/Fixtures/*.pcapng; do
    "$bin" read --json --hex "$f" 2>/dev/null | while IFS= read -r line; do
      n=$((n + 1))
      printf '%s' "$line" > "$seeds/FuzzCraftJSON/$(basename "$f")-$(printf '%04d' "$n").json"
    done
  done
else
  for f in "$root"/Fixtures/*.jsonl; do
    split -l 1 -d -a 4 "$f" "$seeds/FuzzCraftJSON/$(basename "$f")-"
  done
fi
# Regression inputs are seeds too, so a fixed crash stays covered.
for dir in "$here"/regressions/*/; do
  [ -d "$dir" ] || continue
  target=$(basename "$dir")
  mkdir -p "$seeds/$target"
  cp "$dir"* "$seeds/$target/" 2>/dev/null || true
done
echo "make-seeds: $(ls "$seeds/FuzzPcapReader" | wc -l) files, $(ls "$seeds/FuzzDecoder" | wc -l) frames," \
  "$(ls "$seeds/FuzzFormatters" | wc -l) fixture frames, $(ls "$seeds/FuzzExpressionParser" | wc -l) expressions"
