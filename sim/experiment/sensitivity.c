/* sim/experiment/sensitivity.c - Sobol and Morris indices, bootstrap intervals, indices.csv. */
#include "experiment/sensitivity.h"

#include <errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_read.h"
#include "io/output.h"
#include "core/rng.h"
#include "experiment/stats.h"

/* Bootstrap streams: one per arm and output, apart from the design's. */
#define BOOTSTRAP_STREAM (UINT64_C(2) << 32)
/* indices.csv reports at most this many samples needed. */
#define SAMPLES_NEEDED_CAP 100000000.0

int exp_is_sensitivity(const exp_design *d) {
  return d->kind == EXP_SWEEP && (d->method == SCN_SWEEP_SALTELLI || d->method == SCN_SWEEP_MORRIS);
}

/* ---- estimators --------------------------------------------------------------- */

/* The Sobol indices of factor i over the base samples listed in rows
 * (n of them, with repeats when resampled), given the mean and variance
 * of their A and B outputs.  The outputs are centred first: a constant
 * leaves the S1 estimator unbiased (f(A_B^i) - f(A) has mean zero) but
 * adds mean x that difference to its variance, which for an output such
 * as net value (mean 3e7, sd 7e6) would swamp the index. */
static void sobol_of(const double *y, const size_t *rows, size_t n, size_t k, size_t i, const exp_moments *ab,
                     double *s1, double *st) {
  double first = 0, total = 0, v = ab->m2 / (double)ab->n;
  for (size_t r = 0; r < n; r++) {
    const double *b = &y[rows[r] * (k + 2)];
    double ya = b[0], yb = b[1] - ab->mean, yab = b[2 + i];
    first += yb * (yab - ya);
    total += (ya - yab) * (ya - yab);
  }
  *s1 = first / (double)n / v;
  *st = total / (2.0 * (double)n) / v;
}

/* Mean and variance of the A and B outputs of the listed base samples. */
static exp_moments ab_moments(const double *y, const size_t *rows, size_t n, size_t k) {
  exp_moments m = {0};
  for (size_t r = 0; r < n; r++) {
    exp_moments_add(&m, y[rows[r] * (k + 2)]);
    exp_moments_add(&m, y[rows[r] * (k + 2) + 1]);
  }
  return m;
}

/* The percentile interval of the values (sorted in place). */
static void percentile_interval(double *values, size_t n, double confidence, exp_index *out) {
  gsl_sort(values, 1, n);
  out->low = gsl_stats_quantile_from_sorted_data(values, 1, n, (1 - confidence) / 2);
  out->high = gsl_stats_quantile_from_sorted_data(values, 1, n, (1 + confidence) / 2);
}

static gsl_rng *bootstrap_rng(const exp_bootstrap *b) {
  return sim_rng_stream_alloc(sim_rng_pcg64, b->seed, b->stream, SIM_RNG_EXPERIMENT);
}

int exp_sobol_indices(const double *y, size_t n, size_t k, const exp_bootstrap *b, exp_index *s1,
                      exp_index *st) {
  for (size_t i = 0; i < k; i++) s1[i] = st[i] = (exp_index){NAN, NAN, NAN};
  size_t nb = b->resamples;
  size_t *rows = malloc(n * sizeof *rows);
  double *boot = malloc(2 * k * nb * sizeof *boot); /* resample x (S1, ST) x factor */
  gsl_rng *r = bootstrap_rng(b);
  int rc = rows && boot && r ? 0 : -1;
  if (rc == 0) {
    for (size_t j = 0; j < n; j++) rows[j] = j;
    exp_moments ab = ab_moments(y, rows, n, k);
    if (!(ab.m2 > 0)) rc = -1;
    for (size_t i = 0; rc == 0 && i < k; i++) sobol_of(y, rows, n, k, i, &ab, &s1[i].estimate, &st[i].estimate);
    /* Every index of one resample uses the same rows, as SALib does. */
    for (size_t t = 0; rc == 0 && t < nb; t++) {
      for (size_t j = 0; j < n; j++) rows[j] = (size_t)gsl_rng_uniform_int(r, n);
      exp_moments abt = ab_moments(y, rows, n, k);
      for (size_t i = 0; i < k; i++) {
        if (abt.m2 > 0)
          sobol_of(y, rows, n, k, i, &abt, &boot[(2 * i) * nb + t], &boot[(2 * i + 1) * nb + t]);
        else
          boot[(2 * i) * nb + t] = boot[(2 * i + 1) * nb + t] = 0; /* a resample of one repeated row */
      }
    }
    for (size_t i = 0; rc == 0 && i < k; i++) {
      percentile_interval(&boot[(2 * i) * nb], nb, b->confidence, &s1[i]);
      percentile_interval(&boot[(2 * i + 1) * nb], nb, b->confidence, &st[i]);
    }
  }
  if (r) gsl_rng_free(r);
  free(rows);
  free(boot);
  return rc;
}

