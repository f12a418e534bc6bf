/* sim/experiment/design.c - sweep points, arms, replications and their seeds. */
#include "experiment/design.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/output.h"
#include "core/rng.h"
#include "run.h"

const char *const exp_kind_names[] = {"replications", "compare", "sweep"};

/* A unit-interval coordinate u mapped onto a factor's range. */
double exp_factor_spread(const scn_factor *f, double u) {
  if (f->scale == SCN_SCALE_LOG) return exp(log(f->min) + u * (log(f->max) - log(f->min)));
  return f->min + u * (f->max - f->min);
}

static void grid_points(exp_design *d, const scn_sweep *w) {
  /* The first factor varies slowest, as in nested loops written in order. */
  for (size_t p = 0; p < d->points; p++) {
    size_t rest = p;
    for (size_t k = d->factors; k-- > 0;) {
      size_t n = w->factors[k].n_values;
      d->values[p * d->factors + k] = w->factors[k].values[rest % n];
      rest /= n;
    }
  }
}

/* Latin hypercube: each factor's range cut into `points` equal strata (in
 * the factor's scale), one point per stratum, strata matched across
 * factors by independent random permutations, a uniform position within
 * each stratum.  Drawn from the master seed's experiment stream of each
 * factor, so a design is repeatable. */
static int lhs_points(exp_design *d) {
  size_t n = d->points;
  size_t *perm = malloc(n * sizeof *perm);
  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  if (!perm || !r) {
    free(perm);
    if (r) gsl_rng_free(r);
    return -1;
  }
  for (size_t k = 0; k < d->factors; k++) {
    sim_rng_stream_seed(r, d->master_seed, k, SIM_RNG_EXPERIMENT);
    for (size_t i = 0; i < n; i++) perm[i] = i;
    gsl_ran_shuffle(r, perm, n, sizeof *perm);
    for (size_t i = 0; i < n; i++)
      d->unit[i * d->factors + k] = ((double)perm[i] + gsl_rng_uniform(r)) / (double)n;
  }
  gsl_rng_free(r);
  free(perm);
  return 0;
}

/* Points of the unit cube, one row of d->factors per point, spread onto
 * the factors' ranges. */
static void spread_unit(exp_design *d, const scn_sweep *w) {
  for (size_t p = 0; p < d->points; p++)
    for (size_t k = 0; k < d->factors; k++)
      d->values[p * d->factors + k] = exp_factor_spread(&w->factors[k], d->unit[p * d->factors + k]);
}

/* Sobol points from GSL's generator, in its order (the first is the
 * centre of the cube for every factor). */
static int sobol_points(exp_design *d) {
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)d->factors);
  if (!q) return -1;
  for (size_t p = 0; p < d->points; p++) gsl_qrng_get(q, &d->unit[p * d->factors]);
  gsl_qrng_free(q);
  return 0;
}

/* Saltelli's design (Saltelli et al. 2010): base samples A_j and B_j are
 * the two halves of the j-th point of a 2k-dimensional Sobol sequence, and
 * each block of k + 2 points is A_j, B_j, then A_j with factor i taken from
 * B_j for each i.  The sequence's first point (the centre, the same for A
 * and B, so it adds nothing to any estimator) is skipped. */
static int saltelli_points(exp_design *d) {
  size_t k = d->factors, block = k + 2;
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
  if (!q) return -1;
  double u[2 * SCN_MAX_FACTORS];
  gsl_qrng_get(q, u);
  for (size_t j = 0; j < d->base_samples; j++) {
    gsl_qrng_get(q, u);
    double *a = &d->unit[j * block * k], *b = a + k;
    memcpy(a, u, k * sizeof *u);
    memcpy(b, u + k, k * sizeof *u);
    for (size_t i = 0; i < k; i++) {
      double *ab = a + (2 + i) * k;
      memcpy(ab, a, k * sizeof *u);
      ab[i] = b[i];
    }
  }
  gsl_qrng_free(q);
  return 0;
}

/* Morris trajectories (Morris 1991): each factor lives on a grid of p
 * levels 0, 1/(p-1), ..., 1 and moves once per trajectory by Delta =
 * p / (2 (p - 1)), up or down, in a random order, from a random start;
 * each block of k + 1 points is one trajectory.  Drawn from the master
 * seed's experiment stream MORRIS_STREAM, so a design is repeatable. */
