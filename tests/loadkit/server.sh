# Sourced by bench/run.sh and tests/soak/run.sh: a fresh chat_server (or any server printing
# "listening on http://127.0.0.1:PORT/") pinned on core 0, the load pinned on core 1, a log folder,
# and the clean-up on exit. Expects server_bin and bench_bin to be set before start_* / run_bench.

# Both processes inherit this: 10 000 clients need 10 000+ descriptors on each side.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(nproc)" -ge 2 ]; then
  server_pin=(taskset -c 0)
  bench_pin=(taskset -c 1)
else
  server_pin=()
  bench_pin=()
  echo "$(basename "$0"): only one CPU, server and load are not pinned apart: figures are not comparable" >&2
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

# build_targets BUILD_DIR TARGET...: configures the tree if it has never been, then builds TARGETs.
build_targets() {
  local build_dir=$1
  shift
  if [ ! -f "$build_dir/build.ninja" ] && [ ! -f "$build_dir/Makefile" ]; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build "$build_dir" --target "$@" >/dev/null
}

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
        echo "$(basename "$0"): the server did not start: $(tail -5 "$server_dir/stderr")" >&2
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

# run_bench LOG ARGS...: the load (bench_bin) pinned on core 1 against the server started last,
# bounded in time (TIME_LIMIT, default 600 s).
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
