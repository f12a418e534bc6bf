# plots/common.gp - loaded first by every figure script in plots/: the
# arguments, file checks, terminal, colours and number formats they share.
#
# Each figure script sets `me` (its own name) and then does
#     here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
#     load here(ARG0)."common.gp"
# so the scripts find each other wherever plots/ is.
#
# Arguments (gnuplot variables set with -e before the script):
#   dir  the results folder (required)
#   out  folder for the figures (default: dir); created if missing
#   fmt  "png" (default), "svg" or "pdf"

# ---- arguments ---------------------------------------------------------------------
if (!exists("me")) { me = "common.gp" }
if (!exists("dir") || dir eq "") {
    print me.": no results folder; run e.g.  gnuplot -e \"dir='results/quickstart'\" plots/".me
    exit status 1
}
if (!exists("out") || out eq "") { out = dir }
if (!exists("fmt") || fmt eq "") { fmt = "png" }
if (fmt ne "png" && fmt ne "svg" && fmt ne "pdf") {
    print me.": fmt must be 'png', 'svg' or 'pdf', not '".fmt."'"
    exit status 1
}
if (fmt eq "pdf" && strstrt(GPVAL_TERMINALS, "pdfcairo") == 0) {
    print me.": this gnuplot has no pdfcairo terminal, so it cannot write PDF (Debian: install gnuplot-nox)"
    exit status 1
}
libdir = here(ARG0)

# ---- files (a quoted path for /bin/sh: ' becomes '\'') ------------------------------
sq(s) = (_q = strstrt(s, "'")) > 0 ? s[1:_q-1]."'\\''".sq(s[_q+1:]) : s
shq(s) = "'".sq(s)."'"
# ... and for a gnuplot single-quoted string: ' becomes ''
sq2(s) = (_r = strstrt(s, "'")) > 0 ? s[1:_r-1]."''".sq2(s[_r+1:]) : s
readable(f) = int(system("test -r ".shq(f)." && echo 1 || echo 0"))
isdir(f) = int(system("test -d ".shq(f)." && echo 1 || echo 0"))
# Data rows of a CSV: lines not starting with '#', less the header.
datarows(f) = int(system("grep -vc '^#' ".shq(f))) - 1
# The header row of a CSV (the first line not starting with '#'), as ",a,b,c,".
header(f) = ",".system("grep -m 1 -v '^#' ".shq(f)." | tr -d '\\r'").","
has_column(f, c) = strstrt(header(f), ",".c.",") > 0

if (!isdir(dir)) {
    print me.": results folder '".dir."' does not exist"
    exit status 1
}
if (!isdir(out)) { system("mkdir ".shq(out)." 2>/dev/null") }
if (!isdir(out)) {
    print me.": cannot create the output folder '".out."'"
    exit status 1
}

# Checking an input:  call libdir."need.gp" FILE "col1 col2 ..." MIN_ROWS
# exits with a message naming the file (or the missing column).

# Scenario name from a CSV's provenance line: # burnsim V (revision R) scenario "NAME" ...
scenario_of(f) = (_pl = system("head -n 1 ".shq(f)), _pp = strstrt(_pl, 'scenario "'), \
    _pp > 0 ? (_ps = _pl[_pp+10:], _ps[1:strstrt(_ps, '"')-1]) : "")
# What the folder's results are of, for figure titles: the manifest's label (the
# scenario's name with its --set changes and switches), else the scenario's name
# from a CSV's provenance line.
title_of(f) = (_lb = readable(dir."/manifest.cfg") ? system("sed -n 's/^label = \"\\(.*\\)\";$/\\1/p' ".shq(dir."/manifest.cfg")." | head -n 1") : "", \
    _lb ne "" ? _lb : scenario_of(f))
# The start of a figure's title: "NAME: ", or a long label on a line of its own.
title_pre(f) = (_tp = title_of(f), _tp eq "" ? "" : strlen(_tp) > 60 ? _tp.":\n" : _tp.": ")
# A number from scenario.cfg (first "key = N" line), 0 when absent.
cfgnum(key) = (_s = readable(dir."/scenario.cfg") ? \
    system("sed -n 's/^[[:space:]]*".key."[[:space:]]*=[[:space:]]*\\([-0-9.][0-9.eE+-]*\\).*/\\1/p' ".shq(dir."/scenario.cfg")." | head -n 1") : "", \
    (_s eq "") ? 0 : real(_s))