#define MORRIS_STREAM (UINT64_C(1) << 32)
static int morris_points(exp_design *d, const scn_sweep *w) {
  size_t k = d->factors, block = k + 1, levels = (size_t)w->levels, half = levels / 2;
  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  if (!r) return -1;
  sim_rng_stream_seed(r, d->master_seed, MORRIS_STREAM, SIM_RNG_EXPERIMENT);
  for (size_t t = 0; t < d->base_samples; t++) {
    size_t level[SCN_MAX_FACTORS], order[SCN_MAX_FACTORS];
    int up[SCN_MAX_FACTORS];
    for (size_t i = 0; i < k; i++) {
      size_t low = (size_t)gsl_rng_uniform_int(r, half);
      up[i] = gsl_rng_uniform(r) < 0.5;
      level[i] = up[i] ? low : low + half;
      order[i] = i;
    }
    gsl_ran_shuffle(r, order, k, sizeof order[0]);
    for (size_t m = 0; m < block; m++) {
      if (m > 0) {
        size_t i = order[m - 1];
        level[i] = up[i] ? level[i] + half : level[i] - half;
      }
      for (size_t i = 0; i < k; i++) d->unit[(t * block + m) * k + i] = (double)level[i] / (double)(levels - 1);
    }
  }
  gsl_rng_free(r);
  return 0;
}

int exp_design_init(exp_design *d, const scenario *s, exp_kind kind, size_t reps, FILE *err) {
  memset(d, 0, sizeof *d);
  const scn_experiment *e = &s->experiment;
  d->kind = kind;
  d->reps = reps;
  d->master_seed = e->master_seed >= 0 ? (uint64_t)e->master_seed : (uint64_t)s->seed;
  d->arms = 1;
  d->arm_names[0] = e->baseline;
  d->arm_changes[0] = "";
  if (kind != EXP_REPLICATIONS) {
    for (size_t a = 0; a < e->n_arms; a++) {
      d->arm_names[d->arms] = e->arms[a].name;
      d->arm_changes[d->arms++] = e->arms[a].set;
    }
  }
  if (kind == EXP_COMPARE && e->n_arms == 0) {
    fprintf(err, "burnsim: %s declares no arms to compare; add experiment.arms, e.g.\n"
                 "  experiment = { arms = ( { name = \"no_kpi\"; set = \"kpi.type=none\"; } ); };\n",
            s->name);
    return -1;
  }
  int known = 0;
  for (const char *const *c = sim_run_summary_columns(s); *c && !known; c++) known = strcmp(*c, e->objective) == 0;
  if (!known) {
    fprintf(err, "burnsim: %s: experiment.objective: expected a column of the runs' summary.csv (docs/output.md), "
                 "e.g. \"net_value\", \"burn_share\" or \"usd_burn\", found \"%s\"\n",
            s->name, e->objective);
    return -1;
  }
  const scn_sweep *w = &e->sweep;
  d->points = 1;
  if (kind == EXP_SWEEP) {
    if (w->n_factors == 0) {
      fprintf(err, "burnsim: %s declares nothing to sweep; add experiment.sweep.factors, e.g.\n"
                   "  experiment = { sweep = { factors = ( { key = \"kpi.token_weight\"; "
                   "values = [0.0, 0.5, 1.0]; } ); }; };\n",
              s->name);
      return -1;
    }
    d->factors = w->n_factors;
    d->method = w->method;
    d->base_samples = (size_t)w->points;
    if (w->method == SCN_SWEEP_GRID)
      for (size_t k = 0; k < d->factors; k++) {
        if (w->factors[k].n_values == 0) { /* (a calibration's ranges: the loader allows them) */
          fprintf(err, "burnsim: %s: experiment.sweep.factors.[%zu].values: a grid sweep needs at least one "
                       "value, found none (or use method = \"lhs\" to sample its range)\n", s->name, k);
          return -1;
        }
        d->points *= w->factors[k].n_values;
      }
    else if (w->method == SCN_SWEEP_SALTELLI)
      d->points = d->base_samples * (d->factors + 2);
    else if (w->method == SCN_SWEEP_MORRIS)
      d->points = d->base_samples * (d->factors + 1);
    else
      d->points = d->base_samples;
    for (size_t k = 0; k < d->factors; k++) {
      d->factor_keys[k] = w->factors[k].key;
      const simc_key *key = simc_find_key(&scenario_schema, w->factors[k].key);
      d->factor_integer[k] = key && key->type == SIMC_INT;
    }
    d->values = malloc(d->points * d->factors * sizeof *d->values);
    d->unit = w->method == SCN_SWEEP_GRID ? NULL : malloc(d->points * d->factors * sizeof *d->unit);
    int rc = -1;
    if (d->values && w->method == SCN_SWEEP_GRID) {
      grid_points(d, w);
      rc = 0;
    } else if (d->values && d->unit) {
      switch (w->method) {
      case SCN_SWEEP_LHS: rc = lhs_points(d); break;
      case SCN_SWEEP_SOBOL: rc = sobol_points(d); break;
      case SCN_SWEEP_SALTELLI: rc = saltelli_points(d); break;
      default: rc = morris_points(d, w); break;
      }
      if (rc == 0) spread_unit(d, w);
    }
    if (rc != 0) {
      fprintf(err, "burnsim: out of memory for the sweep's %zu points\n", d->points);
      exp_design_free(d);
      return -1;
    }
    for (size_t i = 0; i < d->points * d->factors; i++)
      if (d->factor_integer[i % d->factors]) d->values[i] = (double)llround(d->values[i]);
  }
  return 0;
}

