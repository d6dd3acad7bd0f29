#!/bin/bash
# Builds the fuzz targets, makes the seed corpora and runs every target in turn for
# SECONDS each (default 600), at the lowest CPU priority, then prints a summary table and
# writes it to Fuzz/out/summary.txt. Exit status 1 if any target crashed, leaked, timed out
# or ran out of memory. FUZZ_SUMMARY names another summary file (for runs side by side).
#
# usage: Fuzz/run.sh [seconds-per-target] [target...]
#   One libFuzzer process at a time (shared build machine). Inputs are capped at
#   FUZZ_MAX_LEN bytes (default 65536; seeds are cut to it when loaded).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
seconds=${1:-600}
shift || true

flags=(-c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
echo "run: swift build ${flags[*]}"
nice -n 19 swift build "${flags[@]}"
bin=$(swift build "${flags[@]}" --show-bin-path)

./make-seeds.sh

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for dir in Sources/Fuzz*/; do
    name=$(basename "$dir")
    [ "$name" = FuzzSupport ] || targets+=("$name")
  done
fi

mkdir -p out
summary=${FUZZ_SUMMARY:-out/summary.txt}
# A Swift trap is reported by libFuzzer's deadly-signal handler (symbolized stack, artifact
# saved). Swift's own backtracer would run first and read memory ASan then reports as a
# bogus heap-buffer-overflow in CrashHandlerLinux's memserver; keep it out of the logs.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
status=0
{
  printf '%-20s %6s %12s %8s %9s %7s %7s %7s %7s %6s %8s %5s %7s\n' \
    target seconds execs exec/s new_units cov ft corpus crashes leaks timeouts ooms rss_mb
} > "$summary.tmp"

for target in "${targets[@]}"; do
  corpus=corpus/$target
  artifacts=out/$target/artifacts
  log=out/$target/fuzz.log
  rm -rf "out/$target"
  mkdir -p "$corpus" "$artifacts" "seeds/$target"
  echo "run: $target for ${seconds}s (log $log)"
  # The first directory receives new units; the seeds are read only.
  set +e
  nice -n 19 "$bin/$target" "$corpus" "seeds/$target" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -max_len="${FUZZ_MAX_LEN:-65536}" \
    -artifact_prefix="$artifacts/" > "$log" 2>&1
  code=$?
  set -e
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  field() { echo "$last" | sed -n "s/.* $1: \([0-9]*\).*/\1/p"; }
  count() { find "$artifacts" -name "$1-*" | wc -l; }
  crashes=$(($(count crash) + $(count deadly)))
  leaks=$(count leak)
  timeouts=$(count timeout)
  ooms=$(count oom)
  # A failure without an artifact (e.g. the harness did not start) still counts as a crash.
  if [ "$code" -ne 0 ] && [ $((crashes + leaks + timeouts + ooms)) -eq 0 ]; then
    crashes=1
  fi
  [ $((crashes + leaks + timeouts + ooms)) -eq 0 ] || status=1
  printf '%-20s %6s %12s %8s %9s %7s %7s %7s %7s %6s %8s %5s %7s\n' \
    "$target" "$seconds" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
    "$(stat new_units_added)" "$(field cov)" "$(field ft)" "$(field corp)" \
    "$crashes" "$leaks" "$timeouts" "$ooms" "$(stat peak_rss_mb)" >> "$summary.tmp"
done
mv "$summary.tmp" "$summary"
echo
cat "$summary"
if [ "$status" -ne 0 ]; then
  echo "run: failures found; inputs are in out/<target>/artifacts (see README.md)" >&2
fi
exit "$status"
