#!/usr/bin/env bash
# tests/paths_test.sh - end-to-end checks of the short paths through the real
# burnsim binary: a what-if in one command (compare --arm) with its report,
# what a run and a sweep print at the end, bundled scenarios by name and
# burnsim list, hints for libconfig syntax errors, summary.json beside
# summary.csv, and an installed burnsim.
# usage: paths_test.sh BURNSIM SOURCE_DIR [BUILD_DIR CMAKE] (the last two for the install)
set -u
burnsim=$1
src=$2
build=${3:-}
cmake=${4:-cmake}
. "$(dirname "$0")/harness.sh"
short=(--set days=14)
# Bundled scenarios are found by name from any folder but the source tree's.
cd "$work"

# ---- one command for a what-if ------------------------------------------------
exit_code 0 "$burnsim" compare quickstart.cfg --arm output_kpi:kpi.type=output \
  --arm 'rollover:budget.unspent=rollover; budget.rollover_cap=0.5' --reps 3 "${short[@]}" --no-plot -o "$work/whatif"
check "the what-if's design runs the baseline and both arms" \
  test "$(awk -F, 'NR > 2 { print $3 }' "$work/whatif/design.csv" | sort -u | tr '\n' ' ')" = "baseline output_kpi rollover "
check "the what-if ranks both arms against the baseline" grep -qE '^ +[0-9]+  output_kpi ' "$logs/out"
check "the what-if's report is written at the end" test -s "$work/whatif/report.html"
check "the report says what each arm changes" \
  grep -qF '<b>rollover</b> changes <code>budget.unspent=rollover; budget.rollover_cap=0.5</code>' "$work/whatif/report.html"
check "the what-if says where its report is" grep -q "$work/whatif/report.html" "$logs/out"
check "scenario.cfg records the command-line arms" grep -q 'set = "budget.unspent=rollover; budget.rollover_cap=0.5"' \
  "$work/whatif/scenario.cfg"
# The same arms written in a scenario give byte-identical tables.
cp "$src/scenarios/quickstart.cfg" "$logs/"
cat >"$logs/whatif.cfg" <<'EOF'
base: {
  @include "quickstart.cfg"
};
experiment = {
  arms = (
    { name = "output_kpi"; set = "kpi.type=output"; },
    { name = "rollover"; set = "budget.unspent=rollover; budget.rollover_cap=0.5"; }
  );
};
EOF
exit_code 0 "$burnsim" compare "$logs/whatif.cfg" --reps 3 "${short[@]}" --no-plot --no-report -o "$work/whatif_file"
for f in summary.csv stats.csv paired.csv daily_stats.csv design.csv scenario.cfg; do
  check "--arm and experiment.arms give the same $f" cmp -s "$work/whatif/$f" "$work/whatif_file/$f"
done
check "--no-report writes no report" test ! -e "$work/whatif_file/report.html"
# --arm replaces a scenario's own arms.
exit_code 0 "$burnsim" compare compare_kpi --arm only:kpi.type=none --reps 2 "${short[@]}" --no-plot --no-report -q \
  -o "$work/replaced"
check "--arm replaces the scenario's arms" \
  test "$(awk -F, 'NR > 2 { print $3 }' "$work/replaced/design.csv" | sort -u | tr '\n' ' ')" = "baseline only "
