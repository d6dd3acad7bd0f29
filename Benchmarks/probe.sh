#!/usr/bin/env bash
# Probe benchmark (issue "Talk to the network"), in three network namespaces made here
# (client — router — server, documentation addresses; nothing leaves them):
#  1. RTT accuracy: `rawtool probe --json` SYNs to an open port while tcpdump captures the
#     same packets with nanosecond timestamps on the client; the median |rawtool rtt −
#     tcpdump (reply − probe)| over the pairs.
#  2. 2,000 SYN probes at 2,000/s to an open port: answered and matched, rawtool vs scapy
#     sr() on the same job (same count, same pacing, random source ports).
#  3. Throughput: the highest --rate (of a ladder) at which every probe is answered.
# Prints a table and writes Benchmarks/out/probe.json. Needs root, iproute2, tcpdump,
# python3 with scapy (pip install scapy).
#
# Usage: Benchmarks/probe.sh [--rawtool PATH] [--count N]
set -euo pipefail
cd "$(dirname "$0")/.."

RAWTOOL=${RAWTOOL:-.build/release/rawtool}
COUNT=${COUNT:-2000}
while [ $# -gt 0 ]; do
  case "$1" in
    --rawtool) RAWTOOL=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "probe.sh: needs root (network namespaces)" >&2; exit 1; }
