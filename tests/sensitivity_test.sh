#!/usr/bin/env bash
# tests/sensitivity_test.sh - burnsim sensitivity end to end, with the real
# binary, on the analytic test functions: the known Ishigami indices inside
# their intervals in indices.csv, Morris effects of a linear function exact,
# seed noise measured as the share it is known to be, the same files for 1
# and 2 threads and after --resume, and located refusals of bad designs.
# usage: sensitivity_test.sh BURNSIM SOURCE_DIR
set -u
burnsim=$1
src=$2
. "$(dirname "$0")/harness.sh"
ishigami=$src/scenarios/sensitivity_ishigami.cfg

# field FILE OUTPUT FACTOR INDEX COLUMN: one value of indices.csv.
field() {
  awk -F, -v o="$2" -v f="$3" -v i="$4" -v c="$5" '
    /^#/ { next }
    !h { for (k = 1; k <= NF; k++) col[$k] = k; h = 1; next }
    $2 == o && $3 == f && $4 == i { print $col[c] }' "$1"
}
inside() { # inside FILE FACTOR INDEX TRUTH
  local lo hi
  lo=$(field "$1" y "$2" "$3" ci_low)
  hi=$(field "$1" y "$2" "$3" ci_high)
  awk -v lo="$lo" -v hi="$hi" -v t="$4" 'BEGIN { exit !(lo <= t && t <= hi && hi - lo < 0.4) }'
}

exit_code 0 "$burnsim" sensitivity --help
check "sensitivity --help shows usage" grep -q "^usage: burnsim sensitivity" "$logs/out"

# Ishigami, 1024 base samples, on 1 and on 2 threads.
exit_code 0 "$burnsim" sensitivity "$ishigami" -o "$work/i1" --threads 1 --no-plot
cp "$logs/out" "$logs/table"
exit_code 0 "$burnsim" sensitivity "$ishigami" -o "$work/i2" --threads 2 --no-plot -q
for t in "x1 S1 0.3139" "x2 S1 0.4424" "x3 S1 0" "x1 ST 0.5576" "x2 ST 0.4424" "x3 ST 0.2437"; do
  set -- $t
  check "Ishigami $2 of $1 = $3 inside its interval" inside "$work/i1/indices.csv" "analytic.$1" "$2" "$3"
done
check "the table ranks x1 first (largest ST)" \
  bash -c "grep -A2 '^  factor' '$logs/table' | sed -n 2p | grep -q 'analytic.x1'"
check "the table says it in words" grep -q "In words: analytic.x1 explains" "$logs/table"
for f in indices.csv variance.csv summary.csv; do
  check "$f identical for 1 and 2 threads" cmp -s "$work/i1/$f" "$work/i2/$f"
done

# The figure and the report's section.
exit_code 0 "$burnsim" plot "$work/i1"
check "the sensitivity figure is drawn" test -s "$work/i1/plots/sensitivity.png"
check "and only it (the design's points are not a curve)" bash -c "[ \$(ls '$work/i1/plots' | grep -c '\\.png\$') = 1 ]"
exit_code 0 "$burnsim" report "$work/i1"
check "the report has the sensitivity section" grep -q "Which factors drive the results" "$work/i1/report.html"
check "the report ranks x1 first, in words" grep -q "In words: <code>analytic.x1</code> explains" "$work/i1/report.html"

# Over 2 MPI ranks: the same indices as on threads.
if "$burnsim" version | grep -q 'MPI [0-9]' && command -v mpirun >/dev/null; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 # (OpenMPI's own allocations)
  exit_code 0 mpirun -n 2 "$burnsim" sensitivity "$ishigami" -o "$work/mpi" --threads 1 --no-plot -q
  for f in indices.csv variance.csv; do
    check "$f identical for 2 MPI ranks and for threads" cmp -s "$work/i1/$f" "$work/mpi/$f"
  done
else
  echo "sensitivity: MPI check skipped (burnsim built without MPI, or no mpirun)"
