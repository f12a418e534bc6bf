/* policies/kpi_threshold.c - the expected prize of a threshold reward under uncertainty.
 *
 * Rank rewards (a leaderboard's top K) and target rewards (spend at least
 * X) both pay a prize when the final score reaches a threshold.  Seen from
 * inside the review, the final score is uncertain: normal around its
 * projection with sd = spread.  Adding `add` to the score shifts that
 * normal, and the expected prize changes by
 *     prize * (Phi((projected + add - threshold) / spread)
 *            - Phi((projected - threshold) / spread)).
 * This is Lazear and Rosen's tournament margin: the incentive is the noise
 * density near the threshold times the prize, so it is largest for scores
 * close to the threshold and vanishes far below or far above it.
 */
#include <math.h>

#include <gsl/gsl_cdf.h>

#include "policies/kpi.h"

/* P(score >= threshold) when the score is known exactly: reaching the
 * threshold wins, as "spend at least X" does. */
static double step(double x) {
  return x >= 0.0 ? 1.0 : 0.0;
}

double kpi_threshold_gain(double projected, double add, double threshold, double spread,
                          double prize) {
  /* An unknown (non-finite) threshold, or a guess so vague it is flat,
   * carries no incentive. */
  if (!isfinite(threshold) || !isfinite(projected) || !isfinite(add) || isnan(spread) ||
      spread == INFINITY || add == 0.0 || prize == 0.0)
    return 0.0;
  double from = projected - threshold;
  double to = from + add;
  if (spread <= 0.0) return prize * (step(to) - step(from));
  double z0 = from / spread, z1 = to / spread;
  /* Take the difference in the tail the two points lie in, where the
   * probabilities are small and keep their precision. */
  if (z0 + z1 > 0.0) return prize * (gsl_cdf_ugaussian_Q(z0) - gsl_cdf_ugaussian_Q(z1));
  return prize * (gsl_cdf_ugaussian_P(z1) - gsl_cdf_ugaussian_P(z0));
}
