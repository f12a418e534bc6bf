#!/usr/bin/env bash
# tests/cli_test.sh - end-to-end checks of the real burnsim binary: commands,
# exit codes, results folders, refusal to overwrite, determinism, re-runs
# from a results folder, and interruption.
# usage: cli_test.sh BURNSIM SOURCE_DIR
set -u
burnsim=$1
src=$2
. "$(dirname "$0")/harness.sh"
csv_files() { (cd "$1" && ls *.csv); }
same_results() { # same_results DIR1 DIR2: CSV files and scenario.cfg byte-identical
  local f
  [ -n "$(csv_files "$1")" ] || return 1
  for f in $(csv_files "$1") scenario.cfg; do cmp -s "$1/$f" "$2/$f" || return 1; done
}

scenario=$src/scenarios/cluster.cfg
short=(--set days=2)

# Commands and help.
exit_code 0 "$burnsim" version
check "version names burnsim" grep -q '^burnsim [0-9]' "$logs/out"
exit_code 0 "$burnsim" --help
check "--help lists commands" grep -q 'run SCENARIO' "$logs/out"
for cmd in run compare sweep check plot report version help; do
  exit_code 0 "$burnsim" "$cmd" --help
  check "$cmd --help shows usage" grep -q "^usage: burnsim $cmd" "$logs/out"
  exit_code 0 "$burnsim" help "$cmd"
done
exit_code 2 "$burnsim"
exit_code 2 "$burnsim" frobnicate
exit_code 2 "$burnsim" rn "$scenario"
check "a misspelled command gets a suggestion" grep -q "did you mean 'run'" "$logs/err"
exit_code 2 "$burnsim" run
exit_code 2 "$burnsim" run "$scenario" --no-such-option
exit_code 2 "$burnsim" run "$scenario" --seed -4
exit_code 2 "$burnsim" run "$scenario" --seed abc

# A bad scenario: exit 2, a located message, nothing written.
exit_code 2 "$burnsim" run "$src/tests/configs/wrong_type.cfg" -o "$work/bad"
check "bad scenario message names file, line and key" \
  grep -q 'wrong_type.cfg:5: cluster.gpus: expected an integer' "$logs/err"
check "bad scenario writes nothing" test -z "$(ls -A "$work")"
exit_code 2 "$burnsim" check "$src/tests/configs/misspelled_enum.cfg"
check "check reports a misspelled policy" grep -q 'did you mean "fair_share"' "$logs/err"
exit_code 2 "$burnsim" run "$scenario" --set cluster.gpsu=4 -o "$work/bad"
check "bad override writes nothing" test ! -e "$work/bad"

# What is not a scenario file is refused before it is read, located, and
# nothing is written (timeout: a hang fails instead of blocking).
mkfifo "$logs/fifo.cfg"
exit_code 2 timeout 20 "$burnsim" run "$logs/fifo.cfg" -o "$work/bad"
check "a FIFO as the scenario is refused" grep -q 'fifo.cfg: is a FIFO, expected a scenario file' "$logs/err"
exit_code 2 timeout 20 "$burnsim" check /dev/zero
check "a device as the scenario is refused" grep -q '^/dev/zero: is a character device' "$logs/err"
printf 'base: {\n  @include "fifo.cfg"\n};\nname = "x";\n' >"$logs/inc_fifo.cfg"
exit_code 2 timeout 20 "$burnsim" check "$logs/inc_fifo.cfg"
check "an @include of a FIFO is located" grep -q 'inc_fifo.cfg:2: cannot include .*fifo.cfg: it is a FIFO' "$logs/err"
exit_code 2 timeout 20 "$burnsim" check "$src/tests/configs/include_folder.cfg"
check "an @include of a folder is located" \
  grep -q 'include_folder.cfg:3: cannot include .*a_folder: it is a folder' "$logs/err"
exit_code 2 timeout 20 "$burnsim" run "$scenario" --set $'cluster={\n@include "/dev/urandom"\n}' -o "$work/bad"
check "an @include through --set is refused" grep -q 'cannot include /dev/urandom: it is a character device' "$logs/err"
check "refused files write nothing" test ! -e "$work/bad"

# check prints the resolved scenario, which loads back.
exit_code 0 "$burnsim" check "$scenario" --set cluster.gpus=32
cp "$logs/out" "$logs/resolved.cfg"
check "resolved scenario shows the override" grep -q 'gpus = 32;' "$logs/resolved.cfg"
exit_code 0 "$burnsim" check "$logs/resolved.cfg"

# The key reference in docs/config.md is the one the binary prints.
exit_code 0 "$burnsim" check --reference
# (The table is the only one in that file: its lines are those starting '|'.)
check "docs/config.md holds the current key reference" cmp -s "$logs/out" <(grep '^|' "$src/docs/config.md")

# A run writes a complete results folder.
exit_code 0 "$burnsim" run "$scenario" "${short[@]}" -o "$work/a"
check "manifest written" test -s "$work/a/manifest.cfg"
check "resolved scenario written" test -s "$work/a/scenario.cfg"
check "CSV files written" test -n "$(csv_files "$work/a")"
for f in $(csv_files "$work/a"); do
  check "$f starts with provenance" grep -q '^# burnsim .* seed 1$' <(head -n 1 "$work/a/$f")
  check "$f has a header and rows" test "$(wc -l <"$work/a/$f")" -ge 3
