#!/usr/bin/env bash
# papers/leaderboards/reproduce.sh - every number in README.md, from scratch.
# Run from the repository root after building (see the top-level README):
#   bash papers/leaderboards/reproduce.sh [OUT]      (default OUT: results/paper)
# About 45 s on two cores.  Running it again replaces the campaigns it made
# before (--force replaces only folders burnsim wrote).  The tables are
# byte-identical on any machine with the same burnsim revision, whatever
# --threads.
set -euo pipefail
out=${1:-results/paper}
burnsim=./build/burnsim
"$burnsim" compare scenarios/compare_kpi.cfg -o "$out/compare" --force
"$burnsim" sweep scenarios/sweep_token_weight.cfg -o "$out/sweep" --force
# The same comparison under the two other behaviour models.
for model in learning imitation; do
  "$burnsim" compare scenarios/compare_kpi.cfg --set org.behaviour=$model -o "$out/compare-$model" --force --no-plot
done
for campaign in compare sweep compare-learning compare-imitation; do
  "$burnsim" report "$out/$campaign"
done
echo "tables: $out/compare*/{stats,paired}.csv, $out/sweep/stats.csv; pages: $out/*/report.html"
