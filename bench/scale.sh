#!/usr/bin/env bash
# Cost against size (issue 18, docs/BENCHMARKS.md "Cost against size"): four sweeps, each one
# dimension with the others fixed, every point RUNS times against fresh servers pinned on core 0
# with the generator(s) on core 1. Prints one markdown table per sweep (median [min-max] over the
# runs) and writes OUT/scale.csv, OUT/scale.md and, through chat_bench_plot, OUT/scale-SWEEP.svg.
#   connections  hold mode; up to NODE_CAP per node on SQLite, beyond that a cluster of
#                ceil(N/NODE_CAP) nodes on one Redis with ceil(N/GEN_CAP) generator processes:
#                connect time (first connect to last login, across processes), join time, RSS per
#                connection (growth of all nodes / N), server CPU per connection (connect, login, join)
#   rooms        hold mode, ROOMS_CLIENTS clients spread over R rooms (the `rooms` frame every
#                newcomer gets grows with R): connect time, join time, RSS per connection, CPU
#   members      one room of M members, one sender at MEMBERS_RATE lines/s: server CPU per
#                delivery, p99 latency, deliveries/s
#   history      hold mode, version-2 clients (a join sends the room's latest lines) joining rooms
#                the creator first filled with H lines each: join time, RSS per connection, CPU
set -euo pipefail

usage() {
  cat <<'TEXT'
Usage: bench/scale.sh [--quick|--smoke] [--runs N] [--sweeps "connections rooms members history"] [--out DIR]
  --quick   a one-minute check: two small points per sweep, one run each
  --smoke   what ctest's scale_smoke runs (~10 s): one tiny point per sweep, the connections one on
            2 nodes on Redis from 2 generator processes over 2 source addresses
Exit status: 0 every point passed at least one run, 1 some point had none, 2 usage.
  --runs N  runs per point (default 3; RUNS=N too)
  --out DIR where scale.csv, scale.md and the SVGs go (default build/native/scale; --smoke: a
            temporary folder)
Environment (each a list of points or a number): CONNECTIONS (1000 5000 10000 15000 50000 100000),
  CONNECTION_ROOMS (100), CONNECTIONS_ENGINE (auto: SQLite on one node, Redis for a cluster;
  redis: Redis at every size, so that the curve has one engine), ROOMS (10 100 1000 1999: the
  server holds at most 2000 rooms, general included), ROOMS_CLIENTS (2000), MEMBERS (10 100 1000 5000), MEMBERS_RATE (100 lines/s),
  MEMBERS_DURATION (3 s), HISTORY (0 1000 10000 100000 lines per room), HISTORY_CLIENTS (500),
  HISTORY_ROOMS (5), HOLD_S (1 s held after setup), NODE_CAP (16000 connections per node),
  GEN_CAP (18000 clients per generator process), CLIENTS_PER_ADDRESS (10000 per source address),
  CONNECT_CONCURRENCY (clients of one generator process in their handshake or login at once;
  default 600 x nodes / processes, at most 500: under every node's handshake guard),
  REDIS_NICE (Redis's priority on core 0, default 0; e.g. -10 keeps 7 nodes from starving it),
  REDIS_FLAGS (more redis-server flags), NODE_FLAGS (more chat_server flags for every node),
  BUILD_DIR, BENCH_SERVER_BIN, BENCH_BIN, PLOT_BIN (ready binaries: no build), PLOT_NOTE (added
  under the plots' titles, after the commit, date, runs and load the script writes there).
TEXT
}

root=$(cd "$(dirname "$0")/.." && pwd)
quick=0
runs=${RUNS:-3}
sweeps="connections rooms members history"
build_dir=${BUILD_DIR:-$root/build/native}
out=
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --smoke) quick=smoke; shift ;;
    --runs) runs=$2; shift 2 ;;
    --sweeps) sweeps=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "scale.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done
if [ "$quick" = smoke ]; then
  runs=1
  if ! command -v redis-server >/dev/null; then
    echo "scale.sh --smoke: no redis-server here: the connections point runs on one node" >&2
    NODE_CAP=${NODE_CAP:-1000}
  fi
  : "${CONNECTIONS:=300}" "${NODE_CAP:=200}" "${GEN_CAP:=200}" "${CLIENTS_PER_ADDRESS:=150}" "${CONNECTION_ROOMS:=3}"
  : "${ROOMS:=3}" "${ROOMS_CLIENTS:=30}" "${MEMBERS:=5}" "${MEMBERS_DURATION:=0.5}" "${HISTORY:=20}"
  : "${HISTORY_CLIENTS:=10}" "${HISTORY_ROOMS:=2}" "${HOLD_S:=0.2}"
elif [ "$quick" = 1 ]; then
  runs=${RUNS:-1}
  : "${CONNECTIONS:=1000 5000}" "${ROOMS:=10 100}" "${ROOMS_CLIENTS:=500}" "${MEMBERS:=10 100}"
  : "${MEMBERS_DURATION:=1}" "${HISTORY:=0 1000}" "${HISTORY_CLIENTS:=100}"
