# Sourced by bench/cluster.sh and bench/scale.sh: Redis and chat_server nodes pinned on core 0,
# each in its own folder under $work, and what the scripts read of them in /proc.
# Expects: work (a temporary folder the caller removes), server_bin. Keeps: pids (everything
# started, for stop_all and the caller's exit trap), node_pids and urls (--url flags for
# chat_bench) of the nodes started, redis_url and redis_pid.

pids=()

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# CPU time of a process in clock ticks (user + system).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# Resident memory of a process in KB.
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }

# start_redis NAME: Redis as the guarantees need it (appendonly yes, appendfsync always), plus
# REDIS_FLAGS (e.g. "--auto-aof-rewrite-percentage 0": no AOF rewrite during a run).
# REDIS_NICE (default 0) runs it at that priority: with many nodes on its core, a negative value
# keeps the one process they all wait on from being starved by them.
start_redis() {
  local dir=$work/redis-$1 port
  # shellcheck disable=SC2206  # REDIS_FLAGS is a list of words
  local extra=(${REDIS_FLAGS:-})
  port=$(free_port)
  mkdir -p "$dir"
  taskset -c 0 nice -n "${REDIS_NICE:-0}" redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync always \
    --save '' --logfile "$dir/log" "${extra[@]}" &
  redis_pid=$!
  pids+=("$redis_pid")
  for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis_url=redis://127.0.0.1:$port/0
}

# start_node NAME [FLAGS...]: one chat_server on core 0 (--no-limits: the load would be refused);
# appends its ws:// URL to urls, its pid to node_pids. Started through a symlink of its own name:
# other people's clean-ups on this shared machine (pkill -f chat_server) stopped servers mid-run.
start_node() {
  local dir=$work/$1
  shift
  mkdir -p "$dir/web" "$dir/data"
  echo "<!doctype html><title>bench</title>" >"$dir/web/index.html"
  ln -sf "$(realpath "$server_bin")" "$dir/bench-target"
  : >"$dir/stdout"  # the background job opens it only once it runs
  taskset -c 0 "$dir/bench-target" --host 127.0.0.1 --port 0 --data-dir "$dir/data" --web-root "$dir/web" \
    --log-level warn --no-limits "$@" >"$dir/stdout" 2>"$dir/stderr" &
  local pid=$! port=
  pids+=("$pid")
  for _ in $(seq 300); do
    port=$(sed -n 's#^listening on http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$dir/stdout")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "$(basename "$0"): node $dir did not start: $(tail -3 "$dir/stderr")" >&2; exit 1; }
  urls+=(--url "ws://127.0.0.1:$port/ws")
  node_pids+=("$pid")
}

# SIGTERM to everything started, SIGKILL to what still runs 10 s later.
stop_all() {
  local pid _
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
