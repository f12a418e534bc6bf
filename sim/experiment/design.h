/* sim/experiment/design.h - the runs of a campaign: sweep points x replications x arms.
 *
 * A campaign runs every arm (the baseline first) at every sweep point, each
 * replication with its own seed.  Runs are numbered point-major, then by
 * replication, then by arm:
 *   run = (point * replications + replication) * arms + arm
 * so the arms of one replication sit together, which lets the paired
 * differences be computed while reading the runs in order.  The seed of a
 * run depends on the master seed and its replication only: every arm and
 * every sweep point of replication r uses the same seed (common random
 * numbers), so differences between arms are not buried in seed noise.
 */
#ifndef BURNSIM_EXPERIMENT_DESIGN_H
#define BURNSIM_EXPERIMENT_DESIGN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/scenario.h"

typedef enum exp_kind { EXP_REPLICATIONS = 0, EXP_COMPARE = 1, EXP_SWEEP = 2 } exp_kind;

extern const char *const exp_kind_names[]; /* "replications", "compare", "sweep" */

typedef struct exp_design {
  exp_kind kind;
  size_t points, reps, arms, factors;
  uint64_t master_seed;
  const char *factor_keys[SCN_MAX_FACTORS];
  int factor_integer[SCN_MAX_FACTORS]; /* integer keys take rounded values */
  double *values;                      /* points x factors, as applied */
  double *unit;                        /* the same in the unit cube, before scaling and
                                          rounding (NULL for a grid) */
  int method;                          /* enum scn_sweep_method of a sweep */
  size_t base_samples;                 /* experiment.sweep.points: saltelli's base samples,
                                          morris's trajectories */
  const char *arm_names[SCN_MAX_ARMS + 1];
  const char *arm_changes[SCN_MAX_ARMS + 1]; /* "" for the baseline */
} exp_design;

/* Lays out the campaign of s (which must outlive the design) for kind,
 * with reps replications.  Returns 0, or -1 with a message on err (no arms
 * to compare, no factors to sweep, out of memory). */
int exp_design_init(exp_design *d, const scenario *s, exp_kind kind, size_t reps, FILE *err);
void exp_design_free(exp_design *d);

size_t exp_design_runs(const exp_design *d);
void exp_design_locate(const exp_design *d, size_t run, size_t *point, size_t *rep, size_t *arm);
size_t exp_design_run(const exp_design *d, size_t point, size_t rep, size_t arm);
/* Seed of every run of replication rep (a non-negative 63-bit integer). */
uint64_t exp_design_seed(const exp_design *d, size_t rep);
double exp_design_value(const exp_design *d, size_t point, size_t factor);
/* A unit-interval coordinate u mapped onto the factor's range, evenly in
 * the value or, on a log scale, in its logarithm. */
double exp_factor_spread(const scn_factor *f, double u);

/* The scenario of one run: base with the point's values, the arm's
 * changes and the run's seed.  Returns 0, or the number of errors
 * (written to err). */
int exp_design_scenario(const exp_design *d, const scenario *base, size_t run, scenario *out, FILE *err);

/* Writes design.csv's header and rows (run, point, factors, arm,
 * replication, seed) to f, after a provenance line. */
void exp_design_write(const exp_design *d, const char *provenance, FILE *f);

#endif
