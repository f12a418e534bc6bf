#!/usr/bin/env bash
# tests/userpath_test.sh - end-to-end checks that what burnsim prints and
# writes describes what was run: the README's MPI line as written, twice;
# a resumed campaign that keeps its first command; no verdicts without
# intervals; a run with --set or a switch named as such; arms a plain run
# leaves out; figures drawn only when they have something to show.
# usage: userpath_test.sh BURNSIM SOURCE_DIR
set -u
burnsim=$1
src=$2
. "$(dirname "$0")/harness.sh"
small=(--set org.agents=150 --set org.teams=6 --set days=14.0 --no-plot)
compare=$src/scenarios/compare_kpi.cfg

# ---- the README's mpirun line, exactly as written, twice without -o --------------
# It runs from the top of a tree with ./build/burnsim and scenarios/, as the
# README's user has; no OpenMPI setting comes from the environment.
if "$burnsim" version | grep -q 'MPI [0-9]' && command -v mpirun >/dev/null; then
  readme_mpi=$(grep -m 1 '^mpirun ' "$src/README.md" | sed 's/ *#.*$//')
  mkdir -p "$work/top/build"
  ln -s "$(realpath "$burnsim")" "$work/top/build/burnsim"
  ln -s "$src/scenarios" "$work/top/scenarios"
  # (OpenMPI's own unfreed allocations are not burnsim's.)
  mpi_env=(env -u OMPI_ALLOW_RUN_AS_ROOT -u OMPI_ALLOW_RUN_AS_ROOT_CONFIRM -u OMPI_MCA_rmaps_base_oversubscribe
    "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0")
  for i in 1 2; do
    (cd "$work/top" && "${mpi_env[@]}" bash -c "$readme_mpi") >"$logs/out" 2>"$logs/err"
    rc=$?
    if [ "$rc" = 0 ]; then pass; else fail "exit $rc from the README's line, run $i: $readme_mpi"; cat "$logs/err"; fi
  done
  for d in sweep_token_weight-sweep sweep_token_weight-sweep-2; do
    check "$d is a complete campaign" grep -q '^complete = true;' "$work/top/results/$d/manifest.cfg"
  done
  check "no third folder was started" test ! -e "$work/top/results/sweep_token_weight-sweep-3"
  check "both MPI campaigns hold the same tables" \
    cmp -s "$work/top/results/sweep_token_weight-sweep/stats.csv" "$work/top/results/sweep_token_weight-sweep-2/stats.csv"
else
  echo "userpath: MPI checks skipped (burnsim built without MPI, or no mpirun)"
fi

