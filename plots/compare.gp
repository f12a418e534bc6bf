# plots/compare.gp - the arms of a campaign side by side: for each key metric,
# the mean over the replications with its confidence interval, and every run.
#
#   gnuplot -e "dir='results/compare'" plots/compare.gp
#
# Reads dir/manifest.cfg, dir/stats.csv and (for the single runs) dir/summary.csv
# of a campaign with one design point (kind "replications" or "compare").
# Writes out/compare.FMT.
me = "compare.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"
load libdir."campaign.gp"

summary = dir."/summary.csv"
has_runs = readable(summary) && has_column(summary, "arm")
metrics = pick_metrics(stats_csv, 6)
nm = words(metrics)
if (nm == 0) {
    print me.": ".stats_csv." has none of the metrics this figure shows (".objective." ".key_metrics.")"
    exit status 1
}
ncols = (nm <= 3) ? nm : 3
nrows = (nm <= 3) ? 1 : 2
# Runs of an arm are spread over the bar's height so that they do not hide each other.
jitter(r) = (r == r) ? ((r * 0.618034 - floor(r * 0.618034)) - 0.5) * 0.5 : 0

_what = (kind eq "replications") ? sprintf("the same scenario repeated: mean of %s", runs_text) : \
    sprintf("policies compared: mean of %s per arm", runs_text)
# Margins in screen units; the arm names take about 7.5 pixels a character.
fig_w = 400.0 * ncols
# Each panel is 55 pixels per arm high (at least 115), plus titles and axis labels.
plot_h = 55.0 * narms + 60
fig_h = 120 + nrows * plot_h + (nrows - 1) * 120 + 60
eval figure("compare", fig_w, fig_h)
names_w = (arm_chars + 3) * 7.5 / fig_w
set multiplot layout nrows, ncols title pre._what font ",13" \
    margins screen names_w, screen 0.985, screen 60 / fig_h, screen 1 - 120 / fig_h \
    spacing screen names_w + 0.02, screen 120 / fig_h
set label 90 sprintf("bar and number: mean of the runs;  whisker: %s;  dot: one run", ci_text) at screen 0.5, screen 1 - 45 / fig_h center font ",10" tc rgb "#444444"
set style fill transparent solid 0.45 noborder
set ytics () out nomirror scale 0
do for [i = 1:narms] { set ytics add (word(arms, i) i) }
set grid xtics lc rgb "#d8d8d8" lw 1 dt 1
set grid noytics
unset key
do for [k = 1:nm] {
    m = word(metrics, k)
    set datafile separator comma
    set autoscale xy        # (a table keeps only points inside the axis ranges)
    set table $T
    plot stats_csv using (armidx(strcol("arm"))):(num("mean")):(ci_or_mean("ci_low", "mean")):(ci_or_mean("ci_high", "mean")) with table \
        if (strcol("metric") eq m && column("point") == 0)
    unset table
    set datafile separator whitespace
    stats $T using (($4 == $4) ? $4 : $2) name "TH" nooutput
    stats $T using (($3 == $3) ? $3 : $2) name "TL" nooutput
    _hi = TH_max
    _lo = (TL_min < 0) ? TL_min : 0
    set datafile separator comma
    # The single runs, as (value, arm position + jitter).
    _runs = has_runs && has_column(summary, m)
    set table $R
    if (_runs) {
        plot summary using (num(m)):(armidx(strcol("arm")) + jitter(column("replication"))) with table \
            if (num(m) == num(m) && armidx(strcol("arm")) > 0)
    } else {
        plot NaN notitle
    }
    unset table
    if (_runs && |$R| > 0) {
        set datafile separator whitespace
        stats $R using 1 name "R" nooutput
        _hi = (R_max > _hi) ? R_max : _hi
        _lo = (R_min < _lo) ? R_min : _lo
    }
    set yrange [narms + 0.6 : 0.4]
    sc = metric_scale(m)
    _div = unit_div(m, sc * ((abs(_hi) > abs(_lo)) ? abs(_hi) : abs(_lo)))
    s = sc / _div
    set xlabel unit_label(m, sc * ((abs(_hi) > abs(_lo)) ? abs(_hi) : abs(_lo)))
    _span = (_hi - _lo) * s
    _span = (_span > 0) ? _span : 1
    _xlo = (_lo < 0) ? _lo * s - 0.05 * _span : 0
    _xhi = _hi * s + 0.3 * _span
    set xrange [_xlo : _xhi]
    _st = nicestep(_xhi - _xlo)
    set xtics ceil(_xlo / _st) * _st, _st, _hi * s + 0.05 * _span out nomirror
    set format x "%g"
    _obj = (m eq objective) ? "the objective, " : ""
    _bt = better_text(m)
    set title metric_name(m).((_obj.(_bt) ne "") ? "\n(".(_obj._bt).")" : "\n ") font ",11"
    set datafile separator whitespace
    plot $T using (0):1:(0):($2 * s):($1 - 0.34):($1 + 0.34):(arm_rgbv($1)) with boxxyerror lc rgb variable, \
         $T using ($2 * s):1:($3 * s):($4 * s) with xerrorbars lc rgb c_line lw 1.3 pt 7 ps 0.5, \
         $T using (_xhi):1:(short($2 * s)) with labels right offset -0.3,0 font ",10" tc rgb c_line, \
         $R using ($1 * s):2 with points pt 7 ps 0.35 lc rgb "#70333333"
    unset label 90
}
unset multiplot
set output
