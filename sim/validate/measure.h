/* sim/validate/measure.h - what the names and functions of a check's expression mean.
 *
 * Everywhere (closed forms, computed by burnsim's own code):
 *   erlang_c(lambda, mu, c)          P(wait) of the M/M/c queue (sim/cluster/erlang.c)
 *   erlang_c_wait(lambda, mu, c)     its mean wait, in the unit of 1 / mu
 *   per_token_usd(tokens, usd_per_1M)            cost under per-token pricing
 *   rental_usd_per_mtok("model" [, usd_per_gpu_hour])  derived $ per 1M tokens at full
 *                                    load on the scenario's GPU kind (default: its rental price)
 *   gpu_hours_per_mtok("model"), kwh_per_mtok("model"), g_co2_per_mtok("model")
 *   pcg_vectors(32 or 64, "file")    reference records the generator reproduces
 *                                    (the file is relative to the targets folder)
 * In a run (a campaign's runs/NNNNNN folder):
 *   NAME                             the run's summary.csv column NAME
 *   cluster.NAME                     the cluster's summary column (cluster_summary.csv
 *                                    beside an organisation, else summary.csv)
 *   week_share(k)                    share of a budget cycle's spending in its last k
 *                                    weeks, over the cycles completed in the window
 *                                    (team_weeks.csv)
 */
#ifndef BURNSIM_VALIDATE_MEASURE_H
#define BURNSIM_VALIDATE_MEASURE_H

#include <stddef.h>

#include "validate/expr.h"
#include "config/scenario.h"

/* The files of one run, read once for all checks. */
typedef struct val_run_data val_run_data;

/* Reads the run folder dir.  Returns NULL with the reason in why. */
val_run_data *val_run_data_open(const char *dir, char *why, size_t n);
void val_run_data_free(val_run_data *d);

typedef struct val_env_ctx {
  const scenario *s;        /* for the catalogue and the GPU kind */
  const char *targets_dir;  /* reference files are relative to it ("" or ending in '/') */
  val_run_data *run;        /* NULL outside a run */
} val_env_ctx;

/* The environment of c (which must outlive it). */
val_expr_env val_env(val_env_ctx *c);

/* Whether e names anything only a run has (a column, week_share). */
int val_expr_needs_run(const val_expr *e);

/* How many of the reference records of a PCG vector file (pcg32 or pcg64
 * by bits) burnsim's generator reproduces, out of the procedure's
 * *records (sim/core/pcg_vectors.h): -1 with the reason in why when the
 * file cannot be read. */
int val_pcg_vectors(int bits, const char *path, int *matched, int *records, char *why, size_t n);

#endif
