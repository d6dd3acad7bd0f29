#!/usr/bin/env bash
# Generates the man pages (rawtool.1 and rawtool-COMMAND.1, Scripts/generate-man-pages.py) and
# the shell completion scripts into .build/docs/ (not committed: they are regenerated from the
# code). Scripts/install.sh installs the same files.
#   man -M .build/docs rawtool-read
#   source .build/docs/completions/rawtool.bash
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/docs
mkdir -p "$out/man1" "$out/completions"
swift build -c release --product rawtool >/dev/null
python3 Scripts/generate-man-pages.py .build/release/rawtool "$out/man1" >/dev/null
for shell in bash zsh fish; do
  .build/release/rawtool --generate-completion-script "$shell" > "$out/completions/rawtool.$shell"
done
ls "$out/man1" "$out/completions"
