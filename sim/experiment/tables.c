/* sim/experiment/tables.c - summary, stats, paired and daily_stats of a campaign. */
#include "experiment/tables.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_read.h"
#include "io/output.h"
#include "core/rng.h"
#include "experiment/stats.h"

/* stats.csv reports at most this many replications needed. */
#define REPS_NEEDED_CAP 1000000

void exp_run_folder(size_t run, char *out, size_t n) {
  snprintf(out, n, "runs/%06zu", run);
}

static sim_csv_reader *open_run_file(const exp_table_settings *t, size_t run, const char *name, FILE *err) {
  char rel[64], path[4096];
  exp_run_folder(run, rel, sizeof rel);
  snprintf(path, sizeof path, "%s/%s/%s", t->dir, rel, name);
  return sim_csv_reader_open(path, err);
}

/* The columns of one kind of run file, and which of them hold numbers
 * (decided on the first run's first row). */
typedef struct column_set {
  size_t n;
  char **names;
  int *numeric;
} column_set;

static void column_set_free(column_set *c) {
  for (size_t i = 0; c->names && i < c->n; i++) free(c->names[i]);
  free(c->names);
  free(c->numeric);
  memset(c, 0, sizeof *c);
}

static int column_set_init(column_set *c, sim_csv_reader *r) {
  c->n = sim_csv_reader_columns(r);
  c->names = calloc(c->n, sizeof *c->names);
  c->numeric = calloc(c->n, sizeof *c->numeric);
  if (!c->names || !c->numeric) return -1;
  for (size_t i = 0; i < c->n; i++) {
    if (!(c->names[i] = strdup(sim_csv_reader_name(r, i)))) return -1;
    const char *f = sim_csv_reader_field(r, i);
    c->numeric[i] = !isnan(sim_csv_reader_number(r, i)) || strcmp(f, "nan") == 0;
  }
  return 0;
}

/* A run's file must have the columns of the first run's. */
static int same_columns(const column_set *c, sim_csv_reader *r, const char *what, size_t run, FILE *err) {
  int same = sim_csv_reader_columns(r) == c->n;
  for (size_t i = 0; same && i < c->n; i++) same = strcmp(sim_csv_reader_name(r, i), c->names[i]) == 0;
  if (!same)
    fprintf(err, "burnsim: run %zu's %s has other columns than run 0's; arms and sweep points must "
                 "produce the same kind of results (an organisation, or a cluster alone)\n",
            run, what);
  return same;
}

/* Reads the one row of a run's summary.csv. */
static sim_csv_reader *read_summary_row(const exp_table_settings *t, size_t run, FILE *err) {
  sim_csv_reader *r = open_run_file(t, run, "summary.csv", err);
  if (!r) return NULL;
  int got = sim_csv_reader_next(r, err);
  if (got == 1) return r;
  if (got == 0) fprintf(err, "burnsim: run %zu's summary.csv has no row\n", run);
  sim_csv_reader_close(r);
  return NULL;
}

/* NULL-terminated column list: lead, then the factors, then tail. */
static const char **columns(const exp_design *d, const char *const *lead, const char *const *tail,
                            const column_set *extra) {
  size_t n = 0, m = 0;
  while (lead[n]) n++;
  while (tail[m]) m++;
  size_t total = n + d->factors + m + (extra ? extra->n : 0) + 1;
  const char **cols = calloc(total, sizeof *cols);
  if (!cols) return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) cols[k++] = lead[i];
  for (size_t i = 0; i < d->factors; i++) cols[k++] = d->factor_keys[i];
  for (size_t i = 0; i < m; i++) cols[k++] = tail[i];
  for (size_t i = 0; extra && i < extra->n; i++) cols[k++] = extra->names[i];
  cols[k] = NULL;
  return cols;
}

static void put_point(sim_csv *c, const exp_design *d, size_t point) {
  sim_csv_uint(c, point);
  for (size_t k = 0; k < d->factors; k++) sim_csv_float(c, exp_design_value(d, point, k));
}