check "-q prints nothing" test ! -s "$logs/out"
# Bad --arm text: exit 2, a located message, nothing written.
bad_arm() { # bad_arm ARM_TEXT EXPECTED_MESSAGE
  exit_code 2 "$burnsim" compare quickstart --arm "$1" --reps 2 -o "$work/bad"
  check "--arm '$1' is refused with: $2" grep -qF -- "--arm $1: $2" "$logs/err"
}
bad_arm output_kpi "expected NAME:KEY=VALUE"
bad_arm :kpi.type=output "expected an arm name before ':'"
bad_arm 'two words:kpi.type=output' "expected an arm name of letters, digits"
bad_arm baseline:kpi.type=output '"baseline" is the baseline'"'"'s name'
bad_arm empty: "expected at least one KEY=VALUE after ':'"
bad_arm typo:kpi.type=outptu 'kpi.type: expected one of'
bad_arm 'two:kpi.type=output;kpi.nokey=1' 'kpi.nokey: unknown key'
bad_arm seeded:seed=4 'an arm cannot change the seed or the experiment'
bad_arm "long:$(printf 'kpi.type=none;%.0s' {1..80})" 'expected changes of at most 1023 characters, found 1120'
exit_code 2 "$burnsim" compare quickstart --arm a:kpi.type=none --arm a:kpi.type=output -o "$work/bad"
check "two arms of one name are refused" grep -q 'expected a name no other arm has, found "a" again' "$logs/err"
exit_code 2 "$burnsim" run quickstart --arm a:kpi.type=none -o "$work/bad"
check "run refuses --arm and names compare" grep -q 'arms are compared by burnsim compare' "$logs/err"
check "refused arms write nothing" test ! -e "$work/bad"
check "compare --help documents --arm" bash -c "'$burnsim' compare --help | grep -q -- '--arm NAME:CHANGES'"
check "compare --help documents --no-report" bash -c "'$burnsim' compare --help | grep -q -- '--no-report'"
check "the README shows the one-command what-if" grep -q "burnsim compare quickstart.cfg --reps 20 --arm output_kpi:kpi.type=output --arm rollover:budget.unspent=rollover" "$src/README.md"

# ---- a run says what happened ---------------------------------------------------
exit_code 0 "$burnsim" run quickstart "${short[@]}" --no-plot -o "$work/run"
# Each figure printed is summary.csv's, in the unit the line names.
column() { # column FILE NAME: the value of NAME in the row of a one-row CSV
  awk -F, -v name="$2" '/^#/ { next } !h { for (i = 1; i <= NF; i++) if ($i == name) c = i; h = 1; next } { print $c }' "$1"
}
share=$(awk -v v="$(column "$work/run/summary.csv" burn_share)" 'BEGIN { printf "%.1f%%", 100 * v }')
check "the run prints its burn share ($share)" grep -qE "^  Share of tokens burned +$share\$" "$logs/out"
for label in 'Compute \$ spent on burn' 'Useful output ' 'Useful output per \$ of compute' 'Net value' \
  'Output lost to refused useful jobs'; do
  check "the run prints '$label'" grep -qE "^  $label +-?\\\$[0-9]" "$logs/out"
done
burn_usd=$(column "$work/run/summary.csv" usd_burn)
check "the run prints its \$ burned as summary.csv has it" \
  grep -qE "^  Compute \\\$ spent on burn +\\\$$(printf '%.0f' "$burn_usd" | sed -E ':a;s/^([0-9]+)([0-9]{3})/\1,\2/;ta')\$" "$logs/out"
check "a run's output has no progress line when stderr is not a terminal" bash -c "! grep -q \$'\\r' '$logs/err'"
exit_code 0 "$burnsim" run quickstart "${short[@]}" --no-plot -q -o "$work/run_q"
check "-q silences the findings" test ! -s "$logs/out"
# On a terminal (script gives the run one), a run longer than
# BURNSIM_PROGRESS_AFTER seconds shows its progress by day.
if command -v script >/dev/null; then
  BURNSIM_PROGRESS_AFTER=0 script -qec "'$burnsim' run quickstart ${short[*]} --no-plot -o '$work/run_tty'" /dev/null \
    >"$logs/tty" 2>&1
  check "a run on a terminal shows its progress by day" grep -qa 'burnsim: quickstart: day [0-9]* of 14' "$logs/tty"
  check "the run on a terminal completes the same" cmp -s "$work/run/summary.csv" "$work/run_tty/summary.csv"
fi

