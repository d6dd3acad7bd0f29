#!/usr/bin/env bash
# PacketKit's decode rate as a ratio to the C reference decoder's, on one classic pcap file:
# the two decoders run in turn, PAIRS times (each run the best of ROUNDS rounds of CPU time),
# and the ratio is the median of the pairs' ratios. Taking each pair's ratio in turn keeps a
# change of the machine's load (or of its memory's latency, which sets most of the C
# decoder's rate on a file larger than the caches) from landing on one decoder only.
#
# Usage: Benchmarks/decode-ratio.sh DECODE_RATE REFERENCE_DECODE FILE.pcap [PAIRS] [ROUNDS]
#   DECODE_RATE       the benchmark package's decode-rate (Benchmarks/PacketKitBenchmarks)
#   REFERENCE_DECODE  the C reference decoder (Benchmarks/reference/build.sh)
#   PAIRS             runs of each decoder, in turn (default 5)
#   ROUNDS            rounds in each run, of which the best counts (default 3)
# Prints one line: the median ratio, then PacketKit's and the C decoder's median ns/packet,
# then the lowest and highest of the pairs' ratios; e.g. `0.74 97.1 71.9 0.72 0.77`.
# Exit status: 0, or 1 when a decoder fails (the file is not a classic Ethernet pcap file).
set -euo pipefail
if [[ $# -lt 3 ]]; then
  sed -n 8,14p "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
decode_rate=$1
reference=$2
file=$3
pairs=${4:-5}
rounds=${5:-3}

nanoseconds() { awk '{ for (i = 1; i < NF; i++) if ($i == "ns_per_packet") print $(i + 1) }'; }

runs=()
for _ in $(seq "$pairs"); do
  c=$("$reference" "$file" "$rounds" | nanoseconds)
  swift=$("$decode_rate" "$file" "$rounds" | nanoseconds)
  [[ -n "$c" && -n "$swift" ]] || exit 1
  runs+=("$swift $c")
done
printf '%s\n' "${runs[@]}" | python3 -c '
import statistics, sys
pairs = [tuple(map(float, line.split())) for line in sys.stdin if line.strip()]
ratios = [c / swift for swift, c in pairs]
print(f"{statistics.median(ratios):.2f} {statistics.median(s for s, _ in pairs):.1f} "
      f"{statistics.median(c for _, c in pairs):.1f} {min(ratios):.2f} {max(ratios):.2f}")
'
