/* sim/experiment/campaign.h - running a campaign: many runs, one folder.
 *
 * A campaign folder holds manifest.cfg (the plan, and whether it is
 * complete), scenario.cfg, design.csv (every run's point, arm and seed),
 * runs/NNNNNN/ (each run's complete results folder, moved into place when
 * the run finishes) and, once every run is there, the tables of tables.h.
 * Runs are spread over threads, and over MPI ranks when started by mpirun;
 * what is written does not depend on either.  An interrupted campaign
 * keeps its finished runs, and the same command with --resume runs only
 * the missing ones.
 */
#ifndef BURNSIM_EXPERIMENT_CAMPAIGN_H
#define BURNSIM_EXPERIMENT_CAMPAIGN_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "experiment/design.h"
#include "io/manifest.h"
#include "config/scenario.h"

typedef struct exp_options {
  exp_kind kind;
  size_t reps;     /* 0: the scenario's experiment.replications */
  size_t threads;  /* per rank; 0: one per online core */
  const char *dir; /* the campaign folder */
  int force;       /* replace dir if it holds burnsim results */
  int resume;      /* complete the campaign in dir */
  int quiet;       /* no progress line, no closing message */
  const sim_invocation *inv;
  const volatile sig_atomic_t *cancel; /* set by a signal: stop, keep finished runs */
} exp_options;

/* Runs the campaign of s.  Returns 0 when every run is done and the
 * tables are written, 1 when runs failed or were interrupted (finished
 * ones are kept), 2 for bad input (nothing run); messages go to err. */
int exp_campaign_run(const scenario *s, const exp_options *o, FILE *err);

#endif
