# plots/org_run.gp - figures of a burnsim run with an organisation.
#
#   gnuplot -e "dir='results/quickstart'" plots/org_run.gp
#   gnuplot -e "dir='results/quickstart'; out='/tmp/figs'; fmt='svg'" plots/org_run.gp
#
# dir: the results folder (daily.csv, team_weeks.csv, agents.csv; scenario.cfg
#      is read if present, for the budget cycle and review lengths).
# out: folder the figures are written to (default: dir); created if missing
#      (its parent must exist).  Nothing is written anywhere else.
# fmt: "png" (default) or "svg".
#
# Writes out/waste.FMT, out/output.FMT, out/budget.FMT, out/leaderboard.FMT.
# Exits with status 1 and a message naming the file when an input is missing.
# Columns are found by name (column("...")), never by position.

me = "org_run.gp"

# ---- arguments ---------------------------------------------------------------------
if (!exists("dir") || dir eq "") {
    print me.": no results folder; run e.g.  gnuplot -e \"dir='results/quickstart'\" plots/org_run.gp"
    exit status 1
}
if (!exists("out") || out eq "") { out = dir }
if (!exists("fmt") || fmt eq "") { fmt = "png" }
if (fmt ne "png" && fmt ne "svg") {
    print me.": fmt must be 'png' or 'svg', not '".fmt."'"
    exit status 1
}

# ---- files (a quoted path for /bin/sh: ' becomes '\'') ------------------------------
sq(s) = (_q = strstrt(s, "'")) > 0 ? s[1:_q-1]."'\\''".sq(s[_q+1:]) : s
shq(s) = "'".sq(s)."'"
readable(f) = int(system("test -r ".shq(f)." && echo 1 || echo 0"))
isdir(f) = int(system("test -d ".shq(f)." && echo 1 || echo 0"))
# Data rows of a CSV: lines not starting with '#', less the header.
datarows(f) = int(system("grep -vc '^#' ".shq(f))) - 1
# The header row of a CSV (the first line not starting with '#'), as ",a,b,c,".
header(f) = ",".system("grep -m 1 -v '^#' ".shq(f)." | tr -d '\\r'").","

if (!isdir(dir)) {
    print me.": results folder '".dir."' does not exist"
    exit status 1
}
do for [name in "daily.csv team_weeks.csv agents.csv"] {
    if (!readable(dir."/".name)) {
        print me.": ".dir."/".name." is missing: is '".dir."' the results folder of a run with an organisation (org.agents > 0)?"
        exit status 1
    }
}
if (!isdir(out)) { system("mkdir ".shq(out)." 2>/dev/null") }
if (!isdir(out)) {
    print me.": cannot create the output folder '".out."'"
    exit status 1
}

daily = dir."/daily.csv"
weeks = dir."/team_weeks.csv"
agents = dir."/agents.csv"
if (datarows(daily) < 1 || datarows(agents) < 1) {
    print me.": ".daily." or ".agents." holds no data rows: nothing to draw"
    exit status 1
}
nweekrows = datarows(weeks)     # 0 until the first week of a budget cycle has ended

# Every column the figures use, by name (a clear message if one is missing).
_h = header(daily)
do for [c in "day tokens_useful tokens_burn burn_share usd_useful usd_burn value value_per_usd value_lost top_agent_tokens budget_drift_mean budget_drift_sd"] {
    if (strstrt(_h, ",".c.",") == 0) {
        print me.": ".daily." has no column '".c."' (written by another version of burnsim?)"
        exit status 1
    }
}
_h = header(weeks)
do for [c in "cycle week spent"] {
    if (strstrt(_h, ",".c.",") == 0) {
        print me.": ".weeks." has no column '".c."' (written by another version of burnsim?)"
        exit status 1
    }
}
_h = header(agents)
do for [c in "tokens_useful tokens_burn"] {
    if (strstrt(_h, ",".c.",") == 0) {
        print me.": ".agents." has no column '".c."' (written by another version of burnsim?)"
        exit status 1
    }
}

