#!/usr/bin/env bash
# The engine's cost, measured: scenarios a and b on one node with SQLite, one node on Redis, and
# three nodes on one Redis (clients spread round-robin with chat_bench's --url). The nodes and
# Redis share core 0, the generator has core 1: on this 2-core machine the three-node figure shows
# what the engine costs, not what three machines could carry. Each configuration runs RUNS times;
# printed: median [min-max] of deliveries/s, latency, the time until every client had logged in
# (scenario c's figure: SCENARIOS=c), and the CPU of the nodes and of Redis.
# Redis runs as the guarantees need it (appendonly yes, appendfsync always), in a temporary folder.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
duration=${DURATION:-5}
scenarios=${SCENARIOS:-"a b"}
configs=${CONFIGS:-"sqlite-1 redis-1 redis-3"}
build_dir=${BUILD_DIR:-$root/build/native}
server_bin=${BENCH_SERVER_BIN:-$build_dir/server/chat_server}
bench_bin=${BENCH_BIN:-$build_dir/bench/chat_bench}
[ -x "$server_bin" ] && [ -x "$bench_bin" ] || cmake --build "$build_dir" --target chat_server chat_bench >/dev/null
command -v redis-server >/dev/null || { echo "cluster.sh: redis-server is not installed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/chat-cluster-bench-XXXXXX")
# shellcheck source=nodes.sh
source "$root/bench/nodes.sh"
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# median [min-max] of the numbers on stdin, each printed with FORMAT (default: whole numbers).
median_range() {
  sort -g | awk -v f="${1:-%.0f}" '{ v[NR] = $1 } END {
    if (NR == 0) { print "-"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf f " [" f "-" f "]\n", m, v[1], v[NR] }'
}

echo "cluster benchmark: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), ${runs} runs of ${duration}s (+1s warm-up)"
echo "| scenario | engine | deliveries/s | p50 us | p99 us | all logged in s | nodes CPU % | Redis CPU % | runs passed |"
echo "|---|---|---|---|---|---|---|---|---|"
hz=$(getconf CLK_TCK)
for s in $scenarios; do
  for config in $configs; do
    results=$work/$s-$config.results
    : >"$results"
    for run in $(seq "$runs"); do
      urls=()
      node_pids=()
      redis_pid=
      nodes=${config#*-}
      if [ "${config%-*}" = redis ]; then
        start_redis "$s-$config-$run"
        for n in $(seq "$nodes"); do start_node "$s-$config-$run-node$n" --redis "$redis_url"; done
      else
        start_node "$s-$config-$run-node1"
      fi
      before_nodes=0
      for pid in "${node_pids[@]}"; do before_nodes=$((before_nodes + $(cpu_ticks "$pid"))); done
      before_redis=0
      [ -z "$redis_pid" ] || before_redis=$(cpu_ticks "$redis_pid")
      started=$(date +%s.%N)
      log=$work/$s-$config-$run.log
      timeout 300 taskset -c 1 "$bench_bin" --scenario "$s" --duration "$duration" --warmup 1 "${urls[@]}" \
        >"$log" 2>&1 || true
      elapsed=$(echo "$(date +%s.%N) - $started" | bc)
      after_nodes=0
      for pid in "${node_pids[@]}"; do after_nodes=$((after_nodes + $(cpu_ticks "$pid"))); done
      after_redis=0
      [ -z "$redis_pid" ] || after_redis=$(cpu_ticks "$redis_pid")
      stop_all
      line=$(grep '^RESULT' "$log" || true)
      if [ -z "$line" ]; then
        echo "  [$s $config run $run] no result: $(tail -2 "$log" | tr '\n' ' ')" >&2
        continue
      fi
      # CPU over the whole run (setup included): % of one core.
      nodes_cpu=$(echo "100 * ($after_nodes - $before_nodes) / $hz / $elapsed" | bc -l)
      redis_cpu=$(echo "100 * ($after_redis - $before_redis) / $hz / $elapsed" | bc -l)
      echo "$line nodes_cpu=$nodes_cpu redis_cpu=$redis_cpu" >>"$results"
    done
    field() { grep -o " $1=[^ ]*" "$results" | cut -d= -f2 | median_range "${2:-}"; }
    passed=$(grep -c ' ok=1 ' "$results" || true)
    redis_col=$(field redis_cpu)
    [ "${config%-*}" = redis ] || redis_col=-
    echo "| $s | $config | $(field deliveries_per_s) | $(field p50_us) | $(field p99_us) | $(field connect_s %.2f) | $(field nodes_cpu) | $redis_col | $passed/$runs |"
  done
done
