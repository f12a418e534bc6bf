# plots/sweep_map.gp - a two-factor sweep as heat maps: one cell per pair of
# factor values, coloured and labelled with the mean of a key metric.
#
#   gnuplot -e "dir='results/sweep'" plots/sweep_map.gp
#
# Reads dir/manifest.cfg and dir/stats.csv of a campaign of kind "sweep" over
# two factors.  Panels: four metrics for one arm, two metrics for each of two
# arms, or the objective for each of up to six arms.  Writes out/sweep_map.FMT.
me = "sweep_map.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"
load libdir."campaign.gp"

if (nfactors != 2) {
    print me.": ".manifest." lists ".nfactors." factors: this figure is for a sweep of two factors"
    exit status 1
}
f1 = word(factors, 1)
f2 = word(factors, 2)
call libdir."need.gp" stats_csv f1." ".f2 1
metrics = pick_metrics(stats_csv, (narms == 1) ? 4 : (narms == 2) ? 2 : 1)
nm = words(metrics)
if (nm == 0) {
    print me.": ".stats_csv." has none of the metrics this figure shows (".objective." ".key_metrics.")"
    exit status 1
}
arms_shown = (narms > 6) ? 6 : narms
npanels = nm * arms_shown
ncols = (npanels == 1) ? 1 : (npanels <= 4) ? 2 : 3
nrows = (npanels <= ncols) ? 1 : 2

# The factors' values in order, and a value's position among them.
set table $V1
plot stats_csv using (column(f1)):(column(f1)) smooth unique
unset table
set table $V2
plot stats_csv using (column(f2)):(column(f2)) smooth unique
unset table
n1 = 0
n2 = 0
do for [j = 1:|$V1|] { if (word($V1[j], 1) ne "" && word($V1[j], 1)[1:1] ne "#") { n1 = n1 + 1 } }
do for [j = 1:|$V2|] { if (word($V2[j], 1) ne "" && word($V2[j], 1)[1:1] ne "#") { n2 = n2 + 1 } }
array V1[n1]
array V2[n2]
_n = 0
do for [j = 1:|$V1|] { if (word($V1[j], 1) ne "" && word($V1[j], 1)[1:1] ne "#") { _n = _n + 1; V1[_n] = real(word($V1[j], 1)) } }
_n = 0
do for [j = 1:|$V2|] { if (word($V2[j], 1) ne "" && word($V2[j], 1)[1:1] ne "#") { _n = _n + 1; V2[_n] = real(word($V2[j], 1)) } }
# (the table above holds six digits: values closer than that are one value)
same(a, b) = abs(a - b) <= 1e-6 * (abs(a) + abs(b)) + 1e-300
idx1_from(v, i) = (i > n1) ? NaN : same(V1[i], v) ? i : idx1_from(v, i + 1)
idx2_from(v, i) = (i > n2) ? NaN : same(V2[i], v) ? i : idx2_from(v, i + 1)
idx1(v) = idx1_from(v, 1)
idx2(v) = idx2_from(v, 1)
# A grid fills every pair of values with a cell; a Latin hypercube or Sobol
# sample does not, and is drawn as coloured points at the factors' values.
stats stats_csv using (column("point")) name "PT" nooutput
npoints = int(PT_max) + 1
grid = (npoints == n1 * n2)

# Dark is better: the palette runs from pale (worse) to dark (better); for a
# metric that is neither better nor worse when higher, dark is higher.
set palette defined (0 "#fff7d6", 0.35 "#7fcdbb", 0.7 "#2c7fb8", 1 "#253494")
set style fill solid 1.0 noborder

# Pixels: a 320-wide map, 230 for its colour bar and the next map's labels.
fig_w = 110.0 + ncols * 320 + (ncols - 1) * 230 + 130
fig_h = 110.0 + nrows * 330 + (nrows - 1) * 125 + 60
eval figure("sweep_map", fig_w, fig_h)
set multiplot layout nrows, ncols title pre.sprintf("%s against %s: mean of %s per %s%s", f1, f2, runs_text, grid ? "cell" : "point", \
    narms > arms_shown ? sprintf(" (the first %d of %d arms)", arms_shown, narms) : "") font ",13" \
    margins screen 110 / fig_w, screen 1 - 130 / fig_w, screen 60 / fig_h, screen 1 - 110 / fig_h \
    spacing screen 230 / fig_w, screen 125 / fig_h
