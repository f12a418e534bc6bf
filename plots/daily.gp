# plots/daily.gp - the arms of a campaign day by day: the mean over the
# replications with its confidence band, for key daily metrics.
#
#   gnuplot -e "dir='results/compare'" plots/daily.gp
#
# Reads dir/manifest.cfg and dir/daily_stats.csv of a campaign with one design
# point (kind "replications" or "compare").  Writes out/daily.FMT.
me = "daily.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"
load libdir."campaign.gp"

daily_stats = dir."/daily_stats.csv"
call libdir."need.gp" daily_stats "arm day metric n mean ci_low ci_high" 1
metrics = pick_metrics(daily_stats, 4)
nm = words(metrics)
if (nm == 0) {
    print me.": ".daily_stats." has none of the metrics this figure shows (".objective." ".key_metrics.")"
    exit status 1
}
ncols = (nm == 1) ? 1 : 2
nrows = (nm <= 2) ? 1 : 2
# Flows are per day; levels and ratios are not.
per_day(m) = (_u = metric_unit(m), (_u eq "$" || _u eq "tokens" || _u eq "jobs" || _u eq "kWh" || _u eq "kg CO2") && \
    m ne "top_agent_tokens") ? " per day" : ""

# Days off (weekends: the days of each week after calendar.work_days_per_week)
# have no work to show; they are left as gaps, as the per-run figures leave them.
work_days = int(cfgnum("work_days_per_week"))
day_off(d) = (work_days > 0 && work_days < 7 && int(d) % 7 >= work_days)
at_work(d, v) = day_off(d) ? NaN : v

stats daily_stats using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = day1 - day0 + 1

fig_w = 1100.0
fig_h = (nrows == 1) ? 500.0 : 860.0
eval figure("daily", fig_w, fig_h)
_what = (replications < 2) ? "one run per arm (no interval)" : sprintf("mean of %d runs per arm, with its %s", replications, ci_text)
_off = (work_days > 0 && work_days < 7) ? "; days off left out" : ""
set multiplot layout nrows, ncols title pre.sprintf("day by day: %s%s", _what, _off) \
    font ",13" margins screen 0.08, screen 0.98, screen 70 / fig_h, screen 1 - 110 / fig_h spacing screen 0.09, screen 110 / fig_h
unset key
# The legend, one line across the top (a key would wrap to the first panel's width):
# a short line in the arm's colour, then its name, at about 7.5 pixels a character.
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
    # Each arm's days, one block per arm (index i - 1); a day without a value
    # (e.g. a weekend's burn share) leaves a gap.
    set datafile separator comma
    set autoscale xy        # (a table keeps only points inside the axis ranges)
    do for [i = 1:narms] {
        if (i == 1) { set table $T } else { set table $T append }
        plot daily_stats using (_d = column("day"), _d):(at_work(_d, num("mean"))):(at_work(_d, ci_or_mean("ci_low", "mean"))):(at_work(_d, ci_or_mean("ci_high", "mean"))) with table \
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
    set ylabel unit_label(m, _big).per_day(m)
    set xrange [day0 - 0.5 : day1 + 0.5]
    eval daytics_half
    set xlabel "day"
    _obj = (m eq objective) ? "the objective, " : ""
    _bt = better_text(m)
    set title metric_name(m).(((_obj._bt) ne "") ? " (".(_obj._bt).")" : "") font ",11"
    eval switchmarks
    plot for [i = 1:narms] $T index (i - 1) using 1:($3 * s):($4 * s) with filledcurves \
             lc rgb arm_colour(i) fs transparent solid 0.18 noborder notitle, \
         for [i = 1:narms] $T index (i - 1) using 1:($2 * s) with lines lc rgb arm_colour(i) lw 2 notitle
    do for [i = 1:narms] { unset arrow 100 + i; unset label 100 + i }
    eval unswitchmarks
}
unset multiplot
set output
