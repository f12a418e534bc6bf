/* sim/experiment/stats.c - Welford moments, Student t and bootstrap intervals. */
#include "experiment/stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "core/rng.h"

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

/* The level quantile of data[0..n-1] as gsl_stats_quantile_from_sorted_data
 * gives it for the sorted data, by selection rather than a whole sort (the
 * values are reordered). */
static double quantile(double *data, size_t n, double level) {
  double at = level * (double)(n - 1);
  size_t k = (size_t)floor(at);
  if (k >= n - 1) return gsl_stats_max(data, 1, n);
  double low = gsl_stats_select(data, 1, n, k);
  double next = gsl_stats_min(data + k + 1, 1, n - k - 1); /* (selection leaves the larger ones after k) */
  return low + (at - (double)k) * (next - low);
}

int exp_bootstrap_interval(const double *x, size_t n, double confidence, size_t resamples, uint64_t seed,
                           uint64_t stream, double *lo, double *hi) {
  *lo = *hi = NAN;
  if (n < 2 || resamples < 2 || n > UINT32_MAX) return 0;
  size_t differ = 1;
  while (differ < n && x[differ] == x[0]) differ++;
  if (differ == n) { /* every resample's mean is that value */
    *lo = *hi = x[0];
    return 0;
  }
  double *means = malloc(resamples * sizeof *means);
  if (!means) return -1;
  pcg32_t rng;
  pcg32_seed(&rng, seed, stream);
  for (size_t b = 0; b < resamples; b++) {
    double sum = 0;
    for (size_t i = 0; i < n; i++) sum += x[pcg32_bounded(&rng, (uint32_t)n)];
    means[b] = sum / (double)n;
  }
  exp_moments m = {0};
  for (size_t i = 0; i < n; i++) exp_moments_add(&m, x[i]);
  /* Bias correction: where the sample mean falls among the resampled means
   * (ties count half), kept off the ends so its normal quantile is finite. */
  double below = 0;
  for (size_t b = 0; b < resamples; b++) below += means[b] < m.mean ? 1 : means[b] == m.mean ? 0.5 : 0;
  double share = below / (double)resamples, edge = 0.5 / (double)resamples;
  double z0 = gsl_cdf_ugaussian_Pinv(share < edge ? edge : share > 1 - edge ? 1 - edge : share);
  /* Acceleration from the jackknife: the leave-one-out means differ from
   * the mean by (x_i - mean) / (n - 1), and the scale cancels. */
  double s2 = 0, s3 = 0;
  for (size_t i = 0; i < n; i++) {
    double dev = x[i] - m.mean;
    s2 += dev * dev;
    s3 += dev * dev * dev;
  }
  double accel = s2 > 0 ? s3 / (6 * pow(s2, 1.5)) : 0;
  /* The normal quantiles widened to Student's t with n - 1 degrees of
   * freedom and the sd's n - 1 ("expanded" bootstrap, Hesterberg 2015): a
   * resample's spread is the sample's with divisor n, too narrow for few
   * values. */
  double tail = (1 - confidence) / 2, ends[2], widen = sqrt((double)n / (double)(n - 1));
  for (int k = 0; k < 2; k++) {
    double z = z0 + widen * gsl_cdf_tdist_Pinv(k == 0 ? tail : 1 - tail, (double)(n - 1));
    double denom = 1 - accel * z; /* (not positive only for a skew no mean of resamples has) */
    double level = denom > 0 ? gsl_cdf_ugaussian_P(z0 + z / denom) : k == 0 ? 0 : 1;
    ends[k] = quantile(means, resamples, level);
  }
  *lo = ends[0];
  *hi = ends[1];
  free(means);
  return 0;
}

int exp_nonnegative_interval(const double *x, size_t n, double confidence, uint64_t seed, uint64_t stream,
                             double *lo, double *hi) {
  if (n >= EXP_BOOTSTRAP_MIN_N)
    return exp_bootstrap_interval(x, n, confidence, EXP_BOOTSTRAP_RESAMPLES, seed, stream, lo, hi);
  exp_moments m = {0};
  for (size_t i = 0; i < n; i++) exp_moments_add(&m, x[i]);
  double half = exp_ci_half_width(m.n, exp_moments_sd(&m), confidence);
  *lo = m.mean - half > 0 ? m.mean - half : isnan(half) ? NAN : 0;
  *hi = m.mean + half;
  return 0;
}
