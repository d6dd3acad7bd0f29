#!/usr/bin/env bash
# read --parquet on the 1M mixed capture: packets per second of CPU time on one core, wall
# time, peak RSS, the table's size against the capture's, and --jobs 2 against --jobs 1 on
# two inputs. Medians of RUNS runs (the two job counts alternate, so load drifts alike).
# Usage: Benchmarks/parquet.sh [RAWTOOL] [CAPTURE]   (RUNS=5 by default)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RAWTOOL="${1:-$ROOT/.build/release/rawtool}"
CAPTURE="${2:-$ROOT/Benchmarks/out/mixed-1m.pcap}"
RUNS="${RUNS:-5}"
[ -f "$CAPTURE" ] || python3 "$ROOT/Benchmarks/make-mixed-pcap.py" "$CAPTURE" >/dev/null
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# Two inputs for --jobs: the capture and a copy (both in the page cache after a first read).
cp "$CAPTURE" "$WORK/second.pcap"
PACKETS="$("$RAWTOOL" stats --json "$CAPTURE" | python3 -c 'import json,sys; print(json.load(sys.stdin)["packets"])')"

# Runs one command under /usr/bin/time; prints "wall cpu rss_kB".
measure() {
  /usr/bin/time -o "$WORK/time" -f "%e %U %S %M" "$@" >/dev/null
  awk 'END { printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$WORK/time"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { sort -n | head -1; }

: >"$WORK/one" && : >"$WORK/jobs1" && : >"$WORK/jobs2"
for _ in $(seq "$RUNS"); do
  measure "$RAWTOOL" read "$CAPTURE" --parquet "$WORK/one.parquet" >>"$WORK/one"
  rm -rf "$WORK/parts"
  measure "$RAWTOOL" read "$CAPTURE" "$WORK/second.pcap" --parquet "$WORK/parts" --jobs 1 >>"$WORK/jobs1"
  rm -rf "$WORK/parts"
  measure "$RAWTOOL" read "$CAPTURE" "$WORK/second.pcap" --parquet "$WORK/parts" --jobs 2 >>"$WORK/jobs2"
done

wall=$(cut -d' ' -f1 "$WORK/one" | median)
cpu=$(cut -d' ' -f2 "$WORK/one" | median)
rss=$(cut -d' ' -f3 "$WORK/one" | median)
size=$(stat -c %s "$WORK/one.parquet")
captured=$(stat -c %s "$CAPTURE")
wall1=$(cut -d' ' -f1 "$WORK/jobs1" | median)
cpu1=$(cut -d' ' -f2 "$WORK/jobs1" | median)
wall2=$(cut -d' ' -f1 "$WORK/jobs2" | median)
cpu2=$(cut -d' ' -f2 "$WORK/jobs2" | median)
best1=$(cut -d' ' -f1 "$WORK/jobs1" | best)
best2=$(cut -d' ' -f1 "$WORK/jobs2" | best)
echo "capture: $CAPTURE ($PACKETS packets, $captured bytes); medians of $RUNS runs; load: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v p="$PACKETS" -v w="$wall" -v c="$cpu" -v r="$rss" -v s="$size" -v b="$captured" 'BEGIN {
  printf "one file:  %.2f s wall, %.2f s CPU: %.0f packets/s of CPU time (%.0f/s of wall); peak RSS %.0f MiB; table %d bytes, %.1f%% of the capture\n",
    w, c, p / c, p / w, r / 1024, s, 100 * s / b }'
awk -v p="$PACKETS" -v w1="$wall1" -v c1="$cpu1" -v w2="$wall2" -v c2="$cpu2" -v b1="$best1" -v b2="$best2" 'BEGIN {
  printf "two files: --jobs 1 %.2f s wall (%.2f s CPU), --jobs 2 %.2f s wall (%.2f s CPU): %.2fx (best runs: %.2f s and %.2f s, %.2fx); %.0f packets/s of wall with --jobs 2\n",
    w1, c1, w2, c2, w1 / w2, b1, b2, b1 / b2, 2 * p / w2 }'
echo "runs (wall cpu rss): one file: $(tr '\n' ';' <"$WORK/one")"
echo "  --jobs 1: $(tr '\n' ';' <"$WORK/jobs1")"
echo "  --jobs 2: $(tr '\n' ';' <"$WORK/jobs2")"