# Scenario name from the provenance line: # burnsim V (revision R) scenario "NAME" seed S
prov = system("head -n 1 ".shq(daily))
_p = strstrt(prov, 'scenario "')
scen = ""
if (_p > 0) { scen = prov[_p+10:]; scen = scen[1:strstrt(scen, '"')-1] }
pre = (scen ne "") ? scen.": " : ""

# Optional: calendar lengths from scenario.cfg (0 when unknown).
cfgnum(key) = (_s = readable(dir."/scenario.cfg") ? \
    system("sed -n 's/^[[:space:]]*".key."[[:space:]]*=[[:space:]]*\\([0-9.][0-9.]*\\).*/\\1/p' ".shq(dir."/scenario.cfg")." | head -n 1") : "", \
    (_s eq "") ? 0 : real(_s))
cycle_days = int(cfgnum("budget_cycle_days"))
review_days = int(cfgnum("review_days"))

# ---- terminal and style -----------------------------------------------------------
ext = ".".fmt
if (fmt eq "png") {
    _term = (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) ? \
        "pngcairo size %d,%d noenhanced font 'Sans,11' linewidth 1.3" : "png size %d,%d noenhanced font 'Sans,11'"
} else {
    _term = "svg size %d,%d dynamic noenhanced font 'Sans,11' linewidth 1.3 background '#ffffff'"
}
# eval figure(NAME, W, H): sets the terminal and opens out/NAME.FMT
figure(name, w, h) = sprintf("set terminal "._term."; set output '%s'", w, h, sq2(out."/".name.ext))
sq2(s) = (_r = strstrt(s, "'")) > 0 ? s[1:_r-1]."''".sq2(s[_r+1:]) : s
set encoding utf8
set datafile separator comma
set datafile commentschars "#"

c_useful = "#0072B2"
c_burn = "#D55E00"
c_value = "#009E73"
c_line = "#222222"
c_spend = "#7B6BA8"
set grid ytics lc rgb "#d8d8d8" lw 1 dt 1
set border 3 lc rgb "#444444"
set tics nomirror out scale 0.6
set style fill solid 0.85 noborder
set key noautotitle

# Powers of 1000 to show big numbers as e.g. "billions".
p3(m) = (m >= 1e12) ? 1e12 : (m >= 1e9) ? 1e9 : (m >= 1e6) ? 1e6 : (m >= 1e3) ? 1e3 : 1
pname(p) = (p == 1e12) ? "trillions" : (p == 1e9) ? "billions" : (p == 1e6) ? "millions" : (p == 1e3) ? "thousands" : ""
usdname(p) = (p == 1e12) ? "$ trillion" : (p == 1e9) ? "$ billion" : (p == 1e6) ? "$ million" : (p == 1e3) ? "$ thousand" : "$"
unit_tokens(p) = (p == 1) ? "tokens" : "tokens, ".pname(p)
nz(x) = (x == x) ? x : 0        # NaN -> 0
# A column that may hold nan or inf: column() would drop the whole row, num() gives NaN
# (keep the row, e.g. to count it or to replace the value with nz()).
num(name) = (_s = strcol(name), (_s eq "" || strstrt("0123456789+-.", _s[1:1]) == 0 || strstrt(_s, "nan") > 0 || strstrt(_s, "inf") > 0) ? NaN : column(name))
# A dollar amount in words: $27.6 million, $611, $3.25
usd(v) = (p3(v) > 1e3) ? sprintf("$%.3g %s", v / p3(v), substr(usdname(p3(v)), 3, 99)) : (v >= 100) ? sprintf("$%.0f", v) : sprintf("$%.3g", v)

# ---- the data (all stats and tables come before any axis range is set) -------------
stats daily using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = D_records

stats daily using (column("tokens_useful") + column("tokens_burn")) name "TOK" nooutput
stats daily using (column("tokens_useful")) name "TU" nooutput
stats daily using (column("tokens_burn")) name "TB" nooutput
stats daily using (column("usd_useful") + column("usd_burn")) name "USD" nooutput
stats daily using (column("usd_useful")) name "UU" nooutput
stats daily using (column("usd_burn")) name "UB" nooutput
tok_p = p3(TOK_max)
usd_p = p3(USD_max)
burn_share_all = (TU_sum + TB_sum > 0) ? 100 * TB_sum / (TU_sum + TB_sum) : 0
usd_share_all = (UU_sum + UB_sum > 0) ? 100 * UB_sum / (UU_sum + UB_sum) : 0


