#!/usr/bin/env bash
# PacketKit's library benchmarks (the package in Benchmarks/PacketKitBenchmarks, built with
# ordo-one/benchmark), checked against the baseline committed beside them (its
# .benchmarkBaselines folder, one baseline per mode: quick, full) with the tolerances the
# benchmarks declare; then PacketKit's decode rate as a ratio to the C reference decoder's
# (Benchmarks/reference/decode.c), the two run in turn (Benchmarks/decode-ratio.sh).
#
# Usage: Benchmarks/check.sh [--quick] [--update]
#   --quick   a 100,000-packet capture and 1 s per benchmark (CI); without it, the 1M-packet
#             capture of Benchmarks/run.sh and 3 s per benchmark. The decode ratio is taken
#             on the 1M-packet capture in both modes (in quick mode, on both captures).
#   --update  store this run as the mode's new baseline instead of checking
#   --require-ratio  also fail when PacketKit decodes below 0.7x the C reference's rate
#             (otherwise the ratio is reported, not enforced)
# Exit status: 0 when no benchmark regressed (an improvement is fine); 1 when one did, in two
# runs of it one after the other (10% more wall time per packet at the median, 10% fewer packets per
# second at the median, or any allocation per packet; the file-reading benchmarks' times are
# reported, not judged: opening a file costs too differently from run to run), or, with
# --require-ratio, when the decode rate is below 0.7 of the C reference's; 2 on a usage or
# setup error.
#
# Times are judged against the machine's speed in the same run: the C reference decoder's
# ns/packet on the same capture is stored beside the baseline when it is recorded
# (baseline-reference.txt) and measured again before the check; when the machine is slower
# now by a factor f (a loaded or throttled host), the time tolerances become 10% on top of f
# (a median may take 1.10 f times the baseline's). Allocation counts do not depend on the
# machine and keep their tolerances.
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
# The decode-rate goal is set on the 1M mixed capture (337 MB, far larger than the caches) in
# both modes; generating it takes a few seconds.
ratio_capture=Benchmarks/out/mixed-1m.pcap
[ -s "$ratio_capture" ] || python3 Benchmarks/make-mixed-pcap.py "$ratio_capture" >/dev/null
ratio_capture="$PWD/$ratio_capture"

cd Benchmarks/PacketKitBenchmarks
swift build -c release >&2

# The machine's speed now: the C reference decoder's ns/packet on the capture (CPU time, best
# of 5), against the figure stored with the mode's baseline.
reference="$PWD/.build/reference-decode"
../reference/build.sh "$reference" >/dev/null
c_line=$("$reference" "$RAWTOOL_BENCH_PCAP" 5)
c_now=$(python3 -c 'import sys; w = sys.argv[1].split(); print(w[w.index("ns_per_packet") + 1])' "$c_line")
calibration=baseline-reference.txt
c_base=$(awk -v mode="$mode" '$1 == mode { print $2 }' "$calibration" 2>/dev/null || true)
if [ -n "$c_base" ] && [ "$UPDATE" = 0 ]; then
  read -r factor RAWTOOL_BENCH_TIME_TOLERANCE RAWTOOL_BENCH_THROUGHPUT_TOLERANCE < <(
    python3 - "$c_now" "$c_base" <<'PY'
import math, sys
factor = max(1.0, float(sys.argv[1]) / float(sys.argv[2]))
print(f"{factor:.2f}", math.ceil((1.10 * factor - 1) * 100), math.ceil((1 - 1 / (1.10 * factor)) * 100))
PY
  )
  export RAWTOOL_BENCH_TIME_TOLERANCE RAWTOOL_BENCH_THROUGHPUT_TOLERANCE
  echo "check.sh: the C reference decodes at $c_now ns/packet now, $c_base when the $mode baseline was recorded: time tolerances ${RAWTOOL_BENCH_TIME_TOLERANCE}% (wall time) and ${RAWTOOL_BENCH_THROUGHPUT_TOLERANCE}% (throughput), for a machine ${factor}x as slow" >&2
fi

echo "check.sh: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
status=0
if [ "$UPDATE" = 1 ]; then
  swift package -c release --allow-writing-to-package-directory benchmark baseline update "$mode" \
    --no-progress
  { grep -v "^$mode " "$calibration" 2>/dev/null || true; echo "$mode $c_now"; } | sort > "$calibration.new"
  mv "$calibration.new" "$calibration"
