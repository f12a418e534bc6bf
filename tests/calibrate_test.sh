#!/usr/bin/env bash
# tests/calibrate_test.sh - burnsim calibrate end to end, with the real
# binary: known parameters recovered from targets the model itself made,
# from starts far from them; a parameter the targets cannot pin shown as
# free; the same files for 1 and 2 threads and after an interruption and
# --resume; the calibrated scenario reproducing its fit; located refusals.
# usage: calibrate_test.sh BURNSIM SOURCE_DIR
set -u
burnsim=$1
src=$2
. "$(dirname "$0")/harness.sh"
# value FILE KEYCOLUMN KEY COLUMN: one cell of a table, by a key column.
value() {
  awk -F, -v k="$2" -v key="$3" -v c="$4" '
    /^#/ { next }
    !h { for (i = 1; i <= NF; i++) col[$i] = i; h = 1; next }
    $col[k] == key { print $col[c] }' "$1"
}
near() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= t * (b < 0 ? -b : b)) }'; }

exit_code 0 "$burnsim" calibrate --help
check "calibrate --help shows usage" grep -q "^usage: burnsim calibrate" "$logs/out"

# One parameter, one target: y = x1 + 2 x2 with x2 = 0.5 and y = 2.5 gives x1 = 1.5.
cat >"$work/one.cfg" <<CFG
name = "one"; description = "one parameter";
analytic = { function = "linear"; x2 = 0.5; };
experiment = { calibration = { targets = ( { column = "y"; value = 2.5; tolerance = 0.01; } ); };
  sweep = { factors = ( { key = "analytic.x1"; min = 0.0; max = 4.0; } ); }; };
CFG
exit_code 0 "$burnsim" calibrate "$work/one.cfg" -o "$work/one" -q
check "x1 = 1.5 recovered" near "$(value "$work/one/parameters.csv" parameter analytic.x1 best)" 1.5 0.01
check "and pinned by the target" test "$(value "$work/one/parameters.csv" parameter analytic.x1 identified)" = pinned

# Two parameters, one target (x1 + 2 x2 = 3): a line of solutions, so both are free.
cat >"$work/two.cfg" <<CFG
name = "two"; description = "two parameters, one target";
analytic = { function = "linear"; };
experiment = { calibration = { targets = ( { column = "y"; value = 3.0; tolerance = 0.02; } ); explore = 128; };
  sweep = { factors = ( { key = "analytic.x1"; min = 0.0; max = 3.0; },
                        { key = "analytic.x2"; min = 0.0; max = 1.5; } ); }; };
CFG
exit_code 0 "$burnsim" calibrate "$work/two.cfg" -o "$work/two"
for x in x1 x2; do
  check "$x left free by one target" test "$(value "$work/two/parameters.csv" parameter "analytic.$x" identified)" = free
done
check "the table says so" grep -q "left free by the targets" "$logs/out"
if command -v gnuplot >/dev/null; then
  exit_code 0 "$burnsim" plot "$work/two"
  check "the calibration figure is drawn" test -s "$work/two/plots/calibration.png"
fi
exit_code 0 "$burnsim" report "$work/two" --no-plot
check "the report has the fit" grep -q "How well it fits" "$work/two/report.html"
check "and says both parameters are free" test "$(grep -c '<td class="worse">free</td>' "$work/two/report.html")" = 2

# The organisation model: targets made by the model itself at org.temperature
# = 80 and work.burn_effort = 15 (2 replications), searched from the middle of
# log ranges 5-100 and 10-200 (22 and 45).  Measured errors of the best set:
# 0.3% and 3%; the tolerance is 10%.
small=(--set org.agents=200 --set org.teams=8 --set days=28.0)
exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" "${small[@]}" --set org.temperature=80.0 \
  --set work.burn_effort=15.0 --reps 2 -o "$work/truth" --no-plot -q
mean() { awk -F, -v m="$1" '!/^#/ && $3 == m { printf "%.12e\n", $5 }' "$work/truth/stats.csv"; }
cat >"$work/recover.cfg" <<CFG
base: {
  @include "$src/scenarios/quickstart.cfg"
};
name = "recover"; description = "recover known parameters";
days = 28.0;
org = { agents = 200; teams = 8; };
experiment = {
  replications = 2;
  calibration = {
    targets = ( { column = "burn_share"; value = $(mean burn_share); tolerance = 0.02; },
                { column = "tokens_useful"; value = $(mean tokens_useful); tolerance = 0.05; } );
    starts = 2; evaluations = 50; explore = 16; outputs = "net_value";
  };
  sweep = { factors = ( { key = "org.temperature"; min = 5.0; max = 100.0; scale = "log"; },
                        { key = "work.burn_effort"; min = 10.0; max = 200.0; scale = "log"; } ); };
};
CFG
exit_code 0 "$burnsim" calibrate "$work/recover.cfg" -o "$work/r1" --threads 1 -q
check "temperature 80 recovered within 10%" near "$(value "$work/r1/parameters.csv" parameter org.temperature best)" 80 0.1
check "burn effort 15 recovered within 10%" near "$(value "$work/r1/parameters.csv" parameter work.burn_effort best)" 15 0.1
for t in burn_share tokens_useful; do
  check "target $t reproduced" test "$(value "$work/r1/fit.csv" target "$t" reproduced)" = yes
