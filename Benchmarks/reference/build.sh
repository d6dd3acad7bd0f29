#!/usr/bin/env bash
# Builds the C reference decoder with the system C compiler: Benchmarks/out/reference-decode
# (or the path given). Usage: Benchmarks/reference/build.sh [OUTPUT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../out/reference-decode}"
mkdir -p "$(dirname "$out")"
"${CC:-cc}" -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -o "$out" "$here/decode.c"
echo "$out"
