/* sim/validate/verdict.c - pass, fail or inconclusive, from an interval and a band. */
#include "validate/verdict.h"

#include <math.h>

#include "experiment/stats.h"

const char *val_verdict_name(val_verdict v) {
  return v == VAL_PASS ? "pass" : v == VAL_FAIL ? "fail" : "inconclusive";
}

val_verdict val_worse(val_verdict a, val_verdict b) {
  return a > b ? a : b;
}

val_estimate val_estimate_of(const double *x, size_t n, double confidence) {
  val_estimate e = {.n = n, .mean = NAN, .sd = NAN, .lo = NAN, .hi = NAN};
  if (n == 0) {
    e.mean = e.lo = e.hi = x[0];
    e.sd = 0;
    return e;
  }
  exp_moments m = {0};
  for (size_t i = 0; i < n; i++) exp_moments_add(&m, x[i]);
  e.mean = m.mean;
  e.sd = exp_moments_sd(&m);
  double half = exp_ci_half_width(n, e.sd, confidence);
  e.lo = e.mean - half;
  e.hi = e.mean + half;
  return e;
}

val_verdict val_decide(const val_estimate *e, double low, double high, int open, double confidence, size_t cap,
                       size_t *reps_needed) {
  if (reps_needed) *reps_needed = 0;
  if (isnan(e->mean) || isnan(low) || isnan(high)) return VAL_FAIL;
  /* One replication of a random quantity has no interval: undecided. */
  if (e->n == 1 || isnan(e->lo) || isnan(e->hi)) return VAL_INCONCLUSIVE;
  if (open ? e->lo > low && e->hi < high : e->lo >= low && e->hi <= high) return VAL_PASS;
  if (open ? e->hi <= low || e->lo >= high : e->hi < low || e->lo > high) return VAL_FAIL;
  if (reps_needed && e->n >= 2 && e->sd > 0) {
    /* The interval decides once its half-width is below the distance from
     * the mean to the nearest edge (inside: to stay in; outside: to clear
     * the edge it is beyond). */
    int inside = e->mean >= low && e->mean <= high;
    double dist = inside ? fmin(e->mean - low, high - e->mean) : e->mean < low ? low - e->mean : e->mean - high;
    /* A strict inequality: an interval touching the edge still straddles it. */
    *reps_needed = dist > 0 ? exp_reps_needed(e->sd, dist * (1 - 1e-12), confidence, cap) : cap;
  }
  return VAL_INCONCLUSIVE;
}
