#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer (with LeakSanitizer), in its own scratch
# folder so the sanitized build never mixes with the normal one (docs/robustness.md
# "Sanitizers"). Called by CI; measured on 2 shared cores: about 3 minutes from a clean
# folder (build about 80 s), 1 to 2 minutes when only the tests run.
#
# Leaks in the toolchain's XCTest and Foundation.Process are suppressed by
# Tests/RawtoolTests/Support/LeakSuppressions.swift (`__lsan_default_suppressions`); any
# other leak or memory error fails the run (exit status 1).
#
# usage: Scripts/test-asan.sh [swift test arguments, e.g. --filter PacketKitTests]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" = "true" ]; then
  export RAWTOOL_REQUIRE_CORPUS=1
fi
# Leak checking on (the Linux default, stated). No Swift backtracer after a report: it
# reads arbitrary memory and trips ASan itself, burying the real report.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
# Spark reads the same tables in the normal run; here it would only add minutes.
export RAWTOOL_SKIP_SPARK=1
# Timing precision is the normal run's to measure: a sanitized rawtool runs several times
# slower, and here the live tests judge what it sends, with wider time bounds
# (LiveNetwork.isSanitized).
export RAWTOOL_SANITIZED=1

start=$(date +%s)
echo "== swift test --sanitize=address --scratch-path .build-asan $*"
swift test --sanitize=address --scratch-path .build-asan "$@"
echo "== test-asan.sh: passed in $(($(date +%s) - start)) s"