done
check "manifest records the command line" grep -q 'command_line = ".*run .*cluster.cfg' "$work/a/manifest.cfg"
check "manifest records the revision" grep -q '^git_revision = "' "$work/a/manifest.cfg"
check "no staging folder left behind" test -z "$(ls -d "$work"/*.partial-* 2>/dev/null)"

# Existing results are never overwritten without --force.
sum_before=$(cat "$work/a"/* | md5sum)
exit_code 2 "$burnsim" run "$scenario" "${short[@]}" --seed 5 -o "$work/a"
check "refusal explains --force" grep -q 'already exists; pass --force' "$logs/err"
check "refused run left results untouched" test "$(cat "$work/a"/* | md5sum)" = "$sum_before"
mkdir "$work/mine" && echo precious >"$work/mine/notes.txt"
exit_code 2 "$burnsim" run "$scenario" "${short[@]}" -o "$work/mine" --force
check "a folder that is not burnsim's is never replaced" grep -q precious "$work/mine/notes.txt"
exit_code 0 "$burnsim" run "$scenario" "${short[@]}" --seed 5 -o "$work/a" --force
check "--force replaced the results" grep -q '^seed = 5L;' "$work/a/manifest.cfg"
check "no replaced folder left behind" test -z "$(ls -d "$work"/*.replaced-* 2>/dev/null)"

# Reproducible: same scenario and seed give identical files; so does a
# re-run of the resolved scenario.cfg; another seed gives other results.
exit_code 0 "$burnsim" run "$scenario" "${short[@]}" -o "$work/b"
exit_code 0 "$burnsim" run "$scenario" "${short[@]}" -o "$work/c"
check "same scenario and seed: byte-identical results" same_results "$work/b" "$work/c"
exit_code 0 "$burnsim" run "$work/b/scenario.cfg" -o "$work/d"
check "re-running scenario.cfg reproduces the results" same_results "$work/b" "$work/d"
if ! same_results "$work/a" "$work/b"; then pass; else fail "another seed gives other results"; fi

# Default folder naming never overwrites: results/NAME (+ each --set
# change), then NAME-2.
mkdir "$work/cwd"
(cd "$work/cwd" && "$burnsim" run "$scenario" "${short[@]}" -q && "$burnsim" run "$scenario" "${short[@]}" -q)
check "first default folder" test -s "$work/cwd/results/cluster+days=2/manifest.cfg"
check "second default folder" test -s "$work/cwd/results/cluster+days=2-2/manifest.cfg"

# Every bundled scenario is valid (targets.cfg is burnsim validate's list of
# targets, not a scenario: tests/validate_test.sh reads it).
for f in "$src"/scenarios/*.cfg "$src"/scenarios/*/*.cfg; do
  [ "$f" = "$src/scenarios/validation/targets.cfg" ] && continue
  exit_code 0 "$burnsim" check "$f"
done

# An organisation run: its files, byte-identical on a repeat, and a lever
# switched on a date shows in the daily series.
org=(--set days=12 --set org.agents=200 --set org.teams=8 --no-plot)
exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" "${org[@]}" -o "$work/org1"
exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" "${org[@]}" -o "$work/org2"
for f in daily.csv teams.csv team_weeks.csv agents.csv summary.csv cluster_daily.csv; do
  check "organisation run writes $f" test -s "$work/org1/$f"
done
check "organisation run: byte-identical on a repeat" same_results "$work/org1" "$work/org2"
check "--no-plot draws nothing" test ! -e "$work/org1/plots"
exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" "${org[@]}" -o "$work/switch" \
  --set 'switches=( { day = 5; set = "kpi.type=none"; } )'
check "the KPI runs until the switch" grep -q '^4,tokens,' "$work/switch/daily.csv"
check "the switch takes effect on its day" grep -q '^5,none,' "$work/switch/daily.csv"
exit_code 2 "$burnsim" check "$src/tests/configs/bad_switch.cfg"
check "a bad switch is located at its line" grep -q 'bad_switch.cfg:7: switches.\[0\].set: kpi.type' "$logs/err"

# Figures: drawn by gnuplot when it is installed; without it the results
# are complete and the message names the package.
if command -v gnuplot >/dev/null; then
  exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" "${org[@]:0:6}" -o "$work/fig"
  check "figures drawn" test -n "$(ls "$work/fig/plots/"*.png 2>/dev/null)"
  for png in "$work/fig/plots/"*.png; do
    check "$(basename "$png") is a PNG" grep -q PNG <(head -c 8 "$png")
  done
fi
mkdir -p "$logs/bin"
ln -sf "$(command -v env)" "$logs/bin/env"
exit_code 0 env PATH="$logs/bin" "$burnsim" run "$src/scenarios/quickstart.cfg" "${org[@]:0:6}" -o "$work/nofig"
check "without gnuplot the message names the package" grep -q 'gnuplot-nox' "$logs/err"
check "without gnuplot the results are complete" test -s "$work/nofig/summary.csv"

# An interrupted run writes nothing.
"$burnsim" run "$scenario" --set days=36500 -o "$work/interrupted" 2>"$logs/err" &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" = 1 ]; then pass; else fail "interrupted run exit $rc, expected 1"; fi
check "interrupted run says so" grep -q 'interrupted; nothing was written' "$logs/err"
check "interrupted run left no folder" test ! -e "$work/interrupted"
check "interrupted run left no staging folder" test -z "$(ls -d "$work"/interrupted.partial-* 2>/dev/null)"

harness_done cli
