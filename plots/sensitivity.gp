# plots/sensitivity.gp - a sensitivity analysis: each factor's indices with
# their intervals, one panel per output.
#
#   gnuplot -e "dir='results/quickstart-sensitivity'" plots/sensitivity.gp
#
# Reads dir/indices.csv (burnsim sensitivity; docs/sensitivity.md), the
# first arm's rows.  Sobol indices: first-order S1 (blue) and total ST
# (orange) of each factor on a 0-1 axis; Morris: mu* with its interval.
# Writes out/sensitivity.FMT.
me = "sensitivity.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

f = dir."/indices.csv"
call libdir."need.gp" f "arm output factor index estimate ci_low ci_high" 1
# Rows of the first arm as "output factor index estimate ci_low ci_high", in file order.
rows = "awk -F, '/^#/ { next } !h { h = 1; next } a == \"\" { a = $1 } $1 == a { print $2, $3, $4, $5, $6, $7 }' ".shq(f)
arm = system("awk -F, '/^#/ { next } !h { h = 1; next } { print $1; exit }' ".shq(f))
outputs = system(rows." | awk '!s[$1]++ { printf \"%s \", $1 }'")
factors = system(rows." | awk '!s[$2]++ { printf \"%s \", $2 }'")
sobol = int(system(rows." | awk '$3 == \"S1\" { n++ } END { print n + 0 }'")) > 0
no = words(outputs)
nf = words(factors)
name = scenario_of(f)
pre = (name ne "") ? name.": " : ""

ncols = (no == 1) ? 1 : 2
nrows = int((no + ncols - 1) / ncols)
fchars = 0
do for [i = 1:nf] { fchars = (strlen(word(factors, i)) > fchars) ? strlen(word(factors, i)) : fchars }
fig_w = (ncols == 1) ? 760.0 : 1200.0
plot_h = 34.0 * nf + 70
fig_h = 140 + nrows * plot_h + (nrows - 1) * 90 + 50
eval figure("sensitivity", fig_w, fig_h)
names_w = (fchars + 3) * 8.2 / fig_w
what = sobol ? ((ncols == 1) ? "Sobol indices: share of the variance, alone (S1) and with interactions (ST)" \
                              : "share of each output's variance: first order S1 (the factor alone) and total ST (with its interactions)") \
             : "Morris: mu*, the mean absolute effect of a step across each factor's range"
set multiplot layout nrows, ncols title pre.what font ",12" \
    margins screen names_w, screen 0.97, screen 50 / fig_h, screen 1 - 140 / fig_h \
    spacing screen names_w + 0.03, screen 90 / fig_h
set label 90 sprintf("dot: estimate;  whisker: %s bootstrap interval%s", \
    "95%", (arm ne "baseline") ? ";  arm ".arm : "") at screen 0.5, screen 1 - 50 / fig_h center font ",10" tc rgb "#444444"
if (sobol) {
    set label 91 "S1" at screen 0.5 - 30.0 / fig_w, screen 1 - 74 / fig_h right font ",10" tc rgb c_useful
    set label 92 "ST" at screen 0.5 + 30.0 / fig_w, screen 1 - 74 / fig_h left font ",10" tc rgb c_burn
}
set ytics () out nomirror scale 0
do for [i = 1:nf] { set ytics add (word(factors, i) i) }
set grid xtics lc rgb "#d8d8d8" lw 1 dt 1
set grid noytics
set yrange [nf + 0.6 : 0.4]
unset key
set datafile separator whitespace
fpos(s) = sum [_i = 1:nf] ((word(factors, _i) eq s) ? _i : 0)
do for [k = 1:no] {
    o = word(outputs, k)
    set title o font ",11"
    if (sobol) {
        set xrange [-0.05 : 1.05]
        set xtics 0, 0.2, 1 out nomirror
        set format x "%g"
        plot "< ".rows." | awk '$1 == \"".o."\" && $3 == \"S1\"'" \
                 using 4:(fpos(strcol(2)) - 0.14):5:6 with xerrorbars lc rgb c_useful lw 1.5 pt 7 ps 0.7, \
             "< ".rows." | awk '$1 == \"".o."\" && $3 == \"ST\"'" \
                 using 4:(fpos(strcol(2)) + 0.14):5:6 with xerrorbars lc rgb c_burn lw 1.5 pt 5 ps 0.7
    } else {
        set autoscale x
        set xrange [0 : *]
        set xtics autofreq out nomirror
        plot "< ".rows." | awk '$1 == \"".o."\" && $3 == \"mu_star\"'" \
                 using 4:(fpos(strcol(2))):5:6 with xerrorbars lc rgb c_useful lw 1.5 pt 7 ps 0.7
    }
    unset label 90
    unset label 91
    unset label 92
}
unset multiplot
set output
