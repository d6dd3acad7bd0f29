#!/usr/bin/env bash
# Replay benchmark on a veth pair between two network namespaces (nothing leaves them):
# `rawtool replay` against `tcpreplay`, the same files, the same run.
#  1. top speed: the 1M mixed capture (Benchmarks/make-mixed-pcap.py) and 1M frames of
#     60 bytes: `rawtool replay --topspeed` (streamed, and --preload) vs
#     `tcpreplay -K --topspeed`; the rate each tool reports (best of --runs), and the frames
#     B received.
#  2. fixed rates: --pps 10000 and --pps 100000 on the 60-byte frames, captured on B by
#     tcpdump with nanosecond timestamps: achieved rate, error against the asked rate,
#     p50/p99 inter-packet error (|gap - 1/rate|).
#  3. drift: a long run (default 600 s) of `rawtool replay --pps 100000` on the mixed file
#     (looped, streamed); B's rx counter sampled every second: the rate of the first and
#     of the last minute.
# Prints a table and writes Benchmarks/out/replay.json (replay-JOB.json with --only JOB). Needs root, iproute2, tcpdump,
# tcpreplay (apt), python3.
#
# Usage: Benchmarks/replay.sh [--rawtool PATH] [--only topspeed|rates|drift]
#                             [--drift-seconds N] [--rate-seconds N] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."

RAWTOOL=${RAWTOOL:-.build/release/rawtool}
ONLY=${ONLY:-all}
DRIFT_SECONDS=${DRIFT_SECONDS:-600}
RATE_SECONDS=${RATE_SECONDS:-5}   # seconds of each fixed-rate job
LIMIT=${LIMIT:-120}               # seconds: every job but the drift run is bounded by this
RUNS=${RUNS:-3}                   # top-speed jobs: best of this many runs
while [ $# -gt 0 ]; do
  case "$1" in
    --rawtool) RAWTOOL=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --drift-seconds) DRIFT_SECONDS=$2; shift 2 ;;
    --rate-seconds) RATE_SECONDS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "replay.sh: needs root (network namespaces)" >&2; exit 1; }
missing=()
for pair in ip:iproute2 tcpdump:tcpdump tcpreplay:tcpreplay python3:python3; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "replay.sh: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
[ -x "$RAWTOOL" ] || swift build -c release --product rawtool
RAWTOOL=$(realpath "$RAWTOOL")
MIXED=Benchmarks/out/mixed-1m.pcap
[ -f $MIXED ] || python3 Benchmarks/make-mixed-pcap.py $MIXED >/dev/null
MIXED=$(realpath $MIXED)

A=rt-replaybench-$$-a; B=rt-replaybench-$$-b
source Benchmarks/namespaces.sh
bench_namespaces $A $B
bench_veth_pair $A $B
for ns in $A $B; do ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1; done
MAC_A=$(ip netns exec $A cat /sys/class/net/vA/address)
MAC_B=$(ip netns exec $B cat /sys/class/net/vB/address)

