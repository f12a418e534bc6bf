#!/usr/bin/env bash
# tests/figures_test.sh - end-to-end checks of `burnsim plot` and `burnsim
# report`: every expected figure is a valid PNG and a well-formed SVG with its
# series named, PDF on request, the HTML report is balanced and
# self-contained (with the ranking table for campaigns) and renders to a
# non-blank page in headless Chromium, bad folders are refused, a failing
# figure leaves nothing half-written, and without gnuplot `plot` says which
# package to install while `run` still writes complete results.
# usage: figures_test.sh BURNSIM SOURCE_DIR
set -u
burnsim=$1
src=$2
work=$(mktemp -d)  # results folders
logs=$(mktemp -d)  # captured output and scratch files
trap 'rm -rf "$work" "$logs"' EXIT
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
show() { local line; while IFS= read -r line; do echo "#   $line"; done <"$1"; } # (builtins only: PATH may be bare)
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n # skip $1"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@" >"$logs/check.out" 2>&1; then ok "$what"; else not_ok "$what"; show "$logs/check.out"; fi
}
exit_code() { # exit_code EXPECTED DESCRIPTION COMMAND...: output in $logs/out, $logs/err
  local expected=$1 what=$2; shift 2
  "$@" >"$logs/out" 2>"$logs/err"
  local rc=$?
  if [ "$rc" = "$expected" ]; then ok "$what"; else
    not_ok "$what (exit $rc, expected $expected)"; show "$logs/err"; fi
}

if ! command -v python3 >/dev/null; then
  echo "1..0 # skip python3 is needed to check the SVG and HTML files"
  exit 0
fi

# ---- checkers ---------------------------------------------------------------------

is_png() { # a PNG signature and a plausible size
  [ "$(od -An -tx1 -N8 "$1" | tr -d ' \n')" = "89504e470d0a1a0a" ] && [ "$(wc -c <"$1")" -gt 2000 ]
}
is_pdf() { [ "$(head -c 5 "$1")" = "%PDF-" ] && [ "$(wc -c <"$1")" -gt 2000 ]; }
is_svg() { # well-formed XML whose root is <svg>
  python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
sys.exit(0 if root.tag.endswith("svg") else 1)
EOF
}
svg_says() { # svg_says FILE TEXT...: each text appears in the figure's text
  local f=$1; shift
  local t
  for t in "$@"; do grep -qF -- "$t" "$f" || { echo "$f lacks \"$t\""; return 1; }; done
}
# The figure files of a folder: PNG and SVG valid, and the SVG names its series.
figure_ok() { # figure_ok DIR NAME TEXT...
  local dir=$1 name=$2; shift 2
  is_png "$dir/plots/$name.png" || { echo "$dir/plots/$name.png is not a PNG"; return 1; }
  is_svg "$dir/plots/$name.svg" || { echo "$dir/plots/$name.svg is not well-formed SVG"; return 1; }
  svg_says "$dir/plots/$name.svg" "$@"
}
# The report is balanced HTML and refers to no file outside itself.
html_ok() {
  python3 - "$1" <<'EOF'
import sys
from html.parser import HTMLParser
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
class Check(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.doctype = [], [], False
    def handle_decl(self, decl):
        self.doctype |= decl.lower() == "doctype html"
    def refs(self, attrs):
        for k, v in attrs:
            if k in ("src", "href") and v and not v.startswith(("data:", "#", "http://", "https://")):
                self.problems.append("refers to a file: %s=%r" % (k, v[:80]))
    def handle_starttag(self, tag, attrs):
        self.refs(attrs)
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))
    def handle_startendtag(self, tag, attrs):
        self.refs(attrs)
    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append("line %d: </%s> closes %s" % (self.getpos()[0], tag, self.stack[-1] if self.stack else "nothing"))
        else:
            self.stack.pop()
c = Check()
c.feed(open(sys.argv[1], encoding="utf-8").read())
c.close()
if not c.doctype:
    c.problems.append("no <!DOCTYPE html>")
if c.stack:
    c.problems.append("never closed: %s" % c.stack)