# output
stats daily using (column("value")) name "V" nooutput
stats daily using (nz(num("value_lost"))) name "VL" nooutput
val_p = p3((V_max > VL_max) ? V_max : VL_max)
vpu_all = (UU_sum + UB_sum > 0) ? V_sum / (UU_sum + UB_sum) : 0

# budget cycle weeks: org-wide $ by week of the cycle, summed over the complete
# cycles (a cycle still under way would weigh its early weeks twice); with no
# complete cycle, the first cycle's weeks so far.
ncycles = 0
nweeks = 0
if (nweekrows > 0) {
    stats weeks using (column("cycle")) name "CY" nooutput
    stats weeks using (column("week")) name "WK" nooutput
    stats weeks using ((column("cycle") == CY_max) ? column("week") : -1) name "LW" nooutput
    nweeks = int(WK_max) + 1
    last_cycle = (LW_max == WK_max) ? int(CY_max) : int(CY_max) - 1
    whole = (last_cycle >= 0)
    if (!whole) { last_cycle = int(CY_max) }
    ncycles = last_cycle + 1
    set table $W
    plot weeks using (column("week")):((column("cycle") <= last_cycle) ? column("spent") : 0) smooth frequency
    unset table
    set datafile separator whitespace
    stats $W using 2 name "WS" nooutput
    set datafile separator comma
    wk_p = p3(WS_max)
}
last_week_days = (cycle_days > 0) ? cycle_days - 7 * (nweeks - 1) : 7

# budget drift band
# (a NaN ratio, e.g. a team with no need, counts as 1 for the range)
stats daily using (_v = num("budget_drift_mean") - nz(num("budget_drift_sd")), (_v == _v) ? _v : 1) name "DL" nooutput
stats daily using (_v = num("budget_drift_mean") + nz(num("budget_drift_sd")), (_v == _v) ? _v : 1) name "DH" nooutput

# leaderboard: Lorenz curve of tokens per agent.  Agents are counted into
# log-spaced bins of their tokens (one pass, no sorting; NB bins over the
# data's range, zero-token agents in a bin of their own), and the curve joins
# the bins' cumulative (share of agents, share of tokens).  Within a bin the
# tokens differ by under 1% for runs spanning up to ~8 decades, so the curve
# and the Gini coefficient from its area are exact to plotting accuracy.
agent_tokens(x) = column("tokens_useful") + column("tokens_burn")
_pmin = 1e308
stats agents using (_t = agent_tokens(0), _pmin = (_t > 0 && _t < _pmin) ? _t : _pmin, _t) name "AG" nooutput
n_agents = AG_records
tok_total = AG_sum
NB = 2000
array LC[NB + 1]
array LS[NB + 1]
do for [i = 1:NB + 1] { LC[i] = 0; LS[i] = 0 }
if (AG_max > 0) {
    _l0 = log10(_pmin)
    _lw = (log10(AG_max) - _l0) / (NB - 1)
    tbin(t) = (t > 0) ? ((_lw > 0) ? int(floor((log10(t) - _l0) / _lw)) + 2 : 2) : 1
    # (the header row is evaluated too, as NaN: it must not count)
    stats agents using (_t = agent_tokens(0), _b = tbin(_t), _b = (_b > NB + 1) ? NB + 1 : (_b < 1 ? 1 : _b), \
                        LC[_b] = LC[_b] + (_t == _t), LS[_b] = LS[_b] + ((_t == _t) ? _t : 0), 0) name "AGB" nooutput
} else {
    LC[1] = n_agents
}
set print $L
print "0 0"
gini_area = 0
_px = 0
_py = 0
_cn = 0
_ct = 0
top10 = -1
top1 = -1
do for [i = 1:NB + 1] {
    if (LC[i] > 0) {
        _cn = _cn + LC[i]
        _ct = _ct + LS[i]
        _x = real(_cn) / n_agents
        _y = (tok_total > 0) ? _ct / tok_total : 0
        print sprintf("%.8g %.8g", _x, _y)
        gini_area = gini_area + (_x - _px) * (_y + _py)
        if (top10 < 0 && _x >= 0.9) { top10 = 1 - (_py + (_y - _py) * (0.9 - _px) / (_x - _px)) }
        if (top1 < 0 && _x >= 0.99) { top1 = 1 - (_py + (_y - _py) * (0.99 - _px) / (_x - _px)) }
        _px = _x
        _py = _y
    }
}
set print
gini = 1 - gini_area