# ---- terminal and style -----------------------------------------------------------
ext = ".".fmt
if (fmt eq "png") {
    _term = (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) ? \
        "pngcairo size %d,%d noenhanced font 'Sans,11' linewidth 1.3" : "png size %d,%d noenhanced font 'Sans,11'"
    _tsize(w, h) = sprintf(_term, w, h)
} else {
    if (fmt eq "svg") {
        _tsize(w, h) = sprintf("svg size %d,%d dynamic noenhanced font 'Sans,11' linewidth 1.3 background '#ffffff'", w, h)
    } else {
        # 100 pixels to the inch, fonts and lines scaled to keep the PNG's proportions
        _tsize(w, h) = sprintf("pdfcairo size %.2fin,%.2fin noenhanced font 'Sans,11' fontscale 0.72 linewidth 1.0", w / 100.0, h / 100.0)
    }
}
# eval figure(NAME, W, H): sets the terminal and opens out/NAME.FMT (W x H pixels)
figure(name, w, h) = "set terminal "._tsize(w, h)."; set output '".sq2(out."/".name.ext)."'"
set encoding utf8
set datafile separator comma
set datafile commentschars "#"

c_useful = "#0072B2"      # useful work: blue
c_burn = "#D55E00"        # burn: orange
c_value = "#009E73"       # output ($): green
c_spend = "#7B6BA8"       # budgets and spending: purple
c_line = "#222222"
c_mark = "#8a8a8a"
set grid ytics lc rgb "#d8d8d8" lw 1 dt 1
set border 3 lc rgb "#444444"
set tics nomirror out scale 0.6
set style fill solid 0.85 noborder
set key noautotitle

# ---- numbers in words ----------------------------------------------------------------
# Powers of 1000 to show big numbers as e.g. "billions".
p3(m) = (abs(m) >= 1e12) ? 1e12 : (abs(m) >= 1e9) ? 1e9 : (abs(m) >= 1e6) ? 1e6 : (abs(m) >= 1e3) ? 1e3 : 1
pname(p) = (p == 1e12) ? "trillions" : (p == 1e9) ? "billions" : (p == 1e6) ? "millions" : (p == 1e3) ? "thousands" : ""
usdname(p) = (p == 1e12) ? "$ trillion" : (p == 1e9) ? "$ billion" : (p == 1e6) ? "$ million" : (p == 1e3) ? "$ thousand" : "$"
unit_tokens(p) = (p == 1) ? "tokens" : "tokens, ".pname(p)
nz(x) = (x == x) ? x : 0        # NaN -> 0
# A column that may hold nan or inf: column() would drop the whole row, num() gives NaN
# (keep the row, e.g. to count it or to replace the value with nz()).
num(name) = (_s = strcol(name), (_s eq "" || strstrt("0123456789+-.", _s[1:1]) == 0 || strstrt(_s, "nan") > 0 || strstrt(_s, "inf") > 0) ? NaN : column(name))
# A dollar amount in words: $27.6 million, $611, $3.25
usd(v) = (p3(v) > 1e3) ? sprintf("$%.3g %s", v / p3(v), usdname(p3(v))[3:]) : (abs(v) >= 100) ? sprintf("$%.0f", v) : sprintf("$%.3g", v)
# A duration in hours, in words, with a unit that suits it
dur_div(h) = (h >= 1) ? 1 : (h >= 1.0 / 60) ? 1.0 / 60 : (h >= 1.0 / 3600) ? 1.0 / 3600 : (h >= 1.0 / 3.6e6) ? 1.0 / 3.6e6 : 1.0 / 3.6e9
dur_unit(h) = (h >= 1) ? "h" : (h >= 1.0 / 60) ? "min" : (h >= 1.0 / 3600) ? "s" : (h >= 1.0 / 3.6e6) ? "ms" : "µs"
dur(h) = (h > 0) ? sprintf("%.3g %s", h / dur_div(h), dur_unit(h)) : "0"
# Tics at familiar durations for a log axis in hours.
array tv[15] = [1.0/3.6e9, 1.0/3.6e8, 1.0/3.6e7, 1.0/3.6e6, 1.0/3.6e5, 1.0/3.6e4, 1.0/3600, 10.0/3600, 1.0/60, 10.0/60, 1, 10, 100, 1000, 10000]
array tl[15] = ["1 µs", "10 µs", "0.1 ms", "1 ms", "10 ms", "0.1 s", "1 s", "10 s", "1 min", "10 min", "1 h", "10 h", "100 h", "1000 h", "10000 h"]

