/* sim/experiment/calibrate.h - fitting a scenario's free parameters to known values.
 *
 * A method of simulated moments (McFadden 1989): the free parameters are
 * the factors of experiment.sweep (their ranges bound the search), the
 * moments are the summary columns of experiment.calibration.targets, and
 * the distance of a parameter set is
 *   D = sqrt(sum_i w_i z_i^2 / sum_i w_i),  z_i = (m_i - v_i) / (tol_i |v_i|)
 * with m_i the mean of the target's column over R replications on the
 * campaign's replication seeds (the same seeds for every parameter set,
 * so D is a deterministic function of the parameters), v_i its value and
 * tol_i its relative tolerance.  A set fits when every |z_i| <= 1.  GSL's
 * Nelder-Mead simplex (gsl_multimin_fminimizer_nmsimplex2) minimises D in
 * the unit cube of the factors' ranges from `starts` points of a Sobol
 * sequence, each search on its own thread; each search's path depends on
 * nothing but the scenario, so the results are the same for any thread
 * count.  A calibration folder holds
 *   manifest.cfg     how it was made (kind "calibration"; complete)
 *   scenario.cfg     the resolved scenario
 *   search-NN.csv    each search's evaluations, as it goes (--resume
 *                    replays them instead of running them again)
 *   evaluations.csv  every evaluation of every search, in order
 *   fit.csv          each target: value, tolerance, the best set's
 *                    estimate with its interval over the replications, z
 *   parameters.csv   each factor: the best value, and its range over the
 *                    sets that fit (pinned when narrow, free when not)
 *   outputs.csv      experiment.calibration.outputs over the sets that fit
 *   calibrated.cfg   the scenario at the best set, for burnsim run
 */
#ifndef BURNSIM_EXPERIMENT_CALIBRATE_H
#define BURNSIM_EXPERIMENT_CALIBRATE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "io/manifest.h"
#include "config/scenario.h"

typedef struct exp_calibrate_options {
  size_t reps;     /* 0: experiment.replications */
  size_t threads;  /* 0: one per online core */
  const char *dir; /* the calibration folder */
  int force;       /* replace dir if burnsim wrote it */
  int resume;      /* complete the calibration in dir */
  int quiet;       /* no progress, no table */
  const sim_invocation *inv;
  const volatile sig_atomic_t *cancel;
} exp_calibrate_options;

/* Runs the calibration of s.  Returns 0 when it is complete, 1 when a run
 * failed or it was interrupted (the searches' files are kept for
 * --resume), 2 for bad input (nothing run); messages go to err. */
int exp_calibrate_run(const scenario *s, const exp_calibrate_options *o, FILE *err);

#endif
