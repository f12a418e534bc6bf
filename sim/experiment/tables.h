/* sim/experiment/tables.h - a finished campaign's tables, assembled from its runs.
 *
 * Reads runs/NNNNNN/summary.csv (and daily.csv) in run order and writes
 *   summary.csv      one row per run: its design, then its own summary row
 *   stats.csv        per point, arm and metric: n, mean, sd, CI, replications needed
 *   paired.csv       per point, arm and metric: arm minus baseline, paired by seed
 *   daily_stats.csv  per arm, day and metric (campaigns with one point)
 * Only one sweep point's values are held at a time.  Every number comes
 * from the files, so the tables are identical however the runs were
 * scheduled, interrupted or resumed.
 */
#ifndef BURNSIM_EXPERIMENT_TABLES_H
#define BURNSIM_EXPERIMENT_TABLES_H

#include <stdio.h>

#include "experiment/design.h"

typedef struct exp_table_settings {
  const char *dir;        /* the campaign folder */
  const char *provenance; /* first line of every table */
  double confidence;      /* of the intervals */
  double target_half_width; /* relative to |mean|, for replications needed */
  const char *objective;    /* summary column the arms are ranked by */
  int minimise;             /* less of the objective is better */
  FILE *ranking;            /* where the ranking of the arms goes, or NULL */
} exp_table_settings;

/* Writes the tables and, for a campaign with one point, prints the arms
 * ranked by the objective (mean with its interval, and the paired
 * difference from the baseline) to t->ranking.  Returns 0, or -1 with a
 * message on err (nothing half-written). */
int exp_tables_write(const exp_design *d, const exp_table_settings *t, FILE *err);

/* runs/NNNNNN: the folder of one run, relative to the campaign folder. */
void exp_run_folder(size_t run, char *out, size_t n);

#endif