void exp_design_free(exp_design *d) {
  free(d->values);
  free(d->unit);
  d->values = d->unit = NULL;
}

size_t exp_design_runs(const exp_design *d) {
  return d->points * d->reps * d->arms;
}

void exp_design_locate(const exp_design *d, size_t run, size_t *point, size_t *rep, size_t *arm) {
  *arm = run % d->arms;
  *rep = run / d->arms % d->reps;
  *point = run / d->arms / d->reps;
}

size_t exp_design_run(const exp_design *d, size_t point, size_t rep, size_t arm) {
  return (point * d->reps + rep) * d->arms + arm;
}

/* Replication r's seed: the master seed and r mixed through SplitMix64,
 * kept to 63 bits so it is a valid seed key. */
uint64_t exp_design_seed(const exp_design *d, size_t rep) {
  return sim_rng_mix64(sim_rng_mix64(d->master_seed ^ ((uint64_t)SIM_RNG_EXPERIMENT << 56)) + rep) >> 1;
}

double exp_design_value(const exp_design *d, size_t point, size_t factor) {
  return d->values[point * d->factors + factor];
}

int exp_design_scenario(const exp_design *d, const scenario *base, size_t run, scenario *out, FILE *err) {
  size_t point, rep, arm;
  exp_design_locate(d, run, &point, &rep, &arm);
  *out = *base;
  /* A run is a single run: its scenario.cfg repeats it alone. */
  out->experiment.n_arms = 0;
  out->experiment.sweep.n_factors = 0;
  out->experiment.replications = 1;
  int errors = 0;
  for (size_t k = 0; k < d->factors; k++) {
    char text[SCN_KEY_LEN + 64];
    scenario_factor_setting(d->factor_keys[k], d->factor_integer[k], exp_design_value(d, point, k), text,
                            sizeof text);
    errors += scenario_apply(out, text, err);
  }
  errors += scenario_apply_changes(out, d->arm_changes[arm], err);
  out->seed = (int64_t)exp_design_seed(d, rep);
  return errors;
}

void exp_design_write(const exp_design *d, const char *provenance, FILE *f) {
  fprintf(f, "%s\nrun,point", provenance);
  for (size_t k = 0; k < d->factors; k++) fprintf(f, ",%s", d->factor_keys[k]);
  fputs(",arm,replication,seed\n", f);
  for (size_t run = 0; run < exp_design_runs(d); run++) {
    size_t point, rep, arm;
    exp_design_locate(d, run, &point, &rep, &arm);
    fprintf(f, "%zu,%zu", run, point);
    for (size_t k = 0; k < d->factors; k++) fprintf(f, ",%.10g", exp_design_value(d, point, k));
    fprintf(f, ",%s,%zu,%llu\n", d->arm_names[arm], rep, (unsigned long long)exp_design_seed(d, rep));
  }
}
