#!/usr/bin/env bash
# The chat server benchmark in one command: builds chat_server and chat_bench if needed, runs each
# scenario RUNS times, each against a fresh server pinned on core 0 with the generator on core 1,
# and prints one row per scenario: median [min-max] of the runs. With --soak, instead: chat_soak's
# minutes of mixed traffic against one server run as shipped (rate limits on). See docs/BENCHMARKS.md.
set -euo pipefail

usage() {
  cat <<'TEXT'
Usage: bench/run.sh [--scenarios "a b c d"] [--runs N] [--duration S] [--warmup S] [--ceiling] [--smoke]
       bench/run.sh --soak [--duration S]
  --scenarios LIST  which scenarios (default "a b c d")
  --runs N          runs per scenario (default 3)
  --duration S      measured seconds per run (default 5; with --soak: seconds of traffic, default 180)
  --warmup S        seconds of load before measuring (default 1)
  --ceiling         measure the generator itself: parse ceiling, then scenario a against a
                    trivial broadcast peer instead of chat_server
  --smoke           the ctest smoke run: scenario d for 2 s, once; exit status is the verdict
  --soak            chat_soak against one server with its default limits: honest, churning, slow
                    and hostile clients at once; the server's RSS every 10 s; exit status is the
                    verdict (0: no honest line lost, duplicated or reordered, the server alive)
  --soak-smoke      what ctest's soak_smoke runs: the soak for 8 s with fewer clients
Environment: BUILD_DIR (default build/native), BENCH_SERVER_FLAGS (extra chat_server flags; the
  benchmark's server runs with --no-limits, as rate limits would refuse its load; the soak's runs
  with its default limits), BENCH_ARGS (extra chat_bench or chat_soak flags), BENCH_SERVER_BIN /
  BENCH_BIN / SOAK_BIN (use these binaries, no build), BENCH_LOG_DIR (keep every run's output
  there; default a temporary folder, removed).
TEXT
}

root=$(cd "$(dirname "$0")/.." && pwd)
scenarios="a b c d"
runs=3
duration=5
warmup=1
mode=full
duration_given=
soak_smoke=
while [ $# -gt 0 ]; do
  case "$1" in
    --scenarios) scenarios=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; duration_given=1; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --ceiling) mode=ceiling; shift ;;
    --smoke) mode=smoke; shift ;;
    --soak) mode=soak; shift ;;
    --soak-smoke) mode=soak; soak_smoke=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

build_if_needed() {
  local generator=BENCH_BIN target=chat_bench
  [ "$mode" = soak ] && generator=SOAK_BIN target=chat_soak
  if [ -n "${BENCH_SERVER_BIN:-}" ] && [ -n "${!generator:-}" ]; then
    server_bin=$BENCH_SERVER_BIN
    bench_bin=${!generator}
    return
  fi
  local build_dir=${BUILD_DIR:-$root/build/native}
  if [ ! -f "$build_dir/build.ninja" ] && [ ! -f "$build_dir/Makefile" ]; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build "$build_dir" --target chat_server "$target" >/dev/null
  server_bin=$build_dir/server/chat_server
  bench_bin=$build_dir/bench/$target
}

# Both processes inherit this: 10 000 clients need 10 000+ descriptors on each side.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(nproc)" -ge 2 ]; then
  server_pin=(taskset -c 0)
  bench_pin=(taskset -c 1)
else
  server_pin=()
  bench_pin=()
  echo "run.sh: only one CPU, server and generator are not pinned apart: figures are not comparable" >&2
fi

log_dir=${BENCH_LOG_DIR:-}
keep_logs=1
if [ -z "$log_dir" ]; then
  log_dir=$(mktemp -d "${TMPDIR:-/tmp}/chat-bench-XXXXXX")
  keep_logs=0