/* The elementary effect of each step of trajectory t on the factor it
 * moves: ee[t * k + i].  Returns -1 when a step does not move exactly one
 * factor. */
static int elementary_effects(const double *y, const double *unit, size_t r, size_t k, double *ee) {
  for (size_t t = 0; t < r; t++) {
    for (size_t i = 0; i < k; i++) ee[t * k + i] = NAN;
    for (size_t m = 1; m <= k; m++) {
      const double *before = &unit[(t * (k + 1) + m - 1) * k], *after = before + k;
      size_t moved = k, count = 0;
      for (size_t i = 0; i < k; i++)
        if (after[i] != before[i]) {
          moved = i;
          count++;
        }
      if (count != 1 || !isnan(ee[t * k + moved])) return -1;
      ee[t * k + moved] = (y[t * (k + 1) + m] - y[t * (k + 1) + m - 1]) / (after[moved] - before[moved]);
    }
  }
  return 0;
}

static double mean_abs(const double *ee, const size_t *rows, size_t r, size_t k, size_t i) {
  double sum = 0;
  for (size_t t = 0; t < r; t++) sum += fabs(ee[rows[t] * k + i]);
  return sum / (double)r;
}

int exp_morris_effects(const double *y, const double *unit, size_t r, size_t k, const exp_bootstrap *b,
                       exp_index *mu_star, double *mu, double *sigma) {
  for (size_t i = 0; i < k; i++) {
    mu_star[i] = (exp_index){NAN, NAN, NAN};
    mu[i] = sigma[i] = NAN;
  }
  size_t nb = b->resamples;
  double *ee = malloc(r * k * sizeof *ee);
  size_t *rows = malloc(r * sizeof *rows);
  gsl_rng *rng = bootstrap_rng(b);
  int rc = ee && rows && rng ? elementary_effects(y, unit, r, k, ee) : -1;
  for (size_t t = 0; rc == 0 && t < r; t++) rows[t] = t;
  for (size_t i = 0; rc == 0 && i < k; i++) {
    exp_moments m = {0};
    for (size_t t = 0; t < r; t++) exp_moments_add(&m, ee[t * k + i]);
    mu[i] = m.mean;
    sigma[i] = exp_moments_sd(&m);
    mu_star[i].estimate = mean_abs(ee, rows, r, k, i);
  }
  /* Resample whole trajectories; one stream for every factor, in order. */
  double *all = rc == 0 ? malloc(k * nb * sizeof *all) : NULL;
  if (rc == 0 && !all) rc = -1;
  for (size_t t = 0; rc == 0 && t < nb; t++) {
    for (size_t j = 0; j < r; j++) rows[j] = (size_t)gsl_rng_uniform_int(rng, r);
    for (size_t i = 0; i < k; i++) all[i * nb + t] = mean_abs(ee, rows, r, k, i);
  }
  for (size_t i = 0; rc == 0 && i < k; i++) percentile_interval(&all[i * nb], nb, b->confidence, &mu_star[i]);
  if (rng) gsl_rng_free(rng);
  free(all);
  free(ee);
  free(rows);
  return rc;
}

