#!/usr/bin/env bash
# Runs the libFuzzer targets (preset fuzz, built here if needed) for a bounded time each, one after
# the other. ./test.sh runs each for 45 s; a longer hunt: tests/fuzz/run.sh --minutes 30
# A crash stops the target: its input is saved under build/fuzz/artifacts/<target>/; once fixed,
# copy it to tests/fuzz/regressions/<target>/ so that ctest replays it in every tree.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: tests/fuzz/run.sh [--seconds N | --minutes N] [--target fuzz_codec|fuzz_chat_core]... [-- libFuzzer flags]
  Defaults: 45 seconds per target, every target. The growing corpus is kept in build/fuzz/corpus/.
USAGE
}

seconds=45
targets=()
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
[ "${#targets[@]}" -gt 0 ] || targets=(fuzz_codec fuzz_chat_core)

source "$(dirname "$0")/../../toolchains/setup.sh"
fuzz_dir="$CHAT_ROOT/tests/fuzz"
[ -x "$CHAT_BUILD/fuzz/tests/fuzz/fuzz_codec" ] || { install_missing_debian_packages; configure_and_build fuzz; }

# One target: libFuzzer's last lines go to the terminal, the whole log to build/fuzz/<target>.log.
run_target() {
  local target=$1
  local corpus="$CHAT_BUILD/fuzz/corpus/$target" artifacts="$CHAT_BUILD/fuzz/artifacts/$target/"
  local log="$CHAT_BUILD/fuzz/$target.log"
  mkdir -p "$corpus" "$artifacts"
  local flags=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512
               -artifact_prefix="$artifacts" -print_final_stats=1)
  [ -f "$fuzz_dir/$target.dict" ] && flags+=(-dict="$fuzz_dir/$target.dict")
  echo "== $target: ${seconds}s (log: $log)"
  local status=0
  # New inputs go to the first folder (build tree); the seeds and regressions in the repo are read only.
  "$CHAT_BUILD/fuzz/tests/fuzz/$target" "${flags[@]}" "${extra[@]}" "$corpus" \
    "$fuzz_dir/corpus/$target" "$fuzz_dir/regressions/$target" >"$log" 2>&1 || status=$?
  grep -aE '^(stat::number_of_executed_units|stat::peak_rss_mb)|fuzz check failed|^SUMMARY|Test unit written' "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "$target FAILED (exit $status): see $log; keep the input in tests/fuzz/regressions/$target/ once fixed"
  fi
  return "$status"
}

failed=0
for target in "${targets[@]}"; do
  run_target "$target" || failed=1
done
exit "$failed"
