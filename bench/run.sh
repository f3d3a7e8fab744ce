#!/usr/bin/env bash
# The chat server benchmark in one command: builds chat_server and chat_bench if needed, runs each
# scenario RUNS times, each against a fresh server pinned on core 0 with the generator on core 1,
# and prints one row per scenario: median [min-max] of the runs. See docs/BENCHMARKS.md. (The soak
# is a test suite: tests/soak/run.sh.)
set -euo pipefail

usage() {
  cat <<'TEXT'
Usage: bench/run.sh [--scenarios "a b c d"] [--runs N] [--duration S] [--warmup S] [--ceiling] [--smoke]
  --scenarios LIST  which scenarios (default "a b c d")
  --runs N          runs per scenario (default 3)
  --duration S      measured seconds per run (default 5)
  --warmup S        seconds of load before measuring (default 1)
  --ceiling         measure the generator itself: parse ceiling, then scenario a against a
                    trivial broadcast peer instead of chat_server
  --smoke           the ctest smoke run: scenario d for 2 s, once; exit status is the verdict
  --print-row S FILE  only print the table row of scenario S from FILE's RESULT lines (runs
                    gathered elsewhere, e.g. by bench/uws.sh; --runs N first: out of N runs)
Environment: BUILD_DIR (default build/native), BENCH_SERVER_FLAGS (extra chat_server flags; the
  server runs with --no-limits, as rate limits would refuse the benchmark's load), BENCH_ARGS
  (extra chat_bench flags), BENCH_SERVER_BIN / BENCH_BIN (use these binaries, no build),
  BENCH_LOG_DIR (keep every run's output there; default a temporary folder, removed).
TEXT
}

root=$(cd "$(dirname "$0")/.." && pwd)
scenarios="a b c d"
runs=3
duration=5
warmup=1
mode=full
while [ $# -gt 0 ]; do
  case "$1" in
    --scenarios) scenarios=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --ceiling) mode=ceiling; shift ;;
    --smoke) mode=smoke; shift ;;
    --print-row) mode=print-row; row_scenario=$2; row_file=$3; shift 3 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

build_if_needed() {
  if [ -n "${BENCH_SERVER_BIN:-}" ] && [ -n "${BENCH_BIN:-}" ]; then
    server_bin=$BENCH_SERVER_BIN
    bench_bin=$BENCH_BIN
    return
  fi
  local build_dir=${BUILD_DIR:-$root/build/native}
  build_targets "$build_dir" chat_server chat_bench
  server_bin=$build_dir/server/chat_server
  bench_bin=$build_dir/bench/chat_bench
}

# shellcheck source=../tests/loadkit/server.sh
source "$root/tests/loadkit/server.sh"

# median_range KEY FILE: "median [min-max]" of KEY=value over the RESULT lines in FILE.
median_range() {
  grep -o " $1=[^ ]*" "$2" | cut -d= -f2 | sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "-"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      fmt = (m >= 100 || m == int(m)) ? "%.0f" : "%.2f"
      if (NR == 1) printf fmt "\n", m
      else printf fmt " [" fmt "-" fmt "]\n", m, v[1], v[NR]
    }'
}

sum_key() { grep -o " $1=[^ ]*" "$2" | cut -d= -f2 | awk '{ s += $1 } END { print s + 0 }'; }

print_row() {
  local s=$1 file=$2
  local ok total
  ok=$(grep -c ' ok=1 ' "$file" || true)
  total=$(grep -c '^RESULT' "$file" || true)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s/%s/%s | %s | %s/%s |\n' "$s" \
    "$(median_range deliveries_per_s "$file")" "$(median_range p50_us "$file")" "$(median_range p99_us "$file")" \
    "$(median_range max_us "$file")" "$(median_range write_p99_us "$file")" "$(median_range lag_p99_us "$file")" \
    "$(median_range server_cpu_pct "$file")" "$(median_range rss_kb_per_conn "$file")" \
    "$(median_range connect_s "$file")" "$(sum_key lost "$file")" "$(sum_key dup "$file")" \
    "$(sum_key reordered "$file")" "$(median_range gen_cpu_pct "$file")" "$ok" "$runs"
}

run_full() {
  echo "chat benchmark: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
  echo "server: $server_bin ${BENCH_SERVER_FLAGS:-}; $runs runs per scenario, ${warmup}s warm-up + ${duration}s measured"
  local s i status=0
  for s in $scenarios; do
    : >"$log_dir/$s.results"
    for i in $(seq "$runs"); do
      start_chat_server
      if ! run_bench "$log_dir/$s.$i.log" --scenario "$s" --duration "$duration" --warmup "$warmup"; then status=1; fi
      stop_server
      grep '^RESULT' "$log_dir/$s.$i.log" >>"$log_dir/$s.results" || {
        echo "run.sh: scenario $s run $i produced no result:" >&2
        tail -5 "$log_dir/$s.$i.log" >&2
      }
      grep -E 'first problem|WARNING|SETUP FAILED' "$log_dir/$s.$i.log" | sed "s/^/  [$s run $i]/" >&2 || true
    done
  done
  echo
  echo "median [min-max] over the runs; latency in us (from scheduled send to receipt); CPU in % of one core"
  echo "| scenario | deliveries/s | p50 | p99 | max | p99 from write | gen. send lag p99 | server CPU % | server KB/conn | connect s | lost/dup/reord | generator CPU % | runs passed |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  for s in $scenarios; do print_row "$s" "$log_dir/$s.results"; done
  [ "$keep_logs" = 1 ] && echo "logs: $log_dir"
  return $status
}

run_smoke() {
  start_chat_server
  local status=0
  run_bench "$log_dir/smoke.log" --scenario d --warmup 0.3 --duration 2 --drain 2 || status=$?
  cat "$log_dir/smoke.log"
  return $status
}

run_ceiling() {
  echo "== parse ceiling (in-process, no sockets)"
  timeout 120 "${bench_pin[@]}" "$bench_bin" --mode parse-ceiling
  local window
  # Window 100 is scenario a as measured against chat_server; 1000 keeps the generator busier, to
  # show how far above the targets it can go.
  for window in 100 1000; do
    echo "== scenario a, window $window, against a trivial broadcast peer (chat_bench --mode peer) on core 0"
    start_server "$bench_bin" --mode peer --port 0 --duration 300
    run_bench "$log_dir/ceiling-a-$window.log" --scenario a --window "$window" --duration "$duration" \
      --warmup "$warmup" || true
    stop_server
    cat "$log_dir/ceiling-a-$window.log"
  done
}

[ "$mode" = print-row ] || build_if_needed
case $mode in
  print-row) print_row "$row_scenario" "$row_file" ;;
  full) run_full ;;
  smoke) run_smoke ;;
  ceiling) run_ceiling ;;
esac
