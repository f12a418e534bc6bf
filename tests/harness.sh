# tests/harness.sh - what the end-to-end test scripts share: temporary
# folders removed on exit, and checks that count passes and failures.
# Source it after setting burnsim and src; end with `harness_done NAME`.
work=$(mktemp -d)  # results folders only
logs=$(mktemp -d)  # captured output
trap 'rm -rf "$work" "$logs"' EXIT
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then pass; else fail "$what"; fi
}
exit_code() { # exit_code EXPECTED COMMAND...: stdout in $logs/out, stderr in $logs/err
  local expected=$1; shift
  "$@" >"$logs/out" 2>"$logs/err"
  local rc=$?
  if [ "$rc" = "$expected" ]; then pass; else fail "exit $rc, expected $expected: $*"; cat "$logs/err"; fi
}
harness_done() { # harness_done NAME: the tally, and the script's exit status
  echo "$1: $passed passed, $failed failed"
  [ "$failed" = 0 ]
}
