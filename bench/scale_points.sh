# Sourced by bench/scale.sh: the runs of one point. fresh_nodes starts the servers, hold_crowd
# runs the crowd in hold mode over one or several generator processes and reads the nodes,
# one_node_run runs chat_bench against one node, keep_failure keeps a failed point's logs.
# Uses scale.sh's settings (bench_bin, gen_cap, clients_per_address, hold_s, point_limit,
# setup_timeout, hz, work, out, point) and nodes.sh's helpers.

# fresh_nodes NODES CLIENTS [FLAGS...]: one SQLite node, or NODES nodes on one fresh Redis (also one
# node when CONNECTIONS_ENGINE=redis, for the connections sweep: the same engine at every size); each
# allowed its share of CLIENTS (+512) but within the descriptor hard limit (soft = cap + 2048).
fresh_nodes() {
  local nodes=$1 clients=$2 n cap
  shift 2
  # shellcheck disable=SC2206  # NODE_FLAGS is a list of words
  local extra=(${NODE_FLAGS:-})
  set -- "$@" "${extra[@]}"
  urls=()
  node_pids=()
  redis_pid=
  cap=$(( $(ceil_div "$clients" "$nodes") + 512 ))
  [ "$cap" -le 17900 ] || cap=17900
  if [ "$nodes" -gt 1 ] || [ "${engine:-sqlite}" = redis ]; then
    start_redis "$point"
    for n in $(seq "$nodes"); do
      start_node "$point-node$n" --redis "$redis_url" --max-connections "$cap" --metrics-listen 127.0.0.1:0 "$@"
    done
  else
    start_node "$point-node1" --max-connections "$cap" --metrics-listen 127.0.0.1:0 "$@"
  fi
}

# wait_for_line PATTERN FILE PID DEADLINE: until FILE holds PATTERN; false if PID ended or time ran out.
wait_for_line() {
  while ! grep -q "$1" "$2" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || return 1
    [ "$(date +%s)" -lt "$4" ] || return 1
    sleep 0.1
  done
}

