#!/usr/bin/env bash
# Installs rawtool: the binary, a manual page for rawtool and for every command
# (rawtool.1, rawtool-read.1, rawtool-sniff.1, ...) and the bash, zsh and fish completions.
#
#   Scripts/install.sh [--prefix DIR] [--binary PATH]
#
#   --prefix DIR    where to install (default /usr/local):
#                     DIR/bin/rawtool
#                     DIR/share/man/man1/rawtool.1, rawtool-COMMAND.1
#                     DIR/share/bash-completion/completions/rawtool
#                     DIR/share/zsh/site-functions/_rawtool
#                     DIR/share/fish/vendor_completions.d/rawtool.fish
#   --binary PATH   install this rawtool instead of building one (default: `swift build -c
#                   release`, which rebuilds only what changed)
#
# Man pages come from the binary's own option definitions (Scripts/generate-man-pages.py),
# completions from `rawtool --generate-completion-script`. Needs python3. After installing:
# `man rawtool-read`; new shells complete `rawtool read <TAB>` with files and
# `rawtool sniff <TAB>` with interfaces. Exit status 0 when installed, 1 on a failure,
# 2 on a usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
binary=""
usage() { echo "usage: $0 [--prefix DIR] [--binary PATH]" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) [[ $# -ge 2 ]] || usage; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --binary) [[ $# -ge 2 ]] || usage; binary="$2"; shift 2 ;;
    --binary=*) binary="${1#--binary=}"; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage ;;
  esac
done

if [[ -z "$binary" ]]; then
  swift build -c release --product rawtool
  binary=.build/release/rawtool
fi
[[ -x "$binary" ]] || { echo "install.sh: not an executable: $binary" >&2; exit 1; }
command -v python3 >/dev/null || { echo "install.sh: python3 is needed for the man pages" >&2; exit 1; }

bin="$prefix/bin"
man1="$prefix/share/man/man1"
bash_dir="$prefix/share/bash-completion/completions"
zsh_dir="$prefix/share/zsh/site-functions"
fish_dir="$prefix/share/fish/vendor_completions.d"
mkdir -p "$bin" "$man1" "$bash_dir" "$zsh_dir" "$fish_dir"

install -m 755 "$binary" "$bin/rawtool"
python3 Scripts/generate-man-pages.py "$bin/rawtool" "$man1" >/dev/null
"$bin/rawtool" --generate-completion-script bash > "$bash_dir/rawtool"
"$bin/rawtool" --generate-completion-script zsh > "$zsh_dir/_rawtool"
"$bin/rawtool" --generate-completion-script fish > "$fish_dir/rawtool.fish"

echo "installed $bin/rawtool"
echo "  man pages: $(cd "$man1" && ls rawtool*.1 | tr '\n' ' ')in $man1"
echo "  completions: $bash_dir/rawtool, $zsh_dir/_rawtool, $fish_dir/rawtool.fish"
case ":$PATH:" in *":$bin:"*) ;; *) echo "  add $bin to PATH" ;; esac