# A sweep ends with a table by sweep point, in the order of the factor, also
# when the scenario lists its values out of order; its report too.
cp "$src/scenarios/sweep_token_weight.cfg" "$logs/"
cat >"$logs/unordered.cfg" <<'EOF'
base: {
  @include "sweep_token_weight.cfg"
};
experiment = { sweep = { factors = ( { key = "kpi.token_weight"; values = [1.6, -0.4, 0.8, 0.0]; } ); }; };
EOF
exit_code 0 "$burnsim" sweep "$logs/unordered.cfg" --reps 2 "${short[@]}" --no-plot -o "$work/sweep"
awk '/at each sweep point/ { t = 1; next } t && /^ +-?[0-9.]+ +[a-z]/ { print $1, $2, $3 }' "$logs/out" >"$logs/table"
check "the sweep's table has a line per point and arm" test "$(wc -l <"$logs/table")" = 8
check "the sweep's table is in the order of the factor" \
  test "$(awk '{ print $1 }' "$logs/table" | uniq | tr '\n' ' ')" = "-0.4 0 0.8 1.6 "
# Its means are stats.csv's.
awk -F, '/^#/ || $1 == "point" { next } $4 == "net_value" { printf "%s %s %.5g\n", $2 + 0, $3, $6 }' \
  "$work/sweep/stats.csv" | sort >"$logs/stats_means"
check "the sweep's table shows stats.csv's means" cmp -s <(sort "$logs/table") "$logs/stats_means"
python3 - "$work/sweep/report.html" >"$logs/report_factor" <<'EOF'
import sys
from html.parser import HTMLParser
class Rows(HTMLParser):
    def __init__(self):
        super().__init__(); self.table = None; self.cells = []; self.rows = []; self.cell = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == "ranking": self.table = True
        if self.table and tag == "td": self.cell = ""
    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None: self.cells.append(self.cell); self.cell = None
        if tag == "tr" and self.table and self.cells: self.rows.append(self.cells); self.cells = []
        if tag == "table": self.table = None
    def handle_data(self, data):
        if self.cell is not None: self.cell += data
p = Rows(); p.feed(open(sys.argv[1]).read())
for r in p.rows: print(r[1])
EOF
check "the sweep's report is in the order of the factor" \
  test "$(uniq "$logs/report_factor" | tr '\n' ' ')" = "-0.4 0 0.8 1.6 "

# ---- scenarios by name, and the list ---------------------------------------------
exit_code 0 "$burnsim" run "$src/scenarios/quickstart.cfg" "${short[@]}" --no-plot -o "$work/run_path"
for f in daily.csv summary.csv agents.csv teams.csv; do
  check "run quickstart (by name) equals the file's run: $f" cmp -s "$work/run/$f" "$work/run_path/$f"
