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
  local name=$1
  echo "== ctest ($name)"
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
# Both at once (each is one process, and this machine kind has two cores), in the background: each
# one's output and exit status go to build/fuzz-<target>.out and .status for report_fuzzers.
fuzz_targets=(fuzz_codec fuzz_chat_core)
run_fuzzers() {
  local target
  for target in "${fuzz_targets[@]}"; do
    (
      status=0
      "$CHAT_ROOT/tests/fuzz/run.sh" --seconds 25 --target "$target" > "$CHAT_BUILD/fuzz-$target.out" 2>&1 || status=$?
      echo "$status" > "$CHAT_BUILD/fuzz-$target.status"
    ) &
  done
  wait
  printf '[test %s] fuzzers ended\n' "$(elapsed)" >&2
}

# A target with no status (its tree failed to build) failed.
report_fuzzers() {
  local target
  for target in "${fuzz_targets[@]}"; do
    cat "$CHAT_BUILD/fuzz-$target.out" 2>/dev/null || true
    if [ "$(cat "$CHAT_BUILD/fuzz-$target.status" 2>/dev/null)" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  done
}

# Most suites mostly wait (on Chromium, on node's start-up, on servers and sockets), so they run
# side by side with each other and with the compiling still to do; every test passes with every
# core busy, as it must. The cold run (2 cores, 19.4 min one after the other) was CPU-bound while
# compiling and three-quarters busy while testing: what follows fills that last quarter.
# - The browser suite and the wasm tests run while the sanitizer tree compiles.
# - Once it is built, its two suites (the unit tests, and the native tree's integration and cluster
#   suites against the sanitized server: the sanitizer tree builds no harness of its own, the
#   harness is not what is checked) run beside the native suite, and so does the fuzz tree's build
#   and then its two runs.
# Each suite's whole log is in build/ctest-<name>.log; they are reported afterwards, in one order.
# (run_ctest goes on past a failing suite: under set -e a failed browser suite once kept the wasm
# tests from running at all.)
(
  run_ctest browser native -L browser
  run_ctest wasm wasm
) &
waiting_suites=$!
configure_and_build asan
(
  run_ctest asan-server asan-server
  run_ctest asan asan
) &
sanitized_suites=$!
rm -f "$CHAT_BUILD"/fuzz-*.status
(configure_and_build fuzz && run_fuzzers) &
fuzzing=$!
wait "$waiting_suites" || true
run_ctest native native -LE '^browser$'
wait "$sanitized_suites" || true
wait "$fuzzing" || true
for name in browser wasm native asan-server asan; do
  report_ctest "$name"
done
report_fuzzers

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
