# plots/waste.gp - compute per day by purpose, in tokens and in dollars.
#
#   gnuplot -e "dir='results/quickstart'" plots/waste.gp
#   gnuplot -e "dir='results/quickstart'; out='/tmp/figs'; fmt='svg'" plots/waste.gp
#
# Reads dir/daily.csv of a run with an organisation (and scenario.cfg, if
# present, for the budget cycle).  Writes out/waste.FMT.
me = "waste.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

daily = dir."/daily.csv"
call libdir."need.gp" daily "day tokens_useful tokens_burn burn_share usd_useful usd_burn" 1
pre = title_pre(daily)
cycle_days = int(cfgnum("budget_cycle_days"))

stats daily using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = D_records
stats daily using (column("tokens_useful") + column("tokens_burn")) name "TOK" nooutput
stats daily using (column("tokens_useful")) name "TU" nooutput
stats daily using (column("tokens_burn")) name "TB" nooutput
stats daily using (column("usd_useful") + column("usd_burn")) name "USD" nooutput
stats daily using (column("usd_useful")) name "UU" nooutput
stats daily using (column("usd_burn")) name "UB" nooutput
tok_p = p3(TOK_max)
usd_p = p3(USD_max)
burn_share_all = (TU_sum + TB_sum > 0) ? 100 * TB_sum / (TU_sum + TB_sum) : 0
usd_share_all = (UU_sum + UB_sum > 0) ? 100 * UB_sum / (UU_sum + UB_sum) : 0

set xrange [day0 - 0.7 : day1 + 0.7]
eval daytics

eval figure("waste", 1000, 720)
set multiplot layout 2,1 title pre.sprintf("compute per day, useful work vs burn (%.0f%% of the tokens and %.0f%% of the $ were burned)", \
    burn_share_all, usd_share_all) font ",13"
set lmargin 11
set rmargin 11
set key outside top center horizontal samplen 2 width 2

set title "Tokens per day (bars, left axis) and the day's burn share (line, right axis)"
set ylabel unit_tokens(tok_p)." per day"
set format y "%g"
set yrange [0 : (TOK_max > 0 ? TOK_max / tok_p : 1) * 1.05]
set y2range [0:100]
set y2tics 0,20,100 out nomirror format "%g%%"
set y2label "burned share of the day's tokens"
unset xlabel
set boxwidth 0.8
eval marks(20, cycle_days, "")
eval switchmarks
mkey = markkey(cycle_days, "new budget cycle")
# (a day without tokens has no burn share: num() leaves the point out)
plot daily using (column("day")):((column("tokens_useful") + column("tokens_burn")) / tok_p) with boxes lc rgb c_burn title "burn", \
     ''    using (column("day")):(column("tokens_useful") / tok_p) with boxes lc rgb c_useful title "useful", \
     ''    using (column("day")):(100 * num("burn_share")) axes x1y2 with linespoints lc rgb c_line pt 7 ps 0.45 lw 1.2 title "burn share (%)" \
     @mkey

set title "Dollars per day (compute cost)"
set xlabel "day"
set ylabel usdname(usd_p)." per day"
set yrange [0 : (USD_max > 0 ? USD_max / usd_p : 1) * 1.05]
unset y2tics
unset y2label
unset key
plot daily using (column("day")):((column("usd_useful") + column("usd_burn")) / usd_p) with boxes lc rgb c_burn title "burn", \
     ''    using (column("day")):(column("usd_useful") / usd_p) with boxes lc rgb c_useful title "useful"
eval unmark
eval unswitchmarks
unset multiplot
set output
