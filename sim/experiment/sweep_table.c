/* sim/experiment/sweep_table.c - a finished sweep's table for the terminal. */
#include "experiment/sweep_table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_read.h"
#include "io/output.h"
#include "config/scenario.h"

typedef struct sweep_row {
  size_t order; /* of its first line in stats.csv */
  size_t nfactors;
  double factor[SCN_MAX_FACTORS];
  char point[24], arm[SCN_NAME_LEN];
  double mean, half_width, burn_share;
} sweep_row;

static int by_settings(const void *a, const void *b) {
  const sweep_row *x = a, *y = b;
  for (size_t i = 0; i < x->nfactors; i++)
    if (x->factor[i] != y->factor[i]) return x->factor[i] < y->factor[i] ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

/* The columns of stats.csv this table reads. */
typedef struct stats_columns {
  long point, arm, metric, mean, half_width;
  long factor[SCN_MAX_FACTORS];
  size_t nfactors;
} stats_columns;

static int find_columns(sim_csv_reader *r, stats_columns *c) {
  c->point = sim_csv_reader_find(r, "point");
  c->arm = sim_csv_reader_find(r, "arm");
  c->metric = sim_csv_reader_find(r, "metric");
  c->mean = sim_csv_reader_find(r, "mean");
  c->half_width = sim_csv_reader_find(r, "half_width");
  if (c->point != 0 || c->arm < 1 || c->metric < 0 || c->mean < 0 || c->half_width < 0) return -1;
  /* The factors are the columns between point and arm. */
  c->nfactors = 0;
  for (long k = 1; k < c->arm && c->nfactors < SCN_MAX_FACTORS; k++) c->factor[c->nfactors++] = k;
  return 0;
}

/* Reads the objective and burn_share of every (point, arm) of stats.csv
 * into *out (*n of them).  Returns 0, or -1 with a message on err. */
static int read_rows(const exp_sweep_table *t, sim_csv_reader *r, const stats_columns *c, sweep_row **out,
                     size_t *n, FILE *err) {
  sweep_row *rows = NULL;
  size_t cap = 0, line = 0;
  int got;
  *n = 0;
  while ((got = sim_csv_reader_next(r, err)) == 1) {
    const char *point = sim_csv_reader_field(r, (size_t)c->point), *arm = sim_csv_reader_field(r, (size_t)c->arm);
    const char *metric = sim_csv_reader_field(r, (size_t)c->metric);
    int objective = strcmp(metric, t->objective) == 0, burn = strcmp(metric, "burn_share") == 0;
    line++;
    if (!objective && !burn) continue;
    sweep_row *row = *n > 0 ? &rows[*n - 1] : NULL;
    if (!row || strcmp(row->point, point) != 0 || strcmp(row->arm, arm) != 0) {
      if (*n == cap) {
        cap = cap ? 2 * cap : 64;
        sweep_row *grown = realloc(rows, cap * sizeof *grown);
        if (!grown) {
          free(rows);
          fprintf(err, "burnsim: out of memory reading %s/stats.csv\n", t->dir);
          return -1;
        }
        rows = grown;
      }
      row = &rows[(*n)++];
      memset(row, 0, sizeof *row);
      row->order = line;
      row->mean = row->half_width = row->burn_share = NAN;
      snprintf(row->point, sizeof row->point, "%s", point);
      snprintf(row->arm, sizeof row->arm, "%s", arm);
      row->nfactors = c->nfactors;
      for (size_t k = 0; k < c->nfactors; k++) row->factor[k] = sim_csv_reader_number(r, (size_t)c->factor[k]);
    }
    if (objective) {
      row->mean = sim_csv_reader_number(r, (size_t)c->mean);
      row->half_width = sim_csv_reader_number(r, (size_t)c->half_width);
    }
    if (burn) row->burn_share = sim_csv_reader_number(r, (size_t)c->mean);
  }
  if (got < 0) {
    free(rows);
    return -1;
  }
  *out = rows;
  return 0;
}

int exp_sweep_table_print(const exp_sweep_table *t, FILE *out, FILE *err) {
  char *path = sim_path_join(t->dir, "stats.csv");
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  free(path);
  if (!r) return -1;
  stats_columns c;
  if (find_columns(r, &c) != 0) {
    fprintf(err, "burnsim: %s/stats.csv does not have the columns of a campaign's stats\n", t->dir);
    sim_csv_reader_close(r);
    return -1;
  }
  char names[SCN_MAX_FACTORS][SCN_KEY_LEN];
  for (size_t k = 0; k < c.nfactors; k++)
    snprintf(names[k], sizeof names[k], "%s", sim_csv_reader_name(r, (size_t)c.factor[k]));
  size_t n = 0;
  sweep_row *rows = NULL;
  int rc = read_rows(t, r, &c, &rows, &n, err);
  sim_csv_reader_close(r);
  if (rc != 0) return -1;
  if (n > 0) qsort(rows, n, sizeof *rows, by_settings);
  int show_burn = strcmp(t->objective, "burn_share") != 0;
  for (size_t i = 0; i < n && show_burn; i++) show_burn = !isnan(rows[i].burn_share);
  fprintf(out, "\n%s (%s is better) at each sweep point, %zu replication%s, %.0f%% confidence intervals:\n\n",
          t->objective, t->minimise ? "less" : "more", t->reps, t->reps == 1 ? "" : "s", 100 * t->confidence);
  fputs("  ", out);
  for (size_t k = 0; k < c.nfactors; k++) fprintf(out, "%16s  ", names[k]);
  fprintf(out, "%-20s  %-24s%s\n", "arm", "mean +- half-width", show_burn ? "  burn_share" : "");
  for (size_t i = 0; i < n && i < t->max_rows; i++) {
    fputs("  ", out);
    for (size_t k = 0; k < c.nfactors; k++) fprintf(out, "%16.6g  ", rows[i].factor[k]);
    char mean[64];
    snprintf(mean, sizeof mean, "%.5g +- %.3g", rows[i].mean, rows[i].half_width);
    fprintf(out, "%-20s  %-24s", rows[i].arm, mean);
    if (show_burn) fprintf(out, "  %9.1f%%", 100 * rows[i].burn_share);
    fputc('\n', out);
  }
  if (n > t->max_rows) fprintf(out, "  ... and %zu more lines in %s/stats.csv\n", n - t->max_rows, t->dir);
  free(rows);
  return 0;
}
