#!/usr/bin/env bash
# Installs what is missing, builds every tree, runs every test (native, wasm under node, browser,
# the native unit and integration tests again with the code under test and the server under ASan +
# UBSan, and each fuzz target for 25 s).
# Ends with one line "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/toolchains/setup.sh"
chat_setup

passed=0
failed=0
# Twice the cores: the suites mostly wait on sockets and child processes (the native suite, two
# cores: 271 s at -j2, 200 s at -j4 with the cores half idle, 207 s at -j6).
jobs=$((2 * $(nproc)))
# Runs one ctest preset (extra arguments pass through, e.g. -L browser) with its whole log in
# build/ctest-<name>.log; report_ctest shows the log without the passing lines and counts it.
run_ctest() {
  local name=$1 preset=$2
  shift 2
  ctest --preset "$preset" -j"$jobs" --timeout 600 "$@" > "$CHAT_BUILD/ctest-$name.log" 2>&1 || true
  printf '[test %s] ctest %s ended\n' "$(elapsed)" "$name" >&2
}

report_ctest() {
  local name=$1 when=${2:-}
  echo "== ctest ($name$when)"
  grep -vE '^ *([0-9]+/[0-9]+ Test +#[0-9]+: .* Passed|Start +[0-9]+:)' "$CHAT_BUILD/ctest-$name.log" || true
  count_ctest "$CHAT_BUILD/ctest-$name.log"
}

count_ctest() {
  local summary
  summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$1" || echo "0% tests passed, 1 tests failed out of 1")
  local total bad
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$summary")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
}

# Each fuzz target counts as one test; the fuzzers' crashing inputs are replayed by ctest above.
# Both at once: each is one process, and this machine kind has two cores.
run_fuzzers() {
  local targets=(fuzz_codec fuzz_chat_core) pids=() i status
  for i in "${!targets[@]}"; do
    "$CHAT_ROOT/tests/fuzz/run.sh" --seconds 25 --target "${targets[$i]}" > "$CHAT_BUILD/fuzz-${targets[$i]}.out" 2>&1 &
    pids+=($!)
  done
  for i in "${!targets[@]}"; do
    status=0
    wait "${pids[$i]}" || status=$?
    cat "$CHAT_BUILD/fuzz-${targets[$i]}.out"
    if [ "$status" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
}

# The browser suite and the wasm tests under node mostly wait (on Chromium, on the server, on
# node's start-up), so they run while the sanitizer and fuzz trees compile: a cold run is minutes
# shorter. They pass with every core busy, as every test must. Their output is shown afterwards.
# (run_ctest goes on past a failing suite: under set -e a failed browser suite once kept the wasm
# tests from running at all.)
(
  run_ctest browser native -L browser
  run_ctest wasm wasm
) &
waiting_suites=$!
chat_setup_test_trees
wait "$waiting_suites" || true
for name in browser wasm; do
  report_ctest "$name" ", ran during the sanitizer build"
done

# The native suite and the integration and cluster suites again against the sanitized server
# (the native tree's binaries: the sanitizer tree builds no harness of its own, the harness is not
# what is checked) side by side: both mostly wait on sockets and child processes.
run_ctest asan-server asan-server &
sanitized_server_suites=$!
run_ctest native native -LE '^browser$'
wait "$sanitized_server_suites" || true
report_ctest native
report_ctest asan-server ", side by side with native"
run_ctest asan asan
report_ctest asan
run_fuzzers
printf '[test %s] fuzzers ended\n' "$(elapsed)" >&2

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