# ---- a resumed campaign keeps the command that started it -------------------------
long=(--set org.agents=600 --set org.teams=12 --set days=28.0 --no-plot --reps 2)
"$burnsim" compare "$compare" "${long[@]}" --threads 1 -o "$work/int" 2>"$logs/int_err" &
pid=$!
for i in $(seq 600); do [ -d "$work/int/runs/000001" ] && break; sleep 0.05; done
kill -INT "$pid"
wait "$pid"
check "the campaign was interrupted before its end" grep -q '^complete = false;' "$work/int/manifest.cfg"
first_start=$(grep '^started' "$work/int/manifest.cfg")
sleep 1 # (so that a resume's start time differs from the first start's)
exit_code 0 "$burnsim" compare "$compare" "${long[@]}" --threads 2 -o "$work/int" --resume
exit_code 0 "$burnsim" compare "$compare" "${long[@]}" --threads 2 -o "$work/int" --resume
m=$work/int/manifest.cfg
check "the manifest keeps the first command line" grep -q '^command_line = "burnsim compare [^"]*--threads 1 -o [^"]*";' "$m"
check "the first command line has no --resume" test -z "$(grep '^command_line' "$m" | grep -e --resume)"
check "the manifest keeps the first start time" test "$(grep '^started' "$m")" = "$first_start"
check "the manifest logs both resumes" \
  test "$(grep '^resumes = ' "$m" | grep -o 'command_line = "burnsim compare [^"]*--resume' | wc -l)" = 2
check "a resume is logged with its own start time" test -z "$(grep '^resumes = ' "$m" | grep -F "${first_start#started = }")"
exit_code 0 "$burnsim" report "$work/int" -q
cmd_shown=$(sed -n '/To repeat it/,/<\/pre>/p' "$work/int/report.html" | grep -o 'burnsim compare[^<]*')
check "the report's command to repeat it is the first one" test -n "$cmd_shown" -a -z "$(echo "$cmd_shown" | grep -e --resume)"
check "the report lists the resumes" test "$(grep -c 'Resumed (UTC)' "$work/int/report.html")" = 2

# ---- one replication: no interval, no verdict -------------------------------------
exit_code 0 "$burnsim" compare "$compare" "${small[@]}" --reps 1 -o "$work/one"
check "one replication: no '+- nan' in the ranking" test -z "$(grep -i 'nan' "$logs/out")"
check "one replication: the ranking says no interval can be given" grep -q 'no confidence interval can be given' "$logs/out"
check "one replication: no arm is starred" test -z "$(grep -E '\*$' "$logs/out")"
exit_code 0 "$burnsim" report "$work/one" -q
check "one replication: the report gives no verdict" \
  test -z "$(grep -oE 'no clear difference|better than the baseline|worse than the baseline' "$work/one/report.html")"
check "one replication: the report says why" grep -q 'no confidence interval can be given' "$work/one/report.html"

# ---- intervals of quantities that cannot be negative stay at or above 0 ------------
# (10 replications: the bootstrap; 3: the t interval from 0), the same on 1 and 2 threads.
negative_ends() { # the stats.csv or daily_stats.csv rows of non-signed metrics whose interval reaches below 0
  awk -F, -v file="$1" 'BEGIN { while ((getline line < file) > 0) if (line !~ /^#/) { split(line, h, ","); break } }
    !/^#/ && NR > 1 { for (i in h) col[h[i]] = i }
    !/^#/ && $col["metric"] != "net_value" && $col["ci_low"] != "nan" && $col["ci_low"] + 0 < 0 && $col["metric"] != "metric"' "$1" | head -5
}
exit_code 0 "$burnsim" compare "$compare" "${small[@]}" --reps 10 --threads 1 -o "$work/ten1"
exit_code 0 "$burnsim" compare "$compare" "${small[@]}" --reps 10 --threads 2 -o "$work/ten2"
for f in stats.csv daily_stats.csv; do
  check "10 replications: no interval in $f below 0 for a quantity that cannot be negative" test -z "$(negative_ends "$work/ten1/$f")"
  check "10 replications: $f identical on 1 and 2 threads" cmp -s "$work/ten1/$f" "$work/ten2/$f"
done
exit_code 0 "$burnsim" compare "$compare" "${small[@]}" --reps 3 -o "$work/three"
for f in stats.csv daily_stats.csv; do
  check "3 replications: no interval in $f below 0 for a quantity that cannot be negative" test -z "$(negative_ends "$work/three/$f")"
done

# ---- a plain run of a scenario with arms says what it leaves out ------------------
exit_code 0 "$burnsim" run "$compare" "${small[@]}" --reps 1 -o "$work/plain"
check "run of a comparison names the arms it does not run" grep -q '5 policy arms (experiment.arms)' "$logs/err"
check "and the command that runs them" grep -q "burnsim compare $compare" "$logs/err"
exit_code 0 "$burnsim" run "$src/scenarios/sweep_token_weight.cfg" "${small[@]}" --reps 1 -o "$work/plain_sweep"
check "run of a sweep says the sweep is not run" grep -q "burnsim sweep $src/scenarios/sweep_token_weight.cfg" "$logs/err"
exit_code 0 "$burnsim" compare "$src/scenarios/sweep_token_weight.cfg" "${small[@]}" --reps 1 -o "$work/compare_sweep"
check "compare of a sweep says the sweep is not run" grep -q "burnsim sweep $src/scenarios/sweep_token_weight.cfg" "$logs/err"
exit_code 0 "$burnsim" compare "$compare" "${small[@]}" --reps 1 -o "$work/compare_plain"
check "compare of a scenario without a sweep has nothing to say about one" test -z "$(grep 'experiment.sweep' "$logs/err")"

# ---- a run with --set and a switch says so: folder, manifest, report, figures ----------
mkdir "$work/cwd"
(cd "$work/cwd" && "$burnsim" run "$src/scenarios/quickstart.cfg" --set org.agents=150 --set days=21 \
  --set kpi.type=output --set 'switches=( { day = 9; set = "enforcement.type=audits"; } )' -q --no-plot)
variant=$(ls -d "$work"/cwd/results/*/ 2>/dev/null | head -n 1)
variant=${variant%/}
check "the default folder names the --set changes" \
  test -n "$(basename "$variant" | grep -F 'quickstart+org.agents=150+days=21+kpi.type=output+')"
check "the default folder's name is a safe file name" test -z "$(basename "$variant" | tr -d 'A-Za-z0-9._=,+-')"
check "the manifest's label names the changes and the switch" \
  grep -qF 'label = "quickstart + org.agents=150 + days=21 + kpi.type=output + from day 9: enforcement.type=audits";' \
  "$variant/manifest.cfg"
check "the manifest lists the --set changes" grep -q '^overrides = \["org.agents=150", "days=21", "kpi.type=output", ' "$variant/manifest.cfg"
exit_code 0 "$burnsim" report "$variant" -q
check "the report's title names the changes" grep -qF '<h1>quickstart + org.agents=150 + days=21 + kpi.type=output + from day' "$variant/report.html"
check "the report lists the change beside the question" grep -qF '<li><code>kpi.type=output</code> (<code>--set</code>)</li>' "$variant/report.html"
check "the report lists the switch" grep -qF '<li>from day 9: <code>enforcement.type=audits</code>' "$variant/report.html"
(cd "$work/cwd" && "$burnsim" run "$src/scenarios/quickstart.cfg" -q --no-plot --seed 3)
check "a run without --set changes keeps the plain name" test -d "$work/cwd/results/quickstart"

if command -v gnuplot >/dev/null && command -v python3 >/dev/null; then
  exit_code 0 "$burnsim" plot "$variant" --format svg -q
  for fig in waste output; do
    check "$fig's title names the changes (a long label on a line of its own)" grep -qF '<text>quickstart + org.agents=150 + days=21 + kpi.type=output + from day 9: enforcement.type=audits:</text>' "$variant/plots/$fig.svg"
    check "$fig's title is whole after a long label" grep -qE '<text>(compute per day|useful output).*\)</text>' "$variant/plots/$fig.svg"
    check "$fig marks the switch day" grep -qF '<text>day 9: enforcement.type=audits</text>' "$variant/plots/$fig.svg"
  done

  # ---- figures only where they have something to show ---------------------------------
  exit_code 0 "$burnsim" run "$src/scenarios/validation/mmc.cfg" -o "$work/mmc"
  check "a one-day cluster run has no load figure" test ! -e "$work/mmc/plots/cluster_load.png"
  check "and says why" grep -q 'figure cluster_load not drawn.*needs two days or more; this run has 1' "$logs/err"
  check "its waits figure shows the distribution" test -s "$work/mmc/plots/cluster_waits.png"
  exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" --set org.agents=150 --set days=21 -o "$work/onecycle"
  check "no teams figure before two budget cycles end" test ! -e "$work/onecycle/plots/teams.png"
  check "and the run says why" grep -q 'figure teams not drawn.*two completed budget cycles.*this run has 0' "$logs/err"
  exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" --set org.agents=150 --set days=21 -o "$work/onecycle_q" -q
  check "-q: nothing said about figures left out" test ! -s "$logs/err"
  exit_code 0 "$burnsim" plot "$work/onecycle_q"
  check "plot says which figures it leaves out" grep -q 'figure teams not drawn' "$logs/err"
  exit_code 0 "$burnsim" report "$work/onecycle" -q
  check "the report says why the teams figure is not drawn" grep -q 'figure <b>teams</b> is not drawn' "$work/onecycle/report.html"
  check "the report calls no figure missing" test -z "$(grep -o 'is missing' "$work/onecycle/report.html")"
  exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" --set org.agents=150 --set days=60 -o "$work/twocycles"
  check "the teams figure once two budget cycles have ended" test -s "$work/twocycles/plots/teams.png"
  exit_code 0 "$burnsim" plot "$work/one" --format svg -q
  check "one replication: no paired figure (no intervals)" test ! -e "$work/one/plots/paired.svg"
  check "one replication: the compare figure is drawn" test -s "$work/one/plots/compare.svg"
  exit_code 0 "$burnsim" sweep "$src/scenarios/sweep_token_weight.cfg" "${small[@]}" --reps 1 -o "$work/one_sweep"
  exit_code 0 "$burnsim" plot "$work/one_sweep" --format svg -q
  check "one replication: the sweep figure is drawn" test -s "$work/one_sweep/plots/sweep.svg"
  check "one replication: its title says there is no interval" grep -qF 'mean of 1 run at each (line), no interval' "$work/one_sweep/plots/sweep.svg"

  # ---- the daily campaign figure: days off are gaps, the switch day is marked -----------
  exit_code 0 "$burnsim" compare "$compare" "${small[@]}" --reps 2 -o "$work/days" \
    --set 'switches=( { day = 8; set = "kpi.type=none"; } )'
  exit_code 0 "$burnsim" plot "$work/days" --format svg -q
  check "the daily figure marks the switch day" grep -qF '<text>day 8: kpi.type=none</text>' "$work/days/plots/daily.svg"
  # Each arm's line (the baseline's colour, plots/campaign.gp) breaks at every
  # weekend: no stretch of a line spans more than the 5 work days of a week.
  check "the daily figure's lines break at weekends" python3 - "$work/days/plots/daily.svg" <<'EOF'
import re, sys
svg = open(sys.argv[1]).read()
lines = [d for d in re.findall(r"<path stroke='rgb\(111, 111, 111\)'\s+d='([^']*)'", svg) if d.count("L") >= 2]
stretches = [s.count("L") + 1 for d in lines for s in d.split("M")[1:]]
print("stretches of the baseline's lines:", stretches)
sys.exit(0 if lines and max(stretches) <= 5 else 1)
EOF
else
  echo "userpath: figure checks skipped (no gnuplot or no python3)"
fi

harness_done userpath
