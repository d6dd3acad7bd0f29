#!/usr/bin/env bash
# Shows that two rawtool binaries print the same bytes: run it with the binary built before a
# refactoring and the one built after it.
#
#   Scripts/check-output-unchanged.sh OLD_BINARY NEW_BINARY
#
# It runs `read` in each output mode (one-line, the tree: -V, or the old binary's -v when it
# is from before -V, -x, -X, --json, --json --hex, and a few more) and `stats` (text and JSON) on every capture in Fixtures/ and in the tcpdump test
# corpus (../shared/corpus, or $RAWTOOL_CORPUS), and `craft` in each output mode and with -w on every expression of
# Tests/PacketKitTests/Building/CraftVectors.swift, with both binaries. Standard output,
# standard error, the exit status and written files must be byte-identical.
# Exit status: 0 when nothing differs, 1 when something does (each difference is listed with
# the first lines of its diff), 2 on a usage error.
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 OLD_BINARY NEW_BINARY" >&2
  exit 2
fi
old="$(realpath "$1")"
new="$(realpath "$2")"
for bin in "$old" "$new"; do
  [[ -x "$bin" ]] || { echo "$0: not an executable: $bin" >&2; exit 2; }
done
cd "$(dirname "$0")/.."
corpus="${RAWTOOL_CORPUS:-../shared/corpus}"
vectors=Tests/PacketKitTests/Building/CraftVectors.swift
export TZ=UTC

work="$(mktemp -d "${TMPDIR:-/tmp}/rawtool-unchanged.XXXXXX")"
trap 'rm -rf "$work"' EXIT

checks=0
differences=0

# run NAME ARGS...: runs both binaries with ARGS (the string @OUT@ in ARGS stands for a
# file each binary writes) and compares everything they produce.
run() {
  local name="$1"
  shift
  local side bin
  for side in old new; do
    bin="$old"
    [[ $side == new ]] && bin="$new"
    # Both binaries write to the same path, so messages naming it are alike.
    local args=("${@//@OUT@/$work/written}")
    rm -f "$work/written"
    "$bin" "${args[@]}" >"$work/$side.out" 2>"$work/$side.err" </dev/null
    echo "exit $?" >"$work/$side.status"
    if [[ -e "$work/written" ]]; then
      mv "$work/written" "$work/$side.written"
    else
      echo "(no file)" >"$work/$side.written"
    fi
    # The binary's own path may appear in usage errors.
    sed -i "s|$bin|RAWTOOL|g" "$work/$side.err"
  done
  checks=$((checks + 1))
  local part
  for part in out err status written; do
    if ! cmp -s "$work/old.$part" "$work/new.$part"; then
      differences=$((differences + 1))
      echo "DIFFERENT ($part): $name"
      diff -a "$work/old.$part" "$work/new.$part" | head -8 | cut -c1-200
    fi
  done
}

# The tree's flag in the old binary: -V, or -v in binaries from before -v became tcpdump's text
# (they refuse -V).
old_tree_flag=-V
"$old" read -V Fixtures/ethernet-arp.pcap >/dev/null 2>&1 || old_tree_flag=-v

# run_tree NAME ARGS...: the old binary with its tree flag, the new one with ARGS -V.
run_tree() {
  local name="$1"
  shift
  "$old" "$@" "$old_tree_flag" >"$work/old.out" 2>"$work/old.err" </dev/null
  echo "exit $?" >"$work/old.status"
  "$new" "$@" -V >"$work/new.out" 2>"$work/new.err" </dev/null
  echo "exit $?" >"$work/new.status"
  sed -i "s|$old|RAWTOOL|g" "$work/old.err"
  sed -i "s|$new|RAWTOOL|g" "$work/new.err"
  checks=$((checks + 1))
  local part
  for part in out err status; do
    if ! cmp -s "$work/old.$part" "$work/new.$part"; then
      differences=$((differences + 1))
      echo "DIFFERENT ($part): $name"
      diff -a "$work/old.$part" "$work/new.$part" | head -8 | cut -c1-200
    fi
  done
}

read_modes=(
  ""
  "-x"
  "-X"
  "-xx"
  "-XX"
  "-e"
  "-tttt --nano"
  "-S"
  "--json"
  "--json --hex"
)

captures=()
for f in Fixtures/*.pcap Fixtures/*.pcapng "$corpus"/*/*.pcap "$corpus"/*/*.pcapng \
  "$corpus"/*.pcap "$corpus"/*.pcapng; do
  [[ -f "$f" ]] && captures+=("$f")
done
if [[ ${#captures[@]} -eq 0 ]]; then
  echo "$0: no captures found" >&2
  exit 2
fi

for f in "${captures[@]}"; do
  for mode in "${read_modes[@]}"; do
    # shellcheck disable=SC2086
    run "read $mode $f" read $mode "$f"
  done
  # The per-layer tree moved from -v to -V (-v is tcpdump's -v text since): the old
  # binary's -v against the new one's -V.
  run_tree "read -v/-V $f" read "$f"
  run "read -w $f 'tcp or udp'" read "$f" -w @OUT@ "tcp or udp"
  run "stats $f" stats "$f"
  run "stats --json $f" stats --json "$f"
done

# The craft vectors: every `expression: "..."` literal (Swift string escapes are JSON's).
mapfile -t expressions < <(python3 - "$vectors" <<'EOF'
import json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    match = re.match(r'\s*expression: (".*"),\s*$', line)
    if match:
        print(json.loads(match.group(1)))
EOF
)
if [[ ${#expressions[@]} -eq 0 ]]; then
  echo "$0: no craft vectors found in $vectors" >&2
  exit 2
fi

craft_modes=(
  ""
  "-x"
  "-X"
  "--hex"
  "--json"
  "--json --hex"
)
for expression in "${expressions[@]}"; do
  for mode in "${craft_modes[@]}"; do
    # shellcheck disable=SC2086
    run "craft $mode '$expression'" craft --time 1700000000.5 $mode "$expression"
  done
  run "craft -w '$expression'" craft --time 1700000000.5 -w @OUT@ "$expression"
  run_tree "craft -v/-V '$expression'" craft --time 1700000000.5 "$expression"
done

echo "checked ${#captures[@]} captures and ${#expressions[@]} craft expressions:" \
  "$checks runs per binary, $differences differences"
[[ $differences -eq 0 ]]
