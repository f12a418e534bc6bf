# plots/campaign.gp - loaded after common.gp by the campaign figure scripts
# (compare.gp, paired.gp, daily.gp, sweep.gp, sweep_map.gp): what the
# campaign's manifest.cfg says, the arms, and the metrics worth drawing.

# ---- the manifest ------------------------------------------------------------------
manifest = dir."/manifest.cfg"
if (!readable(manifest)) {
    print me.": ".manifest." is missing: is '".dir."' a burnsim campaign folder?"
    exit status 1
}
# Top-level keys only: they start the line (the resolved scenario below is indented).
mf_raw(key) = system("sed -n 's/^".key."[[:space:]]*=[[:space:]]*\\(.*\\);[[:space:]]*$/\\1/p' ".shq(manifest)." | head -n 1")
unquote(s) = (strlen(s) >= 2 && s[1:1] eq '"') ? s[2:strlen(s)-1] : s
mf_str(key) = unquote(mf_raw(key))
# ["a", "b"] -> "a b" (names in burnsim campaigns have no blanks or quotes)
mf_list(key) = system("sed -n 's/^".key."[[:space:]]*=[[:space:]]*\\[\\(.*\\)\\];[[:space:]]*$/\\1/p' ".shq(manifest)." | head -n 1 | tr -d '\",'")
mf_num(key) = (_v = mf_raw(key), _v eq "" ? NaN : real(_v[1:strlen(_v) - (_v[strlen(_v):] eq "L" ? 1 : 0)]))

kind = mf_str("kind")
objective = mf_str("objective")
goal = mf_str("goal")
confidence = mf_num("confidence")
if (!(confidence > 0 && confidence < 1)) { confidence = 0.95 }
replications = mf_num("replications")
factors = mf_list("factors")
nfactors = words(factors)
arms = mf_list("arms")
conf_text = sprintf("%.0f%%", 100 * confidence)
ci_text = conf_text." confidence interval"
# One replication has no interval: the mean is drawn alone.
if (replications < 2) { ci_text = "no interval (one run per arm)" }
# "12 runs", "1 run"
runs_text = sprintf("%d run%s", replications, replications == 1 ? "" : "s")
# An interval's end, or the mean where there is no interval (nan in the CSV).
ci_or_mean(c, mean_col) = (_v = num(c), _v == _v ? _v : num(mean_col))

stats_csv = dir."/stats.csv"
call libdir."need.gp" stats_csv "point arm metric n mean ci_low ci_high" 1
pre = title_pre(stats_csv)
if (pre eq "") { _n = mf_str("scenario_name"); pre = (_n ne "") ? _n.": " : "" }
# Without a list of arms in the manifest: the arms in the order stats.csv has them.
if (words(arms) == 0) {
    arms = " "
    stats stats_csv using (_a = strcol("arm"), (_a ne "arm" && strstrt(arms, " "._a." ") == 0) ? arms = arms._a." " : 0, 0) name "ARMS" nooutput
}
narms = words(arms)
baseline = word(arms, 1)
# Position of an arm in the list (1-based), NaN if it is not there.
armidx_from(a, i) = (i > narms) ? NaN : (word(arms, i) eq a) ? i : armidx_from(a, i + 1)
armidx(a) = armidx_from(a, 1)

# ---- metrics ---------------------------------------------------------------------------
# metric_present(FILE, M): FILE (stats, paired, daily_stats) has rows for metric M.
metric_present(f, m) = int(system("grep -c -m 1 ',".m.",' ".shq(f)." 2>/dev/null || true")) > 0
# The metric table (key_metrics, metric_name(m), metric_direction(m)): burnsim
# writes it beside the figures it draws, from sim/io/metrics.c.
load out."/metrics.gp"
# The metrics to draw: the objective first, then key_metrics, as far as FILE
# has them (an organisation's and a cluster's summaries have different columns).
pick_metrics(f, nmax) = (_pm = (objective ne "" && metric_present(f, objective)) ? objective : "", \
    sum [_i = 1:words(key_metrics)] (_m = word(key_metrics, _i), \
        (words(_pm) < nmax && _m ne objective && metric_present(f, _m)) ? (_pm = _pm." "._m, 1) : 0), _pm)

