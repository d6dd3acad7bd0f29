#!/usr/bin/env bash
# Builds rawtool (release, warnings are errors) and runs every test.
# In CI (CI=true) tests that would skip for a missing corpus, oracle or root privileges fail
# instead (CI runs as root: the live tests in network namespaces must run there).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${CI:-}" = "true" ]; then
  export RAWTOOL_REQUIRE_CORPUS=1 RAWTOOL_REQUIRE_ORACLE=1 RAWTOOL_REQUIRE_LIVE=1
  export RAWTOOL_REQUIRE_ENGINES=1
  export RAWTOOL_REQUIRE_MAN=1  # the install test (InstallTests) must find man and python3
fi

echo "== swift build -c release (zero warnings)"
log=$(mktemp)
swift build -c release 2>&1 | tee "$log" | grep -E "warning:|error:" || true
if grep -q "warning:" "$log"; then
  echo "test.sh: the release build has warnings" >&2
  exit 1
fi
grep -q "error:" "$log" && exit 1

echo "== swift test"
swift test 2>&1