# 1000 distinct 60-byte UDP frames (ports vary) to a port nobody listens on.
python3 - "$MAC_A" "$MAC_B" "$WORK/frames60.pcap" <<'PY'
import struct, sys
src, dst, out = bytes.fromhex(sys.argv[1].replace(":", "")), bytes.fromhex(sys.argv[2].replace(":", "")), sys.argv[3]
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for n in range(1000):
        payload = b"0123456789abcdefgh"
        udp = struct.pack("!HHHH", 4000 + n, 9, 8 + len(payload), 0) + payload
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n, 0, 64, 17, 0, bytes([192,0,2,1]), bytes([192,0,2,2]))
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, len(udp))
        udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xffff) + udp[8:]
        frame = dst + src + b"\x08\x00" + ip + udp
        assert len(frame) == 60, len(frame)
        f.write(struct.pack("<IIII", n // 1000, (n % 1000) * 1000, 60, 60) + frame)
PY
FRAMES60=$WORK/frames60.pcap

now() { date +%s%N; }
rx() { ip netns exec $B cat /sys/class/net/vB/statistics/rx_packets; }
declare -A RESULT   # name -> json object

# --- 1. top speed ---------------------------------------------------------------------------
topspeed() { # name, expected frames, command...: best of $RUNS runs (by the rate reported)
  local name=$1 expected=$2; shift 2
  local best="" run
  for run in $(seq "$RUNS"); do
    local before after start end reported
    before=$(rx); start=$(now)
    timeout $LIMIT ip netns exec $A "$@" >"$WORK/$name.out" 2>&1 || echo "  ($name exited $?)" >&2
    end=$(now); sleep 0.3; after=$(rx)
    reported=$(python3 - "$WORK/$name.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"Rated: [\d.]+ Bps, [\d.]+ Mbps, ([\d.]+) pps", text) or re.search(r"([\d.]+) pps", text)
print(m.group(1) if m else "null")
PY
)
    local result
    result=$(python3 -c "import json; print(json.dumps({'reported_pps': $reported, 'wall_pps': round($expected/(($end-$start)/1e9)), 'wall_seconds': round(($end-$start)/1e9, 3), 'received': $((after - before)), 'expected': $expected}))")
    echo "  $name run $run: $result" >&2
    best=$(python3 -c "
import json, sys
a, b = sys.argv[1], sys.argv[2]
print(b if not a or (json.loads(b)['reported_pps'] or 0) > (json.loads(a)['reported_pps'] or 0) else a)" "$best" "$result")
  done
  RESULT[$name]=$best
}
if [ "$ONLY" = all ] || [ "$ONLY" = topspeed ]; then
  echo "top speed: 1M mixed frames, 1M 60-byte frames on vA ($A) -> vB ($B)" >&2
  cat "$MIXED" >/dev/null   # into the page cache for everyone
  topspeed mixed-rawtool 1000000 "$RAWTOOL" replay -i vA --topspeed "$MIXED"
  topspeed mixed-rawtool-preload 1000000 "$RAWTOOL" replay -i vA --topspeed --preload "$MIXED"
  topspeed mixed-tcpreplay 1000000 tcpreplay -i vA -K --topspeed "$MIXED"
  topspeed small-rawtool 1000000 "$RAWTOOL" replay -i vA --topspeed --loop 1000 "$FRAMES60"
  topspeed small-rawtool-preload 1000000 "$RAWTOOL" replay -i vA --topspeed --preload --loop 1000 "$FRAMES60"
  topspeed small-tcpreplay 1000000 tcpreplay -i vA -K --topspeed --loop 1000 "$FRAMES60"
fi

# --- 2. fixed rates, measured on B --------------------------------------------------------
rate_job() { # name, pps, command...
  local name=$1 pps=$2; shift 2
  local cap="$WORK/$name.pcap" log="$WORK/$name.tcpdump"
  ip netns exec $B tcpdump -i vB -n -s 96 -B 262144 --time-stamp-precision=nano -w "$cap" udp 2>"$log" &
  local pid=$!; PIDS+=($pid)
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.05; done
  timeout $LIMIT ip netns exec $A "$@" >"$WORK/$name.out" 2>&1 || echo "  ($name exited $?)" >&2
  sleep 0.5
  kill -INT $pid; timeout 20 tail --pid=$pid -f /dev/null || kill -KILL $pid
  wait $pid 2>/dev/null || true
  RESULT[$name]=$(python3 - "$cap" "$pps" "$log" <<'PY'
import json, re, struct, sys
path, pps = sys.argv[1], float(sys.argv[2])
data = open(path, "rb").read()
magic = struct.unpack("<I", data[:4])[0]
scale = 1 if magic == 0xa1b23c4d else 1000
times, off = [], 24
while off + 16 <= len(data):
    sec, frac, incl, _ = struct.unpack("<IIII", data[off:off + 16])
    times.append(sec * 1_000_000_000 + frac * scale)
    off += 16 + incl
drops = re.search(r"(\d+) packets? dropped by kernel", open(sys.argv[3]).read())
n = len(times)
gap = 1e9 / pps
errors = sorted(abs((b - a) - gap) / 1e3 for a, b in zip(times, times[1:]))
def pct(q): return round(errors[min(len(errors) - 1, int(q * len(errors)))], 2) if errors else None
rate = (n - 1) * 1e9 / (times[-1] - times[0]) if n > 1 else 0
print(json.dumps({"asked_pps": pps, "received": n, "dropped_by_capture": int(drops.group(1)) if drops else None,
                  "achieved_pps": round(rate, 1), "rate_error_percent": round((rate - pps) / pps * 100, 4),
                  "gap_error_us_p50": pct(0.5), "gap_error_us_p99": pct(0.99), "gap_error_us_max": pct(1.0)}))
PY
)
  echo "  $name: ${RESULT[$name]}" >&2
}
if [ "$ONLY" = all ] || [ "$ONLY" = rates ]; then
  for pps in 10000 100000; do
    count=$((pps * RATE_SECONDS))
    echo "rate: --pps $pps, $count frames of 60 bytes, captured on vB" >&2
    rate_job pps$pps-rawtool $pps "$RAWTOOL" replay -i vA --pps $pps --loop $((count / 1000)) "$FRAMES60"
    rate_job pps$pps-tcpreplay $pps tcpreplay -i vA --pps=$pps --loop=$((count / 1000)) "$FRAMES60"
  done
fi

# --- 3. drift ---------------------------------------------------------------------------
if [ "$ONLY" = all ] || [ "$ONLY" = drift ]; then
  echo "drift: rawtool replay --pps 100000 for $DRIFT_SECONDS s on the mixed file (looped)" >&2
  ip netns exec $A "$RAWTOOL" replay -i vA --pps 100000 --loop 0 --duration "$DRIFT_SECONDS" \
    --stats-interval 60s "$MIXED" >"$WORK/drift.out" 2>&1 &
  DRIFT=$!; PIDS+=($DRIFT)
  RESULT[drift-rawtool]=$(python3 - "$B" "$DRIFT" "$DRIFT_SECONDS" <<'PY'
import json, os, subprocess, sys, time
ns, pid, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# /sys in B's namespace: read through a long-lived shell inside it.
shell = subprocess.Popen(["ip", "netns", "exec", ns, "sh", "-c",
                          "while read x; do cat /sys/class/net/vB/statistics/rx_packets; done"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
def sample():
    shell.stdin.write("\n"); shell.stdin.flush()
    count = int(shell.stdout.readline())
    return time.monotonic_ns(), count
samples = [sample()]
next_at = samples[0][0]
while True:
    next_at += 1_000_000_000
    time.sleep(max(0, (next_at - time.monotonic_ns()) / 1e9))
    samples.append(sample())
    if subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode != 0:
        break
    if len(samples) > seconds + 30:
        break
shell.stdin.close()
# The run starts at the first sample whose count moved, ends at the last one that moved.
base = samples[0][1]
moving = [i for i in range(1, len(samples)) if samples[i][1] != samples[i - 1][1]]
first, last = moving[0] - 1, moving[-1]
def rate(a, b): return (samples[b][1] - samples[a][1]) * 1e9 / (samples[b][0] - samples[a][0])
# Whole seconds inside the run only: skip the partial first and last second.
start, end = first + 1, last - 1
first_minute = rate(start, start + 60)
last_minute = rate(end - 60, end)
per_minute = [round(rate(s, s + 60), 1) for s in range(start, end - 59, 60)]
print(json.dumps({"seconds": round((samples[last][0] - samples[first][0]) / 1e9, 1),
                  "received": samples[last][1] - base,
                  "first_minute_pps": round(first_minute, 1), "last_minute_pps": round(last_minute, 1),
                  "drift_percent": round((last_minute - first_minute) / first_minute * 100, 4),
                  "per_minute_pps": per_minute}))
PY
)
  wait $DRIFT || echo "  (drift run exited $?)" >&2
  echo "  rawtool says: $(tail -1 "$WORK/drift.out")" >&2
  echo "  drift-rawtool: ${RESULT[drift-rawtool]}" >&2
fi

OUT=Benchmarks/out/replay.json
[ "$ONLY" = all ] || OUT=Benchmarks/out/replay-$ONLY.json
mkdir -p Benchmarks/out
python3 - > $OUT <<PY
import json
results = {
$(for name in "${!RESULT[@]}"; do echo "  \"$name\": ${RESULT[$name]},"; done)
}
print(json.dumps(results, indent=2, sort_keys=True))
PY
python3 - $OUT >&2 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
rows = [(k, v) for k, v in sorted(r.items())]
print("\n%-24s %12s %12s %10s" % ("top speed", "reported pps", "wall pps", "received"))
for k, v in rows:
    if "reported_pps" in v:
        print("%-24s %12s %12s %10s" % (k, v["reported_pps"], v["wall_pps"], v["received"]))
print("\n%-20s %12s %10s %10s %10s %10s" % ("rate", "achieved", "error %", "p50 µs", "p99 µs", "received"))
for k, v in rows:
    if "asked_pps" in v:
        print("%-20s %12s %10s %10s %10s %10s" % (k, v["achieved_pps"], v["rate_error_percent"], v["gap_error_us_p50"], v["gap_error_us_p99"], v["received"]))
for k, v in rows:
    if "drift_percent" in v:
        print("\n%s: %s s, first minute %s pps, last minute %s pps, drift %s %%" % (k, v["seconds"], v["first_minute_pps"], v["last_minute_pps"], v["drift_percent"]))
PY
echo "wrote $OUT" >&2
