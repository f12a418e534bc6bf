# plots/budget.gp - team budgets against need over time, and spending by week
# of the budget cycle.
#
#   gnuplot -e "dir='results/quickstart'" plots/budget.gp
#
# Reads dir/daily.csv and dir/team_weeks.csv of a run with an organisation
# (and scenario.cfg, if present, for the budget cycle's length).
# Writes out/budget.FMT.
me = "budget.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

daily = dir."/daily.csv"
weeks = dir."/team_weeks.csv"
call libdir."need.gp" daily "day budget_drift_mean budget_drift_sd" 1
call libdir."need.gp" weeks "cycle week spent" 0
pre = title_pre(daily)
cycle_days = int(cfgnum("budget_cycle_days"))
nweekrows = datarows(weeks)     # 0 until the first week of a budget cycle has ended

stats daily using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = D_records

# Org-wide $ by week of the cycle, summed over the complete cycles (a cycle
# still under way would weigh its early weeks twice); with no complete cycle,
# the first cycle's weeks so far.
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

# Budget drift band (a NaN ratio, e.g. a team with no need, counts as 1 for the range)
stats daily using (_v = num("budget_drift_mean") - nz(num("budget_drift_sd")), (_v == _v) ? _v : 1) name "DL" nooutput
stats daily using (_v = num("budget_drift_mean") + nz(num("budget_drift_sd")), (_v == _v) ? _v : 1) name "DH" nooutput
# ... as steps: day d holds from d - 0.5 to d + 0.5 (as the day's bar would).
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

eval figure("budget", 1000, 600)
set multiplot layout 1,2 title pre.sprintf("team budgets: allocation against need, and when in the cycle the money goes") font ",13"
set lmargin 10
set rmargin 3
set key inside top left vertical samplen 2 box opaque width 1 reverse Left
set title "Budget drift: allocation / need across teams"
set ylabel "allocation / need (1 = funded to need)"
set xlabel "day"
set xrange [day0 - 0.7 : day1 + 0.7]
eval daytics_half
_lo = (DL_min < 1) ? DL_min : 1
_hi = (DH_max > 1) ? DH_max : 1
_pad = (_hi - _lo) * 0.08 + 0.02
set yrange [_lo - _pad : _hi + (_hi - _lo) * 0.35 + 0.05]
set format y "%.2f"
set arrow 2 from graph 0, first 1 to graph 1, first 1 nohead lc rgb c_mark dt 2 lw 1.2
eval switchmarks
set datafile separator whitespace
plot $DS using 1:2:3 with filledcurves lc rgb c_useful fs transparent solid 0.25 noborder title "mean ± 1 sd across teams", \
     $DS using 1:4 with lines lc rgb c_useful lw 2 title "mean", \
     NaN with lines lc rgb c_mark dt 2 lw 1.2 title "allocation = need"
unset arrow 2
eval unswitchmarks

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
    plot $W using 1:($2 / wk_p) with boxes lc rgb c_spend, \
         $W using 1:($2 / wk_p):(WS_sum > 0 ? sprintf("%.0f%%", 100 * $2 / WS_sum) : "") with labels offset 0,0.7 font ",10"
} else {
    set ylabel "$ spent"
    eval empty_panel("no week of a budget cycle has ended yet")
}
unset multiplot
set output
