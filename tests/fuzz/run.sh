#!/usr/bin/env bash
# tests/fuzz/run.sh - runs the scenario loader's libFuzzer target for a
# bounded time; exits non-zero on any finding (crash, leak, sanitizer
# report, hang, or a failed check of the target).
# usage: run.sh BUILD_DIR SECONDS [libFuzzer options...]
#   BUILD_DIR was configured with -DBURNSIM_FUZZ=ON (CC=clang) and holds the
#   fuzz_scenario and burnsim targets.  New inputs collect in
#   BUILD_DIR/fuzz/corpus, findings in BUILD_DIR/fuzz/artifacts.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [libFuzzer options...]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
seconds=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
fuzzer=$build/tests/fuzz/fuzz_scenario
for f in "$fuzzer" "$build/burnsim"; do
  [ -x "$f" ] || { echo "fuzz: $f is missing; build it with -DBURNSIM_FUZZ=ON" >&2; exit 2; }
done
work=$build/fuzz
mkdir -p "$work/corpus" "$work/artifacts"

# The dictionary: libconfig's syntax, then every key name and choice of the
# schema as the binary describes it.
dict=$work/scenario.dict
{
  cat "$src/tests/fuzz/scenario.dict"
  ref=$("$build/burnsim" check --reference)
  grep '^| `' <<<"$ref" | cut -d'`' -f2 | tr '.' '\n' | grep -v '^\[i\]$' | sort -u | sed 's/.*/"&"/'
  grep '^| `' <<<"$ref" | cut -d'|' -f3 | grep -o '"[A-Za-z0-9_.-]*"' | sort -u | sed 's/"\(.*\)"/"\\"\1\\""/'
} >"$dict"

echo "fuzz: $(grep -c '^"' "$dict") dictionary entries; seeds from scenarios/, tests/configs/, tests/fuzz/seeds/; ${seconds} s"
# Leaks are looked for once, when the run ends (LeakSanitizer at exit), not
# after every input: libconfig's own leak on some syntax errors (lsan.supp)
# would otherwise set off a full leak check per input and cut the rate five
# times.  To find the input behind a leak reported at exit, rerun with
# -detect_leaks=1 over BUILD_DIR/fuzz/corpus.
status=0
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
  LSAN_OPTIONS=suppressions=$src/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS} \
  "$fuzzer" -dict="$dict" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -detect_leaks=0 -artifact_prefix="$work/artifacts/" "$@" \
  "$work/corpus" "$src/scenarios" "$src/tests/configs" "$src/tests/fuzz/seeds" 2>"$work/log" || status=$?
grep -E '^(#[0-9]+.*(INITED|DONE)|Done|stat::)' "$work/log" || true
if [ "$status" != 0 ]; then
  echo "fuzz: FINDING (exit $status); the last of the log ($work/log):" >&2
  tail -n 60 "$work/log" >&2
  ls -l "$work/artifacts" >&2
  exit 1
fi
echo "fuzz: no finding"