static void put_interval(sim_csv *c, const exp_moments *m, double confidence) {
  double sd = exp_moments_sd(m), half = exp_ci_half_width(m->n, sd, confidence);
  sim_csv_uint(c, m->n);
  sim_csv_float(c, m->mean);
  sim_csv_float(c, sd);
  sim_csv_float(c, m->mean - half);
  sim_csv_float(c, m->mean + half);
  sim_csv_float(c, half);
}

/* Columns of the runs' tables that can be below zero.  Every other one
 * counts or prices something (tokens, dollars, kWh, shares, hours, jobs). */
static const char *const signed_columns[] = {"net_value", "tokens_unaccounted", "wait_rel_error", NULL};

static int can_be_negative(const char *column, const double *x, size_t n) {
  for (const char *const *c = signed_columns; *c; c++)
    if (strcmp(*c, column) == 0) return 1;
  for (size_t i = 0; i < n; i++)
    if (x[i] < 0) return 1; /* (a column the list missed) */
  return 0;
}

/* The interval of the mean of x, the n values of column: a t interval, or
 * for a quantity that cannot be negative the one of exp_nonnegative_interval
 * (stats.h), its resamples drawn from (seed, stream).  *symmetric says which.
 * Returns 0, or -1 when out of memory. */
static int mean_interval(const char *column, const double *x, size_t n, double confidence, uint64_t seed,
                         uint64_t stream, double *lo, double *hi, int *symmetric) {
  exp_moments m = {0};
  for (size_t i = 0; i < n; i++) exp_moments_add(&m, x[i]);
  *symmetric = !isfinite(m.mean) || can_be_negative(column, x, n);
  if (!*symmetric) return exp_nonnegative_interval(x, n, confidence, seed, stream, lo, hi);
  double half = exp_ci_half_width(m.n, exp_moments_sd(&m), confidence);
  *lo = m.mean - half;
  *hi = m.mean + half;
  return 0;
}

/* One arm's line in the ranking. */
typedef struct ranked_arm {
  size_t arm;
  exp_moments value, diff; /* the objective, and its difference from the baseline */
  double lo, hi;           /* the objective's interval, as stats.csv has it */
  int symmetric;
} ranked_arm;

typedef struct tables {
  const exp_design *d;
  const exp_table_settings *t;
  column_set sum_cols;
  long objective; /* column of the objective, or -1 */
  sim_csv *summary, *stats, *paired;
  double *values; /* one point's numbers: [rep][arm][column] */
  double *column; /* one arm's and column's numbers: [rep] */
  ranked_arm ranking[SCN_MAX_ARMS + 1];
} tables;

