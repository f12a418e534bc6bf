# plots/need.gp - checks one input of a figure script (after common.gp):
#     call libdir."need.gp" FILE "col1 col2 ..." MIN_ROWS
# Exits with status 1 and a message naming the file if it is missing, has
# fewer than MIN_ROWS data rows, or lacks one of the columns (found by name).
if (!readable(ARG1)) {
    print me.": ".ARG1." is missing: is '".dir."' a burnsim results folder of the right kind?"
    exit status 1
}
if (datarows(ARG1) < int(ARG3)) {
    print me.": ".ARG1." holds no data rows: nothing to draw"
    exit status 1
}
_h = header(ARG1)
do for [_c in ARG2] {
    if (strstrt(_h, ","._c.",") == 0) {
        print me.": ".ARG1." has no column '"._c."' (written by another version of burnsim?)"
        exit status 1
    }
}
