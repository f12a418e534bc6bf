/* sim/experiment/sensitivity.h - global sensitivity indices of a finished sweep.
 *
 * A sweep whose method is saltelli or morris (design.h) is a sensitivity
 * design; once its runs are done, the campaign's summary.csv holds every
 * run's outputs and this module turns them into indices:
 *   saltelli  Sobol first-order indices S1 (Saltelli et al. 2010, eq. (b)
 *             of table 2) and total indices ST (Jansen 1999), each output's
 *             variance taken over the A and B samples
 *   morris    elementary effects (Morris 1991): mu* (the mean absolute
 *             effect), mu and sigma, in units of the output per unit of
 *             the factor's range (of its logarithm on a log scale)
 * Each point's replications share their seeds with every other point's
 * (common random numbers) and are averaged first; the seed noise left in
 * those averages is reported beside the indices.  Intervals are bootstrap
 * percentile intervals over the base samples (saltelli) or trajectories
 * (morris), drawn from the master seed, so they repeat exactly.  Files:
 *   indices.csv   arm, output, factor, index (S1, ST, mu_star, mu, sigma),
 *                 estimate, ci_low, ci_high, half_width, target_half_width,
 *                 converged, samples, samples_needed
 *   variance.csv  arm, output, points, replications, mean, variance,
 *                 noise_variance, noise_share
 */
#ifndef BURNSIM_EXPERIMENT_SENSITIVITY_H
#define BURNSIM_EXPERIMENT_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "experiment/design.h"
#include "config/scenario.h"

/* An index with its bootstrap interval. */
typedef struct exp_index {
  double estimate, low, high;
} exp_index;

/* How the intervals are drawn. */
typedef struct exp_bootstrap {
  size_t resamples;
  double confidence; /* e.g. 0.95 */
  uint64_t seed;     /* master seed of the campaign */
  uint64_t stream;   /* which of its streams */
} exp_bootstrap;

/* Sobol indices from the outputs y of Saltelli's design with n base
 * samples and k factors (y[j * (k + 2) + m]: m = 0 for A_j, 1 for B_j,
 * 2 + i for A_j with factor i from B_j).  Fills s1[k] and st[k].  Returns
 * 0, or -1 when out of memory or the output does not vary (every index is
 * then NaN). */
int exp_sobol_indices(const double *y, size_t n, size_t k, const exp_bootstrap *b, exp_index *s1,
                      exp_index *st);

/* Morris effects from the outputs y of r trajectories of k + 1 points
 * each, whose unit-cube coordinates are unit (one row of k per point).
 * Fills mu_star[k] (with its interval), mu[k] and sigma[k].  Returns 0, or
 * -1 when out of memory or a trajectory does not move one factor per step. */
int exp_morris_effects(const double *y, const double *unit, size_t r, size_t k, const exp_bootstrap *b,
                       exp_index *mu_star, double *mu, double *sigma);

/* Whether a campaign of d is a sensitivity design. */
int exp_is_sensitivity(const exp_design *d);

/* Reads dir/summary.csv of a finished sensitivity campaign of d (the
 * scenario s), writes indices.csv and variance.csv into dir (atomically,
 * each starting with the provenance line) and, when out is not NULL,
 * prints each output's factors ranked, in plain words.  Returns 0, or -1
 * with a message on err. */
int exp_sensitivity_write(const exp_design *d, const scenario *s, const char *dir, const char *provenance,
                          FILE *out, FILE *err);

#endif
