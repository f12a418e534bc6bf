# plots/teams.gp - budget drift team by team, cycle by cycle, and whether
# burning is rewarded with a bigger budget.
#
#   gnuplot -e "dir='results/quickstart'" plots/teams.gp
#
# Reads dir/teams.csv of a run with an organisation (one row per team per
# completed budget cycle).  Writes out/teams.FMT.
me = "teams.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

teams = dir."/teams.csv"
call libdir."need.gp" teams "cycle team drift spent spent_burn" 0
pre = title_pre(teams)
nrows = datarows(teams)

# Drift and burned share of spending per (cycle, team), in arrays indexed
# cycle * nteams + team + 1 (the last slot takes the header row, read as NaN).
ncycles = 0
nteams = 0
npairs = 0
if (nrows > 0) {
    stats teams using (column("cycle")) name "CY" nooutput
    stats teams using (column("team")) name "TM" nooutput
    ncycles = int(CY_max) + 1
    nteams = int(TM_max) + 1
    array DRIFT[ncycles * nteams + 1]
    array BURNED[ncycles * nteams + 1]
    do for [i = 1:ncycles * nteams + 1] { DRIFT[i] = NaN; BURNED[i] = NaN }
    slot(c, t) = (c == c && t == t) ? int(c) * nteams + int(t) + 1 : ncycles * nteams + 1
    stats teams using (_i = slot(column("cycle"), column("team")), DRIFT[_i] = num("drift"), \
        _spent = num("spent"), BURNED[_i] = (_spent > 0) ? num("spent_burn") / _spent : NaN, 0) name "TFILL" nooutput
    # One line per team across cycles (a blank line ends a team's line).
    set print $TL
    do for [t = 0:nteams - 1] {
        do for [c = 0:ncycles - 1] {
            _d = DRIFT[c * nteams + t + 1]
            if (_d == _d) { print sprintf("%d %.8g", c + 1, _d) }
        }
        print ""
    }
    set print
    # Burned share in cycle k against allocation / need in cycle k + 1.
    set print $FB
    do for [c = 0:ncycles - 2] {
        do for [t = 0:nteams - 1] {
            _b = BURNED[c * nteams + t + 1]
            _d = DRIFT[(c + 1) * nteams + t + 1]
            if (_b == _b && _d == _d) { print sprintf("%.8g %.8g %d", 100 * _b, _d, c + 1); npairs = npairs + 1 }
        }
    }
    set print
    set datafile separator whitespace
    stats $TL using 2 name "DR" nooutput
    # Median and quartiles of the teams in each cycle.
    set print $TQ
    do for [c = 1:ncycles] {
        stats $TL using ((column(1) == c) ? column(2) : NaN) name "Q" nooutput
        print sprintf("%d %.8g %.8g %.8g", c, Q_lo_quartile, Q_median, Q_up_quartile)
    }
    set print
    if (npairs >= 3) {
        stats $FB using 1:2 name "FB" nooutput
    }
    set datafile separator comma
}

eval figure("teams", 1000, 600)
set multiplot layout 1,2 title pre.sprintf("team budgets cycle by cycle: who is funded above need, and does burning pay?") font ",13"
set lmargin 10
set rmargin 3
set datafile separator whitespace
set title sprintf("Allocation / need of each team (%d teams) by budget cycle", nteams)
set xlabel "budget cycle"
set ylabel "allocation / need (1 = funded to need)"
if (ncycles > 0) {
    # A log scale when teams are funded at very different multiples of need.
    _lo = (DR_min < 1) ? DR_min : 1
    _hi = (DR_max > 1) ? DR_max : 1
    if (_lo > 0 && _hi / _lo > 10) {
        set logscale y
        set yrange [_lo / 1.3 : _hi * 2]
        set ylabel "allocation / need (log scale; 1 = funded to need)"
    } else {
        set yrange [(_lo - 0.1 * (_hi - _lo) < 0 ? 0 : _lo - 0.1 * (_hi - _lo)) : _hi + 0.35 * (_hi - _lo) + 0.05]
    }
    set xrange [0.6 : ncycles + 0.4]
    set xtics 1, 1, ncycles out nomirror format "%g"
    unset mxtics
    set format y "%g"
    set arrow 2 from graph 0, first 1 to graph 1, first 1 nohead lc rgb c_mark dt 2 lw 1.2
    set key inside top right vertical samplen 2 box opaque width 1 reverse Left
    # (a single cycle has no lines, so the teams show as points)
    plot $TQ using 1:2:4 with filledcurves lc rgb c_spend fs transparent solid 0.2 noborder title "middle half of the teams", \
         $TL using 1:2 with linespoints lc rgb "#a0505050" lw 0.8 pt 7 ps 0.35 title "one team", \
         $TQ using 1:3 with linespoints lc rgb c_spend lw 2.5 pt 7 ps 0.8 title "median team", \
         NaN with lines lc rgb c_mark dt 2 lw 1.2 title "allocation = need"
    unset arrow 2
    unset logscale y
} else {
    eval empty_panel("no budget cycle has ended yet")
}

set title "Burned share in one cycle vs allocation in the next"
set xlabel "share of the team's $ spent on burn in a cycle"
set ylabel "allocation / need in the next cycle"
unset key
if (npairs >= 3) {
    set xrange [0:100]
    set xtics 0, 20, 100 format "%g%%"
    set ytics autofreq format "%g"
    if (FB_min_y > 0 && FB_max_y / FB_min_y > 10) {
        set logscale y
        set yrange [FB_min_y / 1.3 : FB_max_y * 1.3]
    } else {
        set yrange [0 : FB_max_y * 1.15]
    }
    set arrow 2 from graph 0, first 1 to graph 1, first 1 nohead lc rgb c_mark dt 2 lw 1.2
    # (no correlation when every allocation is the same, e.g. under fixed budgets)
    _r = (FB_correlation == FB_correlation) ? sprintf("correlation %.2f", FB_correlation) : "the allocation does not follow burning"
    set label 3 sprintf("%s\n(%d team-cycles)", _r, npairs) at graph 0.04, graph 0.93 left front font ",10"
    plot $FB using 1:2 with points pt 7 ps 0.7 lc rgb "#60D55E00" title "a team in one cycle"
    unset arrow 2
    unset label 3
    unset logscale y
} else {
    eval empty_panel(sprintf("needs two completed budget cycles\\n(this run has %d)", ncycles))
}
set datafile separator comma
unset multiplot
set output
