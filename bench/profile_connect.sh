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
# shellcheck source=../tests/loadkit/server.sh
source "$root/tests/loadkit/server.sh"
build_dir=${BUILD_DIR:-$root/build/native}
server_bin=${BENCH_SERVER_BIN:-$build_dir/server/chat_server}
bench_bin=${BENCH_BIN:-$build_dir/bench/chat_bench}
[ -x "$server_bin" ] && [ -x "$bench_bin" ] || build_targets "$build_dir" chat_server chat_bench
command -v valgrind >/dev/null && command -v strace >/dev/null || { echo "profile_connect.sh: needs valgrind and strace" >&2; exit 2; }

# profiled_server WRAPPER...: a fresh server under the wrapper (start_server: pinned, its port read).
profiled_server() {
  rm -rf "$log_dir/data" && mkdir -p "$log_dir/data" "$log_dir/web" && echo hi >"$log_dir/web/index.html"
  start_server "$@" "$server_bin" --host 127.0.0.1 --port 0 --data-dir "$log_dir/data" --web-root "$log_dir/web" \
    --log-level warn --no-limits
}

crowd() {
  "${bench_pin[@]}" "$bench_bin" --scenario c --port "$server_port" --clients "$clients" --rooms 20 --senders 1 --rate 1 \
    --warmup 0 --duration "$1" --drain 2 --setup-timeout 600 --connect-concurrency 100 >"$log_dir/bench.out" 2>&1 &
  crowd_pid=$!
}

# Under strace the server is the tracer's child (a signal to strace would only detach it); under
# valgrind it is the process itself. Then stop_server's usual end.
stop_profiled_server() {
  pkill -INT -P "$server_pid" 2>/dev/null || kill -INT "$server_pid"
  stop_server
}

echo "== callgrind: $clients connects, logins and joins"
profiled_server valgrind --tool=callgrind --callgrind-out-file="$log_dir/cg.out"
callgrind_control -z "$server_pid" >/dev/null
crowd 4
for _ in $(seq 1200); do grep -q "all joined" "$log_dir/bench.out" && break; sleep 0.5; done
callgrind_control -d "$server_pid" >/dev/null
wait "$crowd_pid" || true
stop_profiled_server
grep -E "setup:" "$log_dir/bench.out" || true
callgrind_annotate --inclusive=yes "$log_dir/cg.out.1" 2>/dev/null | sed -n '/PROGRAM TOTALS/p;/file:function/,$p' |
  grep -E 'PROGRAM TOTALS|chat::|lws|nlohmann|icu' | head -"${TOP:-40}" | cut -c1-160 || true  # head closes early
echo
echo "== strace -c: the same crowd, a second of light traffic and the closes"
profiled_server strace -c -f -o "$log_dir/strace.txt"
crowd 1
wait "$crowd_pid" || true
stop_profiled_server
grep -E "setup:" "$log_dir/bench.out" || true
awk -v n="$clients" 'NR <= 2 { print; next } /^-/ { next } $NF != "" && $4 ~ /^[0-9]+$/ {
  printf "%s  (%.1f per connection)\n", $0, $4 / n }' "$log_dir/strace.txt" | head -25 || true