print("\n".join(c.problems))
sys.exit(1 if c.problems else 0)
EOF
}
# Rows of the report's ranking table.
ranking_rows() {
  python3 - "$1" <<'EOF'
import sys
from html.parser import HTMLParser
class Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.body, self.rows = False, False, 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("id") == "ranking":
            self.inside = True
        elif self.inside and tag == "tbody":
            self.body = True
        elif self.body and tag == "tr":
            self.rows += 1
    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = self.body = False
r = Rows()
r.feed(open(sys.argv[1], encoding="utf-8").read())
print(r.rows)
EOF
}
# A screenshot is not blank: decode the PNG (zlib and the PNG filters) and
# require that a good share of its pixels differ from the background.
not_blank() {
  python3 - "$1" <<'EOF'
import sys, struct, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        w, h, depth, colour = struct.unpack(">IIBB", chunk[:10])
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
assert depth == 8 and colour in (2, 6), "unexpected PNG type %d/%d" % (depth, colour)
bpp = 3 if colour == 2 else 4
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
counts = {}
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride): line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        for i in range(stride): line[i] = (line[i] + prev[i]) & 255
    elif f == 3:
        for i in range(stride): line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp * 4):  # every 4th pixel is plenty
        px = bytes(line[x:x + 3])
        counts[px] = counts.get(px, 0) + 1
    prev = line
total = sum(counts.values())
background = max(counts.values())
share = 1 - background / total
print("%d colours, %.1f%% of pixels not background" % (len(counts), 100 * share))
sys.exit(0 if share > 0.03 and len(counts) > 20 else 1)
EOF
}
no_leftovers() { # no staging folder or partial page in DIR
  [ -z "$(find "$1" -maxdepth 1 -name '*.partial-*' -print -quit)" ]
}

# ---- a single run ------------------------------------------------------------------
# (60 days: two budget cycles of 28 days end, so the teams figure has cycles to compare)

run=$work/run
exit_code 0 "a small run writes its results" \
  "$burnsim" run "$src/scenarios/quickstart.cfg" --set org.agents=200 --set days=60 -o "$run" --no-plot -q