/* ---- a campaign's indices ------------------------------------------------------ */

/* The outputs of every point, arm and analysed column, averaged over the
 * replications. */
typedef struct sweep_outputs {
  size_t points, arms, n_out;
  char names[SCN_MAX_OUTPUTS][SCN_NAME_LEN];
  exp_moments *m; /* [(arm * n_out + output) * points + point] */
} sweep_outputs;

static exp_moments *moments_at(const sweep_outputs *so, size_t arm, size_t out, size_t point) {
  return &so->m[(arm * so->n_out + out) * so->points + point];
}

static int read_outputs(const exp_design *d, const scenario *s, const char *dir, sweep_outputs *so, FILE *err) {
  memset(so, 0, sizeof *so);
  so->points = d->points;
  so->arms = d->arms;
  so->n_out = scenario_sensitivity_outputs(s, so->names, SCN_MAX_OUTPUTS);
  so->m = calloc(so->points * so->arms * so->n_out, sizeof *so->m);
  char *path = sim_path_join(dir, "summary.csv");
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  int rc = so->m && r ? 0 : -1;
  if (rc == 0 && !so->m) fprintf(err, "burnsim: out of memory\n");
  long column[SCN_MAX_OUTPUTS], point_column = r ? sim_csv_reader_find(r, "point") : -1;
  for (size_t o = 0; rc == 0 && o < so->n_out; o++) {
    column[o] = sim_csv_reader_find(r, so->names[o]);
    if (column[o] < 0) {
      fprintf(err, "burnsim: %s has no column %s (experiment.sensitivity.outputs)\n", path, so->names[o]);
      rc = -1;
    }
  }
  size_t run = 0, runs = exp_design_runs(d);
  int got;
  while (rc == 0 && (got = sim_csv_reader_next(r, err)) == 1) {
    size_t point, rep, arm;
    if (run < runs) exp_design_locate(d, run, &point, &rep, &arm);
    if (run >= runs || point_column < 0 || sim_csv_reader_number(r, (size_t)point_column) != (double)point) {
      fprintf(err, "burnsim: %s:%zu: expected the row of run %zu (point %zu), found another\n", path,
              sim_csv_reader_line(r), run, run < runs ? point : 0);
      rc = -1;
      break;
    }
    for (size_t o = 0; o < so->n_out; o++)
      exp_moments_add(moments_at(so, arm, o, point), sim_csv_reader_number(r, (size_t)column[o]));
    run++;
  }
  if (rc == 0 && (got < 0 || run != runs)) {
    if (got == 0) fprintf(err, "burnsim: %s holds %zu runs, expected %zu\n", path, run, runs);
    rc = -1;
  }
  if (r) sim_csv_reader_close(r);
  free(path);
  if (rc != 0) {
    free(so->m);
    so->m = NULL;
  }
  return rc;
}

/* Whether an index's interval is narrow enough, and the base samples
 * (or trajectories) that would make it so: the half-width shrinks as
 * 1 / sqrt(samples). */
typedef struct convergence {
  double half, target, needed;
  int converged;
} convergence;

static convergence converge(const exp_index *x, size_t samples, const scn_sensitivity *cfg) {
  convergence c = {.half = (x->high - x->low) / 2};
  c.target = fmax(cfg->target_share * fabs(x->estimate), cfg->negligible);
  c.converged = c.half <= c.target;
  double ratio = c.half / c.target;
  c.needed = c.converged ? (double)samples : fmin(ceil((double)samples * ratio * ratio), SAMPLES_NEEDED_CAP);
  if (!(c.target > 0) || isnan(c.half)) c.needed = NAN;
  return c;
}

