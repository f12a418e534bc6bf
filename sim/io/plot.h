/* sim/io/plot.h - figures for a results folder, drawn by gnuplot.
 *
 * gnuplot is an external program; the scripts live in plots/ (found at the
 * path compiled in, or in $BURNSIM_PLOTS_DIR).  Figures go to DIR/plots/.
 */
#ifndef BURNSIM_PLOT_H
#define BURNSIM_PLOT_H

#include <stdio.h>

typedef enum sim_plot_status {
  SIM_PLOT_DONE = 0,
  SIM_PLOT_NO_GNUPLOT = 1, /* gnuplot is not installed: nothing drawn */
  SIM_PLOT_FAILED = -1     /* gnuplot failed: its messages are on err, nothing kept */
} sim_plot_status;

/* Draws the figures of the results in dir with plots/SCRIPT, in format fmt
 * ("png" or "svg"). */
sim_plot_status sim_plot(const char *dir, const char *script, const char *fmt, FILE *err);

#endif
