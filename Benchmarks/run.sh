#!/usr/bin/env bash
# rawtool benchmarks: wall time (best of N) and peak RSS vs tcpdump / tshark / dpkt.
# See Benchmarks/README.md. Usage: Benchmarks/run.sh [options]   (--help for the list)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
cd "$ROOT"

DEFAULT_RAWTOOL=".build/release/rawtool"
RAWTOOL="${RAWTOOL:-$DEFAULT_RAWTOOL}"
RUNS="${RUNS:-3}"
PCAP=""
OUT_DIR="$SCRIPT_DIR/out"
PREFIX_COUNT=20000
BUILD=1
DO_DPKT=1
TSHARK_FULL=0
STRICT=0
FILTER='tcp port 80'
# speed-print: the packet count of the second file the peak memory is compared on.
MEM_PREFIX_COUNT=100000

usage() {
  cat <<EOF
Usage: Benchmarks/run.sh [options]
  --rawtool CMD     rawtool binary (default: $DEFAULT_RAWTOOL, built with
                    'swift build -c release' if missing). May be a command with
                    arguments (split on whitespace), e.g. a wrapper script.
  --no-build        never run 'swift build'; fail if the binary is missing
  --runs N          runs per command; the median wall time is reported, the best
                    beside it (default 3)
  --pcap FILE       input capture (default: Benchmarks/out/mixed-1m.pcap,
                    generated with make-mixed-pcap.py if missing)
  --prefix N        packets in the prefix file used for tshark (default 20000)
  --mem-prefix N    packets in the prefix file whose peak memory (read, stats) is
                    compared with the full file's (default 100000)
  --out DIR         results directory (default: Benchmarks/out)
  --no-dpkt         skip the python/dpkt reference point (D)
  --tshark-full     also time 'tshark -T json' on the full file (slow: minutes)
  --strict          exit 1 if any target does not hold
Exit status: 0 ok, 1 target missed (only with --strict), 3 filter count mismatch
or a benchmarked command failed, 2 usage / setup error.
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rawtool) RAWTOOL="$2"; shift 2 ;;
    --rawtool=*) RAWTOOL="${1#*=}"; shift ;;
    --no-build) BUILD=0; shift ;;
    --runs) RUNS="$2"; shift 2 ;;
    --runs=*) RUNS="${1#*=}"; shift ;;
    --pcap) PCAP="$2"; shift 2 ;;
    --pcap=*) PCAP="${1#*=}"; shift ;;
    --prefix) PREFIX_COUNT="$2"; shift 2 ;;
    --mem-prefix) MEM_PREFIX_COUNT="$2"; shift 2 ;;
    --out) OUT_DIR="$2"; shift 2 ;;
    --no-dpkt) DO_DPKT=0; shift ;;
    --tshark-full) TSHARK_FULL=1; shift ;;
    --strict) STRICT=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs must be a positive integer" >&2; exit 2; }
