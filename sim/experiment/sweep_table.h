/* sim/experiment/sweep_table.h - a finished sweep's table for the terminal.
 *
 * One line per sweep point and arm, in the order of the swept settings
 * (the first factor first), with the objective's mean and the half-width
 * of its interval and the share of tokens burned: the sweep's curve, read
 * down the table.  Everything comes from the campaign's stats.csv.
 */
#ifndef BURNSIM_EXPERIMENT_SWEEP_TABLE_H
#define BURNSIM_EXPERIMENT_SWEEP_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct exp_sweep_table {
  const char *dir;       /* the campaign folder */
  const char *objective; /* summary column the campaign is judged by */
  int minimise;          /* less of the objective is better */
  size_t reps;
  double confidence;
  size_t max_rows;       /* lines shown at most (stats.csv has them all) */
} exp_sweep_table;

/* Prints the table to out.  Returns 0, or -1 with a message on err. */
int exp_sweep_table_print(const exp_sweep_table *t, FILE *out, FILE *err);

#endif