stats daily using (column("top_agent_tokens")) name "TA" nooutput
ta_p = p3(TA_max)

# Budget drift as steps: day d holds from d - 0.5 to d + 0.5 (as the day's bar would).
set table $DR
plot daily using (column("day")):(column("budget_drift_mean") - column("budget_drift_sd")):(column("budget_drift_mean") + column("budget_drift_sd")):(column("budget_drift_mean")) with table
unset table
set print $DS
do for [i = 1:|$DR|] {
    _w = word($DR[i], 1)
    if (_w ne "" && _w[1:1] ne "#") {
        print sprintf("%.10g %s %s %s", real(_w) - 0.5, word($DR[i], 2), word($DR[i], 3), word($DR[i], 4))
        print sprintf("%.10g %s %s %s", real(_w) + 0.5, word($DR[i], 2), word($DR[i], 3), word($DR[i], 4))
    }
}
set print

# The top agent's review-to-date tokens, as steps too.
set table $TR
plot daily using (column("day")):(column("top_agent_tokens")) with table
unset table
set print $TS
do for [i = 1:|$TR|] {
    _w = word($TR[i], 1)
    if (_w ne "" && _w[1:1] ne "#") {
        print sprintf("%.10g %s", real(_w) - 0.5, word($TR[i], 2))
        print sprintf("%.10g %s", real(_w) + 0.5, word($TR[i], 2))
    }
}
set print

# ---- common axes ---------------------------------------------------------------------
set xrange [day0 - 0.7 : day1 + 0.7]
# Weekly tics for short runs (day 0 is the first work day of a week).
daytics = "if (ndays <= 14) { set xtics day0, 1 out nomirror format '%g'; unset mxtics } else { if (ndays <= 120) { set xtics day0, 7 out nomirror format '%g'; unset mxtics } else { set xtics autofreq out nomirror format '%g'; set mxtics default } }"
# ... and every 14 days in a half-width panel.
daytics_half = "if (ndays <= 10) { set xtics day0, 1 out nomirror format '%g'; unset mxtics } else { if (ndays <= 60) { set xtics day0, 7 out nomirror format '%g'; unset mxtics } else { if (ndays <= 120) { set xtics day0, 14 out nomirror format '%g'; set mxtics 2 } else { set xtics autofreq out nomirror format '%g'; set mxtics default } } }"
eval daytics
set xlabel "day"
c_mark = "#8a8a8a"

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

# ---- waste: tokens and dollars per day by purpose ----------------------------------
eval figure("waste", 1000, 720)
set multiplot layout 2,1 title sprintf("%scompute per day, useful work vs burn (%.0f%% of the tokens and %.0f%% of the $ were burned)", pre, burn_share_all, usd_share_all) font ",13"
set lmargin 11
set rmargin 11
set key outside top center horizontal samplen 2 width 2

set title "Tokens per day (bars, left axis) and the day's burn share (line, right axis)"
set ylabel unit_tokens(tok_p)." per day"
set format y "%g"
set yrange [0:*]
set y2range [0:100]
set y2tics 0,20,100 out nomirror format "%g%%"
set y2label "burned share of the day's tokens"
unset xlabel
set boxwidth 0.8
eval marks(20, cycle_days, "")
mkey = markkey(cycle_days, "new budget cycle")
plot daily using (column("day")):((column("tokens_useful") + column("tokens_burn")) / tok_p) with boxes lc rgb c_burn title "burn", \
     ''    using (column("day")):(column("tokens_useful") / tok_p) with boxes lc rgb c_useful title "useful", \
     ''    using (column("day")):(100 * column("burn_share")) axes x1y2 with linespoints lc rgb c_line pt 7 ps 0.45 lw 1.2 title "burn share (%)" \
     @mkey

