/* sim/experiment/stats.h - estimates across replications: means, intervals, pairing.
 *
 * Accumulators use Welford's update, so a campaign's statistics are
 * computed in one pass over its runs without holding them.  Intervals are
 * Student t intervals from GSL's t quantiles, but for the mean of a
 * quantity that cannot be negative: there a symmetric t interval on skewed
 * data reaches below zero, so it is a bootstrap (BCa) interval
 * (docs/experiments.md).
 */
#ifndef BURNSIM_EXPERIMENT_STATS_H
#define BURNSIM_EXPERIMENT_STATS_H

#include <stddef.h>
#include <stdint.h>

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

/* Bootstrap interval of the mean of x[0..n-1], bias-corrected and accelerated
 * (BCa, Efron 1987): quantiles of the means of `resamples` resamples drawn with
 * replacement by pcg32 (seed, stream), at levels shifted for the bias and the
 * skew of the mean, so the same data and seed give the same interval.  Being
 * quantiles of resampled means, its ends lie within [min x, max x].  NaN ends
 * when n < 2.  Returns 0, or -1 when out of memory. */
int exp_bootstrap_interval(const double *x, size_t n, double confidence, size_t resamples, uint64_t seed,
                           uint64_t stream, double *lo, double *hi);

/* Below this many values the bootstrap is too narrow (with 2 values it
 * covers the mean about half the time), so a quantity that cannot be negative gets
 * the t interval with its lower end raised to 0: as the mean is not negative,
 * that keeps the t interval's coverage. */
enum { EXP_BOOTSTRAP_MIN_N = 10, EXP_BOOTSTRAP_RESAMPLES = 2000 };

/* The interval of the mean of a quantity that cannot be negative (x all >= 0 and finite):
 * the bootstrap interval from EXP_BOOTSTRAP_MIN_N values on, else the t
 * interval from 0.  Never below 0.  Returns 0, or -1 when out of memory. */
int exp_nonnegative_interval(const double *x, size_t n, double confidence, uint64_t seed, uint64_t stream,
                             double *lo, double *hi);

#endif
