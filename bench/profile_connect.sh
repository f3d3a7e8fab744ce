#!/usr/bin/env bash
# Where one connection's cost goes, in figures that do not depend on how busy the machine is
# (docs/BENCHMARKS.md, "Connection scale: the connect path"): CLIENTS version-1 clients connect, log
# in and join (scenario c's shape, 20 rooms) against a server run under
#   callgrind  instructions executed in the server process (user space), over the burst only, and
#              the functions that cost the most, inclusive;
#   strace -c  system calls of the whole run (the burst, a second of light traffic, the closes).
# Usage: bench/profile_connect.sh [CLIENTS] (default 2000). Needs valgrind and strace.
# Environment: BUILD_DIR (default build/native), BENCH_SERVER_BIN, BENCH_BIN, TOP (functions shown, 40).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
clients=${1:-2000}
build_dir=${BUILD_DIR:-$root/build/native}
server_bin=${BENCH_SERVER_BIN:-$build_dir/server/chat_server}
bench_bin=${BENCH_BIN:-$build_dir/bench/chat_bench}
[ -x "$server_bin" ] && [ -x "$bench_bin" ] || cmake --build "$build_dir" --target chat_server chat_bench >/dev/null
command -v valgrind >/dev/null && command -v strace >/dev/null || { echo "profile_connect.sh: needs valgrind and strace" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/chat-profile-XXXXXX")
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# start_server WRAPPER...: the server under the wrapper, its port in $port.
start_server() {
  rm -rf "$work/data" && mkdir -p "$work/data" "$work/web" && echo hi >"$work/web/index.html"
  "$@" "$server_bin" --host 127.0.0.1 --port 0 --data-dir "$work/data" --web-root "$work/web" --log-level warn \
    --no-limits >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  local i
  for i in $(seq 120); do grep -q listening "$work/server.out" && break; sleep 0.5; done
  port=$(grep -o '[0-9]*/$' "$work/server.out" | tr -d /)
  [ -n "$port" ] || { echo "profile_connect.sh: the server did not start" >&2; cat "$work/server.err" >&2; exit 1; }
}

crowd() {
  "$bench_bin" --scenario c --port "$port" --clients "$clients" --rooms 20 --senders 1 --rate 1 --warmup 0 \
    --duration "$1" --drain 2 --setup-timeout 600 --connect-concurrency 100 >"$work/bench.out" 2>&1 &
  crowd_pid=$!
}

# Under strace the server is the tracer's child (a SIGINT to strace would only detach it);
# under valgrind it is the process itself.
stop_server() {
  pkill -INT -P "$server_pid" 2>/dev/null || kill -INT "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

echo "== callgrind: $clients connects, logins and joins"
start_server valgrind --tool=callgrind --callgrind-out-file="$work/cg.out"
callgrind_control -z "$server_pid" >/dev/null
crowd 4
for i in $(seq 1200); do grep -q "all joined" "$work/bench.out" && break; sleep 0.5; done
callgrind_control -d "$server_pid" >/dev/null
wait "$crowd_pid" || true
stop_server
grep -E "setup:" "$work/bench.out" || true
callgrind_annotate --inclusive=yes "$work/cg.out.1" 2>/dev/null | sed -n '/PROGRAM TOTALS/p;/file:function/,$p' |
  grep -E 'PROGRAM TOTALS|chat::|lws|nlohmann|icu' | head -"${TOP:-40}" | cut -c1-160 || true  # head closes early
echo
echo "== strace -c: the same crowd, a second of light traffic and the closes"
start_server strace -c -f -o "$work/strace.txt"
crowd 1
wait "$crowd_pid" || true
stop_server
grep -E "setup:" "$work/bench.out" || true
awk -v n="$clients" 'NR <= 2 { print; next } /^-/ { next } $NF != "" && $4 ~ /^[0-9]+$/ {
  printf "%s  (%.1f per connection)\n", $0, $4 / n }' "$work/strace.txt" | head -25 || true
