# plots/validation.gp - one validation target: each check's estimate with its
# 95% interval against the band the known answer allows.
#
# burnsim validate and burnsim plot draw it for every target of a validation
# folder, setting with -e, besides dir, out and fmt (common.gp):
#   target          the target's name (the figure is out/TARGET.FMT)
#   title           what the target is and its source
#   n               the number of checks
#   check[i], verdict[i]          names and verdicts ("pass", "fail", "inconclusive")
#   est[i], lo[i], hi[i]          the estimate and its interval (lo = hi when exact)
#   low[i], high[i], expected[i]  the band and the known value (NaN when there is none)
#   xmin[i], xmax[i]              the panel's range; an open end of the band is drawn to it
# Blue band: what the known answer allows; dashed line: the known value; dot and
# whisker: burnsim's estimate and interval, green when the check passes, orange when
# it fails, grey when it is inconclusive.
me = "validation.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

if (!exists("n") || !exists("target") || n < 1) {
    print me.": no checks given; burnsim plot DIR draws this figure for a validation folder"
    exit status 1
}
if (!exists("title")) { title = target }
verdict_rgb(v) = (v eq "pass") ? "#009E73" : (v eq "fail") ? "#D55E00" : "#8a8a8a"

panel_h = 78.0
fig_h = 70 + panel_h * n + 30
eval figure(target, 820, fig_h)
set multiplot layout n, 1 title title font ",12" \
    margins screen 0.30, screen 0.97, screen 30 / fig_h, screen 1 - 70 / fig_h spacing screen 0, screen 26 / fig_h
unset grid
set grid xtics lc rgb "#e4e4e4" lw 1 dt 1
set border 1 lc rgb "#444444"
set xtics out nomirror format "%.4g" font ",9"
unset ytics
set yrange [-1:1]
do for [i = 1:n] {
    set xrange [xmin[i] : xmax[i]]
    _l = (low[i] > xmin[i]) ? low[i] : xmin[i]
    _h = (high[i] < xmax[i]) ? high[i] : xmax[i]
    unset object
    unset arrow
    unset label
    if (_l <= _h) { set object 1 rect from _l, -1 to _h, 1 fc rgb "#cfe3f3" fs solid 1.0 noborder back }
    if (expected[i] == expected[i]) { set arrow 1 from expected[i], -1 to expected[i], 1 nohead lc rgb "#0072B2" dt 2 lw 1.5 back }
    set label 1 check[i] at graph -0.02, graph 0.62 right font ",10"
    set label 2 verdict[i] at graph -0.02, graph 0.22 right font ",10" tc rgb verdict_rgb(verdict[i])
    set print $pt
    print sprintf("%.17g,0,%.17g,%.17g", est[i], lo[i], hi[i])
    unset print
    plot $pt using 1:2:3:4 with xerrorbars pt 7 ps 1.2 lw 2 lc rgb verdict_rgb(verdict[i]) notitle
}
unset multiplot