for pair in ip:iproute2 tcpdump:tcpdump python3:python3; do
  command -v "${pair%%:*}" >/dev/null || {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pair##*:}" >/dev/null; }
done
python3 -c 'import scapy' 2>/dev/null || pip install -q scapy
[ -x "$RAWTOOL" ] || swift build -c release --product rawtool
RAWTOOL=$(realpath "$RAWTOOL")

C=rt-probe-$$-c; R=rt-probe-$$-r; S=rt-probe-$$-s
source Benchmarks/namespaces.sh
bench_namespaces $C $R $S
ip link add vC netns $C type veth peer name vRC netns $R
ip link add vS netns $S type veth peer name vRS netns $R
ip -n $C addr add 192.0.2.2/24 dev vC
ip -n $R addr add 192.0.2.1/24 dev vRC
ip -n $R addr add 198.51.100.1/24 dev vRS
ip -n $S addr add 198.51.100.2/24 dev vS
for pair in $C:vC $R:vRC $R:vRS $S:vS; do ip -n "${pair%%:*}" link set "${pair##*:}" up; done
ip -n $C route add default via 192.0.2.1
ip -n $S route add default via 198.51.100.1
ip netns exec $R sysctl -qw net.ipv4.ip_forward=1
# An open port on the server, with a backlog and SYN cookies so no SYN goes unanswered.
ip netns exec $S sysctl -qw net.ipv4.tcp_syncookies=2
ip netns exec $S python3 -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.51.100.2", 80)); s.listen(4096); time.sleep(600)' &
PIDS+=($!)
# The client answers the server's SYN-ACKs with RSTs (no socket): keep them, as hping3 users do.
ip netns exec $C ping -c 1 -W 2 198.51.100.2 >/dev/null
sleep 0.5
DEST=198.51.100.2
SEED=7

echo "== 1. RTT: rawtool's kernel timestamps vs tcpdump's, same packets"
ip netns exec $C tcpdump -i vC -n -U --immediate-mode --time-stamp-precision=nano \
  -w "$WORK/rtt.pcap" 'tcp port 80' 2>"$WORK/tcpdump.err" &
PIDS+=($!)
for _ in $(seq 50); do grep -q "listening on" "$WORK/tcpdump.err" && break; sleep 0.1; done
ip netns exec $C "$RAWTOOL" probe --json --seed $SEED -c 500 --interval 2ms \
  "ipv4(dst=$DEST)/tcp(sport=random, dport=80, flags=S)" >"$WORK/rtt.ndjson" 2>"$WORK/rtt.err" || true
sleep 0.5
kill -INT "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
"$RAWTOOL" read --json --nano "$WORK/rtt.pcap" >"$WORK/rtt-tcpdump.ndjson"

echo "== 2. $COUNT SYN probes at 2,000/s: rawtool"
ip netns exec $C "$RAWTOOL" probe --json -c "$COUNT" --rate 2000 --timeout 2s \
  "ipv4(dst=$DEST)/tcp(sport=random, dport=80, flags=S)" >"$WORK/syn.ndjson" 2>"$WORK/syn.err" || true
cat "$WORK/syn.err"

echo "== 2. $COUNT SYN probes at 2,000/s: scapy sr()"
ip netns exec $C python3 - "$COUNT" "$DEST" >"$WORK/scapy.txt" 2>/dev/null <<'EOF'
import sys, time
from scapy.all import IP, TCP, RandShort, sr, conf
conf.verb = 0
count, dest = int(sys.argv[1]), sys.argv[2]
packets = [IP(dst=dest)/TCP(sport=int(RandShort()), dport=80, flags="S") for _ in range(count)]
start = time.time()
answered, unanswered = sr(packets, inter=1/2000, timeout=2)
print(len(answered), len(unanswered), round(time.time() - start, 2))
EOF
cat "$WORK/scapy.txt"

echo "== 3. the highest rate with no reply missed (rawtool), and scapy sr() at the same rates"
: >"$WORK/ladder.txt"
: >"$WORK/scapy-ladder.txt"
for rate in 5000 10000 20000 40000 80000 160000 320000; do
  n=$((rate / 2 > 2000 ? rate / 2 : 2000))
  start=$(date +%s.%N)
  ip netns exec $C "$RAWTOOL" probe -c $n --rate $rate --timeout 1s \
    "ipv4(dst=$DEST)/tcp(sport=random, dport=80, flags=S)" >/dev/null 2>"$WORK/rate.err" || true
  end=$(date +%s.%N)
  echo "$rate $(python3 -c "print(round($end - $start, 3))") $(tail -1 "$WORK/rate.err")" | tee -a "$WORK/ladder.txt"
  if [ $rate -le 20000 ]; then
    ip netns exec $C python3 - "$n" "$DEST" "$rate" >>"$WORK/scapy-ladder.txt" 2>/dev/null <<'EOF2'
import sys, time
from scapy.all import IP, TCP, sr, conf
conf.verb = 0
count, dest, rate = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
packets = [IP(dst=dest)/TCP(sport=1024 + i % 60000, dport=80, flags="S") for i in range(count)]
start = time.time()
answered, unanswered = sr(packets, inter=1/rate, timeout=1)
print(rate, count, len(answered), round(time.time() - start - 1, 3))
EOF2
    tail -1 "$WORK/scapy-ladder.txt"
  fi
done

mkdir -p Benchmarks/out
python3 - "$WORK" <<'EOF'
import json, re, statistics, sys
work = sys.argv[1]
# 1. Pair rawtool's probes with tcpdump's capture by source port.
def t(frame): return int(frame["time"].replace(".", ""))
sent, replies = {}, {}
for line in open(f"{work}/rtt-tcpdump.ndjson"):
    p = json.loads(line)
    tcp = p.get("tcp")
    if not tcp: continue
    if tcp["flags"] == 0x002: sent[tcp["src_port"]] = t(p["frame"])
    elif tcp["flags"] & 0x012 == 0x012: replies.setdefault(tcp["dst_port"], t(p["frame"]))
diffs = []
signed = []
for line in open(f"{work}/rtt.ndjson"):
    o = json.loads(line)
    if o["rtt_ns"] is None: continue
    port = o["sent"]["tcp"]["src_port"]
    if port in sent and port in replies:
        signed.append(o["rtt_ns"] - (replies[port] - sent[port]))
        diffs.append(abs(signed[-1]))
median = statistics.median(diffs) if diffs else None
rtts = [json.loads(l)["rtt_ns"] for l in open(f"{work}/rtt.ndjson")]
answered = [r for r in rtts if r is not None]
# 2.
syn = [json.loads(l) for l in open(f"{work}/syn.ndjson")]
ours = sum(1 for o in syn if o["reply"] is not None)
matched_ok = sum(1 for o in syn if o["reply"] and o["reply"]["tcp"]["ack"] == (o["sent"]["tcp"]["seq"] + 1) % 2**32)
scapy = open(f"{work}/scapy.txt").read().split()
ladder = []
for line in open(f"{work}/ladder.txt"):
    rate, seconds, rest = line.split(" ", 2)
    m = re.match(r"(\d+) probes, (\d+) answered", rest)
    if m: ladder.append((int(rate), int(m.group(1)), int(m.group(2)), round(int(m.group(1)) / max(float(seconds), 1e-3))))
best = max([r for r, n, a, _ in ladder if n == a and n > 0], default=None)
scapy_ladder = [tuple(float(x) for x in line.split()) for line in open(f"{work}/scapy-ladder.txt") if line.strip()]
result = {
    "rtt_pairs": len(diffs), "rtt_median_abs_diff_ns": median,
    "rtt_median_signed_diff_ns": statistics.median(signed) if signed else None,
    "rtt_median_ns": statistics.median(answered) if answered else None,
    "syn_probes": len(syn), "syn_answered": ours, "syn_matched_ack_seq_plus_1": matched_ok,
    "scapy_answered": int(scapy[0]) if scapy else None,
    "scapy_unanswered": int(scapy[1]) if scapy else None,
    "rate_ladder": ladder, "highest_rate_all_answered": best, "scapy_ladder": scapy_ladder,
}
json.dump(result, open("Benchmarks/out/probe.json", "w"), indent=1)
print(f"RTT: {len(diffs)} pairs, median |rawtool - tcpdump| = {median} ns,"
      f" signed median {result['rtt_median_signed_diff_ns']} ns"
      f" (median rtt {result['rtt_median_ns']} ns)")
print(f"SYN x{len(syn)} at 2000/s: rawtool {ours} answered ({matched_ok} with ack = seq + 1);"
      f" scapy sr() {result['scapy_answered']} answered, {result['scapy_unanswered']} unanswered")
print("rawtool ladder (asked rate, probes, answered, achieved pps):", ladder,
      "-> highest with none missed:", best)
print("scapy sr() ladder (asked rate, probes, answered, seconds sending):", scapy_ladder)
EOF