else
  # judge LOG STATUS: 0 when the check passed or found only improvements (the plugin reports
  # those as `benchmarkThresholdImprovement` and fails the command all the same), 1 when it
  # found a regression, 2 when it failed otherwise (a build error, a benchmark that crashed).
  judge() {
    if grep -q "benchmarkThresholdRegression" "$1"; then return 1; fi
    if [ "$2" = 0 ] || grep -q "benchmarkThresholdImprovement" "$1"; then return 0; fi
    return 2
  }
  # check_benchmarks LOG [--filter NAME ...]: the plugin's check against the mode's baseline,
  # its output shown and kept in LOG; its status is the plugin's.
  check_benchmarks() {
    local log=$1
    shift
    swift package -c release benchmark baseline check "$mode" --no-progress "$@" 2>&1 | tee "$log"
  }
  first_run=$(mktemp)
  second_run=$(mktemp)
  run_status=0
  check_benchmarks "$first_run" || run_status=$?
  if [ "$run_status" -ge 128 ]; then
    # Ended by a signal: once in CI, `swift package` itself crashed in libdispatch while the
    # benchmark plugin ran. That says nothing of the benchmarks: the check runs once more, and
    # a second crash fails it.
    echo "check.sh: the benchmark check ended by signal $((run_status - 128)); running it once more" >&2
    run_status=0
    check_benchmarks "$first_run" || run_status=$?
  fi
  judge "$first_run" "$run_status" || status=$?
  if [ "$status" = 1 ]; then
    # A busy machine slows a run now and then: a regression counts when a second run of the
    # same benchmarks shows it too.
    filters=()
    while IFS= read -r name; do filters+=(--filter "^${name}\$"); done < <(
      sed -n 's/^Threshold deviations for PacketKitBenchmarks:\(.*\)$/\1/p' "$first_run" | sort -u)
    echo "check.sh: a deviation beyond the tolerances; running those benchmarks once more" >&2
    status=0
    run_status=0
    check_benchmarks "$second_run" "${filters[@]}" || run_status=$?
    judge "$second_run" "$run_status" || status=$?
  fi
  rm -f "$first_run" "$second_run"
  case $status in
    0) ;;
    1) echo "check.sh: the benchmarks regressed against the $mode baseline" >&2 ;;
    *) echo "check.sh: the benchmark check failed (see above)" >&2; status=1 ;;
  esac
fi

# The decode rate against the C reference decoder's, on the same file: the two run in turn,
# five times each (CPU time, best of 3 rounds), and the median of the pairs' ratios counts
# (decode-ratio.sh). First the goal's capture; then, reported only, the mode's own capture
# (quick mode: 32 MB, which partly stay in the caches from one round to the next) and a
# 5,000-packet capture small enough to stay in the caches, where the ratio is that of the
# work per frame alone, with no wait for memory (Benchmarks/README.md, "What the decode
# ratio measures").
decode_ratio() { ../decode-ratio.sh .build/release/decode-rate "$reference" "$@"; }
read -r ratio swift_ns c_ns ratio_low ratio_high <<<"$(decode_ratio "$ratio_capture")"
echo "decode on $(basename "$ratio_capture"): PacketKit $swift_ns ns/packet, C reference $c_ns ns/packet: ${ratio}x the C reference's rate (median of 5 pairs, ${ratio_low}-${ratio_high}; goal >= 0.7)"
if [ "$mode" = quick ]; then
  read -r quick_ratio quick_swift quick_c _ _ <<<"$(decode_ratio "$RAWTOOL_BENCH_PCAP")"
  echo "decode on $(basename "$RAWTOOL_BENCH_PCAP"): PacketKit $quick_swift ns/packet, C reference $quick_c ns/packet: ${quick_ratio}x"
fi
cached_capture="$here/out/mixed-5k.pcap"
[ -s "$cached_capture" ] || python3 "$here/make-mixed-pcap.py" "$cached_capture" --count 5000 >/dev/null 2>&1
read -r cached_ratio cached_swift cached_c _ _ <<<"$(decode_ratio "$cached_capture" 5 20)"
echo "decode in the caches ($(basename "$cached_capture"), 20 rounds): PacketKit $cached_swift ns/packet, C reference $cached_c ns/packet: ${cached_ratio}x (the work per frame alone; reported, no goal)"
if python3 -c "import sys; sys.exit(0 if $ratio >= 0.7 else 1)"; then :; else
  echo "check.sh: PacketKit decodes at ${ratio}x the C reference's rate, below the 0.7 goal" >&2
  [ "$REQUIRE_RATIO" = 0 ] || status=1
fi
exit $status