set title "Dollars per day (compute cost)"
set xlabel "day"
set ylabel usdname(usd_p)." per day"
unset y2tics
unset y2label
set y2range [*:*]
unset key
plot daily using (column("day")):((column("usd_useful") + column("usd_burn")) / usd_p) with boxes lc rgb c_burn title "burn", \
     ''    using (column("day")):(column("usd_useful") / usd_p) with boxes lc rgb c_useful title "useful"
eval unmark
unset multiplot
unset title
set output

# ---- output: useful output per day and per dollar ---------------------------------------
eval figure("output", 1000, 720)
set multiplot layout 2,1 title sprintf("%suseful output (%s over the run, %s of output per $ of compute)", pre, \
    usd(V_sum), usd(vpu_all)) font ",13"
set lmargin 11
set rmargin 4
set key outside top center horizontal samplen 2 width -1
set title "Output realised per day, and output lost because the budget refused useful jobs"
set ylabel usdname(val_p)." per day"
unset xlabel
set yrange [0:*]
set format y "%g"
eval marks(20, cycle_days, "")
mkey = markkey(cycle_days, "new budget cycle")
plot daily using (column("day")):(column("value") / val_p) with boxes lc rgb c_value title "output realised", \
     ''    using (column("day")):(nz(column("value_lost")) / val_p) with linespoints lc rgb c_burn pt 7 ps 0.45 lw 1.5 title "lost: useful jobs refused" \
     @mkey
eval unmark

set title "Output per dollar of compute (days that used compute)"
set xlabel "day"
set ylabel "$ of output per $ of compute"
# A day with almost no spending has a huge ratio: a log scale keeps the rest readable.
stats daily using (_v = num("value_per_usd"), (_v == _v && _v > 0) ? 1 : 0) name "VPUN" nooutput
if (VPUN_sum > 0) {
    stats daily using (_v = num("value_per_usd"), (_v == _v && _v > 0) ? _v : NaN) name "VPU" nooutput
}
if (VPUN_sum > 0 && VPU_max > 30 * VPU_min) {
    set logscale y
    set yrange [VPU_min / 2 : VPU_max * 2]
    set format y "%.0s%c"
    set ylabel "$ of output per $ of compute (log scale)"
} else {
    set yrange [0:*]
}
set arrow 1 from graph 0, first vpu_all to graph 1, first vpu_all nohead lc rgb c_mark dt 2 lw 1.2
plot daily using (column("day")):(column("value_per_usd")) with linespoints lc rgb c_value pt 7 ps 0.5 lw 1.5 title "output per $ that day", \
     NaN with lines lc rgb c_mark dt 2 lw 1.2 title "whole run: ".usd(vpu_all)
unset arrow 1
unset logscale y
set format y "%g"
unset multiplot
unset title
set output

# ---- budget: drift and spending by week of the cycle ------------------------------------
eval figure("budget", 1000, 600)
set multiplot layout 1,2 title sprintf("%steam budgets: allocation against need, and when in the cycle the money goes", pre) font ",13"
set lmargin 10
set rmargin 3
set key inside top left vertical samplen 2 box opaque width 1 reverse Left
set title "Budget drift: allocation / need across teams"
set ylabel "allocation / need (1 = funded to need)"
set xlabel "day"
eval daytics_half
_lo = (DL_min < 1) ? DL_min : 1
_hi = (DH_max > 1) ? DH_max : 1
_pad = (_hi - _lo) * 0.08 + 0.02
set yrange [_lo - _pad : _hi + (_hi - _lo) * 0.35 + 0.05]
set format y "%.2f"
set arrow 2 from graph 0, first 1 to graph 1, first 1 nohead lc rgb c_mark dt 2 lw 1.2
set datafile separator whitespace
plot $DS using 1:2:3 with filledcurves lc rgb c_useful fs transparent solid 0.25 noborder title "mean ± 1 sd across teams", \
     $DS using 1:4 with lines lc rgb c_useful lw 2 title "mean", \
     NaN with lines lc rgb c_mark dt 2 lw 1.2 title "allocation = need"
