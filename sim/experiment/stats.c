/* sim/experiment/stats.c - Welford moments and Student t intervals. */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

void exp_moments_add(exp_moments *m, double x) {
  m->n++;
  double delta = x - m->mean;
  m->mean += delta / (double)m->n;
  m->m2 += delta * (x - m->mean);
}

double exp_moments_sd(const exp_moments *m) {
  return m->n < 2 ? NAN : sqrt(m->m2 / (double)(m->n - 1));
}

static double t_quantile(double df, double confidence) {
  return gsl_cdf_tdist_Pinv(0.5 + confidence / 2, df);
}

double exp_ci_half_width(size_t n, double sd, double confidence) {
  if (n < 2) return NAN;
  return t_quantile((double)(n - 1), confidence) * sd / sqrt((double)n);
}

size_t exp_reps_needed(double sd, double target, double confidence, size_t max_n) {
  if (isnan(sd) || !(target > 0)) return 0;
  /* The half-width falls monotonically in n; bisect for the first n that
   * reaches the target. */
  if (exp_ci_half_width(max_n, sd, confidence) > target) return max_n;
  size_t lo = 2, hi = max_n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (exp_ci_half_width(mid, sd, confidence) <= target)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

double exp_welch_half_width(size_t na, double sda, size_t nb, double sdb, double confidence) {
  if (na < 2 || nb < 2) return NAN;
  double va = sda * sda / (double)na, vb = sdb * sdb / (double)nb;
  double se2 = va + vb;
  if (se2 == 0) return 0;
  /* Welch-Satterthwaite degrees of freedom. */
  double df = se2 * se2 / (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1));
  /* When the variances' squares underflow, df is inf or nan; beyond about
   * 1e6 degrees of freedom t is the normal quantile to six digits, and
   * GSL's t quantile aborts for df near 1e15. */
  if (!(df < 1e6)) df = 1e6;
  return t_quantile(df, confidence) * sqrt(se2);
}