static void index_row(sim_csv *c, const char *arm, const char *output, const char *factor, const char *index,
                      const exp_index *x, size_t samples, const scn_sensitivity *cfg) {
  sim_csv_str(c, arm);
  sim_csv_str(c, output);
  sim_csv_str(c, factor);
  sim_csv_str(c, index);
  sim_csv_float(c, x->estimate);
  sim_csv_float(c, x->low);
  sim_csv_float(c, x->high);
  if (isnan(x->low)) { /* mu and sigma: a value without an interval */
    for (int i = 0; i < 3; i++) sim_csv_float(c, NAN);
    sim_csv_str(c, "");
    sim_csv_uint(c, samples);
    sim_csv_float(c, NAN);
  } else {
    convergence v = converge(x, samples, cfg);
    sim_csv_float(c, v.half);
    sim_csv_float(c, v.target);
    sim_csv_str(c, v.converged ? "yes" : "no");
    sim_csv_uint(c, samples);
    sim_csv_float(c, v.needed);
  }
  sim_csv_end_row(c);
}

/* One arm and output: its indices, in design order. */
typedef struct analysis {
  exp_index first[SCN_MAX_FACTORS], total[SCN_MAX_FACTORS]; /* saltelli: S1, ST; morris: mu*, - */
  double mu[SCN_MAX_FACTORS], sigma[SCN_MAX_FACTORS];
  double mean, variance, noise_variance;
  size_t reps;
} analysis;

static int analyse(const exp_design *d, const scenario *s, const sweep_outputs *so, size_t arm, size_t out,
                   analysis *a, FILE *err) {
  memset(a, 0, sizeof *a);
  double *y = malloc(so->points * sizeof *y);
  if (!y) {
    fprintf(err, "burnsim: out of memory\n");
    return -1;
  }
  exp_moments over_points = {0}, noise = {0};
  for (size_t p = 0; p < so->points; p++) {
    const exp_moments *m = moments_at(so, arm, out, p);
    y[p] = m->mean;
    exp_moments_add(&over_points, m->mean);
    if (m->n > 1) exp_moments_add(&noise, m->m2 / (double)(m->n - 1) / (double)m->n);
    a->reps = m->n;
  }
  a->mean = over_points.mean;
  a->variance = exp_moments_sd(&over_points) * exp_moments_sd(&over_points);
  a->noise_variance = noise.n ? noise.mean : NAN;
  exp_bootstrap b = {.resamples = (size_t)s->experiment.sensitivity.bootstrap,
                     .confidence = s->experiment.confidence,
                     .seed = d->master_seed,
                     .stream = BOOTSTRAP_STREAM + arm * SCN_MAX_OUTPUTS + out};
  int rc = d->method == SCN_SWEEP_SALTELLI
               ? exp_sobol_indices(y, d->base_samples, d->factors, &b, a->first, a->total)
               : exp_morris_effects(y, d->unit, d->base_samples, d->factors, &b, a->first, a->mu, a->sigma);
  free(y);
  if (rc != 0 && d->method == SCN_SWEEP_MORRIS) {
    fprintf(err, "burnsim: out of memory for the Morris effects\n");
    return -1;
  }
  if (rc != 0 && !(a->variance > 0)) rc = 0; /* an output that does not vary: NaN indices, said below */
  if (rc != 0) fprintf(err, "burnsim: out of memory for the Sobol indices\n");
  return rc;
}

static const char *const index_columns[] = {"arm", "output", "factor", "index", "estimate", "ci_low", "ci_high",
                                            "half_width", "target_half_width", "converged", "samples",
                                            "samples_needed", NULL};
static const char *const variance_columns[] = {"arm",      "output",         "points",      "replications", "mean",
                                               "variance", "noise_variance", "noise_share", NULL};

