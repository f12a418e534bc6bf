/* sim/core/distribution.h - a configured random distribution, parametrised by its
 * mean and spread, drawn through GSL. */
#ifndef BURNSIM_DISTRIBUTION_H
#define BURNSIM_DISTRIBUTION_H

#include <gsl/gsl_rng.h>

enum dist_kind {
  DIST_FIXED = 0,       /* always the mean */
  DIST_LOGNORMAL = 1,   /* mean and cv */
  DIST_GAMMA = 2,       /* mean and cv */
  DIST_NORMAL = 3,      /* mean and sd */
  DIST_UNIFORM = 4,     /* mean and sd (half-width = sd * sqrt 3) */
  DIST_EXPONENTIAL = 5, /* mean */
  DIST_PARETO = 6       /* mean and shape (tail index > 1): heavy-tailed */
};

typedef struct dist_cfg {
  int kind; /* enum dist_kind */
  double mean;
  double cv;    /* lognormal, gamma: coefficient of variation, sd / mean */
  double sd;    /* normal, uniform: standard deviation */
  double shape; /* Pareto tail index */
  double min;   /* draws are clamped to [min, max] */
  double max;
} dist_cfg;

/* Names of the kinds, NULL-terminated, in enum order (for the schema). */
extern const char *const dist_kind_names[];

/* One draw from d using r. */
double dist_draw(const dist_cfg *d, gsl_rng *r);

/* Why d cannot be drawn from (e.g. a lognormal with mean <= 0), or NULL. */
const char *dist_problem(const dist_cfg *d);

#endif