# hold_crowd LOG_PREFIX CLIENTS ROOMS [chat_bench FLAGS...]: the crowd in hold mode, split over
# ceil(CLIENTS/GEN_CAP) generator processes numbering their clients apart; the first creates the
# rooms, the others start on its "rooms ready" and join them. Once every process holds, the nodes'
# RSS and CPU are read, then SIGUSR1 ends the holds. Appends to the run's values file: connect_s
# join_s kb_per_conn cpu_us_per_conn (all nodes together) redis_kb_per_conn (or -).
hold_crowd() {
  local prefix=$1 clients=$2 rooms=$3
  shift 3
  local gens per_gen addresses concurrency k first count deadline pid ok=1
  gens=$(ceil_div "$clients" "$gen_cap")
  per_gen=$(ceil_div "$clients" "$gens")
  addresses=$(ceil_div "$clients" "$clients_per_address")
  # Every node's handshake guard starts killing the oldest unfinished handshakes at 768: the
  # processes together keep fewer than that in flight per node.
  concurrency=${CONNECT_CONCURRENCY:-$(( 600 * ${#node_pids[@]} / gens ))}
  [ "$concurrency" -le 500 ] || concurrency=500
  local rss_before=0 cpu_before=0 redis_before=-
  for pid in "${node_pids[@]}"; do
    rss_before=$((rss_before + $(rss_kb "$pid")))
    cpu_before=$((cpu_before + $(cpu_ticks "$pid")))
  done
  [ -z "$redis_pid" ] || redis_before=$(rss_kb "$redis_pid")
  deadline=$(( $(date +%s) + point_limit ))
  gen_pids=()
  for k in $(seq 0 $((gens - 1))); do
    first=$((k * per_gen))
    count=$per_gen
    [ $((first + count)) -le "$clients" ] || count=$((clients - first))
    # Every process spreads its clients over all the rooms (rooms <= its clients).
    local own_rooms=$rooms
    [ "$own_rooms" -le "$count" ] || own_rooms=$count
    taskset -c 1 "$bench_bin" "${urls[@]}" --scenario c --clients "$count" --rooms "$own_rooms" --senders 0 \
      --duration "$point_limit" --setup-timeout "$setup_timeout" --first-client "$first" \
      --create-rooms "$([ "$k" = 0 ] && echo 1 || echo 0)" --source-addresses "$addresses" \
      --connect-concurrency "$concurrency" "$@" >"$prefix.gen$k.log" 2>&1 &
    gen_pids+=("$!")
    if [ "$k" = 0 ] && [ "$gens" -gt 1 ]; then
      wait_for_line 'rooms ready' "$prefix.gen0.log" "${gen_pids[0]}" "$deadline" || ok=0
    fi
  done
  for k in "${!gen_pids[@]}"; do
    [ "$ok" = 1 ] || break
    wait_for_line 'holding' "$prefix.gen$k.log" "${gen_pids[$k]}" "$deadline" || ok=0
  done
  local rss_after=0 cpu_after=0
  if [ "$ok" = 1 ]; then
    # CPU at once (the idle nodes' CPU while holding is not the connections' cost; it weighed
    # ~10 us per connection at 1 000), RSS after HOLD_S (what stays once the crowd is in).
    for pid in "${node_pids[@]}"; do cpu_after=$((cpu_after + $(cpu_ticks "$pid"))); done
    sleep "$hold_s"
    for pid in "${node_pids[@]}"; do rss_after=$((rss_after + $(rss_kb "$pid"))); done
  fi
  local redis_after=-
  [ -z "$redis_pid" ] || redis_after=$(rss_kb "$redis_pid")
  local signal=USR1
  [ "$ok" = 1 ] || signal=KILL  # a process failed or time ran out: the run is lost anyway
  for pid in "${gen_pids[@]}"; do kill -"$signal" "$pid" 2>/dev/null || true; done
  local status=0
  # (bash's own "Killed" notice for a process killed above is not news: stderr of wait is dropped)
  for pid in "${gen_pids[@]}"; do { wait "$pid"; } 2>/dev/null || status=1; done
  gen_pids=()
  cat "$prefix".gen*.log >"$prefix.log"
  if [ "$ok" = 0 ] || [ "$status" != 0 ] || [ "$(grep -c '^RESULT.* ok=1 ' "$prefix.log")" != "$gens" ]; then
    echo "  [$prefix] failed: $(grep -h -E 'SETUP FAILED|first problem' "$prefix".gen*.log | head -2 | tr '\n' ' ')" >&2
    keep_failure "$prefix"
    return 1
  fi
  # Across processes: first connect to last login; last login to last join.
  local first_connect last_login joined
  first_connect=$(key first_connect_unix_ns "$prefix.log" | sort -n | head -1)
  last_login=$(key last_login_unix_ns "$prefix.log" | sort -n | tail -1)
  joined=$(key joined_unix_ns "$prefix.log" | sort -n | tail -1)
  # Redis's own growth per connection (the names claimed there) is a column of its own; "-"
  # without Redis.
  awk -v fc="$first_connect" -v ll="$last_login" -v j="$joined" -v rb="$rss_before" -v ra="$rss_after" \
    -v cb="$cpu_before" -v ca="$cpu_after" -v hz="$hz" -v n="$clients" -v xb="$redis_before" -v xa="$redis_after" 'BEGIN {
      redis = (xb == "-") ? "-" : sprintf("%.3f", (xa - xb) / n)
      printf "%.4f %.4f %.3f %.2f %s\n", (ll - fc) / 1e9, (j - ll) / 1e9, (ra - rb) / n, (ca - cb) / hz * 1e6 / n, redis }'
}

# keep_failure PREFIX: the failed point's generator logs and its nodes' stderr go to OUT/failed/.
keep_failure() {
  local name dir
  name=$(basename "$1")
  mkdir -p "$out/failed"
  cp "$1".*log "$1.log" "$out/failed/" 2>/dev/null || true
  local metrics
  for dir in "$work/$name"-node*; do
    [ -f "$dir/stderr" ] && tail -50 "$dir/stderr" >"$out/failed/$(basename "$dir").stderr"
    # What the node counted (drops, refusals, store failures) says why clients were lost.
    metrics=$(sed -n 's#^metrics on \(http://[^ ]*\)$#\1#p' "$dir/stdout" 2>/dev/null)
    [ -z "$metrics" ] || curl -s --max-time 5 "$metrics" | grep -v '^#' >"$out/failed/$(basename "$dir").metrics" || true
  done
  [ ! -f "$work/redis-$name/log" ] || tail -50 "$work/redis-$name/log" >"$out/failed/$name-redis.log"
  echo "  (logs in $out/failed/)" >&2
}

# one_node_run LOG [chat_bench FLAGS...]: chat_bench against the one node started last, with its pid.
one_node_run() {
  local log=$1
  shift
  taskset -c 1 "$bench_bin" "${urls[@]}" --server-pid "${node_pids[0]}" --setup-timeout "$setup_timeout" "$@" \
    >"$log" 2>&1 &
  gen_pids=("$!")
  local status=0
  wait "${gen_pids[0]}" || status=$?
  gen_pids=()
  [ "$status" = 0 ] && return 0
  echo "  [$(basename "$log")] failed (exit $status): $(grep -E 'SETUP FAILED|first problem' "$log" | head -2 | tr '\n' ' ')" >&2
  keep_failure "${log%.log}"
  return 1
}
