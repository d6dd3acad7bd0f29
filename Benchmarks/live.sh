#!/usr/bin/env bash
# Live benchmark on a veth pair between two network namespaces (nothing leaves them):
#  1. send rate: `rawtool send --flood` vs trafgen (netsniff-ng) vs `tcpreplay --topspeed`,
#     the same 64-byte UDP frame, the same count;
#  2. capture loss: each sniff backend vs tcpdump under the same trafgen flood, writing a
#     file (-w), printing one-line output and printing JSON (to /dev/null), with the default
#     kernel buffer and with a small one (-B 256, KiB); captured, kernel drops, lost.
# Prints a table and writes Benchmarks/out/live.json. Needs root, iproute2, tcpdump,
# trafgen (apt: netsniff-ng), tcpreplay, python3.
#
# Usage: Benchmarks/live.sh [--rawtool PATH] [--count N] [--sniff-count N] [--capture-only]
#                           [--strict]
#   --capture-only  skip the send-rate part
#   --strict        exit 1 when a rawtool capture that prints (default buffer) lost a frame or
#                   saw a kernel drop
set -euo pipefail
cd "$(dirname "$0")/.."

RAWTOOL=${RAWTOOL:-.build/release/rawtool}
COUNT=${COUNT:-1000000}          # frames per sender
SNIFF_COUNT=${SNIFF_COUNT:-300000}  # frames of the flood each capture faces
LIMIT=${LIMIT:-60}               # seconds: every run is bounded by this
CAPTURE_ONLY=0
STRICT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --capture-only) CAPTURE_ONLY=1; shift ;;
    --strict) STRICT=1; shift ;;
    --rawtool) RAWTOOL=$2; shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --sniff-count) SNIFF_COUNT=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "live.sh: needs root (network namespaces)" >&2; exit 1; }
# The peers come from Debian's packages: install the missing ones.
missing=()
for pair in ip:iproute2 tcpdump:tcpdump trafgen:netsniff-ng tcpreplay:tcpreplay python3:python3; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair##*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "live.sh: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
[ -x "$RAWTOOL" ] || swift build -c release --product rawtool
RAWTOOL=$(realpath "$RAWTOOL")

A=rt-bench-$$-a; B=rt-bench-$$-b
source Benchmarks/namespaces.sh
bench_namespaces $A $B
bench_veth_pair $A $B
MAC_A=$(ip netns exec $A cat /sys/class/net/vA/address)
MAC_B=$(ip netns exec $B cat /sys/class/net/vB/address)
# Frames to a port nobody listens on are dropped by B's stack (ICMP errors are rate-limited).
EXPR="eth(src=$MAC_A, dst=$MAC_B)/ipv4(src=192.0.2.1, dst=192.0.2.2, id=1, ttl=64)/udp(sport=4000, dport=9)/raw(\"0123456789abcdefghijkl\")"