static int write_point_stats(tables *tb, size_t point) {
  const exp_design *d = tb->d;
  const column_set *cs = &tb->sum_cols;
  double conf = tb->t->confidence;
#define VALUE(rep, arm, col) tb->values[((rep) * d->arms + (arm)) * cs->n + (col)]
  for (size_t arm = 0; arm < d->arms; arm++) {
    for (size_t col = 0; col < cs->n; col++) {
      if (!cs->numeric[col]) continue;
      exp_moments m = {0};
      for (size_t rep = 0; rep < d->reps; rep++) {
        tb->column[rep] = VALUE(rep, arm, col);
        exp_moments_add(&m, tb->column[rep]);
      }
      double lo, hi;
      int symmetric;
      uint64_t stream = 2 * ((point * d->arms + arm) * cs->n + col);
      if (mean_interval(cs->names[col], tb->column, d->reps, conf, sim_rng_mix64(d->master_seed), stream, &lo, &hi,
                        &symmetric) != 0)
        return -1;
      if ((long)col == tb->objective)
        tb->ranking[arm] = (ranked_arm){.arm = arm, .value = m, .lo = lo, .hi = hi, .symmetric = symmetric};
      put_point(tb->stats, d, point);
      sim_csv_str(tb->stats, d->arm_names[arm]);
      sim_csv_str(tb->stats, cs->names[col]);
      sim_csv_uint(tb->stats, m.n);
      sim_csv_float(tb->stats, m.mean);
      sim_csv_float(tb->stats, exp_moments_sd(&m));
      sim_csv_float(tb->stats, lo);
      sim_csv_float(tb->stats, hi);
      sim_csv_float(tb->stats, (hi - lo) / 2);
      sim_csv_uint(tb->stats, exp_reps_needed(exp_moments_sd(&m), tb->t->target_half_width * fabs(m.mean), conf,
                                              REPS_NEEDED_CAP));
      sim_csv_end_row(tb->stats);
    }
  }
  for (size_t arm = 1; arm < d->arms; arm++) {
    for (size_t col = 0; col < cs->n; col++) {
      if (!cs->numeric[col]) continue;
      exp_moments diff = {0}, a = {0}, b = {0};
      for (size_t rep = 0; rep < d->reps; rep++) {
        exp_moments_add(&diff, VALUE(rep, arm, col) - VALUE(rep, 0, col));
        exp_moments_add(&a, VALUE(rep, arm, col));
        exp_moments_add(&b, VALUE(rep, 0, col));
      }
      if ((long)col == tb->objective) tb->ranking[arm].diff = diff;
      double sa = exp_moments_sd(&a), sb = exp_moments_sd(&b), sd = exp_moments_sd(&diff);
      double unpaired_var = sa * sa + sb * sb;
      put_point(tb->paired, d, point);
      sim_csv_str(tb->paired, d->arm_names[arm]);
      sim_csv_str(tb->paired, d->arm_names[0]);
      sim_csv_str(tb->paired, cs->names[col]);
      put_interval(tb->paired, &diff, conf);
      sim_csv_float(tb->paired, exp_welch_half_width(a.n, sa, b.n, sb, conf));
      sim_csv_float(tb->paired, unpaired_var > 0 ? 1 - sd * sd / unpaired_var : NAN);
      sim_csv_end_row(tb->paired);
    }
  }
#undef VALUE
  return 0;
}

static int write_run_rows(tables *tb, size_t point, FILE *err) {
  const exp_design *d = tb->d;
  for (size_t rep = 0; rep < d->reps; rep++) {
    for (size_t arm = 0; arm < d->arms; arm++) {
      size_t run = exp_design_run(d, point, rep, arm);
      sim_csv_reader *r = read_summary_row(tb->t, run, err);
      if (!r) return -1;
      if (!same_columns(&tb->sum_cols, r, "summary.csv", run, err)) {
        sim_csv_reader_close(r);
        return -1;
      }
      sim_csv_uint(tb->summary, run);
      put_point(tb->summary, d, point);
      sim_csv_str(tb->summary, d->arm_names[arm]);
      sim_csv_uint(tb->summary, rep);
      sim_csv_uint(tb->summary, exp_design_seed(d, rep));
      sim_csv_raw(tb->summary, sim_csv_reader_row_text(r));
      sim_csv_end_row(tb->summary);
      for (size_t col = 0; col < tb->sum_cols.n; col++)
        tb->values[(rep * d->arms + arm) * tb->sum_cols.n + col] = sim_csv_reader_number(r, col);
      sim_csv_reader_close(r);
    }
  }
  return 0;
}

/* summary.csv: run, point, factors, arm, replication, seed, the run's own. */
static const char *const summary_lead[] = {"run", "point", NULL};
static const char *const summary_mid[] = {"arm", "replication", "seed", NULL};
static const char *const stats_lead[] = {"point", NULL};
static const char *const stats_tail[] = {"arm", "metric", "n", "mean", "sd", "ci_low", "ci_high", "half_width",
                                         "reps_needed", NULL};
static const char *const paired_tail[] = {"arm", "baseline", "metric", "n", "mean_diff", "sd_diff", "ci_low",
                                          "ci_high", "half_width", "unpaired_half_width", "variance_reduction",
                                          NULL};