static void write_rows(const exp_design *d, const scenario *s, const char *output, size_t arm,
                       const analysis *a, sim_csv *ic, sim_csv *vc) {
  const scn_sensitivity *cfg = &s->experiment.sensitivity;
  const char *arm_name = d->arm_names[arm];
  for (size_t i = 0; i < d->factors; i++) {
    const char *f = d->factor_keys[i];
    if (d->method == SCN_SWEEP_SALTELLI) {
      index_row(ic, arm_name, output, f, "S1", &a->first[i], d->base_samples, cfg);
      index_row(ic, arm_name, output, f, "ST", &a->total[i], d->base_samples, cfg);
    } else {
      index_row(ic, arm_name, output, f, "mu_star", &a->first[i], d->base_samples, cfg);
      index_row(ic, arm_name, output, f, "mu", &(exp_index){a->mu[i], NAN, NAN}, d->base_samples, cfg);
      index_row(ic, arm_name, output, f, "sigma", &(exp_index){a->sigma[i], NAN, NAN}, d->base_samples, cfg);
    }
  }
  sim_csv_str(vc, arm_name);
  sim_csv_str(vc, output);
  sim_csv_uint(vc, d->points);
  sim_csv_uint(vc, a->reps);
  sim_csv_float(vc, a->mean);
  sim_csv_float(vc, a->variance);
  sim_csv_float(vc, a->noise_variance);
  sim_csv_float(vc, a->noise_variance / a->variance);
  sim_csv_end_row(vc);
}

/* The factors of one analysis, most influential first. */
static void rank_factors(const exp_design *d, const analysis *a, size_t *order) {
  const exp_index *key = d->method == SCN_SWEEP_SALTELLI ? a->total : a->first;
  for (size_t i = 0; i < d->factors; i++) order[i] = i;
  for (size_t i = 1; i < d->factors; i++) /* insertion sort: stable, and at most 8 factors */
    for (size_t j = i; j > 0 && !(key[order[j]].estimate <= key[order[j - 1]].estimate); j--) {
      if (isnan(key[order[j]].estimate)) break;
      size_t t = order[j];
      order[j] = order[j - 1];
      order[j - 1] = t;
    }
}

/* An index as a share of variance, for words: within [0, 1]. */
static double share(double x) {
  return fmin(fmax(x, 0), 1);
}

static void print_analysis(const exp_design *d, const scenario *s, const char *output, size_t arm,
                           const analysis *a, FILE *out) {
  const scn_sensitivity *cfg = &s->experiment.sensitivity;
  double level = 100 * s->experiment.confidence;
  fprintf(out, "\n%s%s%s: mean %.4g, variance %.4g over %zu points", output, d->arms > 1 ? " in arm " : "",
          d->arms > 1 ? d->arm_names[arm] : "", a->mean, a->variance, d->points);
  if (a->reps > 1)
    fprintf(out, "; seed noise %.1f%% of it (%zu replications per point)\n",
            100 * a->noise_variance / a->variance, a->reps);
  else
    fprintf(out, "; seed noise not measured (1 replication per point: run with --reps 2 or more)\n");
  if (!(a->variance > 0)) {
    fprintf(out, "  it does not vary over the design, so no factor explains any of it\n");
    return;
  }
  size_t order[SCN_MAX_FACTORS], width = 6;
  rank_factors(d, a, order);
  for (size_t i = 0; i < d->factors; i++) width = strlen(d->factor_keys[i]) > width ? strlen(d->factor_keys[i]) : width;
  int sobol = d->method == SCN_SWEEP_SALTELLI;
  if (sobol)
    fprintf(out, "  %-*s  %-24s  %-24s  %.0f%% intervals\n", (int)width, "factor", "first order S1", "total ST", level);
  else
    fprintf(out, "  %-*s  %-30s  %-11s  %-11s\n", (int)width, "factor", "mu* (mean |effect|)", "mu", "sigma");
  for (size_t r = 0; r < d->factors; r++) {
    size_t i = order[r];
    char one[64], two[64];
    snprintf(one, sizeof one, "%.3f [%.3f, %.3f]", a->first[i].estimate, a->first[i].low, a->first[i].high);
    int converged = converge(&a->first[i], d->base_samples, cfg).converged;
    if (sobol) {
      snprintf(two, sizeof two, "%.3f [%.3f, %.3f]", a->total[i].estimate, a->total[i].low, a->total[i].high);
      converged = converged && converge(&a->total[i], d->base_samples, cfg).converged;
      fprintf(out, "  %-*s  %-24s  %-24s  %s\n", (int)width, d->factor_keys[i], one, two,
              converged ? "" : "not converged");
    } else {
      snprintf(one, sizeof one, "%.4g [%.4g, %.4g]", a->first[i].estimate, a->first[i].low, a->first[i].high);
      fprintf(out, "  %-*s  %-30s  %-11.4g  %-11.4g  %s\n", (int)width, d->factor_keys[i], one, a->mu[i], a->sigma[i],
              converged ? "" : "not converged");
    }
  }
  size_t top = order[0];
  if (sobol)
    fprintf(out, "  In words: %s explains %.0f-%.0f%% of the variance of %s on its own, and %.0f-%.0f%% with its "
                 "interactions.",
            d->factor_keys[top], 100 * share(a->first[top].low), 100 * share(a->first[top].high), output,
            100 * share(a->total[top].low), 100 * share(a->total[top].high));
  else
    fprintf(out, "  In words: %s has the largest effect: a step across its range moves %s by %.3g-%.3g on "
                 "average (mu*).",
            d->factor_keys[top], output, a->first[top].low, a->first[top].high);
  /* The widest gap to convergence among the intervals printed. */
  double needed = 0;
  for (size_t i = 0; i < d->factors; i++) {
    needed = fmax(needed, converge(&a->first[i], d->base_samples, cfg).needed);
    if (sobol) needed = fmax(needed, converge(&a->total[i], d->base_samples, cfg).needed);
  }
  if (needed > (double)d->base_samples)
    fprintf(out, "\n  Not every interval has converged: about %.0f %s would bring each within its target "
                 "(experiment.sweep.points).",
            needed, sobol ? "base samples" : "trajectories");
  fputc('\n', out);
}