done
exit_code 0 "$burnsim" calibrate "$work/recover.cfg" -o "$work/r2" --threads 2 -q
for f in fit.csv parameters.csv outputs.csv evaluations.csv calibrated.cfg; do
  check "$f identical for 1 and 2 threads" cmp -s "$work/r1/$f" "$work/r2/$f"
done

# Over 2 MPI ranks (the searches dealt between them): the same files.
if "$burnsim" version | grep -q 'MPI [0-9]' && command -v mpirun >/dev/null; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 # (OpenMPI's own allocations)
  exit_code 0 mpirun -n 2 "$burnsim" calibrate "$work/recover.cfg" -o "$work/mpi" --threads 1 -q
  for f in fit.csv parameters.csv outputs.csv evaluations.csv calibrated.cfg; do
    check "$f identical for 2 MPI ranks and for threads" cmp -s "$work/r1/$f" "$work/mpi/$f"
  done
else
  echo "calibrate: MPI check skipped (burnsim built without MPI, or no mpirun)"
fi

# The calibrated scenario runs, and on the same seeds gives the fit's estimate.
exit_code 0 "$burnsim" run "$work/r1/calibrated.cfg" --reps 2 -o "$work/again" --no-plot -q
check "calibrated.cfg reproduces the fitted burn share" \
  near "$(mean() { awk -F, -v m="$1" '!/^#/ && $3 == m { print $5 }' "$work/again/stats.csv"; }; mean burn_share)" \
  "$(value "$work/r1/fit.csv" target burn_share estimate)" 1e-9

# Interrupted, then resumed: the same results as uninterrupted.
"$burnsim" calibrate "$work/recover.cfg" -o "$work/r3" -q >/dev/null 2>&1 &
pid=$!
sleep 1
kill -INT "$pid" 2>/dev/null
wait "$pid"
check "an interrupted calibration is not complete" bash -c "! grep -q 'complete = true' '$work/r3/manifest.cfg'"
exit_code 0 "$burnsim" calibrate "$work/recover.cfg" -o "$work/r3" --resume -q
for f in fit.csv parameters.csv evaluations.csv calibrated.cfg; do
  check "$f identical after --resume" cmp -s "$work/r1/$f" "$work/r3/$f"
done
check "no scratch folder left" bash -c "! ls '$work/r3' | grep -q scratch"

# A journal whose last row a kill cut short, mid-number: that row is run again.
cp -r "$work/r1" "$work/r4"
rm "$work/r4/fit.csv" "$work/r4/parameters.csv" "$work/r4/evaluations.csv" "$work/r4/calibrated.cfg"
sed -i 's/^complete = true;/complete = false;/' "$work/r4/manifest.cfg"
head -c -6 "$work/r4/search-01.csv" >"$work/cut" && mv "$work/cut" "$work/r4/search-01.csv"
exit_code 0 "$burnsim" calibrate "$work/recover.cfg" -o "$work/r4" --resume -q
for f in fit.csv evaluations.csv calibrated.cfg; do
  check "$f identical after resuming a journal cut mid-row" cmp -s "$work/r1/$f" "$work/r4/$f"
done

# Refusals.
cat >"$work/none.cfg" <<CFG
name = "none"; description = "no targets";
analytic = { function = "linear"; };
experiment = { sweep = { method = "lhs"; factors = ( { key = "analytic.x1"; min = 0.0; max = 1.0; } ); }; };
CFG
exit_code 2 "$burnsim" calibrate "$work/none.cfg" -o "$work/none"
check "no targets: refused, saying what is needed" grep -q "a calibration needs free parameters" "$logs/err"
sed 's/column = "y"/column = "y+no_such"/' "$work/one.cfg" >"$work/bad.cfg"
exit_code 2 "$burnsim" calibrate "$work/bad.cfg" -o "$work/bad"
check "an unknown target column is refused at its line and key" \
  grep -q 'bad.cfg:3: experiment.calibration.targets.\[0\].column: expected a column of the runs. summary.csv (docs/output.md), found "no_such"' "$logs/err"
exit_code 2 "$burnsim" calibrate "$work/one.cfg" -o "$work/one" --resume --set analytic.x2=0.25
check "resuming another scenario's calibration is refused" grep -q "is not a calibration of this scenario" "$logs/err"

harness_done calibrate
