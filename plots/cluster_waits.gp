# plots/cluster_waits.gp - queue waits of useful and burn jobs: the mean per
# day, and the distribution over the run.
#
#   gnuplot -e "dir='results/cluster'" plots/cluster_waits.gp
#
# Reads dir/waits.csv, and dir/daily.csv of a cluster-only run or
# dir/cluster_daily.csv in the folder of a run with an organisation.
# Writes out/cluster_waits.FMT.
me = "cluster_waits.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

daily = readable(dir."/cluster_daily.csv") ? dir."/cluster_daily.csv" : dir."/daily.csv"
waits = dir."/waits.csv"
call libdir."need.gp" daily "day jobs_started_useful jobs_started_burn mean_wait_useful_h mean_wait_burn_h" 1
call libdir."need.gp" waits "wait_from_h wait_to_h jobs_useful jobs_burn" 0
pre = title_pre(daily)

stats daily using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = D_records

# Mean waits: a unit that suits the largest (h, min, s, ms or µs), log scale if they span decades.
stats daily using (nz(num("mean_wait_useful_h"))) name "WU" nooutput
stats daily using (nz(num("mean_wait_burn_h"))) name "WB" nooutput
wmax = (WU_max > WB_max) ? WU_max : WB_max
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

set xrange [day0 - 0.7 : day1 + 0.7]
eval daytics
set lmargin 11
set rmargin 11

# ---- cluster_waits: mean waits per day, histogram of waits ---------------------------------
# A run of one day has no day-by-day course to show: the distribution alone.
one_day = (ndays < 2)
eval figure("cluster_waits", 1000, one_day ? 420 : 720)
_wt = has_u ? "mean ".dur(wait_all_u)." for useful jobs" : "no useful jobs"
_wt = _wt.(has_b ? ", ".dur(wait_all_b)." for burn jobs" : ", no burn jobs")
if (has_u + has_b > 0 && wait_all_u == 0 && wait_all_b == 0) { _wt = "no job waited" }
set multiplot layout (one_day ? 1 : 2),1 title pre.sprintf("queue waits (%s)", _wt) font ",13"
set rmargin 4
set key outside top center horizontal samplen 2 width 2
set title "Mean queue wait per day of the jobs that started that day".(w_log ? " (days without waits not shown)" : "")
unset xlabel
eval switchmarks
if (one_day) {
    # (no panel of waits per day)
} else { if (wpos > 0) {
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
} }
eval unswitchmarks

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