set label 90 (grid ? "the darker the cell, the better" : sprintf("%d sampled points; the darker the point, the better", npoints)) at screen 0.5, screen 1 - 45 / fig_h center font ",10" tc rgb "#444444"
unset key
set grid noytics
set border 0
if (grid) {
    x_lo = 0.5
    x_hi = n1 + 0.5
    y_lo = 0.5
    y_hi = n2 + 0.5
    set xtics () out nomirror scale 0
    set ytics () out nomirror scale 0
    do for [j = 1:n1] { set xtics add (sprintf("%g", V1[j]) j) }
    do for [j = 1:n2] { set ytics add (sprintf("%g", V2[j]) j) }
} else {
    _pad1 = (V1[n1] > V1[1]) ? 0.05 * (V1[n1] - V1[1]) : 0.5
    _pad2 = (V2[n2] > V2[1]) ? 0.05 * (V2[n2] - V2[1]) : 0.5
    x_lo = V1[1] - _pad1
    x_hi = V1[n1] + _pad1
    y_lo = V2[1] - _pad2
    y_hi = V2[n2] + _pad2
    set xtics autofreq out nomirror scale 0.6
    set ytics autofreq out nomirror scale 0.6
    set border 3
}
set xlabel f1
set ylabel f2
set cbtics out nomirror
set cblabel offset 1,0
do for [k = 1:nm] {
    m = word(metrics, k)
    # One colour scale for every arm, so that the arms' maps compare.
    set datafile separator comma
    set autoscale xy        # (stats and tables keep only points inside the axis ranges)
    stats stats_csv using ((strcol("metric") eq m && armidx(strcol("arm")) <= arms_shown) ? num("mean") : NaN) name "M" nooutput
    sc = metric_scale(m)
    _big = sc * ((abs(M_max) > abs(M_min)) ? abs(M_max) : abs(M_min))
    s = sc / unit_div(m, _big)
    _lo = M_min * s
    _hi = (M_max > M_min) ? M_max * s : M_min * s + 1
    _dir = (metric_better(m) < 0) ? -1 : 1
    set cbrange [_lo : _hi]
    if (_dir > 0) { set palette positive } else { set palette negative }
    set cblabel unit_label(m, _big)
    # text colour on a cell: white on the dark half of the palette
    ink(v) = (_t = (v - _lo) / (_hi - _lo), ((_dir > 0) ? _t : 1 - _t) > 0.55) ? 0xffffff : 0x222222
    do for [i = 1:arms_shown] {
        a = word(arms, i)
        set datafile separator comma
        set autoscale xy
        set table $T
        if (grid) {
            plot stats_csv using (idx1(column(f1))):(idx2(column(f2))):(num("mean")) with table \
                if (strcol("metric") eq m && strcol("arm") eq a)
        } else {
            plot stats_csv using (column(f1)):(column(f2)):(num("mean")) with table \
                if (strcol("metric") eq m && strcol("arm") eq a)
        }
        unset table
        set xrange [x_lo : x_hi]
        set yrange [y_lo : y_hi]
        set datafile separator whitespace
        _obj = (m eq objective) ? "the objective, " : ""
        _bt = better_text(m)
        set title metric_name(m).(narms > 1 ? ", ".a : "").(((_obj._bt) ne "") ? "\n(".(_obj._bt).")" : "\n ") font ",11"
        if (grid) {
            plot $T using 1:2:(0.5):(0.5):($3 * s) with boxxyerror lc palette, \
                 $T using 1:2:(short($3 * s)):(ink($3 * s)) with labels tc rgb variable font ",10"
        } else {
            plot $T using 1:2:($3 * s) with points pt 7 ps 2.2 lc palette, \
                 $T using 1:2 with points pt 6 ps 2.2 lc rgb "#999999", \
                 $T using 1:2:(npoints <= 30 ? short($3 * s) : "") with labels offset 0,1.3 font ",8" tc rgb "#444444"
        }
        unset label 90
    }
}
unset multiplot
set output
