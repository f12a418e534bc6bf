/* sim/validate/figures.c - a figure per validation target (plots/validation.gp). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_read.h"
#include "io/output.h"
#include "validate/validate.h"

/* The checks of one target, as validation.csv has them. */
typedef struct fig_target {
  char name[64];
  char source[512];
  size_t n;
  char check[16][64], verdict[16][16];
  double est[16], lo[16], hi[16], low[16], high[16], expected[16];
} fig_target;

enum { MAX_FIG_CHECKS = 16, MAX_FIG_TARGETS = 128 };

/* s as a gnuplot single-quoted string. */
static void gp_string(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'') fputc('\'', f);
    if (*s != '\n') fputc(*s, f);
  }
  fputc('\'', f);
}

static void gp_number(FILE *f, double v) {
  if (isnan(v))
    fputs("NaN", f);
  else if (isinf(v))
    fputs(v > 0 ? "1e308" : "-1e308", f);
  else
    fprintf(f, "%.17g", v);
}

static void gp_array(FILE *f, const char *name, const double *v, size_t n) {
  fprintf(f, "; array %s[%zu] = [", name, n);
  for (size_t i = 0; i < n; i++) {
    if (i) fputc(',', f);
    gp_number(f, v[i]);
  }
  fputc(']', f);
}

/* The panel's range: the estimate, its interval, the band's finite ends and
 * the known value, with a margin. */
static void panel_range(const fig_target *t, size_t i, double *xmin, double *xmax) {
  double v[6] = {t->est[i], t->lo[i], t->hi[i], t->low[i], t->high[i], t->expected[i]};
  double a = INFINITY, b = -INFINITY;
  for (int k = 0; k < 6; k++)
    if (isfinite(v[k])) {
      a = fmin(a, v[k]);
      b = fmax(b, v[k]);
    }
  if (!isfinite(a)) a = -1, b = 1;
  double pad = b > a ? 0.25 * (b - a) : fabs(a) > 0 ? 0.05 * fabs(a) : 1;
  *xmin = a - pad;
  *xmax = b + pad;
}

/* The gnuplot statements that give plots/validation.gp one target's checks. */
static char *setup_text(const fig_target *t) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return NULL;
  fputs("target=", f);
  gp_string(f, t->name);
  fputs("; title=", f); /* the name, and the source on a line of its own */
  gp_string(f, t->name);
  fputs(".\"\\n\".", f);
  gp_string(f, t->source);
  fprintf(f, "; n=%zu; array check[%zu]; array verdict[%zu]", t->n, t->n, t->n);
  for (size_t i = 0; i < t->n; i++) {
    fprintf(f, "; check[%zu]=", i + 1);
    gp_string(f, t->check[i]);
    fprintf(f, "; verdict[%zu]=", i + 1);
    gp_string(f, t->verdict[i]);
  }
  double xmin[MAX_FIG_CHECKS], xmax[MAX_FIG_CHECKS];
  for (size_t i = 0; i < t->n; i++) panel_range(t, i, &xmin[i], &xmax[i]);
  gp_array(f, "est", t->est, t->n);
  gp_array(f, "lo", t->lo, t->n);
  gp_array(f, "hi", t->hi, t->n);
  gp_array(f, "low", t->low, t->n);
  gp_array(f, "high", t->high, t->n);
  gp_array(f, "expected", t->expected, t->n);
  gp_array(f, "xmin", xmin, t->n);
  gp_array(f, "xmax", xmax, t->n);
  if (fclose(f) != 0) {
    free(text);
    return NULL;
  }
  return text;
}

/* The targets of dir/validation.csv, in order.  Returns how many, or -1. */
static long read_targets(const char *dir, fig_target *t, size_t max, FILE *err) {
  char *path = sim_path_join(dir, "validation.csv");
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  free(path);
  if (!r) return -1;
  static const char *const cols[] = {"target", "check", "verdict", "estimate", "ci_low", "ci_high", "low", "high",
                                     "expected", "source"};
  long c[10];
  for (int k = 0; k < 10; k++)
    if ((c[k] = sim_csv_reader_find(r, cols[k])) < 0) {
      fprintf(err, "burnsim: %s/validation.csv has no column %s\n", dir, cols[k]);
      sim_csv_reader_close(r);
      return -1;
    }
  size_t n = 0;
  int got;
  while ((got = sim_csv_reader_next(r, err)) == 1) {
    const char *name = sim_csv_reader_field(r, (size_t)c[0]);
    if (n == 0 || strcmp(t[n - 1].name, name) != 0) {
      if (n == max) break;
      memset(&t[n], 0, sizeof t[n]);
      snprintf(t[n].name, sizeof t[n].name, "%s", name);
      snprintf(t[n].source, sizeof t[n].source, "%s", sim_csv_reader_field(r, (size_t)c[9]));
      n++;
    }
    fig_target *f = &t[n - 1];
    if (f->n == MAX_FIG_CHECKS) continue;
    size_t i = f->n++;
    snprintf(f->check[i], sizeof f->check[i], "%s", sim_csv_reader_field(r, (size_t)c[1]));
    snprintf(f->verdict[i], sizeof f->verdict[i], "%s", sim_csv_reader_field(r, (size_t)c[2]));
    double *dst[6] = {&f->est[i], &f->lo[i], &f->hi[i], &f->low[i], &f->high[i], &f->expected[i]};
    for (int k = 0; k < 6; k++) *dst[k] = sim_csv_reader_number(r, (size_t)c[3 + k]);
  }
  sim_csv_reader_close(r);
  return got < 0 ? -1 : (long)n;
}

sim_plot_status val_plot_folder(const char *dir, const char *const *formats, FILE *err) {
  fig_target *t = calloc(MAX_FIG_TARGETS, sizeof *t);
  sim_plot_item *items = calloc(MAX_FIG_TARGETS, sizeof *items);
  long n = t && items ? read_targets(dir, t, MAX_FIG_TARGETS, err) : -1;
  sim_plot_status rc = n < 0 ? SIM_PLOT_BAD_FOLDER : SIM_PLOT_DONE;
  for (long i = 0; rc == SIM_PLOT_DONE && i < n; i++) {
    items[i] = (sim_plot_item){t[i].name, "validation", setup_text(&t[i])};
    if (!items[i].setup) {
      fprintf(err, "burnsim: out of memory drawing the figures of %s\n", dir);
      rc = SIM_PLOT_FAILED;
    }
  }
  if (rc == SIM_PLOT_DONE && n > 0) rc = sim_plot_items(dir, items, (size_t)n, formats, err);
  for (long i = 0; items && i < n; i++) free((char *)items[i].setup);
  free(items);
  free(t);
  return rc;
}