fi
connections_points=${CONNECTIONS:-1000 5000 10000 15000 50000 100000}
connection_rooms=${CONNECTION_ROOMS:-100}
connections_engine=${CONNECTIONS_ENGINE:-auto}
rooms_points=${ROOMS:-10 100 1000 1999}
rooms_clients=${ROOMS_CLIENTS:-2000}
members_points=${MEMBERS:-10 100 1000 5000}
members_rate=${MEMBERS_RATE:-100}
members_duration=${MEMBERS_DURATION:-3}
history_points=${HISTORY:-0 1000 10000 100000}
history_clients=${HISTORY_CLIENTS:-500}
history_rooms=${HISTORY_ROOMS:-5}
hold_s=${HOLD_S:-1}
node_cap=${NODE_CAP:-16000}
gen_cap=${GEN_CAP:-18000}
clients_per_address=${CLIENTS_PER_ADDRESS:-10000}
setup_timeout=120  # per setup phase of each generator; a whole point is bounded by point_limit
point_limit=300    # seconds a point may take before everything it started is killed

server_bin=${BENCH_SERVER_BIN:-$build_dir/server/chat_server}
bench_bin=${BENCH_BIN:-$build_dir/bench/chat_bench}
plot_bin=${PLOT_BIN:-$build_dir/bench/chat_bench_plot}
if [ -z "${BENCH_SERVER_BIN:-}" ] || [ -z "${BENCH_BIN:-}" ] || [ -z "${PLOT_BIN:-}" ]; then
  cmake --build "$build_dir" --target chat_server chat_bench chat_bench_plot >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/chat-scale-XXXXXX")
# shellcheck source=nodes.sh
source "$root/bench/nodes.sh"
gen_pids=()
cleanup() {
  for pid in "${gen_pids[@]}" "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ -z "$out" ]; then
  out=$build_dir/scale
  [ "$quick" != smoke ] || out=$work/out  # the smoke's figures mean nothing: removed with $work
fi
mkdir -p "$out"
csv=$out/scale.csv
md=$out/scale.md
echo "sweep,x_label,x,figure,unit,median,min,max,runs" >"$csv"
: >"$md"
hz=$(getconf CLK_TCK)

ceil_div() { echo $(( ($1 + $2 - 1) / $2 )); }
# key KEY FILE: the value of KEY= in the RESULT line(s) of FILE, one per line.
key() { grep -h '^RESULT' "$2" | grep -o " $1=[^ ]*" | cut -d= -f2; }
# stats: "median min max" of the numbers on stdin ("- - -" if none; "-" lines are not numbers).
stats() {
  grep -E '^-?[0-9.]+(e[-+]?[0-9]+)?$' | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "- - -"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    print f(m), f(v[1]), f(v[NR]) }
    function f(x) { return (x >= 1000 || x <= -1000) ? sprintf("%.0f", x) : sprintf("%.3g", x) }'
}

# The runs of one point (fresh nodes, the crowd in hold mode over several processes, one
# chat_bench against one node, keeping a failure's logs): bench/scale_points.sh.
# shellcheck source=scale_points.sh
source "$root/bench/scale_points.sh"

# emit SWEEP X_LABEL X VALUES_FILE FIGURE|UNIT...: one CSV line per figure (column i of VALUES_FILE)
# and one markdown row.
emit() {
  local sweep=$1 x_label=$2 x=$3 values=$4
  shift 4
  local row="| $x" column=1 figure passed
  passed=$(wc -l <"$values")
  for figure in "$@"; do
    read -r median low high < <(awk -v c="$column" '{ print $c }' "$values" | stats)
    # A point no run passed has no line in the CSV (nothing to plot); its table row says "-".
    [ "$median" = - ] || echo "$sweep,$x_label,$x,${figure%|*},${figure#*|},$median,$low,$high,$passed" >>"$csv"
    if [ "$median" = - ]; then row="$row | -"
    elif [ "$passed" -gt 1 ]; then row="$row | $median [$low-$high]"
    else row="$row | $median"; fi
    column=$((column + 1))
  done
  echo "$row | $passed/$runs |" | tee -a "$md"
  [ "$passed" -gt 0 ] || failed_points=$((failed_points + 1))
}

header() {
  local title=$1 x_label=$2 line="| $2" rule="|---"
  shift 2
  local figure
  for figure in "$@"; do line="$line | ${figure%|*} (${figure#*|})"; rule="$rule|---"; done
  printf '\n%s\n\n%s | runs passed |\n%s|---|\n' "$title" "$line" "$rule" | tee -a "$md"
}