[[ "$PREFIX_COUNT" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --prefix must be a positive integer" >&2; exit 2; }
[[ "$MEM_PREFIX_COUNT" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --mem-prefix must be a positive integer" >&2; exit 2; }

log() { printf '[run.sh] %s\n' "$*" >&2; }
die() { printf '[run.sh] ERROR: %s\n' "$*" >&2; exit 2; }

mkdir -p "$OUT_DIR"
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/rawtool-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
STDERR_LOG="$OUT_DIR/run-stderr.log"
: > "$STDERR_LOG"

# ---------------------------------------------------------------- tools
if [[ ! -x /usr/bin/time ]]; then
  log "/usr/bin/time missing, installing package 'time'"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y time >&2 || { apt-get update >&2 && apt-get install -y time >&2; }
  else sudo apt-get install -y time >&2; fi
fi
for t in tcpdump tshark editcap capinfos python3; do
  command -v "$t" >/dev/null || die "'$t' not found in PATH"
done

# ---------------------------------------------------------------- rawtool
read -r -a RAWTOOL_CMD <<< "$RAWTOOL"
[[ ${#RAWTOOL_CMD[@]} -gt 0 ]] || die "--rawtool is empty"
if [[ ! -x "${RAWTOOL_CMD[0]}" ]] && ! command -v "${RAWTOOL_CMD[0]}" >/dev/null; then
  if [[ "$BUILD" -eq 1 && "$RAWTOOL" == "$DEFAULT_RAWTOOL" ]]; then
    log "building rawtool: swift build -c release --product rawtool"
    swift build -c release --product rawtool >&2
  fi
  [[ -x "${RAWTOOL_CMD[0]}" ]] || command -v "${RAWTOOL_CMD[0]}" >/dev/null \
    || die "rawtool not found: ${RAWTOOL_CMD[0]} (build it, or pass --rawtool)"
fi

# ---------------------------------------------------------------- inputs
GEN_SECONDS=null
if [[ -z "$PCAP" ]]; then
  PCAP="$OUT_DIR/mixed-1m.pcap"
  if [[ ! -s "$PCAP" ]]; then
    log "generating $PCAP (make-mixed-pcap.py)"
    t0=$(date +%s%N)
    python3 "$SCRIPT_DIR/make-mixed-pcap.py" "$PCAP" >&2
    GEN_SECONDS=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN{printf "%.3f", (b-a)/1e9}')
  fi
fi
[[ -s "$PCAP" ]] || die "capture not found: $PCAP"
PCAP="$(cd "$(dirname "$PCAP")" && pwd)/$(basename "$PCAP")"

count_packets() {  # classic pcap or pcapng; prints a number
  capinfos -c -M "$1" 2>/dev/null | awk -F: '/Number of packets/ {gsub(/ /,"",$2); print $2}'
}
PKTS=$(count_packets "$PCAP")
[[ "$PKTS" =~ ^[0-9]+$ ]] || die "could not count packets in $PCAP"
PREFIX="$OUT_DIR/$(basename "${PCAP%.*}")-first${PREFIX_COUNT}.pcap"
if [[ ! -s "$PREFIX" || "$PREFIX" -ot "$PCAP" ]]; then
  log "writing prefix file $PREFIX (editcap -r 1-$PREFIX_COUNT)"
  editcap -F pcap -r "$PCAP" "$PREFIX" "1-$PREFIX_COUNT" 2>>"$STDERR_LOG"
fi
PREFIX_PKTS=$(count_packets "$PREFIX")
log "capture: $PCAP ($PKTS packets); prefix: $PREFIX ($PREFIX_PKTS packets)"
# speed-print: the memory prefix (peak RSS of read and stats at two file lengths)
MEM_PREFIX="$OUT_DIR/$(basename "${PCAP%.*}")-first${MEM_PREFIX_COUNT}.pcap"
if [[ ! -s "$MEM_PREFIX" || "$MEM_PREFIX" -ot "$PCAP" ]]; then
  log "writing memory prefix file $MEM_PREFIX (editcap -r 1-$MEM_PREFIX_COUNT)"
  editcap -F pcap -r "$PCAP" "$MEM_PREFIX" "1-$MEM_PREFIX_COUNT" 2>>"$STDERR_LOG"
fi
MEM_PREFIX_PKTS=$(count_packets "$MEM_PREFIX")

# the machine should be idle: timings taken under load are not comparable
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN{exit !(l > 0.5 * n)}'; then
  log "WARNING: load average is $LOAD_START on $(nproc) CPUs; timings will be noisy"
fi

# warm the page cache so the first measured run is not an I/O outlier
cat "$PCAP" "$PREFIX" "$MEM_PREFIX" > /dev/null

# ---------------------------------------------------------------- measuring
RESULTS_TSV="$WORK/results.tsv"
: > "$RESULTS_TSV"
FAILED=0

# Commands are registered, then run as a group with their runs interleaved
# (run 1 of every command in the group, then run 2, ...), so that drift on a
# noisy machine hits rawtool and its peer alike.
declare -A TOOL PK CMDQ SHOWN BEST RSS STATUS TIMES CPUS
IDS=()

# register ID TOOL PACKETS -- CMD...   (stdout of CMD -> /dev/null, stderr -> log)
register() {
  local id="$1"; TOOL[$id]="$2"; PK[$id]="$3"; shift 4
  CMDQ[$id]="$(printf '%q ' "$@")"
  SHOWN[$id]="$* > /dev/null"
  BEST[$id]=""; RSS[$id]=0; STATUS[$id]=ok; TIMES[$id]=""; CPUS[$id]=""
  IDS+=("$id")
}

run_once() {  # run_once ID RUN_NUMBER
  local id="$1" t0 t1 secs r
  eval "set -- ${CMDQ[$id]}"
  echo "== $id run $2: ${SHOWN[$id]}" >> "$STDERR_LOG"
  : > "$WORK/rss"
  t0=$(date +%s%N)
  # peak RSS in KiB, then user and system CPU seconds (speed-print: CPU time is compared
  # too, as it is less disturbed than wall time on a busy machine)
  if ! /usr/bin/time -f '%M %U %S' -o "$WORK/rss" "$@" > /dev/null 2>>"$STDERR_LOG"; then
    STATUS[$id]=failed
  fi
  t1=$(date +%s%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.6f", (b-a)/1e9}')
  r=$(grep -Eo '^[0-9]+ [0-9.]+ [0-9.]+$' "$WORK/rss" | tail -n1 | cut -d' ' -f1 || true)
  CPUS[$id]+="$(grep -Eo '^[0-9]+ [0-9.]+ [0-9.]+$' "$WORK/rss" | tail -n1 | awk '{printf "%.2f", $2 + $3}') "
  if [[ -n "$r" && "$r" -gt "${RSS[$id]}" ]]; then RSS[$id]="$r"; fi
  TIMES[$id]+="$secs "
  if [[ -z "${BEST[$id]}" ]] || awk -v a="$secs" -v b="${BEST[$id]}" 'BEGIN{exit !(a<b)}'; then
    BEST[$id]="$secs"
  fi
}

run_group() {  # run_group ID... : RUNS interleaved rounds
  local i id
  for id in "$@"; do log "$id: ${SHOWN[$id]}  (x$RUNS)"; done
  for ((i = 1; i <= RUNS; i++)); do
    for id in "$@"; do run_once "$id" "$i"; done
  done
  for id in "$@"; do
    if [[ "${STATUS[$id]}" != ok ]]; then
      log "!!! $id FAILED (non-zero exit); see $STDERR_LOG"
      FAILED=1
    fi
  done
}

R=("${RAWTOOL_CMD[@]}")

# A. one-line text output
register A.rawtool rawtool "$PKTS" -- "${R[@]}" read "$PCAP"
register A.tcpdump tcpdump "$PKTS" -- env TZ=UTC tcpdump -nr "$PCAP"
run_group A.rawtool A.tcpdump

# B. JSON output (tshark only on the prefix; compared in packets/s)
register B.rawtool.prefix rawtool "$PREFIX_PKTS" -- "${R[@]}" read --json "$PREFIX"
register B.tshark.prefix tshark "$PREFIX_PKTS" -- tshark -T json -r "$PREFIX"
register B.rawtool.full rawtool "$PKTS" -- "${R[@]}" read --json "$PCAP"
run_group B.rawtool.prefix B.tshark.prefix B.rawtool.full
if [[ "$TSHARK_FULL" -eq 1 ]]; then
  register B.tshark.full tshark "$PKTS" -- tshark -T json -r "$PCAP"
  run_group B.tshark.full
fi

# C. filter + write, then compare packet counts of both outputs
C_RAW="$WORK/filter-rawtool.pcap"
C_TCP="$WORK/filter-tcpdump.pcap"
register C.rawtool rawtool "$PKTS" -- "${R[@]}" read "$PCAP" -w "$C_RAW" "$FILTER"
register C.tcpdump tcpdump "$PKTS" -- tcpdump -r "$PCAP" -w "$C_TCP" "$FILTER"
run_group C.rawtool C.tcpdump
count_out() { if [[ -s "$1" ]]; then tcpdump -nn -r "$1" 2>/dev/null | wc -l; else echo -1; fi; }
C_RAW_N=$(count_out "$C_RAW")
C_TCP_N=$(count_out "$C_TCP")
C_EXPECTED=null
META="$PCAP.meta.json"
if [[ -s "$META" ]]; then
  C_EXPECTED=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("expected_tcp_port_80","null"))' "$META")
fi

# E. (speed-print) stats against capinfos on the same file
register E.rawtool rawtool "$PKTS" -- "${R[@]}" stats "$PCAP"
register E.capinfos capinfos "$PKTS" -- capinfos "$PCAP"
run_group E.rawtool E.capinfos

# D. python dpkt reference (parse eth/ip/tcp|udp of every packet)
if [[ "$DO_DPKT" -eq 1 ]]; then
  if python3 -c 'import dpkt' 2>/dev/null; then
    register D.dpkt dpkt "$PKTS" -- python3 "$SCRIPT_DIR/dpkt-parse.py" "$PCAP"
    run_group D.dpkt
  else
    log "python module dpkt not installed; skipping D"
  fi
fi

# M. memory flat: rawtool read on the prefix (the 1M value comes from A.rawtool)
register M.rawtool.prefix rawtool "$PREFIX_PKTS" -- "${R[@]}" read "$PREFIX"
run_group M.rawtool.prefix
# speed-print: peak memory of read and stats on the memory prefix (the 1M values come from
# A.rawtool and E.rawtool), and the conversations each file holds (stats' memory grows
# with them, not with packets)
register M.read.memprefix rawtool "$MEM_PREFIX_PKTS" -- "${R[@]}" read "$MEM_PREFIX"
register M.stats.memprefix rawtool "$MEM_PREFIX_PKTS" -- "${R[@]}" stats "$MEM_PREFIX"
run_group M.read.memprefix M.stats.memprefix
count_conversations() {  # sum of the IP, TCP and UDP conversation totals stats prints
  "${R[@]}" stats --top 0 "$1" 2>/dev/null \
    | awk '/ conversations \(top [0-9]+ of [0-9]+ by bytes\)/ {n += $(NF-2)} END {print n + 0}'
}
CONV_FULL=$(count_conversations "$PCAP")
CONV_MEMPREFIX=$(count_conversations "$MEM_PREFIX")
# speed-print: memory per conversation, from two files of only distinct UDP conversations
# (100,000 and 400,000 packets; each packet its own conversation)
for n in 100000 400000; do
  f="$OUT_DIR/conversations-$n.pcap"
  [[ -s "$f" ]] || python3 "$SCRIPT_DIR/make-conversations-pcap.py" "$f" "$n"
done
register M.stats.conv100k rawtool 100000 -- "${R[@]}" stats "$OUT_DIR/conversations-100000.pcap"
register M.stats.conv400k rawtool 400000 -- "${R[@]}" stats "$OUT_DIR/conversations-400000.pcap"
run_group M.stats.conv100k M.stats.conv400k

for id in "${IDS[@]}"; do
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "${TOOL[$id]}" "${SHOWN[$id]}" "${BEST[$id]}" \
    "${PK[$id]}" "${RSS[$id]}" "${STATUS[$id]}" "${TIMES[$id]}" "${CPUS[$id]}" >> "$RESULTS_TSV"
done

# ---------------------------------------------------------------- environment
first_line() { "$@" 2>&1 | grep -v '^Running as user' | head -n1 || true; }
export BENCH_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
export BENCH_LOAD_START="$LOAD_START" BENCH_LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
export BENCH_NPROC="$(nproc)"
export BENCH_CPU="$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
export BENCH_KERNEL="$(uname -sr)"
export BENCH_TCPDUMP="$(tcpdump --version 2>&1 | head -n2 | paste -sd ';' -)"
export BENCH_TSHARK="$(first_line tshark --version)"
export BENCH_SWIFT="$(command -v swift >/dev/null && first_line swift --version || echo 'swift: not installed')"
export BENCH_PYTHON="$(python3 --version 2>&1)"
export BENCH_DPKT="$(python3 -c 'import dpkt; print(dpkt.__version__)' 2>/dev/null || echo none)"
export BENCH_RAWTOOL_VERSION="$(timeout 10 "${R[@]}" --version 2>&1 | head -n1 || true)"
export BENCH_GIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo '-dirty')"
export BENCH_RAWTOOL="$RAWTOOL" BENCH_RUNS="$RUNS" BENCH_PCAP="$PCAP" BENCH_PKTS="$PKTS"
export BENCH_PREFIX="$PREFIX" BENCH_PREFIX_PKTS="$PREFIX_PKTS" BENCH_GEN_SECONDS="$GEN_SECONDS"
export BENCH_FILTER="$FILTER" BENCH_C_RAW_N="$C_RAW_N" BENCH_C_TCP_N="$C_TCP_N" BENCH_C_EXPECTED="$C_EXPECTED"
export BENCH_META="$META" BENCH_STDERR_LOG="$STDERR_LOG" BENCH_STRICT="$STRICT" BENCH_FAILED="$FAILED"
export BENCH_CONV_FULL="$CONV_FULL" BENCH_CONV_MEMPREFIX="$CONV_MEMPREFIX" BENCH_MEM_PREFIX="$MEM_PREFIX"

# ---------------------------------------------------------------- report
set +e
# ---- C reference decoder (issue 14, its own block): PacketKit's decode loop against the C
# reference decoder on the same file, each from an mmap, CPU time: the two in turn, five runs
# each of the best of 3 rounds, the median of the pairs' ratios (decode-ratio.sh). Needs the
# benchmark package built (Benchmarks/check.sh does it); skipped with a note otherwise.
DECODE_RATE="$ROOT/Benchmarks/PacketKitBenchmarks/.build/release/decode-rate"
REFERENCE_LINE=""
if [[ -x "$DECODE_RATE" ]] && "$ROOT/Benchmarks/reference/build.sh" "$WORK/reference-decode" >/dev/null 2>&1; then
  if read -r ratio swift_ns c_ns ratio_low ratio_high < <(
    "$ROOT/Benchmarks/decode-ratio.sh" "$DECODE_RATE" "$WORK/reference-decode" "$PCAP" 2>/dev/null
  ); then
    REFERENCE_LINE="decode vs C reference: PacketKit $swift_ns ns/packet, C $c_ns ns/packet: ${ratio}x the C rate (median of 5 pairs, $ratio_low-$ratio_high; goal >= 0.7)"
  else
    REFERENCE_LINE="decode vs C reference: skipped ($PCAP is not a classic Ethernet pcap file)"
  fi
else
  REFERENCE_LINE="decode vs C reference: skipped (build Benchmarks/PacketKitBenchmarks first: Benchmarks/check.sh --quick)"
fi

python3 - "$RESULTS_TSV" "$OUT_DIR/results.json" <<'PY' || BENCH_RC=$?
import json, os, sys

E = os.environ
rows = {}
order = []
for line in open(sys.argv[1]):
    id_, tool, cmd, best, pk, rss, status, times, cpus = line.rstrip("\n").split("\t")
    best = float(best)
    pk = int(pk)
    # The median of the runs is the figure compared (the best is kept beside it).
    runs = sorted(float(t) for t in times.split())
    mid = len(runs) // 2
    median = runs[mid] if len(runs) % 2 else (runs[mid - 1] + runs[mid]) / 2
    cpu = sorted(float(t) for t in cpus.split())
    cpu_median = (cpu[len(cpu) // 2] if len(cpu) % 2 else (cpu[len(cpu) // 2 - 1] + cpu[len(cpu) // 2]) / 2) if cpu else None
    rows[id_] = dict(id=id_, tool=tool, command=cmd, seconds=round(median, 4),
                     median_seconds=round(median, 4), best_seconds=round(best, 4),
                     cpu_median_seconds=cpu_median,
                     run_seconds=[round(t, 4) for t in runs],
                     packets=pk, packets_per_second=round(pk / median, 1) if median > 0 else None,
                     peak_rss_mib=round(int(rss) / 1024.0, 1), status=status,
                     ratio=None, ratio_kind=None, target=None, target_holds=None)
    order.append(id_)

comparisons = []

def compare(sub, peer, kind, target, label):
    if sub not in rows or peer not in rows:
        return
    s, p = rows[sub], rows[peer]
    if kind == "time":       # speedup: peer seconds / subject seconds
        ratio = p["median_seconds"] / s["median_seconds"] if s["median_seconds"] else None
        desc = "speedup (peer s / rawtool s)"
    else:                    # throughput: subject pkt/s / peer pkt/s
        ratio = s["packets_per_second"] / p["packets_per_second"] if p["packets_per_second"] else None
        desc = "throughput ratio in packets/s (rawtool pkt/s / peer pkt/s)"
    failed = s["status"] != "ok" or p["status"] != "ok"
    if failed:
        ratio = None  # a failed command's time means nothing
    holds = ratio is not None and ratio >= target
    s.update(ratio=round(ratio, 2) if ratio else None, ratio_kind=desc, peer=peer,
             target=">= %gx" % target, target_holds=holds)
    cpu_ratio = None
    if kind == "time" and s["cpu_median_seconds"] and p["cpu_median_seconds"] and not failed:
        cpu_ratio = round(p["cpu_median_seconds"] / s["cpu_median_seconds"], 2)
    s["cpu_ratio"] = cpu_ratio
    comparisons.append(dict(name=label, subject=sub, peer=peer, ratio=s["ratio"], cpu_ratio=cpu_ratio,
                            ratio_kind=desc, target=">= %gx" % target, holds=holds,
                            failed=failed))

compare("A.rawtool", "A.tcpdump", "time", 3.0, "A one-line text vs tcpdump -nr")
compare("B.rawtool.prefix", "B.tshark.prefix", "pps", 100.0,
        "B JSON vs tshark -T json, same %s-packet prefix (packets/s)" % E["BENCH_PREFIX_PKTS"])
if "B.tshark.full" in rows:
    compare("B.rawtool.full", "B.tshark.full", "pps", 100.0, "B JSON vs tshark -T json, full file (packets/s)")
else:
    compare("B.rawtool.full", "B.tshark.prefix", "pps", 100.0,
            "B JSON: rawtool full file vs tshark on the prefix (packets/s)")
compare("C.rawtool", "C.tcpdump", "time", 1.2, "C filter+write vs tcpdump -w")
compare("E.rawtool", "E.capinfos", "time", 3.0, "E stats vs capinfos")
if "D.dpkt" in rows and "A.rawtool" in rows:
    d, a = rows["D.dpkt"], rows["A.rawtool"]
    d["ratio"] = round(a["packets_per_second"] / d["packets_per_second"], 2)
    d["ratio_kind"] = "reference: rawtool read pkt/s / dpkt pkt/s (no target)"
    d["peer"] = "A.rawtool"

# memory flat
mem = None
if "A.rawtool" in rows and "M.rawtool.prefix" in rows:
    small, big = rows["M.rawtool.prefix"]["peak_rss_mib"], rows["A.rawtool"]["peak_rss_mib"]
    flat = big <= 1.5 * small
    mem = dict(prefix_packets=rows["M.rawtool.prefix"]["packets"], prefix_peak_rss_mib=small,
               full_packets=rows["A.rawtool"]["packets"], full_peak_rss_mib=big,
               growth=round(big / small, 2) if small else None,
               criterion="full-file peak RSS <= 1.5x prefix peak RSS", holds=flat)
    comparisons.append(dict(name="memory flat (rawtool read)", subject="A.rawtool",
                            peer="M.rawtool.prefix", ratio=mem["growth"],
                            ratio_kind="peak RSS growth full/prefix", target="<= 1.5x", holds=flat))

# speed-print: peak memory of read and stats at two file lengths
memory = None
if all(k in rows for k in ("A.rawtool", "E.rawtool", "M.read.memprefix", "M.stats.memprefix")):
    conv_full, conv_small = int(E["BENCH_CONV_FULL"]), int(E["BENCH_CONV_MEMPREFIX"])
    def pair(small_id, big_id, extra):
        small, big = rows[small_id]["peak_rss_mib"], rows[big_id]["peak_rss_mib"]
        return dict(small_packets=rows[small_id]["packets"], small_peak_rss_mib=small,
                    full_packets=rows[big_id]["packets"], full_peak_rss_mib=big,
                    growth=round(big / small, 2) if small else None, **extra)
    per_conv = None
    if conv_full - conv_small >= 10000:  # else the RSS noise swamps the conversations' share
        per_conv = round((rows["E.rawtool"]["peak_rss_mib"] - rows["M.stats.memprefix"]["peak_rss_mib"])
                         * 1048576 / (conv_full - conv_small), 1)
    memory = dict(read=pair("M.read.memprefix", "A.rawtool", {}),
                  stats=pair("M.stats.memprefix", "E.rawtool",
                             dict(small_conversations=conv_small, full_conversations=conv_full,
                                  bytes_per_added_conversation=per_conv)))
    memory["read"]["holds"] = memory["read"]["growth"] is not None and memory["read"]["growth"] <= 1.5
    if "M.stats.conv100k" in rows and "M.stats.conv400k" in rows:
        # Each packet of these files is a UDP conversation of its own (and 254 IP ones).
        small, big = rows["M.stats.conv100k"], rows["M.stats.conv400k"]
        per = (big["peak_rss_mib"] - small["peak_rss_mib"]) * 1048576 / (big["packets"] - small["packets"])
        memory["per_conversation"] = dict(
            conversations=[small["packets"], big["packets"]],
            peak_rss_mib=[small["peak_rss_mib"], big["peak_rss_mib"]],
            bytes_per_conversation=round(per, 1), target="<= 200 bytes", holds=per <= 200)
        comparisons.append(dict(name="stats memory per conversation (bytes of RSS)",
                                subject="M.stats.conv400k", peer="M.stats.conv100k",
                                ratio=round(per, 1), ratio_kind="bytes of peak RSS per added conversation",
                                target="<= 200", holds=per <= 200))
    comparisons.append(dict(name="memory flat, read %d vs %d packets" % (memory["read"]["small_packets"],
                            memory["read"]["full_packets"]), subject="A.rawtool",
                            peer="M.read.memprefix", ratio=memory["read"]["growth"],
                            ratio_kind="peak RSS growth full/prefix", target="<= 1.5x",
                            holds=memory["read"]["holds"]))

def num(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None

c_raw, c_tcp, c_exp = num(E["BENCH_C_RAW_N"]), num(E["BENCH_C_TCP_N"]), num(E["BENCH_C_EXPECTED"])
count_ok = c_raw is not None and c_raw == c_tcp and c_raw >= 0
count = dict(filter=E["BENCH_FILTER"], rawtool_packets=c_raw, tcpdump_packets=c_tcp,
             generator_expected=c_exp, match=count_ok)

meta = None
if os.path.exists(E["BENCH_META"]):
    meta = json.load(open(E["BENCH_META"]))

env = dict(date=E["BENCH_DATE"], nproc=int(E["BENCH_NPROC"]), cpu=E["BENCH_CPU"],
           kernel=E["BENCH_KERNEL"], git=E["BENCH_GIT"], runs=int(E["BENCH_RUNS"]),
           loadavg_start=E["BENCH_LOAD_START"], loadavg_end=E["BENCH_LOAD_END"],
           versions=dict(tcpdump=E["BENCH_TCPDUMP"], tshark=E["BENCH_TSHARK"],
                         swift=E["BENCH_SWIFT"], python=E["BENCH_PYTHON"], dpkt=E["BENCH_DPKT"],
                         rawtool=E["BENCH_RAWTOOL_VERSION"]),
           rawtool_command=E["BENCH_RAWTOOL"])
gen = E["BENCH_GEN_SECONDS"]
doc = dict(environment=env,
           input=dict(pcap=E["BENCH_PCAP"], packets=int(E["BENCH_PKTS"]),
                      bytes=os.path.getsize(E["BENCH_PCAP"]),
                      sha256=(meta or {}).get("sha256"),
                      prefix=E["BENCH_PREFIX"], prefix_packets=int(E["BENCH_PREFIX_PKTS"]),
                      generation_seconds=None if gen == "null" else float(gen)),
           results=[rows[i] for i in order], comparisons=comparisons,
           memory_flat=mem, memory=memory, filter_count_check=count,
           notes=["seconds = median wall time over %s runs (date +%%s%%N around /usr/bin/time); best_seconds = minimum" % E["BENCH_RUNS"],
                  "peak_rss_mib = max over runs of /usr/bin/time -f %M (KiB/1024)",
                  "B ratios are throughput ratios in packets/s; tshark runs on the prefix file only unless --tshark-full"])
with open(sys.argv[2], "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")

# ---- table
print()
print("rawtool benchmarks  %s  nproc=%s  cpu=%s  git=%s" % (env["date"], env["nproc"], env["cpu"], env["git"]))
for k, v in env["versions"].items():
    print("  %-8s %s" % (k, v))
print("  input    %s (%s packets, %s bytes)%s" % (doc["input"]["pcap"], doc["input"]["packets"],
      doc["input"]["bytes"], "" if gen == "null" else "; generated in %s s" % gen))
print("  prefix   %s (%s packets)" % (doc["input"]["prefix"], doc["input"]["prefix_packets"]))
print("  median of %s runs (interleaved); stderr of all commands in %s" % (env["runs"], E["BENCH_STDERR_LOG"]))
print("  load average (1/5/15 min): start %s, end %s" % (env["loadavg_start"], env["loadavg_end"]))
busy = max(float(env["loadavg_start"].split()[0]), float(env["loadavg_end"].split()[0]))
if busy > 0.5 * env["nproc"]:
    print("  WARNING: the machine was busy (load %.2f on %d CPUs): timings are not reliable" % (busy, env["nproc"]))
print()
hdr = ("id", "tool", "median s", "best s", "CPU s", "packets/s", "peak RSS MiB", "ratio", "target", "holds", "command")
table = []
for i in order:
    r = rows[i]
    ratio = "" if r["ratio"] is None else "%.2fx%s" % (r["ratio"], " (pkt/s)" if r["ratio_kind"] and "packets/s" in r["ratio_kind"] else "")
    holds = "" if r["target_holds"] is None else ("yes" if r["target_holds"] else "NO")
    if r["status"] != "ok":
        holds = "FAILED"
    table.append((i, r["tool"], "%.3f" % r["median_seconds"], "%.3f" % r["best_seconds"],
                  "-" if r["cpu_median_seconds"] is None else "%.2f" % r["cpu_median_seconds"],
                  "%.0f" % (r["packets_per_second"] or 0),
                  "%.1f" % r["peak_rss_mib"], ratio, r["target"] or "", holds, r["command"]))
w = [max(len(str(x[c])) for x in table + [hdr]) for c in range(len(hdr) - 1)]
fmt = "  ".join("%%-%ds" % n for n in w) + "  %s"
print(fmt % hdr)
for t in table:
    print(fmt % t)
print()
print("ratios: A, C and E = speedup (peer median seconds / rawtool median seconds); B = ratio in PACKETS PER SECOND")
print("(rawtool pkt/s / tshark pkt/s); D = rawtool read pkt/s / dpkt pkt/s, informational.")
print()
for c in comparisons:
    shown = "-" if c["ratio"] is None else ("%.0f B" % c["ratio"] if "bytes" in c["ratio_kind"] else "%.2fx" % c["ratio"])
    print("  %-62s %8s  target %-7s %s%s" % (c["name"], shown,
          c["target"], "FAILED (command exited non-zero)" if c.get("failed")
          else "holds" if c["holds"] else "DOES NOT HOLD",
          "" if c.get("cpu_ratio") is None else "   (CPU time: %.2fx)" % c["cpu_ratio"]))
if mem:
    print()
    print("memory flat: rawtool read peak RSS %.1f MiB on %d packets vs %.1f MiB on %d packets (x%s) -> %s"
          % (mem["prefix_peak_rss_mib"], mem["prefix_packets"], mem["full_peak_rss_mib"],
             mem["full_packets"], mem["growth"], "flat" if mem["holds"] else "NOT FLAT"))
if memory:
    print()
    print("peak memory (max RSS over the runs):")
    for name in ("read", "stats"):
        m = memory[name]
        extra = ""
        if name == "stats":
            extra = "; conversations %d -> %d" % (m["small_conversations"], m["full_conversations"])
            if m["bytes_per_added_conversation"] is not None:
                extra += ", %.0f bytes of RSS per added conversation" % m["bytes_per_added_conversation"]
        print("  %-6s %8d packets %7.1f MiB   %8d packets %7.1f MiB   (x%s)%s"
              % (name, m["small_packets"], m["small_peak_rss_mib"], m["full_packets"],
                 m["full_peak_rss_mib"], m["growth"], extra))
    if "per_conversation" in memory:
        m = memory["per_conversation"]
        print("  stats on %d vs %d distinct conversations: %.1f vs %.1f MiB -> %.0f bytes per conversation (target <= 200)"
              % (m["conversations"][0], m["conversations"][1], m["peak_rss_mib"][0],
                 m["peak_rss_mib"][1], m["bytes_per_conversation"]))
print()
print("filter %r: rawtool wrote %s packets, tcpdump wrote %s packets (generator expects %s)"
      % (count["filter"], c_raw, c_tcp, c_exp))
if not count_ok:
    bar = "!" * 78
    print(bar)
    print("!!! MISMATCH: 'rawtool read -w' and 'tcpdump -w' disagree on %r: %s vs %s packets"
          % (count["filter"], c_raw, c_tcp))
    print(bar)
elif c_exp is not None and c_raw != c_exp:
    print("!!! note: both tools agree but differ from the generator's expectation (%s)" % c_exp)
failed_ids = [i for i in order if rows[i]["status"] != "ok"]
if failed_ids:
    print("!!! commands that exited non-zero (see %s): %s" % (E["BENCH_STDERR_LOG"], ", ".join(failed_ids)))
print()
print("results written to %s" % sys.argv[2])

rc = 0
if E["BENCH_STRICT"] == "1" and not all(c["holds"] for c in comparisons):
    rc = 1
if not count_ok or E["BENCH_FAILED"] == "1":
    rc = 3
sys.exit(rc)
PY
echo "$REFERENCE_LINE"
exit "${BENCH_RC:-0}"
