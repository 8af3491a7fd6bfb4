#!/usr/bin/env bash
# Run every test suite (each in its own folder, so each service keeps its own conftest), keep
# going after a failure, and end with one summary line: "total: N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
py="$root/.venv/bin/python"
suites=(shared services/identity services/catalogue services/contracting services/products services/support services/portal deploy tests-e2e)
passed=0; failed=0; errors=0; status=0
for suite in "${suites[@]}"; do
  dir="$root/$suite"
  [ -d "$dir" ] || continue
  if [ "$suite" = "tests-e2e" ]; then target="."; else target="tests"; fi
  [ -d "$dir/$target" ] || continue
  echo "=== $suite ==="
  out=$(mktemp)
  # Output goes to a file, not a pipe: a stray child process holding a pipe open would keep the
  # run waiting forever. A test over TEST_TIMEOUT is failed with its stack; a suite over
  # SUITE_TIMEOUT is killed, so CI always ends with a verdict.
  (cd "$dir" && exec timeout --kill-after=30 "${SUITE_TIMEOUT:-1800}" \
    "$py" -m pytest -q -p no:cacheprovider --timeout="${TEST_TIMEOUT:-300}" "$target" "$@") >"$out" 2>&1 &
  pid=$!
  tail -n +1 -f --pid="$pid" "$out"
  wait "$pid"
  code=$?
  if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then echo "!!! $suite killed after ${SUITE_TIMEOUT:-1800} s"; fi
  line=$(grep -E "^(=+ )?[0-9]+ (passed|failed)|no tests ran" "$out" | tail -1)
  p=$(echo "$line" | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+" || true)
  f=$(echo "$line" | grep -oE "[0-9]+ failed" | grep -oE "[0-9]+" || true)
  e=$(echo "$line" | grep -oE "[0-9]+ errors?" | grep -oE "[0-9]+" || true)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); errors=$((errors + ${e:-0}))
  if [ "$code" -ne 0 ]; then
    status=1
    if [ "$code" -eq 5 ]; then echo "!!! $suite collected no tests"; fi
    if [ -z "$f$e" ]; then failed=$((failed + 1)); fi
  fi
  rm -f "$out"
done
echo
echo "total: $passed passed, $((failed + errors)) failed"
exit $status
