# plots/leaderboard.gp - how concentrated token use is (Lorenz curve, top
# shares) and the top of the leaderboard over time.
#
#   gnuplot -e "dir='results/quickstart'" plots/leaderboard.gp
#
# Reads dir/agents.csv and dir/daily.csv of a run with an organisation (and
# scenario.cfg, if present, for the KPI review's length).
# Writes out/leaderboard.FMT.
me = "leaderboard.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

daily = dir."/daily.csv"
agents = dir."/agents.csv"
call libdir."need.gp" daily "day top_agent_tokens" 1
call libdir."need.gp" agents "tokens_useful tokens_burn" 1
pre = title_pre(daily)
review_days = int(cfgnum("review_days"))

stats daily using (column("day")) name "D" nooutput
day0 = D_min
day1 = D_max
ndays = D_records

# The Lorenz curve of tokens per agent.  Agents are counted into log-spaced
# bins of their tokens (one pass, no sorting; NB bins over the data's range,
# zero-token agents in a bin of their own), and the curve joins the bins'
# cumulative (share of agents, share of tokens).  Within a bin the tokens
# differ by under 1% for runs spanning up to ~8 decades, so the curve and the
# Gini coefficient from its area are exact to plotting accuracy.
agent_tokens(x) = column("tokens_useful") + column("tokens_burn")
_pmin = 1e308
stats agents using (_t = agent_tokens(0), _pmin = (_t > 0 && _t < _pmin) ? _t : _pmin, _t) name "AG" nooutput
n_agents = AG_records
tok_total = AG_sum
NB = 2000
array LC[NB + 1]
array LS[NB + 1]
do for [i = 1:NB + 1] { LC[i] = 0; LS[i] = 0 }
if (AG_max > 0) {
    _l0 = log10(_pmin)
    _lw = (log10(AG_max) - _l0) / (NB - 1)
    tbin(t) = (t > 0) ? ((_lw > 0) ? int(floor((log10(t) - _l0) / _lw)) + 2 : 2) : 1
    # (the header row is evaluated too, as NaN: it must not count)
    stats agents using (_t = agent_tokens(0), _b = tbin(_t), _b = (_b > NB + 1) ? NB + 1 : (_b < 1 ? 1 : _b), \
                        LC[_b] = LC[_b] + (_t == _t), LS[_b] = LS[_b] + ((_t == _t) ? _t : 0), 0) name "AGB" nooutput
} else {
    LC[1] = n_agents
}
set print $L
print "0 0"
gini_area = 0
_px = 0
_py = 0
_cn = 0
_ct = 0
top10 = -1
top1 = -1
do for [i = 1:NB + 1] {
    if (LC[i] > 0) {
        _cn = _cn + LC[i]
        _ct = _ct + LS[i]
        _x = real(_cn) / n_agents
        _y = (tok_total > 0) ? _ct / tok_total : 0
        print sprintf("%.8g %.8g", _x, _y)
        gini_area = gini_area + (_x - _px) * (_y + _py)
        if (top10 < 0 && _x >= 0.9) { top10 = 1 - (_py + (_y - _py) * (0.9 - _px) / (_x - _px)) }
        if (top1 < 0 && _x >= 0.99) { top1 = 1 - (_py + (_y - _py) * (0.99 - _px) / (_x - _px)) }
        _px = _x
        _py = _y
    }
}
set print
gini = 1 - gini_area

stats daily using (column("top_agent_tokens")) name "TA" nooutput
ta_p = p3(TA_max)
# The top agent's review-to-date tokens, as steps (day d from d - 0.5 to d + 0.5).
set table $TR
plot daily using (column("day")):(column("top_agent_tokens")) with table
unset table
set print $TS
do for [i = 1:|$TR|] {
    _w = word($TR[i], 1)
    if (_w ne "" && _w[1:1] ne "#") {
        print sprintf("%.10g %s", real(_w) - 0.5, word($TR[i], 2))
        print sprintf("%.10g %s", real(_w) + 0.5, word($TR[i], 2))
    }
}
set print

eval figure("leaderboard", 1000, 600)
set multiplot layout 1,2 title pre.sprintf("how concentrated token use is, and what the top of the leaderboard uses") font ",13"
set lmargin 10
set rmargin 3
set title sprintf("Lorenz curve of tokens per agent, whole run (%d agents)", n_agents)
set xlabel "share of agents, fewest tokens first"
set ylabel "share of all tokens"
set xrange [0:100]
set yrange [0:100]
set xtics 0,20,100 format "%g%%"
set ytics 0,20,100 format "%g%%"
unset mxtics
set key inside top left vertical samplen 2 box opaque width 1 reverse Left
_txt = (tok_total > 0) ? sprintf("Gini coefficient %.2f", gini) : "no tokens were used"
if (n_agents >= 10 && top10 >= 0) { _txt = _txt.sprintf("\ntop 10%% of agents: %.0f%% of tokens", 100 * top10) }
if (n_agents >= 100 && top1 >= 0) { _txt = _txt.sprintf("\ntop 1%% of agents: %.0f%% of tokens", 100 * top1) }
set label 3 _txt at graph 0.04, graph 0.74 left front font ",10"
set datafile separator whitespace
plot x with lines lc rgb c_mark dt 2 lw 1.2 title "equal use", \
     $L using (100 * $1):(100 * $2) with lines lc rgb c_burn lw 2 title "agents, whole run"
unset label 3

set title "Top agent's tokens so far in the current KPI review"
set xlabel "day"
set ylabel "top agent's ".unit_tokens(ta_p)
set xrange [day0 - 0.7 : day1 + 0.7]
set yrange [0 : (TA_max > 0 ? TA_max / ta_p : 1) * 1.08]
eval daytics_half
set ytics autofreq format "%g"
unset key
eval marks(20, review_days, "review ends")
plot $TS using 1:($2 / ta_p) with lines lc rgb c_burn lw 2
eval unmark
unset multiplot
set output