int exp_sensitivity_write(const exp_design *d, const scenario *s, const char *dir, const char *provenance,
                          FILE *out, FILE *err) {
  sweep_outputs so;
  if (read_outputs(d, s, dir, &so, err) != 0) return -1;
  char *ipath = sim_path_join(dir, "indices.csv"), *vpath = sim_path_join(dir, "variance.csv");
  sim_csv *ic = ipath ? sim_csv_create_atomic(ipath, provenance, index_columns, err) : NULL;
  sim_csv *vc = vpath ? sim_csv_create_atomic(vpath, provenance, variance_columns, err) : NULL;
  int rc = ic && vc ? 0 : -1;
  if (rc == 0 && out)
    fprintf(out, "burnsim: %s indices over %zu %s, %zu points in all (%.0f%% bootstrap intervals, %lld resamples)\n",
            d->method == SCN_SWEEP_SALTELLI ? "Sobol" : "Morris", d->base_samples,
            d->method == SCN_SWEEP_SALTELLI ? "base samples" : "trajectories", d->points,
            100 * s->experiment.confidence, (long long)s->experiment.sensitivity.bootstrap);
  for (size_t arm = 0; rc == 0 && arm < d->arms; arm++)
    for (size_t o = 0; rc == 0 && o < so.n_out; o++) {
      analysis a;
      rc = analyse(d, s, &so, arm, o, &a, err);
      if (rc != 0) break;
      write_rows(d, s, so.names[o], arm, &a, ic, vc);
      if (out) print_analysis(d, s, so.names[o], arm, &a, out);
    }
  if (rc == 0) {
    rc = sim_csv_close(ic);
    ic = NULL;
    if (sim_csv_close(vc) != 0) rc = -1;
    vc = NULL;
    if (rc != 0) fprintf(err, "burnsim: writing %s or %s failed: %s\n", ipath, vpath, strerror(errno));
  }
  if (ic) sim_csv_discard(ic);
  if (vc) sim_csv_discard(vc);
  free(ipath);
  free(vpath);
  free(so.m);
  return rc;
}
