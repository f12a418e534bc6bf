#!/usr/bin/env bash
# tests/validate_test.sh - burnsim validate end to end: the quick set passes
# with exit status 0 and a complete validation folder; its report; the same
# verdicts whatever the thread count; known answers broken on purpose fail
# with exit status 1; bad targets and bad usage are refused with status 2.
# usage: validate_test.sh BURNSIM SOURCE_DIR [quick|checks]
set -u
burnsim=$1
src=$2
part=${3:-checks}
. "$(dirname "$0")/harness.sh"
cd "$src" || exit 1  # the README runs burnsim from the top of the tree

verdict_fields() { # verdict_fields CSV: "target verdict replications" per check (claims may hold commas)
  sed -nE '3,$ s/^([^,]*),.*,(pass|fail|inconclusive),([0-9]+),.*/\1 \2 \3/p' "$1"
}
verdicts() { # verdicts CSV: "pass fail inconclusive" counts
  verdict_fields "$1" | awk '{ n[$2]++ } END { printf "%d %d %d\n", n["pass"], n["fail"], n["inconclusive"] }'
}

if [ "$part" = quick ]; then
  # The quick set: every check passes, the exit status says so.
  exit_code 0 "$burnsim" validate --quick -o "$work/quick"
  check "the table names each target and its source" grep -q '^erlang_c: ' "$logs/out"
  check "the table gives a source per target" grep -q '^  source: Erlang 1917' "$logs/out"
  check "a check's line: known answer, tolerance, interval, verdict" \
    grep -qE '^  wait_0.95 +1 +\+-5% +[0-9.]+ \[[0-9.]+, [0-9.]+\] +pass$' "$logs/out"
  check "the table ends with the tally" grep -q 'checks: .* pass, 0 fail, 0 inconclusive' "$logs/out"
  check "validation.csv is written" test -s "$work/quick/validation.csv"
  rows=$(($(wc -l <"$work/quick/validation.csv") - 2))
  check "at least 30 checks in the quick set ($rows)" test "$rows" -ge 30
  check "every quick check passes" test "$(verdicts "$work/quick/validation.csv")" = "$rows 0 0"
  check "the manifest is complete" grep -q '^complete = true;' "$work/quick/manifest.cfg"
  for t in pcg cost energy logit erlang_c little cobham multitask multitask_charge goodhart; do
    check "a verdict for $t" grep -q "^$t," "$work/quick/validation.csv"
  done
  for t in erlang_c little cobham multitask; do
    check "$t's runs are kept" test -s "$work/quick/targets/$t/summary.csv"
  done
  check "the logit target's counts are kept" test -s "$work/quick/targets/logit/counts.csv"
  # Verdicts rest on replications: no interval from a single seed.
  verdict_fields "$work/quick/validation.csv" >"$logs/fields"
  check "every random check has replications" \
    awk '$1 != "pcg" && $1 != "cost" && $1 != "energy" && $3 < 2 { bad = 1 } END { exit bad }' "$logs/fields"
  check "a verdict field per check" test "$(wc -l <"$logs/fields")" = "$rows"
  if command -v gnuplot >/dev/null; then
    check "a figure per target" test -s "$work/quick/plots/erlang_c.png" -a -s "$work/quick/plots/multitask.png"
  fi
  exit_code 0 "$burnsim" report "$work/quick"
  check "report.html is written" test -s "$work/quick/report.html"
  check "the report has the table" grep -q 'erlang_c' "$work/quick/report.html"
  check "the report has the commands" grep -q 'burnsim validate' "$work/quick/report.html"
  harness_done validate_quick
  exit
fi

# The same verdicts whatever the thread count (validation.csv is computed
# from the run files alone).
exit_code 0 "$burnsim" validate pcg cost logit little --quick --threads 1 --no-plot -o "$work/t1"
exit_code 0 "$burnsim" validate pcg cost logit little --quick --threads 2 --no-plot -o "$work/t2"
check "validation.csv is identical on 1 and 2 threads" cmp -s "$work/t1/validation.csv" "$work/t2/validation.csv"
check "only the targets asked for ran" test "$(cut -d, -f1 "$work/t1/validation.csv" | sort -u | grep -vc '^#\|^target')" = 4

# Known answers broken on purpose: a wrong Erlang C formula, a wrong cost
# constant, a queue that is not M/M/c, a PCG32 reference record changed.  Each must fail, and the exit status
# must say so.
exit_code 1 "$burnsim" validate --targets "$src/tests/data/validation/broken_targets.cfg" --no-plot -o "$work/broken"
check "the broken Erlang C fails" grep -q '^wrong_erlang_c,wait_0.8,.*,fail,' "$work/broken/validation.csv"
check "the broken cost constant fails" grep -q '^wrong_cost,day_low,.*,fail,' "$work/broken/validation.csv"
check "M/D/c against Erlang C fails" grep -q '^deterministic,wait_0.8,.*,fail,' "$work/broken/validation.csv"
check "the broken PCG32 vector fails" grep -q '^wrong_vector,pcg32,.*,fail,' "$work/broken/validation.csv"
check "nothing broken passes" test "$(verdicts "$work/broken/validation.csv")" = "0 4 0"

# An existing folder is not replaced without --force, and never when
# burnsim did not write it.
exit_code 2 "$burnsim" validate pcg -o "$work/t1"
check "an existing validation folder is refused" grep -q 'already exists' "$logs/err"
exit_code 0 "$burnsim" validate pcg --force --no-plot -o "$work/t1"
mkdir -p "$work/mine" && echo keep >"$work/mine/notes.txt"
exit_code 2 "$burnsim" validate pcg --force --no-plot -o "$work/mine"
check "a folder burnsim did not write survives" grep -q keep "$work/mine/notes.txt"

# Bad usage and bad targets files: status 2, nothing run, the reason named.
exit_code 2 "$burnsim" validate no_such_target -o "$work/bad1"
check "an unknown target is named" grep -q 'no target "no_such_target"' "$logs/err"
check "nothing was written for it" test ! -e "$work/bad1"
printf 'targets = ( { name = "x"; source = "s"; checks = ( { name = "c"; value = "1 +"; expected = 1.0; tolerance = 0.1; why = "w"; } ); } );\n' >"$logs/bad.cfg"
exit_code 2 "$burnsim" validate --targets "$logs/bad.cfg" -o "$work/bad2"
check "a bad expression names file and line" grep -q "bad.cfg:1: value:" "$logs/err"
printf 'targets = ( { name = "x"; source = "s"; colour = "red"; checks = ( { name = "c"; value = "1"; expected = 1.0; tolerance = 0.1; why = "w"; } ); } );\n' >"$logs/bad.cfg"
exit_code 2 "$burnsim" validate --targets "$logs/bad.cfg" -o "$work/bad3"
check "an unknown key is named" grep -q "colour: unknown key" "$logs/err"
exit_code 2 "$burnsim" validate --threads 0
exit_code 0 "$burnsim" validate --help
check "validate --help shows usage" grep -q '^usage: burnsim validate' "$logs/out"
harness_done validate
