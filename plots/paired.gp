# plots/paired.gp - each arm against the baseline, run by run on the same
# seeds: the mean difference with its confidence interval, per key metric.
#
#   gnuplot -e "dir='results/compare'" plots/paired.gp
#
# Reads dir/manifest.cfg, dir/paired.csv and dir/stats.csv (for the baseline's
# mean) of a campaign with one design point and two or more arms.
# Writes out/paired.FMT.
me = "paired.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"
load libdir."campaign.gp"

paired_csv = dir."/paired.csv"
call libdir."need.gp" paired_csv "point arm baseline metric n mean_diff ci_low ci_high" 1
metrics = pick_metrics(paired_csv, 6)
nm = words(metrics)
if (nm == 0 || narms < 2) {
    print me.": ".paired_csv." has none of the metrics this figure shows, or the campaign has one arm"
    exit status 1
}
ncols = (nm <= 3) ? nm : 3
nrows = (nm <= 3) ? 1 : 2
# Verdict colours: better, worse, no clear difference (the interval holds 0).
c_better = 0x009E73
c_worse = 0xD55E00
c_unclear = 0x8a8a8a
verdict_rgb(lo, hi, b) = (b == 0 || !(lo == lo && hi == hi)) ? c_unclear : (lo > 0) ? (b > 0 ? c_better : c_worse) : \
    (hi < 0) ? (b > 0 ? c_worse : c_better) : c_unclear

fig_w = 400.0 * ncols
plot_h = 55.0 * (narms - 1) + 60
fig_h = 135 + nrows * plot_h + (nrows - 1) * 120 + 60
eval figure("paired", fig_w, fig_h)
names_w = (arm_chars + 3) * 7.5 / fig_w
_base = (baseline eq "baseline") ? "the baseline" : "the baseline, ".baseline
set multiplot layout nrows, ncols title pre.sprintf("each arm minus %s, run by run on the same seeds (%d pairs)", \
    _base, replications) font ",13" \
    margins screen names_w, screen 0.985, screen 60 / fig_h, screen 1 - 135 / fig_h \
    spacing screen names_w + 0.02, screen 120 / fig_h
set label 90 sprintf("dot: mean difference;  whisker: %s;  number: change from the baseline's mean", ci_text) \
    at screen 0.5, screen 1 - 45 / fig_h center font ",10" tc rgb "#444444"
set label 91 "better than the baseline" at screen 0.5, screen 1 - 65 / fig_h right offset -3,0 font ",10" tc rgb "#009E73"
set label 92 "worse" at screen 0.5, screen 1 - 65 / fig_h center font ",10" tc rgb "#D55E00"
set label 93 "no clear difference (interval holds 0)" at screen 0.5, screen 1 - 65 / fig_h left offset 3,0 font ",10" tc rgb "#8a8a8a"
set ytics () out nomirror scale 0
do for [i = 2:narms] { set ytics add (word(arms, i) i) }
set grid xtics lc rgb "#d8d8d8" lw 1 dt 1
set grid noytics
unset key
do for [k = 1:nm] {
    m = word(metrics, k)
    set datafile separator comma
    set autoscale xy        # (a table keeps only points inside the axis ranges)
    set table $T
    plot paired_csv using (armidx(strcol("arm"))):(num("mean_diff")):(num("ci_low")):(num("ci_high")) with table \
        if (strcol("metric") eq m && column("point") == 0 && armidx(strcol("arm")) > 1)
    unset table
    stats stats_csv using ((strcol("arm") eq baseline && strcol("metric") eq m && column("point") == 0) ? num("mean") : NaN) \
        name "B" nooutput
    base_mean = B_mean
    set datafile separator whitespace
    stats $T using (($4 == $4) ? $4 : $2) name "TH" nooutput
    stats $T using (($3 == $3) ? $3 : $2) name "TL" nooutput
    _hi = (TH_max > 0) ? TH_max : 0
    _lo = (TL_min < 0) ? TL_min : 0
    sc = metric_scale(m)
    _big = sc * ((abs(_hi) > abs(_lo)) ? abs(_hi) : abs(_lo))
    s = sc / unit_div(m, _big)
    set xlabel "difference, ".unit_label(m, _big)
    _span = (_hi - _lo) * s
    _span = (_span > 0) ? _span : 1
    _xlo = _lo * s - 0.05 * _span
    _xhi = _hi * s + 0.35 * _span
    set xrange [_xlo : _xhi]
    set yrange [narms + 0.6 : 1.4]
    _st = nicestep(_xhi - _xlo)
    set xtics ceil(_xlo / _st) * _st, _st, _hi * s + 0.05 * _span out nomirror
    set format x "%+g"
    _obj = (m eq objective) ? "the objective, " : ""
    _bt = better_text(m)
    set title metric_name(m).((_obj.(_bt) ne "") ? "\n(".(_obj._bt).")" : "\n ") font ",11"
    set arrow 5 from first 0, graph 0 to first 0, graph 1 nohead lc rgb c_line lw 1 back
    # Change from the baseline: percentage points for shares, percent otherwise.
    signed(v, f) = (sprintf(f, abs(v)) eq sprintf(f, 0)) ? sprintf(f, 0) : (v > 0 ? "+" : "-").sprintf(f, abs(v))
    change(d) = (metric_unit(m) eq "%") ? signed(100 * d, "%.1f")." pts" : \
        (base_mean == base_mean && base_mean != 0) ? signed(100 * d / abs(base_mean), "%.0f")."%" : short(d * s)
    plot $T using ($2 * s):1:($3 * s):($4 * s):(verdict_rgb($3, $4, metric_better(m))) with xerrorbars lc rgb variable lw 2 pt 7 ps 1.1, \
         $T using (_xhi):1:(change($2)):(verdict_rgb($3, $4, metric_better(m))) with labels right offset -0.3,0 font ",10" tc rgb variable
    unset arrow 5
    unset label 90
    unset label 91
    unset label 92
    unset label 93
}
unset multiplot
set output
