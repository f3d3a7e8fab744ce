#!/usr/bin/env bash
# The soak in one command: builds chat_server and chat_soak if needed, then minutes of mixed
# traffic (honest, churning, slow and hostile clients) against one server run as shipped (rate
# limits on), pinned on core 0 with the soak on core 1. Exit status is the verdict. See
# docs/BENCHMARKS.md, "The soak".
set -euo pipefail

usage() {
  cat <<'TEXT'
Usage: tests/soak/run.sh [--duration S] [--smoke]
  --duration S      seconds of traffic (default 180)
  --smoke           what ctest's soak_smoke runs: the soak for 8 s with fewer clients
The verdict: 0 no honest line lost, duplicated or reordered, no refusal or dropped connection of an
honest client, the server alive and stopping cleanly on SIGTERM. The server's RSS every 10 s.
Environment: BUILD_DIR (default build/native), BENCH_SERVER_FLAGS (extra chat_server flags),
  BENCH_ARGS (extra chat_soak flags), BENCH_SERVER_BIN / SOAK_BIN (use these binaries, no build),
  BENCH_LOG_DIR (keep the output there; default a temporary folder, removed).
TEXT
}

root=$(cd "$(dirname "$0")/../.." && pwd)
duration=
soak_smoke=
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --smoke) soak_smoke=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

build_if_needed() {
  if [ -n "${BENCH_SERVER_BIN:-}" ] && [ -n "${SOAK_BIN:-}" ]; then
    server_bin=$BENCH_SERVER_BIN
    bench_bin=$SOAK_BIN
    return
  fi
  local build_dir=${BUILD_DIR:-$root/build/native}
  build_targets "$build_dir" chat_server chat_soak
  server_bin=$build_dir/server/chat_server
  bench_bin=$build_dir/tests/soak/chat_soak
}

# shellcheck source=../loadkit/server.sh
source "$root/tests/loadkit/server.sh"

# The soak's output goes to the terminal as it comes (a progress line every 10 s), and to the log.
# Afterwards the server must still be alive and stop cleanly on SIGTERM, and its warnings are
# counted: each slow reader dropped shows up as one "queued and not read" line.
run_soak() {
  [ -n "$duration" ] || duration=180
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
run_soak
