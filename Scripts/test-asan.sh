#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer (with LeakSanitizer), in its own scratch
# folder so the sanitized build never mixes with the normal one (docs/robustness.md
# "Sanitizers"). Called by CI; about 3 minutes on 2 cores from a clean folder (most of it
# the build), about 1.5 minutes when only the tests run.
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
# Stop at the first error with a clear report; abort (not exit 1 in a child) so the test
# harness sees a crash.
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1}"

start=$(date +%s)
echo "== swift test --sanitize=address --scratch-path .build-asan $*"
swift test --sanitize=address --scratch-path .build-asan "$@"
echo "== test-asan.sh: passed in $(($(date +%s) - start)) s"
