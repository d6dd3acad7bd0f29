#!/usr/bin/env bash
# PacketKit's library benchmarks (the package in Benchmarks/PacketKitBenchmarks, built with
# ordo-one/benchmark), checked against the baseline committed beside them (its
# .benchmarkBaselines folder, one baseline per mode: quick, full) with the tolerances the
# benchmarks declare; then PacketKit's decode rate as a ratio to the C reference decoder's
# (Benchmarks/reference/decode.c).
#
# Usage: Benchmarks/check.sh [--quick] [--update]
#   --quick   a 100,000-packet capture and 1 s per benchmark (CI); without it, the 1M-packet
#             capture of Benchmarks/run.sh and 3 s per benchmark
#   --update  store this run as the mode's new baseline instead of checking
#   --require-ratio  also fail when PacketKit decodes below 0.7x the C reference's rate
#             (otherwise the ratio is reported, not enforced)
# Exit status: 0 when no benchmark regressed (an improvement is fine); 1 when one did, in two
# runs of it one after the other (10% more wall time per packet at the median, 10% fewer packets per
# second at the median, or any allocation per packet), or, with
# --require-ratio, when the decode rate is below 0.7 of the C reference's; 2 on a usage or
# setup error.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/.."

QUICK=0
UPDATE=0
REQUIRE_RATIO=0
for argument in "$@"; do
  case "$argument" in
    --quick) QUICK=1 ;;
    --update) UPDATE=1 ;;
    --require-ratio) REQUIRE_RATIO=1 ;;
    -h | --help) sed -n 2,18p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "check.sh: unknown option $argument" >&2; exit 2 ;;
  esac
done

mkdir -p Benchmarks/out
if [ "$QUICK" = 1 ]; then
  capture=Benchmarks/out/mixed-100k.pcap
  [ -s "$capture" ] || python3 Benchmarks/make-mixed-pcap.py "$capture" --count 100000 >/dev/null
  export RAWTOOL_BENCH_SECONDS=1
  mode=quick
else
  capture=Benchmarks/out/mixed-1m.pcap
  [ -s "$capture" ] || python3 Benchmarks/make-mixed-pcap.py "$capture" >/dev/null
  export RAWTOOL_BENCH_SECONDS=3
  mode=full
fi
export RAWTOOL_BENCH_PCAP="$PWD/$capture"

cd Benchmarks/PacketKitBenchmarks
swift build -c release >&2
status=0
if [ "$UPDATE" = 1 ]; then
  swift package -c release --allow-writing-to-package-directory benchmark baseline update "$mode" \
    --no-progress
else
  first_run=$(mktemp)
  swift package -c release benchmark baseline check "$mode" --no-progress 2>&1 \
    | tee "$first_run" || status=$?
  if [ "$status" != 0 ] && [ "$status" != 4 ]; then
    # A busy machine slows a run now and then: a regression counts when a second run of the
    # same benchmarks shows it too.
    filters=()
    while IFS= read -r name; do filters+=(--filter "^${name}\$"); done < <(
      sed -n 's/^Threshold deviations for PacketKitBenchmarks:\(.*\)$/\1/p' "$first_run" | sort -u)
    echo "check.sh: a deviation beyond the tolerances; running those benchmarks once more" >&2
    status=0
    swift package -c release benchmark baseline check "$mode" --no-progress "${filters[@]}" \
      || status=$?
  fi
  rm -f "$first_run"
  # 0: within the tolerances; 4: only improvements; anything else: a regression or a failure.
  case $status in
    0 | 4) status=0 ;;
    *) echo "check.sh: the benchmarks regressed against the $mode baseline (status $status)" >&2; status=1 ;;
  esac
fi

# The decode rate against the C reference decoder's, on the same file, CPU time, best of 5.
reference="$PWD/.build/reference-decode"
../reference/build.sh "$reference" >/dev/null
swift_line=$(.build/release/decode-rate "$RAWTOOL_BENCH_PCAP" 5)
c_line=$("$reference" "$RAWTOOL_BENCH_PCAP" 5)
ratio=$(python3 - "$swift_line" "$c_line" <<'PY'
import sys
def field(line, name):
    words = line.split()
    return float(words[words.index(name) + 1])
swift, c = field(sys.argv[1], "ns_per_packet"), field(sys.argv[2], "ns_per_packet")
print(f"{c / swift:.2f} {swift:.1f} {c:.1f}")
PY
)
read -r ratio swift_ns c_ns <<<"$ratio"
echo "decode: PacketKit $swift_ns ns/packet, C reference $c_ns ns/packet: ${ratio}x the C reference's rate (goal >= 0.7)"
if python3 -c "import sys; sys.exit(0 if $ratio >= 0.7 else 1)"; then :; else
  echo "check.sh: PacketKit decodes at ${ratio}x the C reference's rate, below the 0.7 goal" >&2
  [ "$REQUIRE_RATIO" = 0 ] || status=1
fi
exit $status