static sim_csv *create(const exp_table_settings *t, const char *name, const char **cols, FILE *err) {
  if (!cols) return NULL;
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", t->dir, name);
  sim_csv *c = sim_csv_create_atomic(path, t->provenance, cols, err);
  free(cols);
  return c;
}

/* Whether a ranks before b: the better objective, ties in arm order. */
static int ranks_before(const ranked_arm *a, const ranked_arm *b, int minimise) {
  double x = minimise ? -a->value.mean : a->value.mean, y = minimise ? -b->value.mean : b->value.mean;
  return x > y || (x == y && a->arm < b->arm);
}

/* The leadership view: one table, arms best first. */
static void print_ranking(tables *tb) {
  const exp_design *d = tb->d;
  const exp_table_settings *t = tb->t;
  ranked_arm order[SCN_MAX_ARMS + 1];
  memcpy(order, tb->ranking, d->arms * sizeof order[0]);
  /* Insertion sort: at most 33 arms, and qsort takes no minimise flag. */
  for (size_t i = 1; i < d->arms; i++)
    for (size_t j = i; j > 0 && ranks_before(&order[j], &order[j - 1], t->minimise); j--) {
      ranked_arm tmp = order[j];
      order[j] = order[j - 1];
      order[j - 1] = tmp;
    }
  FILE *f = t->ranking;
  /* One replication has no spread to measure: no interval, so no verdict. */
  int intervals = d->reps >= 2;
  fprintf(f, "\n%s (%s is better), %zu replication%s", t->objective, t->minimise ? "less" : "more", d->reps,
          d->reps == 1 ? "" : "s");
  if (intervals)
    fprintf(f, ", %.0f%% confidence intervals:\n\n", 100 * t->confidence);
  else
    fprintf(f, ": no confidence interval can be given from %zu replication (it takes at least 2), so no arm can "
               "be called better or worse than the baseline; run with --reps 2 or more\n\n",
            d->reps);
  fprintf(f, "  %4s  %-20s  %-24s  %s\n", "rank", "arm", !intervals ? "mean" : order[0].symmetric ? "mean +- half-width" : "mean (interval)",
          intervals ? "vs baseline (paired)" : "vs baseline");
  for (size_t i = 0; i < d->arms; i++) {
    const ranked_arm *r = &order[i];
    char mean[64], diff[64] = "(baseline)";
    if (intervals && r->symmetric)
      snprintf(mean, sizeof mean, "%.5g +- %.3g", r->value.mean, (r->hi - r->lo) / 2);
    else if (intervals)
      snprintf(mean, sizeof mean, "%.5g (%.4g to %.4g)", r->value.mean, r->lo, r->hi);
    else
      snprintf(mean, sizeof mean, "%.5g", r->value.mean);
    if (r->arm != 0) {
      double dh = exp_ci_half_width(r->diff.n, exp_moments_sd(&r->diff), t->confidence);
      if (intervals)
        snprintf(diff, sizeof diff, "%+.4g +- %.3g%s", r->diff.mean, dh, fabs(r->diff.mean) > dh ? "  *" : "");
      else
        snprintf(diff, sizeof diff, "%+.4g", r->diff.mean);
    }
    fprintf(f, "  %4zu  %-20s  %-24s  %s\n", i + 1, d->arm_names[r->arm], mean, diff);
  }
  if (d->arms > 1 && intervals)
    fprintf(f, "\n  * the interval of the difference excludes 0: the arm differs from the baseline\n");
}