fi

# --resume after losing runs gives the same indices.
rm -rf "$work/i2/runs/000007" "$work/i2/runs/004000" "$work/i2/indices.csv"
exit_code 0 "$burnsim" sensitivity "$ishigami" -o "$work/i2" --resume --no-plot -q
check "indices.csv identical after --resume" cmp -s "$work/i1/indices.csv" "$work/i2/indices.csv"

# Seed noise: Gaussian noise of sd 2 (variance 4), independent between
# points, 4 replications per point: the noise left in a point's mean is
# 4 / 4 = 1, a known share of the variance of the means, 1 / (V + 1) with V
# the noiseless variance.  Its estimate pools 3 degrees of freedom from each
# of 640 points (relative sd about 3%); the tolerance is 10%.
small=(--set experiment.sweep.points=128 --no-plot -q)
exit_code 0 "$burnsim" sensitivity "$ishigami" -o "$work/quiet" "${small[@]}"
exit_code 0 "$burnsim" sensitivity "$ishigami" -o "$work/noisy" "${small[@]}" --set analytic.noise_sd=2 --reps 4
v0=$(awk -F, '!/^#/ && $1 == "baseline" { print $6 }' "$work/quiet/variance.csv")
share=$(awk -F, '!/^#/ && $1 == "baseline" { print $8 }' "$work/noisy/variance.csv")
check "noise share $share is 1 / (V + 1) with V = $v0, within 10%" \
  awk -v v="$v0" -v s="$share" 'BEGIN { e = 1 / (v + 1); exit !(s > 0.9 * e && s < 1.1 * e) }'
check "no noise measured with one replication" \
  bash -c "awk -F, '!/^#/ && \$1 == \"baseline\" { print \$8 }' '$work/quiet/variance.csv' | grep -qx nan"

# Morris on y = x1 + 2 x2 + 3 x3 with x2 on [0, 2]: mu* = 1, 4, 3, sigma 0.
cat >"$work/linear.cfg" <<CFG
name = "linear"; description = "Morris on a linear function";
analytic = { function = "linear"; };
experiment = { objective = "y"; sweep = { method = "morris"; points = 10; factors = (
  { key = "analytic.x1"; }, { key = "analytic.x2"; max = 2.0; }, { key = "analytic.x3"; } ); }; };
CFG
exit_code 0 "$burnsim" sensitivity "$work/linear.cfg" -o "$work/m" --no-plot -q
for t in "x1 1" "x2 4" "x3 3"; do
  set -- $t
  check "Morris mu* of $1 is $2" \
    awk -v v="$(field "$work/m/indices.csv" y "analytic.$1" mu_star estimate)" -v e="$2" \
    'BEGIN { exit !(v - e < 1e-6 && e - v < 1e-6) }'
done

# Refusals, each naming the file, the key and what was expected.
exit_code 2 "$burnsim" sensitivity "$src/scenarios/sweep_token_weight.cfg" -o "$work/grid"
check "a grid sweep is refused with the method expected" grep -q 'expected "saltelli" or "morris"' "$logs/err"
check "nothing written for a refused design" test ! -e "$work/grid"
exit_code 2 "$burnsim" sensitivity "$work/linear.cfg" --set experiment.sweep.levels=5 -o "$work/odd"
check "odd Morris levels refused at their key" grep -q "experiment.sweep.levels: expected an even number" "$logs/err"
exit_code 2 "$burnsim" sensitivity "$ishigami" --set 'experiment.sensitivity.outputs="y, no_such"' -o "$work/col"
check "an unknown output column is refused" \
  grep -q 'experiment.sensitivity.outputs: expected a column of the runs. summary.csv (docs/output.md), found "no_such"' "$logs/err"
exit_code 2 "$burnsim" check "$ishigami" --set org.agents=10
check "a test function beside an organisation is refused" grep -q "analytic.function: a test function replaces" "$logs/err"

harness_done sensitivity
