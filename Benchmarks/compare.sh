#!/usr/bin/env bash
# Compares two rawtool binaries' throughput in the same run: read (one-line, JSON, verbose,
# a filtered write) and stats, on one capture, runs interleaved (old, new, old, new, ...) so
# that drift and other load fall on both alike. Prints the best wall time of each and new/old as a
# percentage (above 100% is slower).
#
#   Benchmarks/compare.sh OLD_BINARY NEW_BINARY [CAPTURE] [RUNS]
#
# CAPTURE defaults to Benchmarks/out/mixed-1m.pcap (make it with make-mixed-pcap.py; see
# README.md), RUNS to 7.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 4 ]]; then
  echo "usage: $0 OLD_BINARY NEW_BINARY [CAPTURE] [RUNS]" >&2
  exit 2
fi
old="$1"
new="$2"
capture="${3:-$(dirname "$0")/out/mixed-1m.pcap}"
runs="${4:-7}"
[[ -f "$capture" ]] || { echo "$0: no capture at $capture" >&2; exit 2; }
export TZ=UTC
written="$(mktemp "${TMPDIR:-/tmp}/rawtool-compare.XXXXXX")"
trap 'rm -f "$written"' EXIT

# seconds BINARY ARGS...: the wall time of one run, output discarded.
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s%N)
  echo $(((end - start) / 1000))
}

cat "$capture" >/dev/null # warm the page cache
printf '%-10s %12s %12s %8s\n' mode "old (s)" "new (s)" new/old
for mode in one-line json verbose filter stats; do
  case "$mode" in
    one-line) args=(read "$capture") ;;
    json) args=(read --json "$capture") ;;
    verbose) args=(read -v "$capture") ;;
    filter) args=(read "$capture" -w "$written" "tcp port 80") ;;
    stats) args=(stats "$capture") ;;
  esac
  best_old=0
  best_new=0
  for _ in $(seq "$runs"); do
    t=$(seconds "$old" "${args[@]}")
    ((best_old == 0 || t < best_old)) && best_old=$t
    t=$(seconds "$new" "${args[@]}")
    ((best_new == 0 || t < best_new)) && best_new=$t
  done
  awk -v m="$mode" -v o="$best_old" -v n="$best_new" \
    'BEGIN { printf "%-10s %12.3f %12.3f %7.1f%%\n", m, o / 1e6, n / 1e6, 100 * n / o }'
done
