#!/usr/bin/env bash
# papers/leaderboards/reproduce.sh - every number in README.md, from scratch.
# Run from the repository root after building (see the top-level README):
#   bash papers/leaderboards/reproduce.sh [OUT]      (default OUT: results/paper)
# About 30 s on two cores.  The tables are byte-identical on any machine
# with the same burnsim revision, whatever --threads.
set -euo pipefail
out=${1:-results/paper}
burnsim=./build/burnsim
"$burnsim" compare scenarios/compare_kpi.cfg -o "$out/compare"
"$burnsim" sweep scenarios/sweep_token_weight.cfg -o "$out/sweep"
"$burnsim" report "$out/compare"
"$burnsim" report "$out/sweep"
echo "tables: $out/compare/{stats,paired}.csv, $out/sweep/stats.csv; pages: $out/*/report.html"
