#!/usr/bin/env bash
# Generates the man page (swift-argument-parser's generate-manual plugin) and the shell
# completion scripts into .build/docs/ (not committed: they are regenerated from the code).
#   man -l .build/docs/man/rawtool.1
#   source .build/docs/completions/rawtool.bash
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/docs
mkdir -p "$out/man" "$out/completions"
swift build -c release --product rawtool >/dev/null
swift package --allow-writing-to-package-directory generate-manual --multi-page=false \
  --output-directory "$out/man" >/dev/null
for shell in bash zsh fish; do
  .build/release/rawtool --generate-completion-script "$shell" > "$out/completions/rawtool.$shell"
done
ls "$out/man" "$out/completions"
