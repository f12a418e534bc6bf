#!/usr/bin/env bash
# tests/campaign_test.sh - end-to-end checks of campaigns with the real
# binary: compare, sweep and replications; byte-identical results for 1 and
# 2 threads and for 1 and 2 MPI ranks; interruption (SIGINT and kill -9)
# and --resume; refusals that protect a user's folders.
# usage: campaign_test.sh BURNSIM SOURCE_DIR
set -u
burnsim=$1
src=$2
. "$(dirname "$0")/harness.sh"
# Campaign folders are identical but for the manifests' started and host
# lines, the command line that made them and the log of resumes.
same_campaign() { # same_campaign DIR1 DIR2
  diff -r -x manifest.cfg -x plots -x report.html "$1" "$2" >"$logs/diff" || return 1
  # The report differs only where it says how the folder was made.
  if [ -e "$1/report.html" ] || [ -e "$2/report.html" ]; then
    diff <(grep -v 'Started (UTC)\|Resumed (UTC)\|Results folder\|<pre><code>burnsim' "$1/report.html") \
         <(grep -v 'Started (UTC)\|Resumed (UTC)\|Results folder\|<pre><code>burnsim' "$2/report.html") >>"$logs/diff" || return 1
  fi
  local m
  for m in "$1"/manifest.cfg "$1"/runs/*/manifest.cfg; do
    diff <(grep -v '^started\|^host\|^command_line\|^resumes' "$m") \
         <(grep -v '^started\|^host\|^command_line\|^resumes' "$2/${m#"$1"/}") >>"$logs/diff" || return 1
  done
}
rows() { grep -vc '^#' "$1"; } # data rows + header
lines_matching() { grep -c "$1" "$2"; }

compare=$src/scenarios/compare_kpi.cfg
sweep=$src/scenarios/sweep_token_weight.cfg
small=(--set org.agents=150 --set org.teams=6 --set days=14.0 --no-plot)

for cmd in compare sweep; do
  exit_code 0 "$burnsim" "$cmd" --help
  check "$cmd --help shows usage" grep -q "^usage: burnsim $cmd" "$logs/out"
done

# compare: 6 arms x 3 replications, on 1 and on 2 threads.
exit_code 0 "$burnsim" compare "$compare" "${small[@]}" --reps 3 --threads 1 -o "$work/t1"
check "compare says where the results are" grep -q "results in $work/t1/" "$logs/out"
check "compare ranks the arms by the objective" grep -q '^net_value (more is better), 3 replications' "$logs/out"
check "the ranking lists all 6 arms" test "$(grep -cE '^ +[1-6]  [a-z_]+ ' "$logs/out")" = 6
check "no progress line when stderr is not a terminal" test ! -s "$logs/err"
exit_code 0 "$burnsim" compare "$compare" "${small[@]}" --reps 3 --threads 2 -o "$work/t2"
check "1 and 2 threads give byte-identical campaigns" same_campaign "$work/t1" "$work/t2"
check "18 run folders" test "$(ls "$work/t1/runs" | wc -l)" = 18
check "summary.csv: a row per run" test "$(rows "$work/t1/summary.csv")" = 19
check "design.csv: a row per run" test "$(rows "$work/t1/design.csv")" = 19
check "stats.csv: value_per_usd for each of 6 arms" \
  test "$(lines_matching ',value_per_usd,' "$work/t1/stats.csv")" = 6
check "paired.csv: value_per_usd for the 5 arms against the baseline" \
  test "$(lines_matching ',baseline,value_per_usd,' "$work/t1/paired.csv")" = 5
check "daily_stats.csv: burn_share per arm and day" \
  test "$(lines_matching ',burn_share,' "$work/t1/daily_stats.csv")" = $((6 * 14))
check "manifest says complete" grep -q '^complete = true;' "$work/t1/manifest.cfg"
check "manifest lists the arms" grep -q '^arms = \["baseline", "no_kpi"' "$work/t1/manifest.cfg"
check "every table starts with provenance" \
  bash -c "for f in '$work/t1'/*.csv; do head -1 \"\$f\" | grep -q '^# burnsim .*compare campaign' || exit 1; done"
# A run's folder repeats as a single run.
seed=$(awk -F, 'NR==3 {print $5}' "$work/t1/summary.csv")
exit_code 0 "$burnsim" run "$work/t1/runs/000000/scenario.cfg" --no-plot -o "$work/rerun"
check "a campaign run repeats from its scenario.cfg" cmp -s "$work/rerun/summary.csv" "$work/t1/runs/000000/summary.csv"
check "its seed is the one in summary.csv" grep -q "^seed = $seed" "$work/rerun/scenario.cfg"

# Refusals: an existing folder is replaced only when asked, a foreign one never.
exit_code 2 "$burnsim" compare "$compare" "${small[@]}" --reps 3 -o "$work/t1"
check "an existing campaign is not overwritten" grep -q 'pass --force' "$logs/err"
mkdir "$work/mine" && echo keep >"$work/mine/notes.txt"
exit_code 2 "$burnsim" compare "$compare" "${small[@]}" --reps 3 -o "$work/mine" --force
check "a folder burnsim did not make is left alone" test "$(cat "$work/mine/notes.txt")" = keep
exit_code 2 "$burnsim" compare "$src/scenarios/quickstart.cfg" "${small[@]}" -o "$work/noarms"
check "compare without arms says how to declare them" grep -q 'experiment.arms' "$logs/err"
exit_code 2 "$burnsim" sweep "$src/scenarios/quickstart.cfg" "${small[@]}" -o "$work/nosweep"
check "sweep without factors says how to declare them" grep -q 'experiment.sweep.factors' "$logs/err"
check "refused campaigns write nothing" test ! -e "$work/noarms" -a ! -e "$work/nosweep"
exit_code 2 "$burnsim" compare "$compare" "${small[@]}" --set experiment.objective=value_per_dollar -o "$work/badobj"
check "an unknown objective is refused before anything runs" grep -q 'experiment.objective: expected a column' "$logs/err"
check "a refused objective writes nothing" test ! -e "$work/badobj"
exit_code 2 "$burnsim" compare "$compare" --resume
check "--resume needs the folder" grep -q 'needs -o DIR' "$logs/err"
exit_code 2 "$burnsim" compare "$compare" --reps 0

# Interrupted with SIGINT after two runs, then resumed on another thread
# count: identical to the uninterrupted campaign.
long=(--set org.agents=1500 --set org.teams=30 --set days=28.0 --no-plot --reps 2)
exit_code 0 "$burnsim" compare "$compare" "${long[@]}" --threads 2 -o "$work/whole"
interrupt() { # interrupt SIGNAL DIR: start a campaign, signal it once two runs are done
  "$burnsim" compare "$compare" "${long[@]}" --threads 1 -o "$2" 2>"$logs/int_err" &
  local pid=$! i
  for i in $(seq 600); do [ -d "$2/runs/000001" ] && break; sleep 0.05; done
  kill "-$1" "$pid"
  { wait "$pid"; } 2>/dev/null # bash's own "Killed" notice is not burnsim's
}
interrupt INT "$work/int"
rc=$?
if [ "$rc" = 1 ]; then pass; else fail "interrupted campaign exit $rc, expected 1"; fi
check "interruption keeps finished runs and says how to resume" grep -q 'are finished and kept.*--resume' "$logs/int_err"
check "an interrupted campaign is not complete" grep -q '^complete = false;' "$work/int/manifest.cfg"
check "an interrupted campaign has no tables" test ! -e "$work/int/stats.csv"
check "no half-written run is left" test -z "$(ls -d "$work"/int/runs/*.partial-* 2>/dev/null)"
exit_code 0 "$burnsim" compare "$compare" "${long[@]}" --threads 2 -o "$work/int" --resume
check "resumed after SIGINT = uninterrupted" same_campaign "$work/whole" "$work/int"

interrupt KILL "$work/killed"
exit_code 0 "$burnsim" compare "$compare" "${long[@]}" --threads 1 -o "$work/killed" --resume
check "resumed after kill -9 = uninterrupted" same_campaign "$work/whole" "$work/killed"
check "resume removes what the killed run left" test -z "$(ls -d "$work"/killed/runs/*.partial-* 2>/dev/null)"
exit_code 2 "$burnsim" compare "$compare" "${long[@]}" --set days=27.0 -o "$work/killed" --resume
check "resume refuses another scenario" grep -q 'was started with another scenario' "$logs/err"

# sweep: 6 token weights x 2 arms x 2 replications.
exit_code 0 "$burnsim" sweep "$sweep" "${small[@]}" --reps 2 -o "$work/sw"
check "sweep: a row per run" test "$(rows "$work/sw/summary.csv")" = 25
check "sweep: stats per point carry the factor" \
  grep -q '^point,kpi.token_weight,arm,metric' "$work/sw/stats.csv"
check "sweep: burn_share per point and arm" test "$(lines_matching ',burn_share,' "$work/sw/stats.csv")" = 12
check "sweep: no daily_stats (many points)" test ! -e "$work/sw/daily_stats.csv"
exit_code 0 "$burnsim" sweep "$sweep" "${small[@]}" --reps 1 --set experiment.sweep.method=lhs \
  --set experiment.sweep.points=5 -o "$work/lhs"
check "lhs: 5 points x 2 arms" test "$(rows "$work/lhs/summary.csv")" = 11

# run --reps: replications of one scenario.
exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" "${small[@]}" --reps 3 --seed 9 -o "$work/reps"
check "run --reps: 3 runs" test "$(rows "$work/reps/summary.csv")" = 4
check "run --reps: --seed is the master seed" grep -q '^master_seed = 9L;' "$work/reps/manifest.cfg"

# MPI: 1 and 2 ranks give the same campaign.
if "$burnsim" version | grep -q 'MPI [0-9]' && command -v mpirun >/dev/null; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  # Under AddressSanitizer, OpenMPI's own unfreed allocations are not ours.
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  exit_code 0 mpirun -n 1 "$burnsim" sweep "$sweep" "${small[@]}" --reps 2 --threads 1 -o "$work/mpi1"
  exit_code 0 mpirun -n 2 "$burnsim" sweep "$sweep" "${small[@]}" --reps 2 --threads 1 -o "$work/mpi2"
  check "1 and 2 MPI ranks give byte-identical campaigns" same_campaign "$work/mpi1" "$work/mpi2"
  check "MPI and threads give the same campaign" same_campaign "$work/sw" "$work/mpi2"
else
  echo "campaign: MPI checks skipped (burnsim built without MPI, or no mpirun)"
fi

harness_done campaign