static int write_main_tables(const exp_design *d, const exp_table_settings *t, FILE *err) {
  tables tb = {.d = d, .t = t};
  int rc = -1;
  sim_csv_reader *first = read_summary_row(t, 0, err);
  if (!first) return -1;
  if (column_set_init(&tb.sum_cols, first) != 0) goto oom;
  tb.objective = t->objective ? sim_csv_reader_find(first, t->objective) : -1;
  if (t->objective && (tb.objective < 0 || !tb.sum_cols.numeric[tb.objective]))
    fprintf(err,
            "burnsim: experiment.objective: expected a numeric column of the runs' summary.csv "
            "(e.g. net_value, burn_share, usd_burn), found \"%s\"; the arms are not ranked\n",
            t->objective);
  if (tb.objective >= 0 && !tb.sum_cols.numeric[tb.objective]) tb.objective = -1;
  sim_csv_reader_close(first);
  first = NULL;
  tb.values = malloc(d->reps * d->arms * tb.sum_cols.n * sizeof *tb.values);
  tb.column = malloc(d->reps * sizeof *tb.column);
  if (!tb.values || !tb.column) goto oom;
  /* The summary's lead columns, then the run's own columns. */
  {
    const char **lead = columns(d, summary_lead, summary_mid, &tb.sum_cols);
    tb.summary = create(t, "summary.csv", lead, err);
  }
  tb.stats = tb.summary ? create(t, "stats.csv", columns(d, stats_lead, stats_tail, NULL), err) : NULL;
  tb.paired = tb.stats ? create(t, "paired.csv", columns(d, stats_lead, paired_tail, NULL), err) : NULL;
  if (!tb.paired) goto done;
  rc = 0;
  for (size_t point = 0; point < d->points && rc == 0; point++) {
    rc = write_run_rows(&tb, point, err);
    if (rc == 0 && write_point_stats(&tb, point) != 0) goto oom;
  }
  goto done;
oom:
  fprintf(err, "burnsim: out of memory assembling the campaign's tables\n");
done:
  sim_csv_reader_close(first);
  /* Close all; a failed table is removed rather than left half-written. */
  sim_csv *files[] = {tb.summary, tb.stats, tb.paired};
  for (size_t i = 0; i < 3; i++) {
    if (!files[i]) continue;
    if (rc != 0) sim_csv_discard(files[i]);
    else if (sim_csv_close(files[i]) != 0) {
      fprintf(err, "burnsim: writing the campaign's tables in %s failed\n", t->dir);
      rc = -1;
    }
  }
  if (rc == 0 && t->ranking && d->points == 1 && tb.objective >= 0) print_ranking(&tb);
  free(tb.values);
  free(tb.column);
  column_set_free(&tb.sum_cols);
  return rc;
}

/* daily_stats.csv: for each arm, every day's numbers across replications.
 * One arm's days are held at a time. */
static const char *const daily_cols[] = {"arm", "day", "metric", "n", "mean", "sd", "ci_low", "ci_high", NULL};

typedef struct daily_arm {
  column_set cols;
  size_t rows, cap, reps;
  double *day;         /* [row] */
  exp_moments *m;      /* [row][column] */
  double *x;           /* [row][column][rep]: the values, for intervals that need them */
} daily_arm;

static int grow_rows(daily_arm *a) {
  if (a->rows < a->cap) return 0;
  size_t cap = a->cap ? 2 * a->cap : 128;
  double *day = realloc(a->day, cap * sizeof *day);
  if (day) a->day = day;
  exp_moments *m = day ? realloc(a->m, cap * a->cols.n * sizeof *m) : NULL;
  if (m) a->m = m;
  double *x = m ? realloc(a->x, cap * a->cols.n * a->reps * sizeof *x) : NULL;
  if (!x) return -1;
  a->x = x;
  memset(a->m + a->cap * a->cols.n, 0, (cap - a->cap) * a->cols.n * sizeof *m);
  a->cap = cap;
  return 0;
}

