#!/usr/bin/env bash
# Installs what rawtool needs on a Debian machine that has Swift, when it is missing.
#
#   Scripts/bootstrap.sh           what building needs: libpcap-dev and libzstd-dev (with
#                                  pkg-config)
#   Scripts/bootstrap.sh --tests   that, and what the tests compare with or drive: tcpdump and
#                                  tshark, python3, iproute2, ping and jq for the live tests in
#                                  network namespaces, man-db for the install test; a Java
#                                  runtime, mergecap and pyarrow, duckdb and pyspark for the
#                                  packet-table tests
#
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail

tests=0
case "${1:-}" in
  "") ;;
  --tests) tests=1 ;;
  *) echo "usage: $0 [--tests]" >&2; exit 2 ;;
esac

missing=()
pkg-config --exists libpcap 2>/dev/null || missing+=(libpcap-dev pkg-config)
pkg-config --exists libzstd 2>/dev/null || missing+=(libzstd-dev pkg-config)
if [ "$tests" = 1 ]; then
  command -v tcpdump >/dev/null 2>&1 || [ -x /usr/bin/tcpdump ] || [ -x /usr/sbin/tcpdump ] || missing+=(tcpdump)
  command -v tshark >/dev/null 2>&1 || missing+=(tshark)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  command -v ping >/dev/null 2>&1 || missing+=(iputils-ping)
  command -v jq >/dev/null 2>&1 || missing+=(jq)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v mergecap >/dev/null 2>&1 || missing+=(wireshark-common)
  # man-db: the install test opens every installed manual page with man (Scripts/install.sh).
  command -v man >/dev/null 2>&1 || missing+=(man-db)
fi

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "bootstrap: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $sudo debconf-set-selections 2>/dev/null || true
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "$tests" = 1 ] && ! python3 -c "import pyarrow, duckdb, pyspark" 2>/dev/null; then
  echo "bootstrap: installing pyarrow, duckdb and pyspark from PyPI" >&2
  python3 -m pip install -q pyarrow duckdb pyspark
fi
