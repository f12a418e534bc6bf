/* sim/io/report.h - one self-contained HTML page for a results folder. */
#ifndef BURNSIM_REPORT_H
#define BURNSIM_REPORT_H

#include <stdio.h>

/* Writes DIR/report.html.  Returns 0, or -1 with a message on err. */
int sim_report_write(const char *dir, FILE *err);

#endif
