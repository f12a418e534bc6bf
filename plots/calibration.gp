# plots/calibration.gp - a calibration: every parameter set evaluated, those
# that reproduce every target, and the best fit.
#
#   gnuplot -e "dir='results/calibrate_meta2026-calibration'" plots/calibration.gp
#
# Reads dir/parameters.csv and dir/evaluations.csv (burnsim calibrate;
# docs/calibration.md).  With two or more parameters: the first two against
# each other; with one: the distance against it.  Green: the set fits every
# target; grey: it does not; star: the best.  Writes out/calibration.FMT.
me = "calibration.gp"
here(s) = (_k = strstrt(s, "/")) > 0 ? s[1:_k].here(s[_k+1:]) : ""
load here(ARG0)."common.gp"

pf = dir."/parameters.csv"
ef = dir."/evaluations.csv"
call libdir."need.gp" pf "parameter best search_min search_max scale" 1
call libdir."need.gp" ef "distance fits" 1
# parameter i's name, best value and search range, from parameters.csv
prow(i, c) = system(sprintf("awk -F, '/^#/ { next } !h { for (k = 1; k <= NF; k++) col[$k] = k; h = 1; next } ++n == %d { print $col[\"%s\"] }' %s", i, c, shq(pf)))
np = datarows(pf)
p1 = prow(1, "parameter")
b1 = real(prow(1, "best"))
# a log axis for a factor searched on a log scale
spans(i) = prow(i, "scale") eq "log"
log1 = spans(1)
two = np >= 2
if (two) {
    p2 = prow(2, "parameter")
    b2 = real(prow(2, "best"))
    log2 = spans(2)
}
nfit = int(system("awk -F, '/^#/ { next } !h { for (k = 1; k <= NF; k++) if ($k == \"fits\") c = k; h = 1; next } $c == \"yes\" { n++ } END { print n + 0 }' ".shq(ef)))
nall = datarows(ef)
name = scenario_of(pf)
pre = (name ne "") ? name.": " : ""

eval figure("calibration", 820, 620)
set title sprintf("%s%d parameter sets evaluated, %d fit every target (green); star: the best", pre, nall, nfit) font ",12"
set key top right opaque box lc rgb "#cccccc" font ",10"
set grid xtics ytics lc rgb "#e4e4e4"
set xlabel p1
set xrange [real(prow(1, "search_min")) : real(prow(1, "search_max"))]   # the search range
if (log1) { set logscale x; set format x "%.0e" } else { set format x "%g" }
fitting(v) = (strcol("fits") eq "yes") ? v : NaN
missing(v) = (strcol("fits") eq "yes") ? NaN : v
if (two) {
    set ylabel p2
    set yrange [real(prow(2, "search_min")) : real(prow(2, "search_max"))]
    if (log2) { set logscale y; set format y "%.0e" } else { set format y "%g" }
    plot ef using (missing(column(p1))):(column(p2)) with points pt 7 ps 0.6 lc rgb "#b0b0b0" title "does not fit", \
         ef using (fitting(column(p1))):(column(p2)) with points pt 7 ps 0.8 lc rgb c_value title "fits every target", \
         "+" using (b1):(b2) every ::0::0 with points pt 3 ps 3 lw 2 lc rgb c_burn title "best"
} else {
    set ylabel "distance to the targets (1: every target at its tolerance; 0 drawn at 0.001)"
    set logscale y
    set format y "%g"
    plot ef using (missing(column(p1))):(column("distance") > 1e-3 ? column("distance") : 1e-3) with points pt 7 ps 0.6 lc rgb "#b0b0b0" title "does not fit", \
         ef using (fitting(column(p1))):(column("distance") > 1e-3 ? column("distance") : 1e-3) with points pt 7 ps 0.8 lc rgb c_value title "fits every target", \
         1 with lines dt 2 lc rgb c_mark title "tolerance"
}
set output
