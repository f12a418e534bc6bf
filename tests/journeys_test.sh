#!/usr/bin/env bash
# tests/journeys_test.sh - three users' paths through burnsim, as each
# would walk them on a fresh clone, with the real binary:
#   the student: the README's run command as written, then an edited copy
#     of the scenario with a typo, told where and what;
#   the leader: one command for a what-if, with its ranking and its page;
#   the researcher: a replicated comparison interrupted and resumed, the
#     same as an uninterrupted one, its first command kept as provenance.
# (The README's MPI line, run twice without -o, is walked in userpath_test.)
# usage: journeys_test.sh BURNSIM SOURCE_DIR
set -u
burnsim=$1
src=$2
. "$(dirname "$0")/harness.sh"

# A tree like the README user's: ./build/burnsim and scenarios/ at the top.
top=$work/top
mkdir -p "$top/build"
ln -s "$(realpath "$burnsim")" "$top/build/burnsim"
cp -r "$src/scenarios" "$top/scenarios"

# ---- the student -------------------------------------------------------------------
run_line=$(grep -m 1 '^apt-get update .*burnsim run' "$src/README.md" | sed 's/.*&& \(\.\/build\/burnsim run .*\)$/\1/')
check "the README has a run command" test -n "$run_line"
(cd "$top" && bash -c "$run_line") >"$logs/out" 2>"$logs/err"
check "the README's run command works as written ($run_line)" test $? = 0
check "it writes the default scenario's results" test -s "$top/results/quickstart/summary.csv"
check "and says what happened in plain words" grep -q "burn" "$logs/out"
if command -v gnuplot >/dev/null; then
  check "with its figures" test "$(ls "$top/results/quickstart/plots/"*.png 2>/dev/null | wc -l)" -ge 5
fi
sed 's/type = "tokens";/type = "tokns";/' "$top/scenarios/quickstart.cfg" >"$top/mine.cfg"
line=$(grep -n 'type = "tokns";' "$top/mine.cfg" | head -n 1 | cut -d: -f1)
(cd "$top" && ./build/burnsim run mine.cfg) >"$logs/out" 2>"$logs/err"
check "a typo stops the run" test $? = 2
check "and is told with file, line, key, what was expected and a suggestion" \
  grep -q "^mine.cfg:$line: kpi.type: expected one of .*found \"tokns\"; did you mean \"tokens\"?" "$logs/err"
check "nothing is written for it" test ! -e "$top/results/quickstart-2"

# ---- the leader ----------------------------------------------------------------------
small=(--set org.agents=200 --set org.teams=8 --set days=28.0)
(cd "$top" && ./build/burnsim compare quickstart --arm output_kpi:kpi.type=output \
  --arm "rollover:budget.unspent=rollover;budget.rollover_cap=0.5" --reps 5 "${small[@]}" --no-plot) \
  >"$logs/out" 2>"$logs/err"
check "the one-command what-if runs" test $? = 0
check "it ranks the policies in the terminal" grep -q "output_kpi" "$logs/out"
leader=$(ls -d "$top"/results/quickstart*-compare 2>/dev/null | head -n 1)
check "its folder is named for the changes" test -n "$leader"
check "with the page written at the end" test -s "$leader/report.html"
check "the page names each arm's change" grep -q "<b>output_kpi</b> changes <code>kpi.type=output</code>" "$leader/report.html"
check "and gives a verdict for each" grep -q "than the baseline\|no clear difference" "$leader/report.html"

# ---- the researcher ------------------------------------------------------------------
compare=$src/scenarios/compare_kpi.cfg
long=(--set org.agents=600 --set org.teams=20 --set days=28.0 --no-plot --reps 3 --threads 2)
exit_code 0 "$burnsim" compare "$compare" "${long[@]}" -o "$work/whole" -q
"$burnsim" compare "$compare" "${long[@]}" -o "$work/cut" -q >/dev/null 2>&1 &
pid=$!
for i in $(seq 600); do [ -d "$work/cut/runs/000001" ] && break; sleep 0.05; done
kill -INT "$pid"
wait "$pid"
check "the interrupted comparison is not complete" grep -q '^complete = false;' "$work/cut/manifest.cfg"
first=$(grep '^command_line' "$work/cut/manifest.cfg")
exit_code 0 "$burnsim" compare "$compare" "${long[@]}" -o "$work/cut" --resume -q
for f in summary.csv stats.csv paired.csv daily_stats.csv design.csv; do
  check "resumed $f = uninterrupted" cmp -s "$work/whole/$f" "$work/cut/$f"
done
check "the first command is kept" test "$(grep '^command_line' "$work/cut/manifest.cfg")" = "$first"
check "and the resume is logged beside it" grep -q '^resumes = .*--resume' "$work/cut/manifest.cfg"
repeat=$(grep -A1 'To repeat it' "$work/cut/report.html" | tail -n 1)
check "the page's 'to repeat it' is the first command, not the resume" \
  bash -c "grep -q -- '-o $work/cut' <<<'$repeat' && ! grep -q -- '--resume' <<<'$repeat'"

harness_done journeys
