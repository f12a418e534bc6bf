# plots/output.gp - useful output per day, and output per dollar of compute.
#
#   gnuplot -e "dir='results/quickstart'" plots/output.gp
#
# Reads dir/daily.csv of a run with an organisation (and scenario.cfg, if
# present, for the budget cycle).  Writes out/output.FMT.
me = "output.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

daily = dir."/daily.csv"
call libdir."need.gp" daily "day usd_useful usd_burn value value_per_usd value_lost" 1
pre = title_pre(daily)
cycle_days = int(cfgnum("budget_cycle_days"))

stats daily using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = D_records
stats daily using (column("usd_useful") + column("usd_burn")) name "USD" nooutput
stats daily using (column("value")) name "V" nooutput
stats daily using (nz(num("value_lost"))) name "VL" nooutput
val_p = p3((V_max > VL_max) ? V_max : VL_max)
vpu_all = (USD_sum > 0) ? V_sum / USD_sum : 0
# A day with almost no spending has a huge ratio: a log scale keeps the rest readable.
stats daily using (_v = num("value_per_usd"), (_v == _v && _v > 0) ? 1 : 0) name "VPUN" nooutput
if (VPUN_sum > 0) {
    stats daily using (_v = num("value_per_usd"), (_v == _v && _v > 0) ? _v : NaN) name "VPU" nooutput
}

set xrange [day0 - 0.7 : day1 + 0.7]
eval daytics

eval figure("output", 1000, 720)
set multiplot layout 2,1 title pre.sprintf("useful output (%s over the run, %s of output per $ of compute)", \
    usd(V_sum), usd(vpu_all)) font ",13"
set lmargin 11
set rmargin 4
set key outside top center horizontal samplen 2 width -1
set title "Output realised per day, and output lost because the budget refused useful jobs"
set ylabel usdname(val_p)." per day"
unset xlabel
_vmax = (V_max > VL_max) ? V_max : VL_max
set yrange [0 : (_vmax > 0 ? _vmax / val_p : 1) * 1.05]
set format y "%g"
set boxwidth 0.8
eval marks(20, cycle_days, "")
eval switchmarks
mkey = markkey(cycle_days, "new budget cycle")
plot daily using (column("day")):(column("value") / val_p) with boxes lc rgb c_value title "output realised", \
     ''    using (column("day")):(nz(num("value_lost")) / val_p) with linespoints lc rgb c_burn pt 7 ps 0.45 lw 1.5 title "lost: useful jobs refused" \
     @mkey
eval unmark
eval switchmarks

set title "Output per dollar of compute (days that used compute)"
set xlabel "day"
set ylabel "$ of output per $ of compute"
if (VPUN_sum > 0 && VPU_max > 30 * VPU_min) {
    set logscale y
    set yrange [VPU_min / 2 : VPU_max * 2]
    set format y "%.0s%c"
    set ylabel "$ of output per $ of compute (log scale)"
} else {
    set yrange [0 : (VPUN_sum > 0 ? VPU_max : 1) * 1.1]
}
set arrow 1 from graph 0, first vpu_all to graph 1, first vpu_all nohead lc rgb c_mark dt 2 lw 1.2
plot daily using (column("day")):(num("value_per_usd")) with linespoints lc rgb c_value pt 7 ps 0.5 lw 1.5 title "output per $ that day", \
     NaN with lines lc rgb c_mark dt 2 lw 1.2 title "whole run: ".usd(vpu_all)
unset arrow 1
eval unswitchmarks
unset multiplot
set output