(cd "$run" && md5sum ./*.csv manifest.cfg scenario.cfg) >"$logs/run.md5"
exit_code 0 "plot draws a run's figures" "$burnsim" plot "$run"
figure_ok_check() { local what=$1; shift; check "$what" figure_ok "$@"; }
figure_ok_check "waste: PNG, SVG, series named" "$run" waste "burn share (%)" "useful" "burn" "new budget cycle"
figure_ok_check "output: PNG, SVG, series named" "$run" output "output realised" "lost: useful jobs refused"
figure_ok_check "budget: PNG, SVG, series named" "$run" budget "mean ± 1 sd across teams" "allocation = need"
figure_ok_check "teams: PNG, SVG, series named" "$run" teams "one team" "median team" "allocation = need"
figure_ok_check "leaderboard: PNG, SVG, series named" "$run" leaderboard "equal use" "agents, whole run"
figure_ok_check "cluster_load: PNG, SVG, series named" "$run" cluster_load "utilisation (left axis)" "mean jobs waiting"
figure_ok_check "cluster_waits: PNG, SVG, series named" "$run" cluster_waits "useful jobs" "burn jobs"
check "plot leaves the results as they were" bash -c "cd '$run' && md5sum -c --quiet '$logs/run.md5'"
check "plot leaves no staging folder" no_leftovers "$run"

exit_code 0 "report writes a run's page" "$burnsim" report "$run"
check "the run's report is balanced HTML with no outside files" html_ok "$run/report.html"
check "the run's report has its summary" grep -q 'Summary of the run' "$run/report.html"
check "the run's report says what its numbers are" grep -q 'Share of tokens burned' "$run/report.html"
check "the run's report gives the question" grep -q 'How much of the compute is burned' "$run/report.html"
check "the run's report embeds the figures" test "$(grep -c 'src="data:image/svg+xml;base64,' "$run/report.html")" -eq 7
check "the run's report gives the command to repeat it" grep -q 'burnsim run .*quickstart.cfg' "$run/report.html"
check "report leaves no partial page" no_leftovers "$run"
exit_code 0 "report -o writes elsewhere" "$burnsim" report "$run" -o "$logs/elsewhere.html" -q
check "report -o writes the page there" html_ok "$logs/elsewhere.html"

# ---- campaigns -------------------------------------------------------------------------

small=(--set org.agents=100 --set days=35 --no-plot -q)
cmp=$work/compare
exit_code 0 "a small comparison of arms" "$burnsim" compare "$src/scenarios/compare_kpi.cfg" --reps 3 "${small[@]}" -o "$cmp"
exit_code 0 "plot draws a comparison's figures" "$burnsim" plot "$cmp" --pdf
figure_ok_check "compare: PNG, SVG, every arm named" "$cmp" compare baseline no_kpi output_kpi secret_board audits rollover \
  "confidence interval"
figure_ok_check "paired: PNG, SVG, verdicts named" "$cmp" paired no_kpi rollover "better than the baseline" "worse"
figure_ok_check "daily: PNG, SVG, arms named" "$cmp" daily baseline secret_board "Share of tokens burned"
check "--pdf draws PDF too" is_pdf "$cmp/plots/compare.pdf"
exit_code 0 "report writes a comparison's page" "$burnsim" report "$cmp"
check "the comparison's report is balanced HTML with no outside files" html_ok "$cmp/report.html"
check "the comparison's report ranks the six arms" test "$(ranking_rows "$cmp/report.html")" -eq 6
check "the comparison's report has paired differences" grep -q 'Differences from the baseline' "$cmp/report.html"
check "the comparison's report explains the intervals" grep -q 'confidence interval' "$cmp/report.html"
check "the comparison's report gives the question" grep -q 'Which incentive rules' "$cmp/report.html"

reps=$work/reps
exit_code 0 "replications of one scenario" "$burnsim" run "$src/scenarios/quickstart.cfg" --reps 3 "${small[@]}" -o "$reps"
exit_code 0 "plot draws the replications' figures" "$burnsim" plot "$reps" --format svg
check "replications: compare and daily in SVG, no paired figure" \
  bash -c "test -s '$reps/plots/compare.svg' && test -s '$reps/plots/daily.svg' && test ! -e '$reps/plots/paired.svg' && test ! -e '$reps/plots/compare.png'"
exit_code 0 "report writes the replications' page" "$burnsim" report "$reps" -q
check "the replications' report has a one-row ranking" test "$(ranking_rows "$reps/report.html")" -eq 1

sweep=$work/sweep
exit_code 0 "a small one-factor sweep" "$burnsim" sweep "$src/scenarios/sweep_token_weight.cfg" --reps 2 "${small[@]}" -o "$sweep"
exit_code 0 "plot draws the sweep's figure" "$burnsim" plot "$sweep"
figure_ok_check "sweep: PNG, SVG, factor and arms named" "$sweep" sweep "kpi.token_weight" baseline audits
exit_code 0 "report writes the sweep's page" "$burnsim" report "$sweep" -q
check "the sweep's report is balanced HTML" html_ok "$sweep/report.html"
check "the sweep's report ranks its 12 points and arms" test "$(ranking_rows "$sweep/report.html")" -eq 12

# Two factors: a scenario beside copies of the ones it builds on (includes are
# relative to the including file).
cp "$src/scenarios/quickstart.cfg" "$src/scenarios/sweep_token_weight.cfg" "$logs/"
cat >"$logs/sweep2.cfg" <<'EOF'
base: {
  @include "sweep_token_weight.cfg"
};
name = "sweep2";
experiment = {
  arms = ();
  sweep = { method = "grid";
    factors = ( { key = "kpi.token_weight"; values = [0.0, 0.4, 1.6]; },
                { key = "enforcement.audit_rate"; values = [0.0, 0.1]; } ); };
};
EOF
sweep2=$work/sweep2
exit_code 0 "a small two-factor sweep" "$burnsim" sweep "$logs/sweep2.cfg" --reps 2 --set enforcement.type=audits "${small[@]}" -o "$sweep2"
exit_code 0 "plot draws the heat maps" "$burnsim" plot "$sweep2"
figure_ok_check "sweep_map: PNG, SVG, both factors named" "$sweep2" sweep_map "kpi.token_weight" "enforcement.audit_rate"

# ---- the page in a browser ---------------------------------------------------------------

chromium_bin=$(command -v chromium || command -v chromium-browser || true)
for page in "$run" "$cmp"; do
  if [ -z "$chromium_bin" ]; then
    skip "chromium not installed"
    continue
  fi
  shot=$logs/$(basename "$page").png
  # (root needs --no-sandbox; a fresh profile keeps the test off the user's)
  timeout 60 "$chromium_bin" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$logs/chromium-profile" --screenshot="$shot" --window-size=1200,900 \
    "file://$page/report.html" >"$logs/chromium.log" 2>&1
  check "$(basename "$page") report renders to a non-blank page in Chromium" not_blank "$shot"
done

# ---- refusals and failures ----------------------------------------------------------------

exit_code 0 "plot --help" "$burnsim" plot --help
check "plot --help shows usage" grep -q '^usage: burnsim plot' "$logs/out"
exit_code 0 "report --help" "$burnsim" report --help
check "report --help shows usage" grep -q '^usage: burnsim report' "$logs/out"
exit_code 2 "plot without a folder" "$burnsim" plot
exit_code 2 "plot --format gif" "$burnsim" plot "$run" --format gif
exit_code 2 "plot of a missing folder" "$burnsim" plot "$work/no-such-folder"
check "the message names the folder" grep -q 'no-such-folder' "$logs/err"
mkdir "$work/empty"
exit_code 2 "plot of a folder that is not burnsim's" "$burnsim" plot "$work/empty"
check "the message says what was expected" grep -q 'expected summary.csv' "$logs/err"
check "nothing is written into it" test -z "$(ls -A "$work/empty")"
exit_code 2 "plot of a file" "$burnsim" plot "$run/summary.csv"
exit_code 2 "report of a folder that is not burnsim's" "$burnsim" report "$work/empty"
check "no page is written there" test -z "$(ls -A "$work/empty")"
exit_code 1 "report to a folder that does not exist" "$burnsim" report "$run" -o "$work/no/such/page.html"

# A figure whose gnuplot fails (it writes half a file, then exits 1) leaves no
# file behind, and the other figures are drawn.
cp -r "$src/plots" "$logs/plots"
printf 'set terminal svg\nset output out."/waste.".fmt\nprint "half a figure"\nexit status 1\n' >"$logs/plots/waste.gp"
fail=$work/fail
cp -r "$run" "$fail" && rm -rf "$fail/plots"
BURNSIM_PLOTS_DIR=$logs/plots exit_code 1 "plot exits 1 when a figure fails" "$burnsim" plot "$fail"
check "the failure is reported with gnuplot's words" grep -q 'waste.*was not drawn' "$logs/err"
check "the failed figure leaves no file" test ! -e "$fail/plots/waste.png" -a ! -e "$fail/plots/waste.svg"
check "the other figures are drawn" is_png "$fail/plots/output.png"
check "a failure leaves no staging folder" no_leftovers "$fail"

# Without gnuplot: plot says which package to install, run still writes everything.
nognu=$logs/no-gnuplot-bin
mkdir "$nognu"
nofig=$work/nofig
cp -r "$run" "$nofig" && rm -rf "$nofig/plots" "$nofig/report.html"
PATH=$nognu exit_code 1 "plot without gnuplot exits 1" "$burnsim" plot "$nofig"
check "without gnuplot the message names the package" grep -q 'gnuplot-nox' "$logs/err"
check "without gnuplot nothing is drawn or changed" \
  bash -c "test ! -e '$nofig/plots' && cd '$nofig' && md5sum -c --quiet '$logs/run.md5'"
PATH=$nognu exit_code 0 "report without gnuplot still writes the page" "$burnsim" report "$nofig"
check "the page says why its figures are missing" grep -q 'gnuplot is not installed' "$nofig/report.html"
check "the page without figures is balanced HTML" html_ok "$nofig/report.html"
PATH=$nognu exit_code 0 "run without gnuplot succeeds" \
  "$burnsim" run "$src/scenarios/quickstart.cfg" --set org.agents=50 --set days=7 -o "$work/run-nognu" -q
check "run without gnuplot says so" grep -q 'gnuplot-nox' "$logs/err"
check "run without gnuplot writes complete results" bash -c \
  "cd '$work/run-nognu' && for f in summary.csv daily.csv teams.csv team_weeks.csv agents.csv waits.csv manifest.cfg scenario.cfg; do test -s \$f || exit 1; done"

echo "1..$n"
if [ "$failed" -gt 0 ]; then
  echo "# $failed of $n checks failed"
  exit 1
fi