# A metric's unit, and whether more is better (+1), worse (-1) or neither (0).
metric_unit(m) = \
    (m eq "burn_share" || m eq "share_agents_burning" || m eq "utilisation" || m eq "p_wait") ? "%" : \
    (m eq "value_per_usd") ? "$ per $" : \
    (strstrt(m, "usd") == 1 || m eq "value" || m eq "value_lost" || m eq "kpi_rewards" || m eq "penalties" || \
     m eq "net_value" || m eq "effort_usd" || m eq "value_held") ? "$" : \
    (m[strlen(m)-1:] eq "_h") ? "h" : \
    (strstrt(m, "tokens") == 1 || m eq "top_agent_tokens") ? "tokens" : \
    (strstrt(m, "jobs") > 0) ? "jobs" : (strstrt(m, "kwh") == 1) ? "kWh" : (strstrt(m, "kg_co2") == 1) ? "kg CO2" : ""
metric_better(m) = \
    (m eq objective) ? ((goal eq "minimise" || goal eq "minimize") ? -1 : 1) : metric_direction(m)
better_text(m) = metric_better(m) > 0 ? "higher is better" : metric_better(m) < 0 ? "lower is better" : ""
# Shares are drawn in percent.
metric_scale(m) = (metric_unit(m) eq "%") ? 100 : 1
# The divisor and the axis label for values up to vmax (after metric_scale):
# $ thousand, tokens in billions, minutes for short waits, ...
unit_div(m, vmax) = (metric_unit(m) eq "h") ? dur_div(vmax) : \
    (metric_unit(m) eq "%" || metric_unit(m) eq "$ per $") ? 1 : p3(vmax)
unit_label(m, vmax) = (_u = metric_unit(m), _p = unit_div(m, vmax), \
    _u eq "$" ? usdname(_p) : _u eq "tokens" ? unit_tokens(_p) : _u eq "h" ? dur_word(vmax) : _u eq "%" ? "percent" : \
    (_p > 1 ? _u.(_u ne "" ? ", " : "").pname(_p) : _u))
dur_word(h) = (_du = dur_unit(h), _du eq "h" ? "hours" : _du eq "min" ? "minutes" : _du eq "s" ? "seconds" : _du eq "ms" ? "milliseconds" : "microseconds")
# A tic step giving about four tics over a range r.
nicestep(r) = (r <= 0) ? 1 : (_e = 10**floor(log10(r / 4.0)), _f = r / 4.0 / _e, (_f < 1.5 ? 1 : _f < 3.5 ? 2 : _f < 7.5 ? 5 : 10) * _e)
# A value as text, e.g. 541, 0.137, 2.59e+09
short(v) = (abs(v) >= 1e4 || (abs(v) < 1e-3 && v != 0)) ? sprintf("%.3g", v) : (abs(v) >= 100) ? sprintf("%.0f", v) : sprintf("%.3g", v)

# ---- arms ------------------------------------------------------------------------------
# Bars and lines of arm i (the baseline is grey).
# (as numbers, for "lc rgb variable"; arm_colour gives the "#rrggbb" text)
array arm_rgb[8] = [0x6f6f6f, 0x009E73, 0xCC79A7, 0x56B4E9, 0xE69F00, 0x7B6BA8, 0x0072B2, 0xD55E00]
arm_rgbv(i) = arm_rgb[(int(i) - 1) % 8 + 1]
arm_colour(i) = sprintf("#%06x", arm_rgbv(i))
# The longest arm name, for the margin that holds them.
arm_chars = 0
do for [_i = 1:narms] { arm_chars = (strlen(word(arms, _i)) > arm_chars) ? strlen(word(arms, _i)) : arm_chars }