done
exit_code 0 "$burnsim" check validation/mmc
check "a bundled scenario in a subfolder is found by name" grep -q '^name = "mmc";' "$logs/out"
# A path that exists wins over the bundled scenario of that name.
mkdir -p "$work/own"
printf 'base: {\n  @include "%s/scenarios/cluster.cfg"\n};\nname = "own";\n' "$src" >"$work/own/quickstart"
(cd "$work/own" && "$burnsim" check quickstart >"$logs/own" 2>&1)
check "a file named like a bundled scenario wins" grep -q '^name = "own";' "$logs/own"
exit_code 2 "$burnsim" run no_such_scenario
check "an unknown name points to burnsim list" grep -q 'neither a file nor a bundled scenario (burnsim list' "$logs/err"
exit_code 0 "$burnsim" list
for f in "$src"/scenarios/*.cfg "$src"/scenarios/*/*.cfg; do
  name=${f#"$src/scenarios/"}
  check "list names $name" grep -qE "^  ${name%.cfg} " "$logs/out"
done
check "list gives quickstart's question" \
  grep -qE '^  quickstart +How much of the compute is burned only to climb the board.*\?$' "$logs/out"
# Every registered lever type is listed with its own line of documentation.
for f in "$src"/policies/*_*.c "$src"/sim/org/behaviour.c; do
  grep -A1 -h '^ *\.name = "' "$f" | sed -nE 'N;s/^ *\.name = "([^"]+)",\n *\.doc = "([^"]+)".*/\1|\2/p' |
    while IFS='|' read -r name doc; do
      grep -qF "    $(printf '%-16s' "$name") $doc" "$logs/out" || echo "$name"
    done
done >"$logs/unlisted"
check "list shows every lever type with its documentation" test ! -s "$logs/unlisted"
check "list shows some lever types" test "$(grep -cE '^    [a-z_]+ +[a-z]' "$logs/out")" -ge 15

# ---- libconfig syntax errors with a hint -----------------------------------------
# A student's edited copy of quickstart: an unquoted string, then a '}' missing.
sed 's/^  type = "tokens";/  type = tokens;/' "$src/scenarios/quickstart.cfg" >"$logs/edited.cfg"
line=$(grep -n '^  type = tokens;' "$logs/edited.cfg" | cut -d: -f1)
exit_code 2 "$burnsim" run "$logs/edited.cfg" -o "$work/bad"
check "an unquoted string is located and gets the hint" \
  grep -qF "edited.cfg:$line: syntax error in: type = tokens; (strings need double quotes: type = \"tokens\")" "$logs/err"
sed '/^kpi = {/,/^};/{/^};/d}' "$src/scenarios/quickstart.cfg" >"$logs/unclosed.cfg" # kpi's closing '};' gone
opened=$(grep -n '^kpi = {' "$logs/unclosed.cfg" | cut -d: -f1)
exit_code 2 "$burnsim" run "$logs/unclosed.cfg" -o "$work/bad"
check "a missing '}' is reported where its group opened" \
  grep -qF "unclosed.cfg:$opened: kpi: the '{' opened here is never closed: a '}' is missing" "$logs/err"
exit_code 2 "$burnsim" run quickstart --set org.agents=1e3 -o "$work/bad"
check "--set org.agents=1e3 explains that an integer is needed" \
  grep -qF -- "--set org.agents=1e3: org.agents: expected an integer in [0, 16777216], found the number 1000 written as a float; an integer is needed: write 1000" "$logs/err"
check "syntax errors write nothing" test ! -e "$work/bad"

# ---- summary.json beside summary.csv ------------------------------------------------
# The same numbers and names as summary.csv (nan as null), with units.
json_matches_csv() { # json_matches_csv DIR
  python3 -m json.tool "$1/summary.json" >/dev/null || return 1
  python3 - "$1" <<'EOF'
import csv, json, math, sys
d = sys.argv[1]
j = json.load(open(d + "/summary.json"))
lines = open(d + "/summary.csv").read().splitlines()
rows = list(csv.DictReader(lines[1:]))
assert j["provenance"] == lines[0].lstrip("# "), "provenance"
assert [c["name"] for c in j["columns"]] == list(rows[0].keys()), "columns"
assert len(j["rows"]) == len(rows), "row count"
for got, want in zip(j["rows"], rows):
    for k, v in want.items():
        g = got[k]
        try:
            x = float(v)
        except ValueError:
            assert g == v, (k, g, v); continue
        if math.isnan(x) or math.isinf(x): assert g is None, (k, g, v)
        else: assert isinstance(g, (int, float)) and g == (int(v) if v.lstrip("-").isdigit() else x), (k, g, v)
EOF
}
unit_of() { python3 -c 'import json,sys; print({c["name"]: c["unit"] for c in json.load(open(sys.argv[1]))["columns"]}[sys.argv[2]])' "$@"; }
check "a run's summary.json parses and holds summary.csv's numbers" json_matches_csv "$work/run"
check "summary.json gives burn_share as a share" test "$(unit_of "$work/run/summary.json" burn_share)" = share
check "summary.json gives usd_burn in USD" test "$(unit_of "$work/run/summary.json" usd_burn)" = USD
check "summary.json gives mean_wait_useful_h in hours" test "$(unit_of "$work/run/summary.json" mean_wait_useful_h)" = hours
check "a campaign's summary.json parses and holds summary.csv's numbers" json_matches_csv "$work/whatif"
check "a campaign run's own summary.json too" json_matches_csv "$work/whatif/runs/000004"
exit_code 0 "$burnsim" run validation/mmc --set days=0.05 --no-plot -q -o "$work/mmc"
check "a cluster run's summary.json (with nan) parses and matches" json_matches_csv "$work/mmc"
check "a cluster run's summary.json has a null" grep -q ': null' "$work/mmc/summary.json"

# ---- installed ----------------------------------------------------------------------
# Into a temporary prefix, run from another folder: the installed burnsim
# finds its own scenarios and gnuplot scripts, not the source tree's.
if [ -n "$build" ]; then
  prefix=$work/prefix
  exit_code 0 "$cmake" --install "$build" --prefix "$prefix"
  installed=$prefix/bin/burnsim
  check "the binary is installed" test -x "$installed"
  check "the man page is installed" test -s "$prefix/share/man/man1/burnsim.1"
  check "bash completion is installed" test -s "$prefix/share/bash-completion/completions/burnsim"
  for f in "$src"/plots/*.gp; do
    check "plots/${f##*/} is installed" cmp -s "$f" "$prefix/share/burnsim/plots/${f##*/}"
  done
  for f in "$src"/scenarios/*.cfg "$src"/scenarios/*/*.cfg; do
    check "scenarios/${f#"$src/scenarios/"} is installed" cmp -s "$f" "$prefix/share/burnsim/scenarios/${f#"$src/scenarios/"}"
  done
  mkdir -p "$work/elsewhere"
  cd "$work/elsewhere"
  exit_code 0 "$installed" list
  check "the installed burnsim lists its installed scenarios" grep -qF "in $(cd "$prefix" && pwd -P)/share/burnsim/scenarios/:" "$logs/out"
  exit_code 0 "$installed" run quickstart "${short[@]}" -o "$work/elsewhere/run"
  check "the installed burnsim runs its installed quickstart" \
    grep -qF "scenario_file = \"$(cd "$prefix" && pwd -P)/share/burnsim/scenarios/quickstart.cfg\"" "$work/elsewhere/run/manifest.cfg"
  check "the installed burnsim's run is the source tree's" cmp -s "$work/run/daily.csv" "$work/elsewhere/run/daily.csv"
  if command -v gnuplot >/dev/null; then
    # A script removed from the installed plots/ is missed there: the
    # installed burnsim draws with its own scripts.
    check "the installed burnsim draws the figures" test -s "$work/elsewhere/run/plots/waste.png"
    rm "$prefix/share/burnsim/plots/waste.gp"
    exit_code 1 "$installed" plot "$work/elsewhere/run" --format png
    check "the installed burnsim reads its installed gnuplot scripts" \
      grep -qF "$(cd "$prefix" && pwd -P)/share/burnsim/plots/waste.gp" "$logs/err"
  fi
  # The man page is the help text.
  if command -v man >/dev/null; then
    MANPATH=$prefix/share/man man -P cat burnsim >"$logs/man" 2>/dev/null
    for cmd in run compare sweep check list plot report version help; do
      check "the man page shows '$cmd --help'" grep -qF "usage: burnsim $cmd" "$logs/man"
    done
    check "the man page shows --arm's help" grep -qF -- "--arm NAME:CHANGES  an arm named NAME" "$logs/man"
  fi
  # Completion offers the commands, each command's options and the bundled scenarios.
  complete_words() { # complete_words WORD...: what completing the last word offers
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _burnsim; printf "%s\n" "${COMPREPLY[@]}"' \
      _ "$prefix/share/bash-completion/completions/burnsim" "$installed" "${@:2}"
  }
  check "completion offers compare" test "$(complete_words burnsim comp)" = compare
  "$installed" --help | sed -nE 's/^  ([a-z]+) .*/\1/p' | sort >"$logs/commands"
  check "completion offers every command of --help" \
    test -z "$(comm -23 "$logs/commands" <(complete_words burnsim "" | sort))"
  check "completion offers --arm to compare" grep -qx -- --arm <(complete_words burnsim compare --a)
  check "completion offers bundled scenarios" grep -qx quickstart <(complete_words burnsim run quick)
  check "completion offers lever keys for --set" grep -qx kpi.type= <(complete_words burnsim run quickstart --set kpi.ty)
  for cmd in run compare sweep check plot report; do
    "$installed" "$cmd" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u >"$logs/options"
    complete_words burnsim "$cmd" -- | sort -u >"$logs/offered"
    check "completion offers every option of $cmd --help" test -z "$(comm -23 "$logs/options" "$logs/offered")"
  done
  cd "$work"
fi

harness_done paths
