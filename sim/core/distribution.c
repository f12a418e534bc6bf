/* sim/core/distribution.c - draws from configured distributions with GSL. */
#include "core/distribution.h"

#include <gsl/gsl_randist.h>
#include <math.h>

const char *const dist_kind_names[] = {"fixed",   "lognormal",   "gamma",  "normal",
                                       "uniform", "exponential", "pareto", NULL};

static double unclamped(const dist_cfg *d, gsl_rng *r) {
  switch (d->kind) {
  case DIST_LOGNORMAL: {
    /* exp of a ziggurat Gaussian: the same law as gsl_ran_lognormal, at a
     * third of the cost (it sits on the per-block hot path). */
    double s2 = log1p(d->cv * d->cv);
    return exp(log(d->mean) - 0.5 * s2 + gsl_ran_gaussian_ziggurat(r, sqrt(s2)));
  }
  case DIST_GAMMA:
    return gsl_ran_gamma(r, 1.0 / (d->cv * d->cv), d->mean * d->cv * d->cv);
  case DIST_NORMAL:
    return d->mean + gsl_ran_gaussian_ziggurat(r, d->sd);
  case DIST_UNIFORM: {
    double h = d->sd * sqrt(3.0);
    return gsl_ran_flat(r, d->mean - h, d->mean + h);
  }
  case DIST_EXPONENTIAL:
    return gsl_ran_exponential(r, d->mean);
  case DIST_PARETO:
    return gsl_ran_pareto(r, d->shape, d->mean * (d->shape - 1.0) / d->shape);
  default:
    return d->mean;
  }
}

double dist_draw(const dist_cfg *d, gsl_rng *r) {
  double x = unclamped(d, r);
  if (x < d->min) return d->min;
  if (x > d->max) return d->max;
  return x;
}

const char *dist_problem(const dist_cfg *d) {
  if (d->min > d->max) return "min is larger than max";
  switch (d->kind) {
  case DIST_LOGNORMAL:
  case DIST_GAMMA:
  case DIST_EXPONENTIAL:
  case DIST_PARETO:
    if (d->mean <= 0) return "this distribution needs a mean > 0";
    if ((d->kind == DIST_LOGNORMAL || d->kind == DIST_GAMMA) && d->cv <= 0)
      return "this distribution needs a cv > 0 (use dist = \"fixed\" for a constant)";
    if (d->kind == DIST_PARETO && d->shape <= 1)
      return "a Pareto distribution needs shape > 1 to have a mean";
    return 0;
  default:
    return 0;
  }
}
