#!/usr/bin/env bash
# Installs what is missing, builds every tree, runs every test (native, wasm under node, browser,
# the native unit and integration tests again with the code under test and the server under ASan +
# UBSan, and each fuzz target for 25 s).
# Ends with one line "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/toolchains/setup.sh"
chat_setup
chat_setup_test_trees

passed=0
failed=0
run_ctest() {
  local preset=$1
  local log="$CHAT_BUILD/ctest-$preset.log"
  echo "== ctest --preset $preset"
  ctest --preset "$preset" -j"$(nproc)" --timeout 600 2>&1 | tee "$log" | grep -vE '^ *([0-9]+/[0-9]+ Test +#[0-9]+: .* Passed|Start +[0-9]+:)' || true
  local summary
  summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" || echo "0% tests passed, 1 tests failed out of 1")
  local total bad
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
  bad=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$summary")
  passed=$((passed + total - bad))
  failed=$((failed + bad))
}

# Each fuzz target counts as one test; the fuzzers' crashing inputs are replayed by ctest above.
run_fuzzers() {
  local target
  for target in fuzz_codec fuzz_chat_core; do
    if "$CHAT_ROOT/tests/fuzz/run.sh" --seconds 25 --target "$target"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
    fi
  done
}

run_ctest native
run_ctest wasm
run_ctest asan
run_fuzzers

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