static int read_daily(const exp_table_settings *t, daily_arm *a, size_t run, size_t rep, long day_col,
                      FILE *err) {
  int first = rep == 0;
  sim_csv_reader *r = open_run_file(t, run, "daily.csv", err);
  if (!r) return -1;
  size_t row = 0;
  int got = 0, rc = 0;
  while (rc == 0 && (got = sim_csv_reader_next(r, err)) == 1) {
    if (row == 0 && !first && !same_columns(&a->cols, r, "daily.csv", run, err)) {
      rc = -1;
      break;
    }
    if ((first && row == 0 && column_set_init(&a->cols, r) != 0) || (first && grow_rows(a) != 0)) {
      fprintf(err, "burnsim: out of memory reading the runs' daily.csv\n");
      rc = -1;
      break;
    }
    if (first) {
      a->day[row] = day_col >= 0 ? sim_csv_reader_number(r, (size_t)day_col) : (double)row;
      a->rows++;
    } else if (row >= a->rows) {
      fprintf(err, "burnsim: run %zu's daily.csv has more days than the first replication's\n", run);
      rc = -1;
      break;
    }
    for (size_t c = 0; c < a->cols.n; c++)
      if (a->cols.numeric[c] && (long)c != day_col) {
        double v = sim_csv_reader_number(r, c);
        exp_moments_add(&a->m[row * a->cols.n + c], v);
        a->x[(row * a->cols.n + c) * a->reps + rep] = v;
      }
    row++;
  }
  if (rc == 0 && got < 0) rc = -1;
  if (rc == 0 && row != a->rows) {
    fprintf(err, "burnsim: run %zu's daily.csv has %zu days, the first replication's %zu\n", run, row, a->rows);
    rc = -1;
  }
  sim_csv_reader_close(r);
  return rc;
}

static int write_daily_stats(const exp_design *d, const exp_table_settings *t, FILE *err) {
  /* Cluster-only and organisation runs both have daily.csv with a day column. */
  sim_csv_reader *probe = open_run_file(t, 0, "daily.csv", err);
  if (!probe) return -1;
  long day_col = sim_csv_reader_find(probe, "day");
  sim_csv_reader_close(probe);
  char path[4096];
  snprintf(path, sizeof path, "%s/daily_stats.csv", t->dir);
  sim_csv *out = sim_csv_create_atomic(path, t->provenance, daily_cols, err);
  if (!out) return -1;
  int rc = 0;
  for (size_t arm = 0; arm < d->arms && rc == 0; arm++) {
    daily_arm a = {.reps = d->reps};
    for (size_t rep = 0; rep < d->reps && rc == 0; rep++)
      rc = read_daily(t, &a, exp_design_run(d, 0, rep, arm), rep, day_col, err);
    for (size_t row = 0; rc == 0 && row < a.rows; row++) {
      for (size_t c = 0; c < a.cols.n && rc == 0; c++) {
        if (!a.cols.numeric[c] || (long)c == day_col) continue;
        sim_csv_str(out, d->arm_names[arm]);
        sim_csv_float(out, a.day[row]);
        sim_csv_str(out, a.cols.names[c]);
        const exp_moments *m = &a.m[row * a.cols.n + c];
        double lo, hi;
        int symmetric;
        uint64_t stream = 2 * ((arm * a.rows + row) * a.cols.n + c) + 1;
        if (mean_interval(a.cols.names[c], &a.x[(row * a.cols.n + c) * a.reps], a.reps, t->confidence,
                          sim_rng_mix64(d->master_seed), stream, &lo, &hi, &symmetric) != 0) {
          fprintf(err, "burnsim: out of memory computing daily_stats.csv\n");
          rc = -1;
        }
        sim_csv_uint(out, m->n);
        sim_csv_float(out, m->mean);
        sim_csv_float(out, exp_moments_sd(m));
        sim_csv_float(out, lo);
        sim_csv_float(out, hi);
        sim_csv_end_row(out);
      }
    }
    column_set_free(&a.cols);
    free(a.day);
    free(a.m);
    free(a.x);
  }
  if (rc != 0) {
    sim_csv_discard(out);
    return -1;
  }
  if (sim_csv_close(out) != 0) {
    fprintf(err, "burnsim: writing %s failed\n", path);
    return -1;
  }
  return 0;
}

int exp_tables_write(const exp_design *d, const exp_table_settings *t, FILE *err) {
  if (write_main_tables(d, t, err) != 0) return -1;
  return d->points == 1 ? write_daily_stats(d, t, err) : 0;
}
