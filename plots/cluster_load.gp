# plots/cluster_load.gp - the GPU cluster: tokens served per day by purpose,
# utilisation and the queue.
#
#   gnuplot -e "dir='results/cluster'" plots/cluster_load.gp
#
# Reads dir/daily.csv of a cluster-only run, or dir/cluster_daily.csv (the
# cluster's daily table) in the folder of a run with an organisation.
# Writes out/cluster_load.FMT.
me = "cluster_load.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

daily = readable(dir."/cluster_daily.csv") ? dir."/cluster_daily.csv" : dir."/daily.csv"
call libdir."need.gp" daily "day hours utilisation mean_queue_jobs tokens_served_useful tokens_served_burn" 1
pre = title_pre(daily)
# A day's count as a rate per 24 h (the last day may be partial: column hours).
perday(v) = (column("hours") > 0) ? v * 24 / column("hours") : NaN

stats daily using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = D_records
stats daily using (perday(column("tokens_served_useful") + column("tokens_served_burn"))) name "TOK" nooutput
stats daily using (column("tokens_served_useful")) name "TU" nooutput
stats daily using (column("tokens_served_burn")) name "TB" nooutput
tok_p = p3(TOK_max)
burn_share_all = (TU_sum + TB_sum > 0) ? 100 * TB_sum / (TU_sum + TB_sum) : 0
stats daily using (column("hours")) name "H" nooutput
stats daily using (column("utilisation") * column("hours")) name "UT" nooutput
util_all = (H_sum > 0) ? 100 * UT_sum / H_sum : 0
stats daily using (column("mean_queue_jobs")) name "Q" nooutput

set xrange [day0 - 0.7 : day1 + 0.7]
eval daytics
set lmargin 11
set rmargin 11

eval figure("cluster_load", 1000, 720)
set multiplot layout 2,1 title pre.sprintf("tokens served by purpose (%.0f%% burn) and utilisation (%.0f%% over the run)", \
    burn_share_all, util_all) font ",13"
set key outside top center horizontal samplen 2 width 2
set title "Tokens served per day (a partial last day is scaled to 24 h)"
set ylabel unit_tokens(tok_p)." per day"
set format y "%g"
set yrange [0 : (TOK_max > 0 ? TOK_max / tok_p : 1) * 1.05]
set boxwidth 0.8
unset xlabel
eval switchmarks
plot daily using (column("day")):(perday(column("tokens_served_useful") + column("tokens_served_burn")) / tok_p) with boxes lc rgb c_burn title "burn", \
     ''    using (column("day")):(perday(column("tokens_served_useful")) / tok_p) with boxes lc rgb c_useful title "useful"

set title "Utilisation (busy slot-hours / slot-hours) and jobs waiting in the queue"
set xlabel "day"
set ylabel "utilisation"
set yrange [0:100]
set ytics 0,20,100 format "%g%%"
set y2label "mean jobs waiting"
set y2tics out nomirror format "%g"
set y2range [0 : (Q_max > 0 ? Q_max * 1.1 : 1)]
plot daily using (column("day")):(100 * column("utilisation")) with linespoints lc rgb c_line pt 7 ps 0.5 lw 1.5 title "utilisation (left axis)", \
     ''    using (column("day")):(column("mean_queue_jobs")) axes x1y2 with lines lc rgb "#CC79A7" lw 1.5 title "mean jobs waiting (right axis)"
eval unswitchmarks
unset multiplot
set output
