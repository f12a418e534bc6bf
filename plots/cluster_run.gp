# plots/cluster_run.gp - figures of a burnsim cluster run.
#
#   gnuplot -e "dir='results/cluster'" plots/cluster_run.gp
#   gnuplot -e "dir='results/cluster'; out='/tmp/figs'; fmt='svg'" plots/cluster_run.gp
#
# dir: the results folder: daily.csv and waits.csv of a cluster-only run; in
#      the folder of a run with an organisation, the cluster's cluster_daily.csv
#      is used instead of daily.csv (which is then the organisation's).
# out: folder the figures are written to (default: dir); created if missing
#      (its parent must exist).  Nothing is written anywhere else.
# fmt: "png" (default) or "svg".
#
# Writes out/cluster_load.FMT (tokens served by purpose, utilisation) and
# out/cluster_waits.FMT (mean queue wait by purpose per day, histogram of waits).
# Exits with status 1 and a message naming the file when an input is missing.
# Columns are found by name (column("...")), never by position.

me = "cluster_run.gp"

# ---- arguments ---------------------------------------------------------------------
if (!exists("dir") || dir eq "") {
    print me.": no results folder; run e.g.  gnuplot -e \"dir='results/cluster'\" plots/cluster_run.gp"
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
daily = readable(dir."/cluster_daily.csv") ? dir."/cluster_daily.csv" : dir."/daily.csv"
waits = dir."/waits.csv"
do for [f = 1:2] {
    _f = (f == 1) ? daily : waits
    if (!readable(_f)) {
        print me.": "._f." is missing: is '".dir."' the results folder of a burnsim run?"
        exit status 1
    }
}
if (datarows(daily) < 1) {
    print me.": ".daily." holds no data rows: nothing to draw"
    exit status 1
}

# Every column the figures use, by name (a clear message if one is missing).
_h = header(daily)
do for [c in "day hours utilisation mean_queue_jobs jobs_started_useful jobs_started_burn tokens_served_useful tokens_served_burn mean_wait_useful_h mean_wait_burn_h"] {
    if (strstrt(_h, ",".c.",") == 0) {
        print me.": ".daily." has no column '".c."' (written by another version of burnsim?)"
        exit status 1
    }
}
_h = header(waits)
do for [c in "wait_from_h wait_to_h jobs_useful jobs_burn"] {
    if (strstrt(_h, ",".c.",") == 0) {
        print me.": ".waits." has no column '".c."' (written by another version of burnsim?)"
        exit status 1
    }
}
if (!isdir(out)) { system("mkdir ".shq(out)." 2>/dev/null") }
if (!isdir(out)) {
    print me.": cannot create the output folder '".out."'"
    exit status 1
}

# Scenario name from the provenance line: # burnsim V (revision R) scenario "NAME" seed S
prov = system("head -n 1 ".shq(daily))
_p = strstrt(prov, 'scenario "')
scen = ""
if (_p > 0) { scen = prov[_p+10:]; scen = scen[1:strstrt(scen, '"')-1] }
pre = (scen ne "") ? scen.": " : ""

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
c_line = "#222222"
c_mark = "#8a8a8a"
set grid ytics lc rgb "#d8d8d8" lw 1 dt 1
set border 3 lc rgb "#444444"
set tics nomirror out scale 0.6
set style fill solid 0.85 noborder
set key noautotitle

p3(m) = (m >= 1e12) ? 1e12 : (m >= 1e9) ? 1e9 : (m >= 1e6) ? 1e6 : (m >= 1e3) ? 1e3 : 1
pname(p) = (p == 1e12) ? "trillions" : (p == 1e9) ? "billions" : (p == 1e6) ? "millions" : (p == 1e3) ? "thousands" : ""
unit_tokens(p) = (p == 1) ? "tokens" : "tokens, ".pname(p)
nz(x) = (x == x) ? x : 0        # NaN -> 0
# A column that may hold nan or inf: column() would drop the whole row, num() gives NaN
# (keep the row, e.g. to count it or to replace the value with nz()).
num(name) = (_s = strcol(name), (_s eq "" || strstrt("0123456789+-.", _s[1:1]) == 0 || strstrt(_s, "nan") > 0 || strstrt(_s, "inf") > 0) ? NaN : column(name))
# A day's count as a rate per 24 h (the last day may be partial: column hours).
perday(v) = (column("hours") > 0) ? v * 24 / column("hours") : NaN

# ---- the data (all stats and tables come before any axis range is set) -------------
stats daily using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = D_records

stats daily using (perday(column("tokens_served_useful") + column("tokens_served_burn"))) name "TOK" nooutput
stats daily using (column("tokens_served_useful")) name "TU" nooutput
stats daily using (column("tokens_served_burn")) name "TB" nooutput
tok_p = p3(TOK_max)
burn_share_all = (TU_sum + TB_sum > 0) ? 100 * TB_sum / (TU_sum + TB_sum) : 0
stats daily using (column("hours")) name "H" nooutput
stats daily using (column("utilisation") * column("hours")) name "UT" nooutput
util_all = (H_sum > 0) ? 100 * UT_sum / H_sum : 0
stats daily using (column("mean_queue_jobs")) name "Q" nooutput

# Mean waits: a unit that suits the largest (h, min, s, ms or µs), log scale if they span decades.
stats daily using (nz(num("mean_wait_useful_h"))) name "WU" nooutput
stats daily using (nz(num("mean_wait_burn_h"))) name "WB" nooutput
wmax = (WU_max > WB_max) ? WU_max : WB_max
# A duration in hours, in words
dur_div(h) = (h >= 1) ? 1 : (h >= 1.0 / 60) ? 1.0 / 60 : (h >= 1.0 / 3600) ? 1.0 / 3600 : (h >= 1.0 / 3.6e6) ? 1.0 / 3.6e6 : 1.0 / 3.6e9
dur_unit(h) = (h >= 1) ? "h" : (h >= 1.0 / 60) ? "min" : (h >= 1.0 / 3600) ? "s" : (h >= 1.0 / 3.6e6) ? "ms" : "µs"
dur(h) = (h > 0) ? sprintf("%.3g %s", h / dur_div(h), dur_unit(h)) : "0"
w_div = dur_div(wmax)
w_unit = dur_unit(wmax)
stats daily using (_a = nz(num("mean_wait_useful_h")), _b = nz(num("mean_wait_burn_h")), (_a > 0) + (_b > 0)) name "WN" nooutput
wpos = WN_sum
w_log = 0
if (wpos > 0) {
    stats daily using (_a = nz(num("mean_wait_useful_h")), _b = nz(num("mean_wait_burn_h")), \
        (_a > 0 && (_b <= 0 || _a < _b)) ? _a : (_b > 0) ? _b : NaN) name "WMIN" nooutput
    w_log = (wmax > 30 * WMIN_min)
}
stats daily using (column("jobs_started_useful")) name "JU" nooutput
stats daily using (column("jobs_started_burn")) name "JB" nooutput
has_u = (JU_sum > 0)
has_b = (JB_sum > 0)
stats daily using (nz(num("mean_wait_useful_h")) * column("jobs_started_useful")) name "WSU" nooutput
stats daily using (nz(num("mean_wait_burn_h")) * column("jobs_started_burn")) name "WSB" nooutput
wait_all_u = has_u ? WSU_sum / JU_sum : 0
wait_all_b = has_b ? WSB_sum / JB_sum : 0

# Wait histogram: rows are zero waits (0,0), waits below the first bin (0,lo),
# log-spaced bins [from,to), and waits beyond the last bin (to = inf).
nwaitrows = datarows(waits)
hist_ok = 0
if (nwaitrows > 0) {
    stats waits using (column("jobs_useful")) name "HU" nooutput
    stats waits using (column("jobs_burn")) name "HB" nooutput
    stats waits using ((column("wait_to_h") == 0) ? column("jobs_useful") : 0) name "ZU" nooutput
    stats waits using ((column("wait_to_h") == 0) ? column("jobs_burn") : 0) name "ZB" nooutput
    stats waits using ((column("wait_to_h") > 1e300) ? column("jobs_useful") + column("jobs_burn") : 0) name "BEYOND" nooutput
    stats waits using ((column("wait_from_h") == 0 && column("wait_to_h") > 0) ? column("jobs_useful") + column("jobs_burn") : 0) name "BELOW" nooutput
    # bins that hold a waiting job
    binok(a, b) = (column("wait_from_h") > 0 && column("wait_to_h") < 1e300 && a + b > 0)
    stats waits using (binok(column("jobs_useful"), column("jobs_burn")) ? 1 : 0) name "NB" nooutput
    hist_ok = (NB_sum > 0)
    if (hist_ok) {
        stats waits using (binok(column("jobs_useful"), column("jobs_burn")) ? column("wait_from_h") : NaN) name "BLO" nooutput
        stats waits using (binok(column("jobs_useful"), column("jobs_burn")) ? column("wait_to_h") : NaN) name "BHI" nooutput
        shr(n, tot) = (tot > 0) ? 100.0 * n / tot : 0
        stats waits using (binok(column("jobs_useful"), column("jobs_burn")) ? \
            ((shr(column("jobs_useful"), HU_sum) > shr(column("jobs_burn"), HB_sum)) ? shr(column("jobs_useful"), HU_sum) : shr(column("jobs_burn"), HB_sum)) : 0) \
            name "BMAX" nooutput
    }
}

# Tics at familiar durations for a log axis in hours.
array tv[15] = [1.0/3.6e9, 1.0/3.6e8, 1.0/3.6e7, 1.0/3.6e6, 1.0/3.6e5, 1.0/3.6e4, 1.0/3600, 10.0/3600, 1.0/60, 10.0/60, 1, 10, 100, 1000, 10000]
array tl[15] = ["1 µs", "10 µs", "0.1 ms", "1 ms", "10 ms", "0.1 s", "1 s", "10 s", "1 min", "10 min", "1 h", "10 h", "100 h", "1000 h", "10000 h"]

# ---- common axes ---------------------------------------------------------------------
set xrange [day0 - 0.7 : day1 + 0.7]
daytics = "if (ndays <= 14) { set xtics day0, 1 out nomirror format '%g'; unset mxtics } else { if (ndays <= 120) { set xtics day0, 7 out nomirror format '%g'; set mxtics 7 } else { set xtics autofreq out nomirror format '%g'; set mxtics default } }"
eval daytics
set xlabel "day"
set lmargin 11
set rmargin 11

# ---- cluster_load: tokens served and utilisation -------------------------------------
eval figure("cluster_load", 1000, 720)
set multiplot layout 2,1 title sprintf("%stokens served by purpose (%.0f%% burn) and utilisation (%.0f%% over the run)", \
    pre, burn_share_all, util_all) font ",13"
set key outside top center horizontal samplen 2 width 2
set title "Tokens served per day (a partial last day is scaled to 24 h)"
set ylabel unit_tokens(tok_p)." per day"
set format y "%g"
set yrange [0 : (TOK_max > 0 ? TOK_max / tok_p : 1) * 1.05]
set boxwidth 0.8
unset xlabel
plot daily using (column("day")):(perday(column("tokens_served_useful") + column("tokens_served_burn")) / tok_p) with boxes lc rgb c_burn title "burn", \
     ''    using (column("day")):(perday(column("tokens_served_useful")) / tok_p) with boxes lc rgb c_useful title "useful"

set title "Utilisation (busy slot-hours / slot-hours) and jobs waiting in the queue"
set xlabel "day"
set ylabel "utilisation"
set yrange [0:100]
set ytics 0,20,100 format "%g%%"
set y2label "mean jobs waiting"
set y2tics out nomirror format "%g"
set y2range [0 : (Q_max > 0 ? Q_max * 1.1 : 1)]
set key outside top center horizontal samplen 2 width 2
plot daily using (column("day")):(100 * column("utilisation")) with linespoints lc rgb c_line pt 7 ps 0.5 lw 1.5 title "utilisation (left axis)", \
     ''    using (column("day")):(column("mean_queue_jobs")) axes x1y2 with lines lc rgb "#CC79A7" lw 1.5 title "mean jobs waiting (right axis)"
unset multiplot
unset title
unset y2tics
unset y2label
set ytics autofreq format "%g"
set output

# ---- cluster_waits: mean waits per day, histogram of waits ---------------------------------
eval figure("cluster_waits", 1000, 720)
_wt = has_u ? "mean ".dur(wait_all_u)." for useful jobs" : "no useful jobs"
_wt = _wt.(has_b ? ", ".dur(wait_all_b)." for burn jobs" : ", no burn jobs")
if (has_u + has_b > 0 && wait_all_u == 0 && wait_all_b == 0) { _wt = "no job waited" }
set multiplot layout 2,1 title sprintf("%squeue waits (%s)", pre, _wt) font ",13"
set rmargin 4
set key outside top center horizontal samplen 2 width 2
set title "Mean queue wait per day of the jobs that started that day".(w_log ? " (days without waits not shown)" : "")
unset xlabel
if (wpos > 0) {
    if (w_log) {
        w_div = 1
        set logscale y
        set yrange [WMIN_min / 2 : wmax * 2]
        set ytics () out nomirror
        unset mytics
        do for [k = 1:|tv|] { if (tv[k] >= WMIN_min / 2 && tv[k] <= wmax * 2) { set ytics add (tl[k] tv[k]) } }
        set ylabel "mean wait (log scale)"
    } else {
        set yrange [0 : wmax / w_div * 1.1]
        set format y "%g"
        set ylabel "mean wait, ".w_unit
    }
    zpos(v) = (w_log && !(v > 0)) ? NaN : v
    plot daily using (column("day")):(has_u ? zpos(column("mean_wait_useful_h")) / w_div : NaN) with linespoints lc rgb c_useful pt 7 ps 0.5 lw 1.5 title (has_u ? "useful jobs" : ""), \
         ''    using (column("day")):(has_b ? zpos(column("mean_wait_burn_h")) / w_div : NaN) with linespoints lc rgb c_burn pt 5 ps 0.45 lw 1.5 title (has_b ? "burn jobs" : "")
    unset logscale y
    set ytics autofreq
} else {
    set yrange [0:1]
    set ylabel "mean wait"
    unset ytics
    unset grid
    set label 1 "no job waited" at graph 0.5, graph 0.5 center font ",12" tc rgb c_mark
    plot NaN notitle
    unset label 1
    set ytics out nomirror autofreq format "%g"
    set grid ytics lc rgb "#d8d8d8" lw 1 dt 1
}

set title "Distribution of queue waits (share of each purpose's started jobs, log-spaced bins)"
set xlabel "queue wait (log scale)"
set ylabel "share of jobs"
if (hist_ok) {
    # Waits are in hours; tics at familiar durations.
    _lo = BLO_min / 1.5
    _hi = BHI_max * 1.5
    set logscale x
    set xrange [_lo : _hi]
    set yrange [0 : BMAX_max * 1.12]
    set format y "%g%%"
    unset mxtics
    set xtics () out nomirror
    do for [k = 1:|tv|] { if (tv[k] >= _lo && tv[k] <= _hi) { set xtics add (tl[k] tv[k]) } }
    _note = "did not wait: ".(HU_sum > 0 ? sprintf("%.1f%% of useful jobs", shr(ZU_sum, HU_sum)) : "") \
            .(HU_sum > 0 && HB_sum > 0 ? ", " : "").(HB_sum > 0 ? sprintf("%.1f%% of burn jobs", shr(ZB_sum, HB_sum)) : "")
    if (BELOW_sum > 0) { _note = _note.sprintf("\n%.0f jobs waited under 36 µs (not shown)", BELOW_sum) }
    if (BEYOND_sum > 0) { _note = _note.sprintf("\n%.0f jobs waited over 1,000 h (not shown)", BEYOND_sum) }
    set label 2 _note at graph 0.02, graph 0.95 left front font ",10"
    set style fill solid 0.5 noborder
    # useful: bars over each bin; burn: a line through the bins' centres (the two often coincide)
    plot waits using (binok(column("jobs_useful"), column("jobs_burn")) ? sqrt(column("wait_from_h") * column("wait_to_h")) : NaN):(shr(column("jobs_useful"), HU_sum)): \
               (column("wait_from_h")):(column("wait_to_h")):(0):(shr(column("jobs_useful"), HU_sum)) with boxxyerror lc rgb c_useful title (HU_sum > 0 ? "useful jobs" : ""), \
         ''    using (binok(column("jobs_useful"), column("jobs_burn")) && HB_sum > 0 ? sqrt(column("wait_from_h") * column("wait_to_h")) : NaN):(shr(column("jobs_burn"), HB_sum)) \
               with linespoints lc rgb c_burn pt 7 ps 0.4 lw 1.5 title (HB_sum > 0 ? "burn jobs" : "")
    unset label 2
    unset logscale x
} else {
    unset xtics
    unset ytics
    unset grid
    set xrange [0:1]
    set yrange [0:1]
    set label 1 "no job waited" at graph 0.5, graph 0.5 center font ",12" tc rgb c_mark
    plot NaN notitle
    unset label 1
}
unset multiplot
set output
