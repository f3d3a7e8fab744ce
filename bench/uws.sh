#!/usr/bin/env bash
# Side-by-side: the same generator against chat_server and against uws_chat_peer (the seed
# protocol on uWebSockets, bench/uws_peer.cpp), one scenario at a time, alternating run by run so
# that both see the same machine. Needs checkouts of uWebSockets and uSockets, which are other
# projects' sources and never committed here:
#   bench/uws.sh UWS_DIR USOCKETS_DIR [--scenarios "b c d"] [--runs 3] [--duration 5] [--also "FLAGS"]
# Builds build/uws (Release: chat_server, chat_bench, uws_chat_peer), then prints one table row per
# scenario and server (median [min-max], as bench/run.sh prints them). --also adds chat_server
# with those flags as a third server in the rotation. Run logs: BENCH_LOG_DIR.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
uws_dir=$(realpath "$1")
usockets_dir=$(realpath "$2")
shift 2
scenarios="b c d"
runs=3
duration=5
also=
while [ $# -gt 0 ]; do
  case "$1" in
    --scenarios) scenarios=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --also) also=$2; shift 2 ;;
    *) echo "uws.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

build_dir=$root/build/uws
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON \
  -DCHAT_UWS_DIR="$uws_dir" -DCHAT_USOCKETS_DIR="$usockets_dir" >/dev/null
cmake --build "$build_dir" --target chat_server chat_bench uws_chat_peer >/dev/null

log_root=${BENCH_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/chat-uws-XXXXXX")}
mkdir -p "$log_root"
servers=(chat_server uws_chat_peer)
binaries=("$build_dir/server/chat_server" "$build_dir/bench/uws_chat_peer")
flags=("" "")
labels=("${servers[@]}")
if [ -n "$also" ]; then
  servers+=(chat_server_also)
  labels+=("chat_server $also")
  binaries+=("$build_dir/server/chat_server")
  flags+=("$also")
fi
for s in $scenarios; do
  for run in $(seq "$runs"); do
    for i in "${!servers[@]}"; do
      BENCH_LOG_DIR=$log_root/${servers[$i]}-$s-$run BENCH_SERVER_BIN=${binaries[$i]} BENCH_SERVER_FLAGS=${flags[$i]} \
        BENCH_BIN=$build_dir/bench/chat_bench \
        "$root/bench/run.sh" --scenarios "$s" --runs 1 --duration "$duration" >"$log_root/${servers[$i]}-$s-$run.out" 2>&1 ||
        echo "uws.sh: ${servers[$i]} scenario $s run $run failed (see $log_root)" >&2
    done
  done
done

# One results file per server and scenario, then bench/run.sh's own table of them.
echo "median [min-max] over $runs runs each, the servers taking turns run by run; latency in us; CPU in % of one core"
echo "| server | scenario | deliveries/s | p50 | p99 | max | p99 from write | gen. send lag p99 | server CPU % | server KB/conn | connect s | lost/dup/reord | generator CPU % | runs passed |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for s in $scenarios; do
  for i in "${!servers[@]}"; do
    server=${servers[$i]}
    cat "$log_root/$server-$s-"*/"$s.results" >"$log_root/$server-$s.results" 2>/dev/null || true
    "$root/bench/run.sh" --runs "$runs" --print-row "$s" "$log_root/$server-$s.results" | sed "s/^|/| ${labels[$i]} |/"
  done
done
echo "logs: $log_root"
