/* sim/experiment/stats.h - estimates across replications: means, intervals, pairing.
 *
 * Accumulators use Welford's update, so a campaign's statistics are
 * computed in one pass over its runs without holding them.  Intervals are
 * Student t intervals from GSL's t quantiles.
 */
#ifndef BURNSIM_EXPERIMENT_STATS_H
#define BURNSIM_EXPERIMENT_STATS_H

#include <stddef.h>

/* Running mean and sum of squared deviations of the values added so far. */
typedef struct exp_moments {
  size_t n;
  double mean, m2;
} exp_moments;

void exp_moments_add(exp_moments *m, double x);
/* Sample standard deviation (n - 1 in the denominator); NaN when n < 2. */
double exp_moments_sd(const exp_moments *m);

/* Half-width of the two-sided confidence interval of the mean at level
 * confidence (e.g. 0.95): t(n-1) * sd / sqrt(n).  NaN when n < 2. */
double exp_ci_half_width(size_t n, double sd, double confidence);

/* Smallest number of replications whose interval half-width would be at
 * most target, taking sd as known: the least n >= 2 with
 * t(n-1) * sd / sqrt(n) <= target.  0 when sd is NaN or target is not
 * positive; capped at max_n (returned as is when not reached). */
size_t exp_reps_needed(double sd, double target, double confidence, size_t max_n);

/* Half-width of the Welch interval for the difference of two means from
 * independent samples of sizes na and nb: what the same comparison would
 * give without common random numbers.  NaN when either size is < 2. */
double exp_welch_half_width(size_t na, double sda, size_t nb, double sdb, double confidence);

#endif
