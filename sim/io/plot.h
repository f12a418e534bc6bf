/* sim/io/plot.h - figures for a results folder, drawn by gnuplot.
 *
 * gnuplot is an external program; the scripts live in plots/ (found as
 * data_dirs.h says: $BURNSIM_PLOTS_DIR, installed, or the source tree),
 * one script per figure.  What
 * a folder gets depends on what it holds:
 *
 *   a run with an organisation  waste, output, budget, teams, leaderboard,
 *   (summary.csv has "agents",  and cluster_load, cluster_waits when it has
 *    daily.csv exists)          cluster_daily.csv and waits.csv
 *   a cluster-only run          cluster_load, cluster_waits
 *   (waits.csv exists)
 *   a campaign (stats.csv)      one design point (replications, compare):
 *                               compare; paired (two or more arms); daily
 *                               (daily_stats.csv).  A sweep of one factor:
 *                               sweep; of two factors: sweep_map.
 *
 * Figures that would have nothing to show are left out, and said so.
 * Figures go to DIR/plots/NAME.FMT.
 */
#ifndef BURNSIM_PLOT_H
#define BURNSIM_PLOT_H

#include <stddef.h>
#include <stdio.h>

typedef enum sim_plot_status {
  SIM_PLOT_DONE = 0,
  SIM_PLOT_NO_GNUPLOT = 1, /* gnuplot is not on PATH: nothing drawn, nothing printed */
  SIM_PLOT_BAD_FOLDER = 2, /* dir is not a burnsim results folder: message on err */
  SIM_PLOT_NO_SPACE = 3,   /* the folder could not take some figures (a full disk): messages on err */
  SIM_PLOT_FAILED = -1     /* gnuplot failed on a figure, or a stop was requested: messages on err */
} sim_plot_status;

/* What a results folder holds. */
typedef enum sim_results_kind {
  SIM_RESULTS_ORG_RUN,     /* a single run with an organisation */
  SIM_RESULTS_CLUSTER_RUN, /* a single run of the cluster alone */
  SIM_RESULTS_CAMPAIGN,    /* replications, a comparison of arms or a sweep */
  SIM_RESULTS_CALIBRATION  /* burnsim calibrate's fit (calibrate.h) */
} sim_results_kind;

typedef struct sim_results_info {
  sim_results_kind kind;
  char campaign[16];  /* campaigns: "replications", "compare" or "sweep" */
  int factors;        /* campaigns: factors swept (0 for one design point) */
  int arms;           /* campaigns: arms, the baseline included */
  int paired;         /* campaigns: paired.csv has rows */
  int daily_stats;    /* campaigns: daily_stats.csv has rows */
  int sensitivity;    /* campaigns: a sensitivity analysis (indices.csv) */
  int cluster_tables; /* runs: waits.csv, and cluster_daily.csv with an organisation */
  long replications;  /* campaigns: replications per arm and point */
  long days;          /* runs: days in daily.csv; campaigns: days in daily_stats.csv */
  long cluster_days;  /* runs: days of the cluster's daily table */
  long budget_cycles; /* runs with an organisation: completed budget cycles in teams.csv */
} sim_results_info;

/* A figure: its file name without extension and what it shows, in plain words. */
typedef struct sim_figure {
  const char *name;
  const char *caption;
} sim_figure;

/* Reads what dir holds.  Returns 0, or -1 with a message on err naming what
 * was expected (dir missing, not a folder, not a burnsim results folder, a
 * campaign manifest without a valid kind). */
int sim_results_inspect(const char *dir, sim_results_info *info, FILE *err);

/* The figures a folder of this kind gets, in reading order: up to max of
 * them into figures.  Returns how many there are (which may exceed max).
 * A figure that would have nothing to show (a day-by-day figure of one day,
 * budget cycles compared when fewer than two have ended, intervals from one
 * replication) is not among them: sim_plot_skipped names it. */
size_t sim_plot_figures(const sim_results_info *info, sim_figure *figures, size_t max);

/* A figure left out, and why, in plain words ("needs two completed budget
 * cycles; this run has 1"). */
typedef struct sim_skipped_figure {
  const char *name;
  char why[160];
} sim_skipped_figure;

/* The figures a folder of this kind would get but that have nothing to show:
 * up to max of them into skipped.  Returns how many there are. */
size_t sim_plot_skipped(const sim_results_info *info, sim_skipped_figure *skipped, size_t max);

/* Says on out, one line each, which figures of the results folder dir are
 * not drawn and why (nothing when dir cannot be read: drawing says why). */
void sim_plot_say_skipped(const char *dir, FILE *out);

/* Draws every figure of the results folder dir in each of formats (a
 * NULL-terminated list of "png", "svg", "pdf"; NULL means PNG alone) into
 * dir/plots/.
 *
 * Each figure is drawn by its own gnuplot (several at once) into a staging
 * folder inside dir and moved into dir/plots/ only when its gnuplot
 * succeeded, so a figure is either complete or not there: a failed figure
 * leaves no file behind, and an earlier file of that name stays as it was.
 * Figures that were drawn are kept even if another one failed.
 *
 * Returns SIM_PLOT_DONE; SIM_PLOT_NO_GNUPLOT (nothing printed, nothing
 * touched: the caller says what that means for it); SIM_PLOT_BAD_FOLDER
 * (message on err, nothing touched); or SIM_PLOT_FAILED (for each failed
 * figure, a line naming it and gnuplot's own messages on err).  Safe to
 * call on a staging folder before it is committed (burnsim run). */
sim_plot_status sim_plot_folder(const char *dir, const char *const *formats, FILE *err);

/* One figure: the file it is drawn into (dir/plots/NAME.FMT), the script
 * that draws it (plots/SCRIPT.gp) and gnuplot statements run before it
 * after dir, out and fmt are set (NULL: none). */
typedef struct sim_plot_item {
  const char *name, *script, *setup;
} sim_plot_item;

/* Draws the items in each of formats (already known to be png, svg or pdf)
 * as sim_plot_folder draws a folder's figures, with the same statuses. */
sim_plot_status sim_plot_items(const char *dir, const sim_plot_item *items, size_t n, const char *const *formats,
                               FILE *err);

#endif
