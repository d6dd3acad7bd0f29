#!/usr/bin/env bash
# Checks the documentation of the library products, PacketKit and PacketIO; fails on any
# problem, listing each:
# 1. their DocC documentation builds (swift-docc-plugin's generate-documentation) with no
#    warning: every ``link`` and <doc:Article> resolves, every parameter is documented;
# 2. every public declaration in Sources/PacketKit and Sources/PacketIO has a doc comment of
#    its own (from the symbol graphs of `swift package dump-symbol-graph`, which sees
#    declarations as the compiler does: only what is public from outside the module, members
#    of extensions included; compiler-synthesized members, which have no source, excepted);
# 3. no doc comment there cites a file outside the package (DESIGN.md, STYLE.md, CONTRACT.md,
#    ../shared/): a reader of the package's documentation does not have them.
# Uses the debug build (built when missing). Needs python3.
set -euo pipefail
cd "$(dirname "$0")/.."

failed=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

echo "== DocC: PacketKit and PacketIO build with no warning"
# Both targets are built whatever the first one says, and every diagnostic is listed.
status=0
swift package generate-documentation --target PacketKit --target PacketIO >"$log" 2>&1 || status=$?
if [[ $status -ne 0 ]] || grep -qE "^(warning|error):" "$log"; then
  grep -E -A12 "^(warning|error):" "$log" || tail -30 "$log"
  echo "check-docs: the DocC build has warnings or errors (above)" >&2
  failed=1
fi

echo "== every public declaration has a doc comment"
if ! swift package dump-symbol-graph --skip-synthesized-members --skip-inherited-docs \
  --minimum-access-level public >"$log" 2>&1; then
  tail -30 "$log"
  echo "check-docs: dump-symbol-graph failed" >&2
  exit 1
fi
graphs="$(sed -n 's/^Files written to //p' "$log" | tail -1)"
if ! python3 - "$graphs" "$PWD" <<'EOF'
import glob, json, os, sys

graphs, root = sys.argv[1], sys.argv[2]
modules = ("PacketKit", "PacketIO")
missing, total = [], 0
for module in modules:
    # The module's own graph and those of its extensions to other modules' types.
    paths = glob.glob(f"{graphs}/{module}.symbols.json") + glob.glob(f"{graphs}/{module}@*.symbols.json")
    if not any(path.endswith(f"/{module}.symbols.json") for path in paths):
        sys.exit(f"check-docs: no symbol graph for {module} in {graphs}")
    for path in paths:
        for symbol in json.load(open(path))["symbols"]:
            location = symbol.get("location")
            if location is None:
                continue  # synthesized by the compiler: no declaration in the source
            file = os.path.relpath(location["uri"].removeprefix("file://"), root)
            if not file.startswith(f"Sources/{module}/"):
                continue
            total += 1
            lines = (symbol.get("docComment") or {}).get("lines", [])
            if not any(line["text"].strip() for line in lines):
                missing.append(
                    f"{file}:{location['position']['line'] + 1}: "
                    f"{symbol['kind']['displayName'].lower()} {'.'.join(symbol['pathComponents'])}")
for line in sorted(set(missing)):
    print(line)
print(f"{total} public declarations, {len(missing)} without a doc comment")
sys.exit(1 if missing else 0)
EOF
then
  echo "check-docs: public declarations without a doc comment (above)" >&2
  failed=1
fi

echo "== doc comments cite no file outside the package"
if grep -rnE "^\s*///.*(DESIGN\.md|STYLE\.md|CONTRACT\.md|\.\./shared)" \
  Sources/PacketKit Sources/PacketIO; then
  echo "check-docs: doc comments cite files outside the package (above)" >&2
  failed=1
fi

[[ $failed -eq 0 ]] && echo "check-docs: documentation complete"
exit $failed