# One point of a sweep, RUNS times against fresh nodes: `measure OUT_PREFIX VALUE` runs the load
# and prints that run's figures on one line (nothing when the run failed); then the point's table
# row and CSV line. `figures` is the calling sweep's. Extra arguments go to the nodes.
run_point() {
  local sweep=$1 label=$2 value=$3 nodes=$4 clients=$5 measure=$6
  shift 6
  local run
  : >"$work/values"
  for run in $(seq "$runs"); do
    point=$sweep-$value-$run
    fresh_nodes "$nodes" "$clients" "$@"
    "$measure" "$work/$point" "$value" >>"$work/values" || true
    stop_all
  done
  emit "$sweep" "$label" "$value" "$work/values" "${figures[@]}"
}

# The server's CPU over the crowd's setup, per connection, in µs: cpu_per_connection LOG CLIENTS.
cpu_per_connection() { key server_setup_cpu_ms "$1" | awk -v n="$2" '{ printf "%.2f\n", $1 * 1000 / n }'; }

measure_connections() { hold_crowd "$1" "$2" "$connection_rooms"; }

measure_rooms() {
  local log=$1.log
  one_node_run "$log" --scenario c --clients "$rooms_clients" --rooms "$2" --senders 0 --duration "$hold_s" || return 0
  paste -d' ' <(key connect_s "$log") <(key join_s "$log") <(key crowd_rss_kb_per_conn "$log") \
    <(cpu_per_connection "$log" "$rooms_clients")
}

measure_members() {
  local log=$1.log
  one_node_run "$log" --scenario a --clients "$2" --rooms 1 --senders 1 --window 0 --rate "$members_rate" \
    --warmup 1 --duration "$members_duration" || return 0
  paste -d' ' <(key server_cpu_pct "$log") <(key deliveries_per_s "$log") <(key p99_us "$log") |
    awk '{ printf "%.3f %.3f %.0f\n", ($2 > 0 ? $1 / 100 * 1e6 / $2 : 0), $3 / 1000, $2 }'
}

measure_history() {
  local log=$1.log
  one_node_run "$log" --scenario c --clients "$history_clients" --rooms "$history_rooms" --senders 0 \
    --duration "$hold_s" --protocol-version 2 --prefill "$2" || return 0
  paste -d' ' <(key join_s "$log") <(key crowd_rss_kb_per_conn "$log") <(cpu_per_connection "$log" "$history_clients")
}

sweep_connections() {
  local figures=("connect time|s" "join time|s" "RSS per connection|KB" "server CPU per connection|us"
    "Redis RSS per connection|KB")
  local engine_note="SQLite up to $node_cap, above that a cluster on one Redis"
  [ "$connections_engine" != redis ] || engine_note="Redis at every size"
  header "Connections (hold mode, $connection_rooms rooms; $engine_note, $node_cap per node at most)" connections "${figures[@]}"
  local n
  for n in $connections_points; do
    run_point connections connections "$n" "$(ceil_div "$n" "$node_cap")" "$n" measure_connections
  done
}

sweep_rooms() {
  local figures=("connect time|s" "join time|s" "RSS per connection|KB" "server CPU per connection|us")
  header "Rooms (hold mode, $rooms_clients clients, one SQLite node)" rooms "${figures[@]}"
  local r
  for r in $rooms_points; do run_point rooms rooms "$r" 1 "$rooms_clients" measure_rooms --max-rooms 2000; done
}

sweep_members() {
  local figures=("server CPU per delivery|us" "p99 latency|ms" "deliveries per second|1/s")
  header "Members per room (one room, one sender at $members_rate lines/s, one SQLite node)" members "${figures[@]}"
  local m
  for m in $members_points; do run_point members "members per room" "$m" 1 "$m" measure_members; done
}

sweep_history() {
  local figures=("join time|s" "RSS per connection|KB" "server CPU per connection|us")
  header "History (hold mode, $history_clients version-2 clients in $history_rooms rooms, lines already in each room, one SQLite node)" \
    "history lines" "${figures[@]}"
  local h
  # The plot's log x axis has no 0: it leaves that point out; the table and the CSV keep it.
  for h in $history_points; do run_point history "history lines" "$h" 1 "$history_clients" measure_history; done
}

failed_points=0
started=$(date +%s)
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
load=$(cut -d' ' -f1 /proc/loadavg)
echo "scale benchmark: $(nproc) CPUs, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $runs run(s) per point," \
  "server $commit; median [min-max]" | tee -a "$md"
for sweep in $sweeps; do
  case $sweep in
    connections|rooms|members|history) "sweep_$sweep" ;;
    *) echo "scale.sh: unknown sweep $sweep" >&2; exit 2 ;;
  esac
done
# Each plot says where it comes from; PLOT_NOTE adds to it (e.g. "provisional: machine busy").
"$plot_bin" "$csv" "$out" "commit $commit, $(date -u +%F), $runs run(s) per point, load $load at start${PLOT_NOTE:+; $PLOT_NOTE}" >/dev/null
echo
echo "took $(( $(date +%s) - started )) s; $csv, $md and $(ls "$out"/scale-*.svg | tr '\n' ' ')"
[ "$failed_points" = 0 ] || { echo "scale.sh: $failed_points point(s) with no run passed" >&2; exit 1; }