unset arrow 2

set title "Spending by week of the budget cycle"
set xlabel "week of the budget cycle"
unset mxtics
unset key
if (nweeks > 0) {
    if (whole) {
        set ylabel sprintf("%s spent, all teams, summed over %d cycle%s", usdname(wk_p), ncycles, ncycles == 1 ? "" : "s")
    } else {
        set ylabel sprintf("%s spent, all teams, first cycle so far", usdname(wk_p))
    }
    set xrange [-0.6 : nweeks - 0.4]
    set yrange [0 : (WS_max > 0 ? WS_max / wk_p : 1) * 1.12]
    set format y "%g"
    set xtics () out nomirror
    do for [w = 0:nweeks-1] {
        if (w == nweeks - 1 && last_week_days > 0 && last_week_days < 7) {
            set xtics add (sprintf("%d (%d d)", w + 1, last_week_days) w)
        } else {
            set xtics add (sprintf("%d", w + 1) w)
        }
    }
    set boxwidth 0.7
    set datafile separator whitespace
    plot $W using 1:($2 / wk_p) with boxes lc rgb c_spend, \
         $W using 1:($2 / wk_p):(WS_sum > 0 ? sprintf("%.0f%%", 100 * $2 / WS_sum) : "") with labels offset 0,0.7 font ",10"
} else {
    set ylabel "$ spent"
    set xrange [0:1]
    set yrange [0:1]
    unset xtics
    unset ytics
    set label 4 "no week of a budget cycle has ended yet" at graph 0.5, graph 0.5 center font ",12" tc rgb c_mark
    plot NaN notitle
    unset label 4
}
set datafile separator comma
unset multiplot
unset title
set output

# ---- leaderboard: Lorenz curve of tokens and the top agent -------------------------------
unset xtics
set xtics out nomirror
set ytics out nomirror
eval figure("leaderboard", 1000, 600)
set multiplot layout 1,2 title sprintf("%show concentrated token use is, and what the top of the leaderboard uses", pre) font ",13"
set lmargin 10
set rmargin 3
set title sprintf("Lorenz curve of tokens per agent, whole run (%d agents)", n_agents)
set xlabel "share of agents, fewest tokens first"
set ylabel "share of all tokens"
set xrange [0:100]
set yrange [0:100]
set xtics 0,20,100 format "%g%%"
set ytics 0,20,100 format "%g%%"
unset mxtics
set key inside top left vertical samplen 2 box opaque width 1 reverse Left
_txt = (tok_total > 0) ? sprintf("Gini coefficient %.2f", gini) : "no tokens were used"
if (n_agents >= 10 && top10 >= 0) { _txt = _txt.sprintf("\ntop 10%% of agents: %.0f%% of tokens", 100 * top10) }
if (n_agents >= 100 && top1 >= 0) { _txt = _txt.sprintf("\ntop 1%% of agents: %.0f%% of tokens", 100 * top1) }
set label 3 _txt at graph 0.04, graph 0.74 left front font ",10"
set datafile separator whitespace
plot x with lines lc rgb c_mark dt 2 lw 1.2 title "equal use", \
     $L using (100 * $1):(100 * $2) with lines lc rgb c_burn lw 2 title "agents, whole run"
set datafile separator comma
unset label 3

set title "Top agent's tokens so far in the current KPI review"
set xlabel "day"
set ylabel "top agent's ".unit_tokens(ta_p)
set xrange [day0 - 0.7 : day1 + 0.7]
set yrange [0 : TA_max / ta_p * 1.08]
eval daytics_half
set ytics autofreq format "%g"
unset key
eval marks(20, review_days, "review ends")
set datafile separator whitespace
plot $TS using 1:($2 / ta_p) with lines lc rgb c_burn lw 2
set datafile separator comma
eval unmark
unset multiplot
set output