# The same frame for trafgen (C-array config) and tcpreplay (a one-packet pcap).
python3 - "$MAC_A" "$MAC_B" "$WORK" <<'PY'
import struct, sys
src, dst, work = bytes.fromhex(sys.argv[1].replace(":", "")), bytes.fromhex(sys.argv[2].replace(":", "")), sys.argv[3]
payload = b"0123456789abcdefghijkl"
udp = struct.pack("!HHHH", 4000, 9, 8 + len(payload), 0) + payload
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, bytes([192,0,2,1]), bytes([192,0,2,2]))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, len(udp))
udp = udp[:6] + struct.pack("!H", csum(pseudo + udp) or 0xffff) + udp[8:]
frame = dst + src + b"\x08\x00" + ip + udp
assert len(frame) == 64, len(frame)
open(f"{work}/frame.cfg", "w").write("{ " + ", ".join("0x%02x" % b for b in frame) + " }\n")
with open(f"{work}/frame.pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack("<IIII", 0, 0, len(frame), len(frame)) + frame)
open(f"{work}/frame.hex", "w").write(frame.hex())
PY
# Check that rawtool builds the very same bytes.
ip netns exec $A "$RAWTOOL" send -i vA --dry-run "$EXPR" >/dev/null

now() { date +%s%N; }
rx() { ip netns exec $B cat /sys/class/net/vB/statistics/rx_packets; }

declare -A SEND_PPS SEND_SECONDS SEND_RX
bench_send() { # name, command...
  local name=$1; shift
  local before after start end
  before=$(rx); start=$(now)
  timeout $LIMIT ip netns exec $A "$@" >"$WORK/$name.out" 2>&1 || echo "  ($name exited $?)" >&2
  end=$(now); sleep 0.2; after=$(rx)
  SEND_SECONDS[$name]=$(python3 -c "print(round(($end-$start)/1e9, 3))")
  SEND_PPS[$name]=$(python3 -c "print(round($COUNT/(($end-$start)/1e9)))")
  SEND_RX[$name]=$((after - before))
}
SENDERS=(rawtool trafgen tcpreplay)
if [ "$CAPTURE_ONLY" = 1 ]; then
  SENDERS=()
else
  echo "send: $COUNT frames of 64 bytes on vA ($A) -> vB ($B)" >&2
  bench_send rawtool "$RAWTOOL" send -i vA --flood -c "$COUNT" --duration $LIMIT "$EXPR"
  bench_send trafgen trafgen --dev vA --conf "$WORK/frame.cfg" --num "$COUNT" --cpus 1 --no-sock-mem
  bench_send tcpreplay tcpreplay -i vA --topspeed -K --loop="$COUNT" "$WORK/frame.pcap"
fi

# Capture loss: each capture alone on vB under the same trafgen flood of SNIFF_COUNT frames.
declare -A CAP_CAPTURED CAP_DROPPED CAP_LOST
bench_sniff() { # name, output (file|print), command...
  local name=$1 mode=$2; shift 2
  local out="$WORK/$name.pcap" log="$WORK/$name.err" pid captured
  if [ "$mode" = file ]; then
    ip netns exec $B "$@" -w "$out" "udp and dst port 9" 2>"$log" >/dev/null &
  else
    ip netns exec $B "$@" "udp and dst port 9" 2>"$log" >/dev/null &
  fi
  pid=$!; PIDS+=($pid)
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.05; done
  timeout $LIMIT ip netns exec $A trafgen --dev vA --conf "$WORK/frame.cfg" --num "$SNIFF_COUNT" --cpus 1 --no-sock-mem >/dev/null 2>&1 || true
  sleep 1.5
  kill -INT $pid; timeout 20 tail --pid=$pid -f /dev/null || kill -KILL $pid
  wait $pid 2>/dev/null || true
  captured=$(grep -E "packets? captured" "$log" | head -1 | awk '{print $1}')
  CAP_CAPTURED[$name]=${captured:-0}
  CAP_DROPPED[$name]=$(grep -E "dropped by kernel" "$log" | head -1 | awk '{print $1}')
  CAP_LOST[$name]=$(( SNIFF_COUNT - ${captured:-0} ))
}
echo "capture: trafgen flood of $SNIFF_COUNT frames per capture" >&2
bench_sniff tcpdump-file file tcpdump -i vB -n
bench_sniff rawtool-libpcap-file file "$RAWTOOL" sniff vB
bench_sniff rawtool-afpacket-file file "$RAWTOOL" sniff vB --backend af-packet
bench_sniff tcpdump-print print tcpdump -i vB -n
bench_sniff rawtool-libpcap-print print "$RAWTOOL" sniff vB
bench_sniff rawtool-afpacket-print print "$RAWTOOL" sniff vB --backend af-packet
bench_sniff rawtool-libpcap-json print "$RAWTOOL" sniff vB --json
bench_sniff rawtool-afpacket-json print "$RAWTOOL" sniff vB --backend af-packet --json
# The small kernel buffer a user reported drops with (-B 256: 256 KiB).
bench_sniff tcpdump-print-B256 print tcpdump -i vB -n -B 256
bench_sniff rawtool-file-B256 file "$RAWTOOL" sniff vB -B 256
bench_sniff rawtool-print-B256 print "$RAWTOOL" sniff vB -B 256
bench_sniff rawtool-json-B256 print "$RAWTOOL" sniff vB -B 256 --json
CAPTURES=(tcpdump-file rawtool-libpcap-file rawtool-afpacket-file tcpdump-print
  rawtool-libpcap-print rawtool-afpacket-print rawtool-libpcap-json rawtool-afpacket-json
  tcpdump-print-B256 rawtool-file-B256 rawtool-print-B256 rawtool-json-B256)

mkdir -p Benchmarks/out
{
  printf '\n%-12s %12s %10s %14s\n' sender pps seconds "received on B"
  for name in "${SENDERS[@]}"; do
    printf '%-12s %12s %10s %14s\n' $name "${SEND_PPS[$name]}" "${SEND_SECONDS[$name]}" "${SEND_RX[$name]}"
  done
  printf '\n%-24s %10s %10s %10s\n' capture captured dropped lost
  for name in "${CAPTURES[@]}"; do
    printf '%-24s %10s %10s %10s\n' $name "${CAP_CAPTURED[$name]}" "${CAP_DROPPED[$name]:-?}" "${CAP_LOST[$name]}"
  done
} >&2
python3 - > Benchmarks/out/live.json <<PY
import json
send = {n: {"pps": p, "seconds": s, "received": r} for n, p, s, r in [
$(for name in "${SENDERS[@]}"; do echo "  (\"$name\", ${SEND_PPS[$name]}, ${SEND_SECONDS[$name]}, ${SEND_RX[$name]}),"; done)
]}
capture = {n: {"captured": c, "dropped": d, "lost": l} for n, c, d, l in [
$(for name in "${CAPTURES[@]}"; do echo "  (\"$name\", ${CAP_CAPTURED[$name]}, ${CAP_DROPPED[$name]:-None}, ${CAP_LOST[$name]}),"; done)
]}
print(json.dumps({"frames": $COUNT, "frame_bytes": 64, "sniff_frames": $SNIFF_COUNT,
                  "send": send, "capture": capture}, indent=2))
PY
echo "wrote Benchmarks/out/live.json" >&2
if [ "$STRICT" = 1 ]; then
  failed=0
  for name in "${CAPTURES[@]}"; do
    # The default buffers; the -B 256 rows are compared with rawtool-file-B256 instead.
    case $name in rawtool-*-print|rawtool-*-json) ;; *) continue ;; esac
    if [ "${CAP_LOST[$name]}" != 0 ] || [ "${CAP_DROPPED[$name]:-?}" != 0 ]; then
      echo "live.sh: $name lost ${CAP_LOST[$name]} frames, ${CAP_DROPPED[$name]:-?} kernel drops" >&2
      failed=1
    fi
  done
  exit $failed
fi
