# Sourced by the live benchmarks (live.sh, replay.sh, probe.sh): their network namespaces,
# created here and deleted on every exit, and the veth pair most of them use. Nothing made
# here reaches the host's network.

# bench_namespaces NS...: creates the namespaces (lo up), a scratch folder $WORK and the
# list $PIDS of background programs; all are removed when the script exits or is stopped.
bench_namespaces() {
  BENCH_NAMESPACES=("$@")
  WORK=$(mktemp -d)
  PIDS=()
  trap bench_cleanup EXIT INT TERM
  for ns in "$@"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
}

bench_cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true; done
  for ns in "${BENCH_NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
}

# bench_veth_pair A B: vA in A with 192.0.2.1/24 and vB in B with 192.0.2.2/24, both up.
bench_veth_pair() {
  ip link add vA netns "$1" type veth peer name vB netns "$2"
  ip -n "$1" addr add 192.0.2.1/24 dev vA
  ip -n "$2" addr add 192.0.2.2/24 dev vB
  ip -n "$1" link set vA up
  ip -n "$2" link set vB up
}
