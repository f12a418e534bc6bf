# plots/sweep.gp - a one-factor sweep: key metrics against the factor's value,
# one line per arm, with confidence bands.
#
#   gnuplot -e "dir='results/sweep'" plots/sweep.gp
#
# Reads dir/manifest.cfg and dir/stats.csv of a campaign of kind "sweep" over
# one factor.  Writes out/sweep.FMT.
me = "sweep.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"
load libdir."campaign.gp"

if (nfactors != 1) {
    print me.": ".manifest." lists ".nfactors." factors: this figure is for a sweep of one factor (sweep_map.gp draws two)"
    exit status 1
}
factor = word(factors, 1)
call libdir."need.gp" stats_csv factor 1
metrics = pick_metrics(stats_csv, 4)
nm = words(metrics)
if (nm == 0) {
    print me.": ".stats_csv." has none of the metrics this figure shows (".objective." ".key_metrics.")"
    exit status 1
}
ncols = (nm == 1) ? 1 : 2
nrows = (nm <= 2) ? 1 : 2

# The rows in order of the factor's value (the design may list them in any order).
_fcol = 0
do for [_i = 1:words(system("grep -m 1 -v '^#' ".shq(stats_csv)." | tr ',' ' '"))] {
    if (_fcol == 0 && word(system("grep -m 1 -v '^#' ".shq(stats_csv)." | tr ',' ' '"), _i) eq factor) { _fcol = _i }
}
sorted = sprintf("< (grep -m 1 -v '^#' %s; grep -v '^#' %s | tail -n +2 | sort -t, -s -k%d,%dg)", \
    shq(stats_csv), shq(stats_csv), _fcol, _fcol)

# The factor's values: tics at each when there are few, a log axis when they span decades.
set table $FV
plot stats_csv using (column(factor)):(column(factor)) smooth unique
unset table
set datafile separator whitespace
stats $FV using 1 name "FV" nooutput
set datafile separator comma
nvalues = FV_records
x_log = (FV_min > 0 && FV_max / FV_min >= 50)
# Tics at the values themselves unless two of them are too close to label.
pos(v) = x_log ? log(v) : v
_gap = 1e308
_prev = NaN
do for [j = 1:|$FV|] {
    _w = word($FV[j], 1)
    if (_w ne "" && _w[1:1] ne "#") {
        if (_prev == _prev && pos(real(_w)) - _prev < _gap) { _gap = pos(real(_w)) - _prev }
        _prev = pos(real(_w))
    }
}
value_tics = (nvalues <= 10 && (nvalues < 2 || _gap >= 0.09 * (pos(FV_max) - pos(FV_min))))

fig_w = 1100.0
fig_h = (nrows == 1) ? 500.0 : 860.0
eval figure("sweep", fig_w, fig_h)
set multiplot layout nrows, ncols title pre.sprintf("%s at %d values: mean of %s at each (line), %s (band)", \
    factor, nvalues, runs_text, ci_text) font ",13" \
    margins screen 0.08, screen 0.98, screen 70 / fig_h, screen 1 - 110 / fig_h spacing screen 0.09, screen 110 / fig_h
unset key
# The legend, one line across the top: a short line in the arm's colour, then its name.
_w = 0
do for [i = 1:narms] { _w = _w + 40 + 7.5 * strlen(word(arms, i)) + 25 }
_x = (fig_w - _w) / 2
_y = 1 - 52 / fig_h
do for [i = 1:narms] {
    set arrow 100 + i from screen _x / fig_w, screen _y to screen (_x + 32) / fig_w, screen _y nohead lc rgb arm_colour(i) lw 2.5
    set label 100 + i word(arms, i) at screen (_x + 40) / fig_w, screen _y left font ",11"
    _x = _x + 40 + 7.5 * strlen(word(arms, i)) + 25
}
do for [k = 1:nm] {
    m = word(metrics, k)
    # Each arm's points in the factor's order, one block per arm (index i - 1).
    set datafile separator comma
    set autoscale xy        # (a table keeps only points inside the axis ranges)
    unset logscale x
    do for [i = 1:narms] {
        if (i == 1) { set table $T } else { set table $T append }
        plot sorted using (column(factor)):(num("mean")):(ci_or_mean("ci_low", "mean")):(ci_or_mean("ci_high", "mean")) with table \
            if (strcol("metric") eq m && strcol("arm") eq word(arms, i))
        unset table
        set print $T append
        print ""
        print ""
        set print
    }
    set datafile separator whitespace
    stats $T using (($4 == $4) ? $4 : $2) name "TH" nooutput
    stats $T using (($3 == $3) ? $3 : $2) name "TL" nooutput
    sc = metric_scale(m)
    _big = sc * ((abs(TH_max) > abs(TL_min)) ? abs(TH_max) : abs(TL_min))
    s = sc / unit_div(m, _big)
    _lo = (TL_min < 0) ? TL_min * s : 0
    _hi = TH_max * s
    set yrange [_lo : (_hi > _lo ? _hi + 0.05 * (_hi - _lo) : _lo + 1)]
    set ylabel unit_label(m, _big)
    set xlabel factor
    if (x_log) {
        set logscale x
        set xrange [FV_min / 1.2 : FV_max * 1.2]
    } else {
        _pad = (FV_max > FV_min) ? 0.03 * (FV_max - FV_min) : 0.5
        set xrange [FV_min - _pad : FV_max + _pad]
    }
    if (value_tics) {
        set xtics () out nomirror
        do for [j = 1:|$FV|] { if (word($FV[j], 1) ne "" && word($FV[j], 1)[1:1] ne "#") { set xtics add (word($FV[j], 1) real(word($FV[j], 1))) } }
    } else {
        set xtics autofreq out nomirror
    }
    _obj = (m eq objective) ? "the objective, " : ""
    _bt = better_text(m)
    set title metric_name(m).(((_obj._bt) ne "") ? " (".(_obj._bt).")" : "") font ",11"
    plot for [i = 1:narms] $T index (i - 1) using 1:($3 * s):($4 * s) with filledcurves \
             lc rgb arm_colour(i) fs transparent solid 0.18 noborder notitle, \
         for [i = 1:narms] $T index (i - 1) using 1:($2 * s) with linespoints lc rgb arm_colour(i) lw 2 pt 7 ps 0.7 notitle
    do for [i = 1:narms] { unset arrow 100 + i; unset label 100 + i }
}
unset multiplot
set output