# ---- day axes --------------------------------------------------------------------------
# eval daytics / daytics_half after setting day0, day1 and ndays: weekly tics for
# short runs (day 0 is the first work day of a week), every 14 days in a half-width panel.
daytics = "if (ndays <= 14) { set xtics day0, 1 out nomirror format '%g'; unset mxtics } else { if (ndays <= 120) { set xtics day0, 7 out nomirror format '%g'; unset mxtics } else { set xtics autofreq out nomirror format '%g'; set mxtics default } }"
daytics_half = "if (ndays <= 10) { set xtics day0, 1 out nomirror format '%g'; unset mxtics } else { if (ndays <= 60) { set xtics day0, 7 out nomirror format '%g'; unset mxtics } else { if (ndays <= 120) { set xtics day0, 14 out nomirror format '%g'; set mxtics 2 } else { set xtics autofreq out nomirror format '%g'; set mxtics default } } }"
# Dotted lines between the last day of one period and the first of the next:
# eval marks(FIRST_TAG, PERIOD, TEXT); TEXT "" draws no label (give the lines a key entry).
marks(tag, period, text) = (period <= 0) ? "" : \
    sprintf("do for [k = 1:%d] { _mx = k * %d - 0.5; if (_mx > day0 && _mx < day1) { " . \
            "set arrow (%d + k) from first _mx, graph 0 to first _mx, graph 1 nohead lc rgb c_mark dt 3 lw 1.2 back; " . \
            "if (\"%s\" ne \"\") { set label (%d + k) \"%s\" at first _mx, graph 0.02 rotate by 90 left offset -1,0 font \",9\" tc rgb c_mark } } }", \
            int((day1 + 1) / period), period, tag, text, tag, text)
# A key entry for those lines (nothing when the period is unknown).
markkey(period, text) = (period > 0 && day1 >= period) ? sprintf(", NaN with lines lc rgb c_mark dt 3 lw 1.2 title \"%s\"", text) : ""
unmark = "unset arrow; unset label"
# A panel with nothing to draw: eval empty_panel("what to say")
empty_panel(text) = "set xrange [0:1]; set yrange [0:1]; unset xtics; unset ytics; unset grid; " . \
    "set label 99 \"".text."\" at graph 0.5, graph 0.5 center font ',12' tc rgb c_mark; plot NaN notitle; unset label 99; " . \
    "set xtics out nomirror autofreq; set ytics out nomirror autofreq; set grid ytics lc rgb '#d8d8d8' lw 1 dt 1"


# ---- dated switches ----------------------------------------------------------------------
# The switches of dir/scenario.cfg (day and change, one line each), marked on the
# day axes: eval switchmarks before a day panel's plot, eval unswitchmarks after.
_swcmd = "sed -n '/^switches = ($/,/^);/{s/^ *day = \\([0-9]*\\);.*/\\1/p;s/^ *set = \"\\(.*\\)\";.*/\\1/p}' ".shq(dir."/scenario.cfg")
nswitches = readable(dir."/scenario.cfg") ? int(system(_swcmd." | wc -l")) / 2 : 0
switch_day(k) = int(system(_swcmd." | sed -n ".(2 * k - 1)."p"))
switch_text(k) = system(_swcmd." | sed -n ".(2 * k)."p")
c_switch = "#882255"       # dated switches: wine (pink is taken by queues and an arm)
# (a switch takes effect at the start of its day: the line is drawn before it)
switchmarks = "do for [_swk = 1:nswitches] { _sd = switch_day(_swk); if (_sd > day0 && _sd <= day1) { " . \
    "set arrow (60 + _swk) from first _sd - 0.5, graph 0 to first _sd - 0.5, graph 1 nohead lc rgb c_switch dt 2 lw 1.6 front; " . \
    "set label (60 + _swk) sprintf('day %d: %s', _sd, switch_text(_swk)) at first _sd - 0.5, graph 0.98 right rotate by 90 offset -0.7,0 font ',9' tc rgb c_switch front } }"
unswitchmarks = "do for [_swk = 1:nswitches] { unset arrow (60 + _swk); unset label (60 + _swk) }"