fi
mkdir -p "$log_dir"
server_pid=
server_dir=
server_status=
bench_pid=
cleanup() {
  [ -z "$bench_pid" ] || kill "$bench_pid" 2>/dev/null || true
  stop_server
  [ "$keep_logs" = 1 ] || rm -rf "$log_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_server CMD...: runs CMD pinned on core 0 and waits for its "listening on" line; sets
# server_pid and server_port.
start_server() {
  server_dir=$(mktemp -d "${TMPDIR:-/tmp}/chat-bench-server-XXXXXX")
  : >"$server_dir/stdout"  # the background job opens it only once it runs
  "${server_pin[@]}" "$@" >"$server_dir/stdout" 2>"$server_dir/stderr" &
  server_pid=$!
  local waited=0
  server_port=
  while [ -z "$server_port" ]; do
    server_port=$(sed -n 's#^listening on http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$server_dir/stdout")
    if [ -z "$server_port" ]; then
      if ! kill -0 "$server_pid" 2>/dev/null || [ "$waited" -ge 100 ]; then
        echo "run.sh: the server did not start: $(tail -5 "$server_dir/stderr")" >&2
        return 1
      fi
      sleep 0.1
      waited=$((waited + 1))
    fi
  done
}

# start_chat_server [LIMITS_FLAG]: a fresh server on a fresh --data-dir; LIMITS_FLAG defaults to
# --no-limits (the benchmark's load would be refused); the soak runs it as shipped but for one cap.
start_chat_server() {
  local limits=${1---no-limits}
  local data_dir
  data_dir=$(mktemp -d "${TMPDIR:-/tmp}/chat-bench-data-XXXXXX")
  mkdir -p "$data_dir/web" "$data_dir/data"
  echo "<!doctype html><title>bench</title>" >"$data_dir/web/index.html"
  # The same binary under a name of its own: other people's clean-ups on this shared machine
  # (pkill -f chat_server) stopped servers in the middle of a run.
  ln -s "$(realpath "$server_bin")" "$data_dir/bench-target"
  # shellcheck disable=SC2086  # BENCH_SERVER_FLAGS is a list of flags
  start_server "$data_dir/bench-target" --host 127.0.0.1 --port 0 --data-dir "$data_dir/data" --web-root "$data_dir/web" \
    --log-level warn $limits ${BENCH_SERVER_FLAGS:-}
  echo "$data_dir" >"$server_dir/data_dir"
}

# SIGTERM, up to 5 s, then SIGKILL; removes the server's temporary folders. Sets server_status
# (0: it stopped cleanly).
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  local i
  for i in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  server_status=0
  wait "$server_pid" 2>/dev/null || server_status=$?
  if [ -n "$server_dir" ]; then
    [ -f "$server_dir/data_dir" ] && rm -rf "$(cat "$server_dir/data_dir")"
    cp "$server_dir/stderr" "$log_dir/server-last.stderr" 2>/dev/null || true
    rm -rf "$server_dir"
  fi
  server_pid=
  server_dir=
}

# run_bench LOG ARGS...: the generator pinned on core 1, bounded in time (TIME_LIMIT, default
# 600 s).
run_bench() {
  local log=$1
  shift
  # shellcheck disable=SC2086  # BENCH_ARGS is a list of flags
  timeout "${TIME_LIMIT:-600}" "${bench_pin[@]}" "$bench_bin" --port "$server_port" --server-pid "$server_pid" "$@" \
    ${BENCH_ARGS:-} >"$log" 2>&1 &
  bench_pid=$!  # waited for in the background, so that a signal reaches the traps at once
  local status=0
  wait "$bench_pid" || status=$?
  bench_pid=
  return $status
}

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

# The soak's output goes to the terminal as it comes (a progress line every 10 s), and to the log.
# Afterwards the server must still be alive and stop cleanly on SIGTERM, and its warnings are
# counted: each slow reader dropped shows up as one "queued and not read" line.
run_soak() {
  [ -n "$duration_given" ] || duration=180
  local smoke_args=()
  if [ -n "$soak_smoke" ]; then
    duration=8
    smoke_args=(--chatters 40 --rooms 4 --churners 10 --report-every 2)
  fi
  echo "chat soak: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
  echo "server: $server_bin (default limits, no new-token or new-room cap per address) ${BENCH_SERVER_FLAGS:-}"
  # As shipped, but for the caps of new resume tokens and rooms per client address: every soak
  # client comes from 127.0.0.1, and its churners are ~3 new version-2 identities a second (about
  # 500 by 140 s) and create ~165 rooms, where real people would come from many addresses
  # (docs/PROTOCOL.md "Opting in", "create_room").
  start_chat_server "--new-tokens-per-address 0 --new-rooms-per-address 0"
  local status=0 log=$log_dir/soak.log
  : >"$log"
  tail -f "$log" --pid=$$ &
  local tail_pid=$!
  TIME_LIMIT=$(awk -v d="$duration" 'BEGIN { printf "%d", d + 120 }') run_bench "$log" --duration "$duration" "${smoke_args[@]}" || status=$?
  sleep 0.2
  kill "$tail_pid" 2>/dev/null || true
  wait "$tail_pid" 2>/dev/null || true
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run.sh: the server is not running any more" >&2
    status=1
  fi
  local stderr_copy=$log_dir/server.stderr
  cp "$server_dir/stderr" "$stderr_copy"
  stop_server
  if [ "$server_status" != 0 ]; then
    echo "run.sh: the server did not stop cleanly on SIGTERM (exit status $server_status)" >&2
    status=1
  fi
  echo "server log (warn and above): $(wc -l <"$stderr_copy") lines, of which $(grep -c 'queued and not read' "$stderr_copy" || true) slow readers dropped, $(grep -ci 'error' "$stderr_copy" || true) errors"
  { grep -v 'queued and not read' "$stderr_copy" || true; } | sort | uniq -c | sort -rn | head -10 | sed 's/^/  /'
  return $status
}

build_if_needed
case $mode in
  full) run_full ;;
  smoke) run_smoke ;;
  ceiling) run_ceiling ;;
  soak) run_soak ;;
esac
