/* sim/io/report.c - one self-contained HTML page for a results folder. */
#include "io/report.h"

#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/build_info.h"
#include "io/csv_read.h"
#include "io/html.h"
#include "io/manifest.h"
#include "io/metrics.h"
#include "io/number_words.h"
#include "io/output.h"
#include "io/plot.h"
#include "validate/validate.h"

enum { MAX_KEY_METRICS = 6, MAX_TABLE_ROWS = 20, MAX_RUN_ROWS = 500 };

/* ---- HTML ----------------------------------------------------------------------- */

/* A column's label, or its name as written when burnsim has no words for it. */
static void metric_label(FILE *f, const char *column) {
  const metric_info *mi = sim_metric_named(column);
  sim_html_text(f, mi ? mi->label : column);
}

/* The whole of a file of the results folder (malloc'd, NUL-terminated), or
 * NULL: only a regular file, never what a link points to. */
static char *slurp(const char *path, size_t *len) {
  char why[512];
  return sim_read_own_file(path, (size_t)1 << 30, len, why, sizeof why);
}

/* ---- CSV tables, whole ------------------------------------------------------------- */

typedef struct table {
  size_t ncols, nrows, cap;
  char **names;
  char **cells; /* nrows x ncols */
} table;

static void table_free(table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->ncols; i++) free(t->names[i]);
  for (size_t i = 0; i < t->nrows * t->ncols; i++) free(t->cells[i]);
  free(t->names);
  free(t->cells);
  free(t);
}

/* dir/name read whole; NULL with a message on err when it cannot be read. */
static table *table_load(const char *dir, const char *name, FILE *err) {
  char *path = sim_path_join(dir, name);
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  free(path);
  if (!r) return NULL;
  table *t = calloc(1, sizeof *t);
  int got = -1;
  if (t && (t->names = calloc(sim_csv_reader_columns(r), sizeof *t->names))) {
    t->ncols = sim_csv_reader_columns(r);
    for (size_t c = 0; c < t->ncols; c++) t->names[c] = strdup(sim_csv_reader_name(r, c));
    while ((got = sim_csv_reader_next(r, err)) == 1) {
      if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        char **grown = realloc(t->cells, cap * t->ncols * sizeof *grown);
        if (!grown) {
          got = -1;
          break;
        }
        t->cells = grown;
        t->cap = cap;
      }
      for (size_t c = 0; c < t->ncols; c++) t->cells[t->nrows * t->ncols + c] = strdup(sim_csv_reader_field(r, c));
      t->nrows++;
    }
  }
  sim_csv_reader_close(r);
  if (got != 0) {
    if (got < 0 && t) fprintf(err, "burnsim: cannot read %s/%s\n", dir, name);
    table_free(t);
    return NULL;
  }
  return t;
}

static long table_col(const table *t, const char *name) {
  for (size_t c = 0; t && c < t->ncols; c++)
    if (t->names[c] && strcmp(t->names[c], name) == 0) return (long)c;
  return -1;
}

static const char *cell(const table *t, size_t row, long col) {
  if (!t || col < 0 || row >= t->nrows) return "";
  const char *s = t->cells[row * t->ncols + (size_t)col];
  return s ? s : "";
}

static double cell_num(const table *t, size_t row, long col) {
  const char *s = cell(t, row, col);
  char *end;
  double v = strtod(s, &end);
  return (end == s || *end) ? NAN : v;
}

/* ---- what the folder says about itself ------------------------------------------- */

typedef struct folder {
  const char *dir;
  sim_results_info info;
  config_t manifest;
  int have_manifest;
  char *scenario_text; /* scenario.cfg as written */
  const char *name, *description;
  config_t scenario;
  int have_scenario;
  /* campaigns */
  table *stats, *paired, *design;
  const char *objective;
  int goal; /* +1 maximise, -1 minimise */
  double confidence;
  long long replications;
  char **factors;
  int nfactors;
  char **arms;
  int narms;
  const char *metrics[MAX_KEY_METRICS + 1];
  int nmetrics;
  /* runs */
  table *summary, *cluster_summary;
  /* calibrations */
  table *fit, *parameters, *outputs;
} folder;

static const char *mf_string(const folder *fo, const char *key) {
  const char *s = NULL;
  if (fo->have_manifest && config_lookup_string(&fo->manifest, key, &s) == CONFIG_TRUE) return s;
  return NULL;
}

static char **string_list(const config_t *cfg, const char *key, int *n) {
  config_setting_t *list = config_lookup(cfg, key);
  *n = list ? config_setting_length(list) : 0;
  char **out = calloc((size_t)*n + 1, sizeof *out);
  for (int i = 0; out && i < *n; i++) {
    const char *s = config_setting_get_string_elem(list, i);
    out[i] = strdup(s ? s : "");
  }
  return out;
}

static void free_list(char **list) {
  for (size_t i = 0; list && list[i]; i++) free(list[i]);
  free(list);
}

/* stats.csv has rows for this metric */
static int has_metric(const folder *fo, const char *metric) {
  long c = table_col(fo->stats, "metric");
  for (size_t r = 0; r < (fo->stats ? fo->stats->nrows : 0); r++)
    if (strcmp(cell(fo->stats, r, c), metric) == 0) return 1;
  return 0;
}

static int folder_open(folder *fo, const char *dir, FILE *err) {
  memset(fo, 0, sizeof *fo);
  fo->dir = dir;
  config_init(&fo->manifest); /* (folder_close destroys both, whatever happens) */
  config_init(&fo->scenario);
  if (sim_results_inspect(dir, &fo->info, err) != 0) return SIM_REPORT_BAD_FOLDER;
  char why[512];
  char *path = sim_path_join(dir, "manifest.cfg");
  if (path && access(path, R_OK) == 0) {
    if (manifest_read(&fo->manifest, path, why, sizeof why) == 0)
      fo->have_manifest = 1;
    else
      fprintf(err, "burnsim: %s (the report leaves out what it says)\n", why);
  }
  free(path);
  path = sim_path_join(dir, "scenario.cfg");
  if (path && access(path, R_OK) == 0 && (fo->scenario_text = slurp(path, NULL)) != NULL &&
      manifest_read(&fo->scenario, path, why, sizeof why) == 0)
    fo->have_scenario = 1;
  free(path);
  const char *s = NULL;
  if (fo->have_scenario && config_lookup_string(&fo->scenario, "name", &s) == CONFIG_TRUE) fo->name = s;
  if (fo->have_scenario && config_lookup_string(&fo->scenario, "description", &s) == CONFIG_TRUE)
    fo->description = s;
  if (!fo->name) fo->name = mf_string(fo, "scenario_name");
  if (!fo->name) fo->name = mf_string(fo, "scenario.name");
  if (!fo->description) fo->description = mf_string(fo, "scenario.description");

  if (fo->info.kind == SIM_RESULTS_CAMPAIGN) {
    if (!(fo->stats = table_load(dir, "stats.csv", err))) return SIM_REPORT_BAD_FOLDER;
    if (fo->info.paired && !(fo->paired = table_load(dir, "paired.csv", err))) return SIM_REPORT_BAD_FOLDER;
    char *design = sim_path_join(dir, "design.csv");
    if (design && access(design, R_OK) == 0) fo->design = table_load(dir, "design.csv", err);
    free(design);
    fo->objective = mf_string(fo, "objective");
    if (!fo->objective) fo->objective = "net_value";
    const char *goal = mf_string(fo, "goal");
    fo->goal = goal && strncmp(goal, "minimi", 6) == 0 ? -1 : +1;
    if (!fo->have_manifest || config_lookup_float(&fo->manifest, "confidence", &fo->confidence) != CONFIG_TRUE ||
        !(fo->confidence > 0 && fo->confidence < 1))
      fo->confidence = 0.95;
    if (fo->have_manifest) config_lookup_int64(&fo->manifest, "replications", &fo->replications);
    fo->factors = string_list(&fo->manifest, "factors", &fo->nfactors);
    fo->arms = string_list(&fo->manifest, "arms", &fo->narms);
    if (!fo->factors || !fo->arms) return SIM_REPORT_FAILED;
    if (fo->narms == 0) { /* no manifest: the arms in the order stats.csv has them */
      long c = table_col(fo->stats, "arm");
      for (size_t r = 0; r < fo->stats->nrows; r++) {
        const char *a = cell(fo->stats, r, c);
        int seen = 0;
        for (int i = 0; i < fo->narms; i++) seen |= strcmp(fo->arms[i], a) == 0;
        if (seen) continue;
        char **grown = realloc(fo->arms, ((size_t)fo->narms + 2) * sizeof *grown);
        if (!grown) return SIM_REPORT_FAILED;
        fo->arms = grown;
        fo->arms[fo->narms++] = strdup(a);
        fo->arms[fo->narms] = NULL;
      }
    }
    if (has_metric(fo, fo->objective)) fo->metrics[fo->nmetrics++] = fo->objective;
    for (size_t i = 0; sim_metric_key_at(i) && fo->nmetrics < MAX_KEY_METRICS; i++)
      if (strcmp(sim_metric_key_at(i), fo->objective) != 0 && has_metric(fo, sim_metric_key_at(i)))
        fo->metrics[fo->nmetrics++] = sim_metric_key_at(i);
  } else if (fo->info.kind == SIM_RESULTS_CALIBRATION) {
    if (!(fo->fit = table_load(dir, "fit.csv", err)) || !(fo->parameters = table_load(dir, "parameters.csv", err)))
      return SIM_REPORT_BAD_FOLDER;
    char *outputs = sim_path_join(dir, "outputs.csv");
    if (outputs && access(outputs, R_OK) == 0) fo->outputs = table_load(dir, "outputs.csv", err);
    free(outputs);
    if (!fo->have_manifest || config_lookup_int64(&fo->manifest, "replications", &fo->replications) != CONFIG_TRUE)
      fo->replications = 1;
  } else {
    if (!(fo->summary = table_load(dir, "summary.csv", err))) return SIM_REPORT_BAD_FOLDER;
    char *cs = sim_path_join(dir, "cluster_summary.csv");
    if (cs && access(cs, R_OK) == 0) fo->cluster_summary = table_load(dir, "cluster_summary.csv", err);
    free(cs);
  }
  return SIM_REPORT_OK;
}

static void folder_close(folder *fo) {
  config_destroy(&fo->manifest);
  config_destroy(&fo->scenario);
  free(fo->scenario_text);
  table_free(fo->stats);
  table_free(fo->paired);
  table_free(fo->design);
  table_free(fo->summary);
  table_free(fo->cluster_summary);
  table_free(fo->fit);
  table_free(fo->parameters);
  table_free(fo->outputs);
  free_list(fo->factors);
  free_list(fo->arms);
}

/* ---- campaign rows ------------------------------------------------------------------ */

typedef struct estimate {
  double mean, lo, hi, n, reps_needed;
  int found;
} estimate;

/* The stats.csv (or paired.csv) row of a point, arm and metric. */
static estimate find_estimate(const table *t, const char *point, const char *arm, const char *metric) {
  estimate e = {NAN, NAN, NAN, NAN, NAN, 0};
  long cp = table_col(t, "point"), ca = table_col(t, "arm"), cm = table_col(t, "metric");
  long cmean = table_col(t, "mean") >= 0 ? table_col(t, "mean") : table_col(t, "mean_diff");
  for (size_t r = 0; t && r < t->nrows; r++) {
    if (strcmp(cell(t, r, cp), point) || strcmp(cell(t, r, ca), arm) || strcmp(cell(t, r, cm), metric)) continue;
    e.mean = cell_num(t, r, cmean);
    e.lo = cell_num(t, r, table_col(t, "ci_low"));
    e.hi = cell_num(t, r, table_col(t, "ci_high"));
    e.n = cell_num(t, r, table_col(t, "n"));
    e.reps_needed = cell_num(t, r, table_col(t, "reps_needed"));
    e.found = 1;
    break;
  }
  return e;
}

enum { MAX_SORT_FACTORS = 8 }; /* scenarios sweep at most 8 (SCN_MAX_FACTORS) */

typedef struct ranked {
  size_t row; /* in stats.csv */
  const char *point, *arm;
  double mean;
  int goal; /* +1: higher is better (qsort has no context argument) */
  int nfactors;
  double factor[MAX_SORT_FACTORS]; /* a sweep's settings, which order its rows */
} ranked;

/* A sweep's rows in the order of the swept settings (the first factor
 * first), so that its curve can be read down the table; the arms of a
 * point in stats.csv's order. */
static int by_factors(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  for (int i = 0; i < x->nfactors; i++)
    if (x->factor[i] != y->factor[i]) return x->factor[i] < y->factor[i] ? -1 : 1;
  return x->row < y->row ? -1 : x->row > y->row;
}

static int by_objective(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  int xn = isnan(x->mean), yn = isnan(y->mean);
  if (xn || yn) return xn - yn; /* no value: last */
  if (x->mean != y->mean) return (x->mean < y->mean ? 1 : -1) * x->goal;
  return x->row < y->row ? -1 : x->row > y->row;
}

/* The (point, arm) rows of the objective: a comparison's best first, a
 * sweep's in the order of its settings.  Returns how many. */
static size_t rank_rows(const folder *fo, ranked **out) {
  const table *t = fo->stats;
  long cp = table_col(t, "point"), ca = table_col(t, "arm"), cm = table_col(t, "metric"), cmean = table_col(t, "mean");
  ranked *rows = calloc(t->nrows + 1, sizeof *rows);
  size_t n = 0;
  for (size_t r = 0; rows && r < t->nrows; r++) {
    if (strcmp(cell(t, r, cm), fo->objective) != 0) continue;
    ranked *k = &rows[n++];
    *k = (ranked){r, cell(t, r, cp), cell(t, r, ca), cell_num(t, r, cmean), fo->goal, 0, {0}};
    for (int i = 0; i < fo->nfactors && i < MAX_SORT_FACTORS; i++)
      k->factor[k->nfactors++] = cell_num(t, r, table_col(t, fo->factors[i]));
  }
  if (rows) qsort(rows, n, sizeof *rows, fo->nfactors > 0 ? by_factors : by_objective);
  *out = rows;
  return n;
}

/* better than the baseline (+1), worse (-1), no clear difference (0), by the
 * interval of the paired difference. */
static int verdict(double lo, double hi, int better) {
  if (better == 0 || isnan(lo) || isnan(hi)) return 0;
  if (lo > 0) return better;
  if (hi < 0) return -better;
  return 0;
}

static const char *verdict_class(int v) {
  return v > 0 ? "better" : v < 0 ? "worse" : "unclear";
}

static int metric_better(const folder *fo, const char *metric) {
  if (fo->objective && strcmp(metric, fo->objective) == 0) return fo->goal;
  const metric_info *mi = sim_metric_named(metric);
  return mi ? mi->better : 0;
}

static unit_kind metric_unit(const char *metric) {
  const metric_info *mi = sim_metric_named(metric);
  return mi ? mi->unit : U_NUMBER;
}

/* ---- the page ------------------------------------------------------------------------- */

static const char page_style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#222;"
    "max-width:1180px;margin:0 auto;padding:24px 32px;line-height:1.45}\n"
    "h1{font-size:1.7em;margin:0 0 4px}h2{font-size:1.3em;margin:32px 0 8px;border-bottom:1px solid #ddd;"
    "padding-bottom:4px}\n"
    ".lede{color:#555;margin:0 0 16px}.question{font-size:1.1em;background:#f4f7fb;border-left:4px solid #0072B2;"
    "padding:10px 16px;margin:8px 0}\n"
    "table{border-collapse:collapse;margin:8px 0 12px;font-size:0.95em}th,td{padding:5px 10px;text-align:right;"
    "border-bottom:1px solid #e4e4e4;vertical-align:top}\n"
    "th{background:#f3f3f3;font-weight:600}th:first-child,td:first-child,td.name,th.name{text-align:left}\n"
    "tr:nth-child(even) td{background:#fafafa}td small,th small{color:#666;font-weight:normal}\n"
    ".better{color:#007a5a;font-weight:600}.worse{color:#b34700;font-weight:600}.unclear{color:#777}\n"
    ".note{color:#666;font-size:0.92em}.ci{font-size:0.92em;color:#444;background:#fffbea;padding:8px 12px;"
    "border-left:4px solid #E69F00}\n"
    "figure{margin:20px 0}figure img{max-width:100%;height:auto;border:1px solid #eee}"
    "figcaption{color:#444;font-size:0.95em;margin-top:4px}\n"
    "pre{background:#f6f6f6;padding:10px;overflow-x:auto;font-size:0.88em}code{font-size:0.95em}\n"
    "details{margin:8px 0}summary{cursor:pointer;color:#0072B2}\n"
    ".changes{background:#f8eef2;border-left:4px solid #882255;padding:8px 16px;margin:8px 0}"
    ".changes ul{margin:4px 0}\n";

/* An interval beneath a cell's headline figure. */
static void put_range(FILE *f, const char *lo, const char *hi) {
  fputs("<br><small>", f);
  sim_html_text(f, lo);
  fputs(" to ", f);
  sim_html_text(f, hi);
  fputs("</small>", f);
}

static void put_estimate_cell(FILE *f, estimate e, unit_kind unit) {
  char m[64], lo[64], hi[64];
  sim_words_value(m, sizeof m, e.mean, unit);
  fputs("<td>", f);
  sim_html_text(f, m);
  if (!isnan(e.lo) && !isnan(e.hi)) {
    sim_words_value(lo, sizeof lo, e.lo, unit);
    sim_words_value(hi, sizeof hi, e.hi, unit);
    put_range(f, lo, hi);
  }
  fputs("</td>", f);
}

/* A paired difference: the change from the baseline's mean in words, and the
 * difference with its interval beneath. */
static void put_difference_cell(FILE *f, estimate d, estimate base, unit_kind unit, int better) {
  char headline[64], lo[64], hi[64];
  int v = verdict(d.lo, d.hi, better);
  if (!d.found) {
    fputs("<td class=\"unclear\">n/a</td>", f);
    return;
  }
  if (unit == U_SHARE || isnan(base.mean) || base.mean == 0)
    sim_words_difference(headline, sizeof headline, d.mean, unit);
  else
    sim_words_signed_percent(headline, sizeof headline, 100 * d.mean / fabs(base.mean));
  fprintf(f, "<td class=\"%s\">", verdict_class(v));
  sim_html_text(f, headline);
  if (!isnan(d.lo) && !isnan(d.hi)) {
    sim_words_difference(lo, sizeof lo, d.lo, unit);
    sim_words_difference(hi, sizeof hi, d.hi, unit);
    put_range(f, lo, hi);
  }
  fputs("</td>", f);
}

static void put_factor_cells(FILE *f, const folder *fo, size_t stats_row) {
  for (int i = 0; i < fo->nfactors; i++) {
    fputs("<td>", f);
    sim_html_text(f, cell(fo->stats, stats_row, table_col(fo->stats, fo->factors[i])));
    fputs("</td>", f);
  }
}

static void put_ci_note(FILE *f, const folder *fo) {
  fprintf(f,
          "<p class=\"ci\"><b>Reading the ranges.</b> Under each mean is its %.0f%% confidence interval: the range "
          "the average would likely fall in if the runs were repeated with new random seeds. A difference from "
          "the baseline whose interval does not include 0 is unlikely to be chance; one whose interval includes "
          "0 cannot be told apart from no difference with this many runs. For a quantity that cannot be negative "
          "(tokens, dollars, shares, waits) the interval never reaches below 0 and need not be centred on the "
          "mean (docs/experiments.md, \"Which interval\").</p>\n",
          100 * fo->confidence);
}

static void put_campaign(FILE *f, const folder *fo) {
  const char *baseline = fo->narms > 0 ? fo->arms[0] : "baseline";
  const char *objective_label = sim_metric_named(fo->objective) ? sim_metric_named(fo->objective)->label : fo->objective;
  unit_kind ounit = metric_unit(fo->objective);
  ranked *rows = NULL;
  size_t nrows = rank_rows(fo, &rows);
  int sweep = fo->nfactors > 0;
  int with_paired = fo->paired != NULL && fo->narms > 1;
  /* One replication has no spread to measure: no interval, so no verdict. */
  int intervals = fo->replications >= 2;

  fputs(sweep ? "<h2>" : "<h2>Ranking by ", f);
  sim_html_text(f, objective_label);
  if (sweep) {
    fputs(" across the sweep", f);
  }
  fputs("</h2>\n<p>", f);
  fprintf(f, "%s is better. ", fo->goal > 0 ? "Higher" : "Lower");
  if (sweep)
    fprintf(f, "Each row is one combination of the swept settings%s, in the order of the settings, ",
            fo->narms > 1 ? " and one policy arm" : "");
  else
    fputs("Each row is one policy arm, ", f);
  fprintf(f, "averaged over %lld runs", fo->replications);
  if (fo->narms > 1) {
    fputs("; every arm ran on the same random seeds, so each is compared with the baseline (<b>", f);
    sim_html_text(f, baseline);
    fputs("</b>) run by run", f);
  }
  fputs(".</p>\n", f);
  fprintf(f, "<table class=\"ranking\" id=\"ranking\">\n<thead><tr><th>%s</th>", sweep ? "Point" : "Rank");
  for (int i = 0; i < fo->nfactors; i++) {
    fputs("<th>", f);
    sim_html_text(f, fo->factors[i]);
    fputs("</th>", f);
  }
  fputs("<th class=\"name\">Arm</th><th>", f);
  sim_html_text(f, objective_label);
  fprintf(f, "<br><small>mean, and %.0f%% confidence interval</small></th>", 100 * fo->confidence);
  if (with_paired) fputs("<th>Change from the baseline<br><small>same seeds, with its interval</small></th><th>Verdict</th>", f);
  fputs("</tr></thead>\n<tbody>\n", f);
  for (size_t i = 0; i < nrows && i < MAX_TABLE_ROWS; i++) {
    estimate e = find_estimate(fo->stats, rows[i].point, rows[i].arm, fo->objective);
    if (sweep)
      fprintf(f, "<tr><td>%s</td>", rows[i].point);
    else
      fprintf(f, "<tr><td>%zu</td>", i + 1);
    put_factor_cells(f, fo, rows[i].row);
    fputs("<td class=\"name\">", f);
    sim_html_text(f, rows[i].arm);
    fputs("</td>", f);
    put_estimate_cell(f, e, ounit);
    if (with_paired) {
      if (strcmp(rows[i].arm, baseline) == 0) {
        fputs("<td class=\"unclear\">&mdash;</td><td class=\"unclear\">the baseline</td>", f);
      } else {
        estimate d = find_estimate(fo->paired, rows[i].point, rows[i].arm, fo->objective);
        estimate b = find_estimate(fo->stats, rows[i].point, baseline, fo->objective);
        put_difference_cell(f, d, b, ounit, fo->goal);
        int v = verdict(d.lo, d.hi, fo->goal);
        fprintf(f, "<td class=\"%s\">%s</td>", verdict_class(v),
                !intervals ? "none: one run per arm gives no interval"
                : v > 0    ? "better than the baseline"
                : v < 0    ? "worse than the baseline"
                           : "no clear difference");
      }
    }
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n", f);
  if (nrows > MAX_TABLE_ROWS)
    fprintf(f, "<p class=\"note\">The %zu %s of %zu rows; stats.csv holds them all.</p>\n", (size_t)MAX_TABLE_ROWS,
            sweep ? "first" : "best", nrows);
  if (nrows == 0) {
    fputs("<p class=\"note\">stats.csv has no rows for the objective, ", f);
    sim_html_text(f, fo->objective);
    fputs(".</p>\n", f);
  }
  /* How many runs would pin the objective down to 5% (stats.csv: reps_needed). */
  double most = 0;
  for (size_t i = 0; i < nrows; i++) {
    estimate e = find_estimate(fo->stats, rows[i].point, rows[i].arm, fo->objective);
    if (e.reps_needed > most) most = e.reps_needed;
  }
  if (most > 0)
    fprintf(f,
            "<p class=\"note\">To pin every mean above down to within 5%% (at %.0f%% confidence) would take up "
            "to %.0f runs per row; this campaign ran %lld.</p>\n",
            100 * fo->confidence, most, fo->replications);
  if (intervals)
    put_ci_note(f, fo);
  else
    fprintf(f,
            "<p class=\"ci\"><b>No intervals.</b> With %lld run per %s no confidence interval can be given (it "
            "takes at least 2), so these means cannot be told apart from chance and no %s is called better or "
            "worse than another. Run the campaign with <code>--reps 2</code> or more.</p>\n",
            fo->replications, sweep ? "row" : "arm", sweep ? "row" : "arm");

  /* Key metrics per row, in the settings' order for a sweep, the arms' for a comparison. */
  fputs("<h2>Key figures</h2>\n<table class=\"metrics\">\n<thead><tr>", f);
  for (int i = 0; i < fo->nfactors; i++) {
    fputs("<th>", f);
    sim_html_text(f, fo->factors[i]);
    fputs("</th>", f);
  }
  fputs("<th class=\"name\">Arm</th>", f);
  for (int m = 0; m < fo->nmetrics; m++) {
    fputs("<th>", f);
    metric_label(f, fo->metrics[m]);
    fputs("</th>", f);
  }
  fputs("</tr></thead>\n<tbody>\n", f);
  size_t shown = 0;
  for (size_t k = 0; k < (sweep ? nrows : (size_t)fo->narms) && shown < MAX_TABLE_ROWS; k++, shown++) {
    const char *point = sweep ? rows[k].point : "0";
    const char *arm = sweep ? rows[k].arm : fo->arms[k];
    fputs("<tr>", f);
    if (sweep) put_factor_cells(f, fo, rows[k].row);
    fputs("<td class=\"name\">", f);
    sim_html_text(f, arm);
    fputs("</td>", f);
    for (int m = 0; m < fo->nmetrics; m++)
      put_estimate_cell(f, find_estimate(fo->stats, point, arm, fo->metrics[m]), metric_unit(fo->metrics[m]));
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n", f);
  if (sweep && nrows > MAX_TABLE_ROWS)
    fprintf(f, "<p class=\"note\">The first %d rows, in the order of the settings; stats.csv holds them all.</p>\n",
            MAX_TABLE_ROWS);

  /* Paired differences, for a comparison at one point. */
  if (with_paired && !sweep) {
    fputs("<h2>Differences from the baseline", f);
    if (strcmp(baseline, "baseline") != 0) {
      fputs(" (", f);
      sim_html_text(f, baseline);
      fputs(")", f);
    }
    fputs("</h2>\n<p>Each arm minus the baseline, run by run on the same seeds, as a change from the baseline's "
          "mean (points of percentage for shares), with the difference and its interval beneath. ",
          f);
    fputs(intervals ? "<span class=\"better\">Better</span>, <span class=\"worse\">worse</span>, "
                      "<span class=\"unclear\">no clear difference</span>."
                    : "One run per arm gives no interval, so none is called better or worse.",
          f);
    fputs("</p>\n<table class=\"paired\">\n<thead><tr><th class=\"name\">Arm</th>", f);
    for (int m = 0; m < fo->nmetrics; m++) {
      fputs("<th>", f);
      metric_label(f, fo->metrics[m]);
      fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (int a = 1; a < fo->narms; a++) {
      fputs("<tr><td class=\"name\">", f);
      sim_html_text(f, fo->arms[a]);
      fputs("</td>", f);
      for (int m = 0; m < fo->nmetrics; m++) {
        const char *metric = fo->metrics[m];
        put_difference_cell(f, find_estimate(fo->paired, "0", fo->arms[a], metric),
                            find_estimate(fo->stats, "0", baseline, metric), metric_unit(metric),
                            metric_better(fo, metric));
      }
      fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
  }
  free(rows);
}

/* The rows of a one-row summary that burnsim has words for; with only, just
 * those columns (NULL-terminated). */
/* ---- a calibration ------------------------------------------------------------------ */

static void put_cell_text(FILE *f, const char *cls, const char *text) {
  fprintf(f, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
  sim_html_text(f, text);
  fputs("</td>", f);
}

static void put_cell_number(FILE *f, double v, unit_kind unit) {
  char buf[64];
  sim_words_value(buf, sizeof buf, v, unit);
  fprintf(f, "<td>%s</td>", buf);
}

/* fit.csv, parameters.csv and outputs.csv in words. */
static void put_calibration(FILE *f, const folder *fo) {
  const table *t = fo->fit;
  fputs("<h2>How well it fits</h2>\n<p>Each known value against the model's estimate at the best parameter set "
        "found (the mean of its runs, with its interval over them). <i>z</i> is the distance in tolerances: "
        "within &plusmn;1 the value is reproduced.</p>\n",
        f);
  fputs("<table class=\"ranking\">\n<thead><tr><th class=\"name\">Target</th><th class=\"name\">Source</th>"
        "<th>Known value</th><th>Tolerance</th><th>Estimate<br><small>and its interval</small></th><th>z</th>"
        "<th>Reproduced?</th></tr></thead>\n<tbody>\n",
        f);
  for (size_t r = 0; r < t->nrows; r++) {
    /* (a sum of columns is in the unit of its first) */
    char first[128];
    snprintf(first, sizeof first, "%s", cell(t, r, table_col(t, "target")));
    first[strcspn(first, "+")] = '\0';
    unit_kind unit = metric_unit(first);
    fputs("<tr>", f);
    put_cell_text(f, "name", cell(t, r, table_col(t, "target")));
    put_cell_text(f, "name", cell(t, r, table_col(t, "source")));
    put_cell_number(f, cell_num(t, r, table_col(t, "value")), unit);
    fprintf(f, "<td>&plusmn;%.3g%%</td>", 100 * cell_num(t, r, table_col(t, "tolerance")));
    char est[64], lo[64], hi[64];
    sim_words_value(est, sizeof est, cell_num(t, r, table_col(t, "estimate")), unit);
    double l = cell_num(t, r, table_col(t, "ci_low")), h = cell_num(t, r, table_col(t, "ci_high"));
    sim_words_value(lo, sizeof lo, l, unit);
    sim_words_value(hi, sizeof hi, h, unit);
    if (l == l && h == h)
      fprintf(f, "<td>%s<br><small>%s to %s</small></td>", est, lo, hi);
    else
      fprintf(f, "<td>%s<br><small>one run: no interval</small></td>", est);
    fprintf(f, "<td>%+.2f</td>", cell_num(t, r, table_col(t, "z")));
    int yes = strcmp(cell(t, r, table_col(t, "reproduced")), "yes") == 0;
    put_cell_text(f, yes ? "better" : "worse", yes ? "yes" : "no");
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n", f);

  const table *p = fo->parameters;
  fputs("<h2>What the known values pin down</h2>\n<p>Every parameter set evaluated that reproduces every known "
        "value counts as a fit. A parameter whose fits spread over less than a tenth of its search range is "
        "<b>pinned</b> by the known values, under half <b>narrowed</b>, otherwise <b>free</b>: the known values "
        "do not tell its value, and results that depend on it are assumptions (docs/calibration.md).</p>\n",
        f);
  fputs("<table class=\"ranking\">\n<thead><tr><th class=\"name\">Parameter</th><th>Best</th><th>Searched "
        "over</th><th>Range over the fits</th><th>Share of the range</th><th class=\"name\">Pinned?</th></tr>"
        "</thead>\n<tbody>\n",
        f);
  for (size_t r = 0; r < p->nrows; r++) {
    char a[64], b[64];
    fputs("<tr><td class=\"name\"><code>", f);
    sim_html_text(f, cell(p, r, table_col(p, "parameter")));
    fputs("</code></td>", f);
    put_cell_number(f, cell_num(p, r, table_col(p, "best")), U_NUMBER);
    sim_words_value(a, sizeof a, cell_num(p, r, table_col(p, "search_min")), U_NUMBER);
    sim_words_value(b, sizeof b, cell_num(p, r, table_col(p, "search_max")), U_NUMBER);
    fprintf(f, "<td>%s to %s</td>", a, b);
    double lo = cell_num(p, r, table_col(p, "fitting_low")), hi = cell_num(p, r, table_col(p, "fitting_high"));
    const char *identified = cell(p, r, table_col(p, "identified"));
    if (lo == lo && hi == hi) {
      sim_words_value(a, sizeof a, lo, U_NUMBER);
      sim_words_value(b, sizeof b, hi, U_NUMBER);
      fprintf(f, "<td>%s to %s</td><td>%.0f%%</td>", a, b, 100 * cell_num(p, r, table_col(p, "fitting_share")));
    } else {
      fputs("<td class=\"unclear\">no set fits</td><td></td>", f);
    }
    put_cell_text(f, !strcmp(identified, "pinned") ? "better" : !strcmp(identified, "free") ? "worse" : "name",
                  *identified ? identified : "-");
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n", f);

  const table *o = fo->outputs;
  if (o && o->nrows > 0) {
    fputs("<h2>What the fits imply</h2>\n<p>Over the parameter sets that reproduce every known value, these "
          "results range as follows: the known values alone allow any figure in the range.</p>\n<table "
          "class=\"ranking\">\n<thead><tr><th class=\"name\">Result</th><th>At the best set</th><th>Over the "
          "fits</th></tr></thead>\n<tbody>\n",
          f);
    for (size_t r = 0; r < o->nrows; r++) {
      const char *column = cell(o, r, table_col(o, "output"));
      const metric_info *m = sim_metric_named(column);
      unit_kind unit = metric_unit(column);
      char best[64], a[64], b[64];
      sim_words_value(best, sizeof best, cell_num(o, r, table_col(o, "best")), unit);
      sim_words_value(a, sizeof a, cell_num(o, r, table_col(o, "fitting_low")), unit);
      sim_words_value(b, sizeof b, cell_num(o, r, table_col(o, "fitting_high")), unit);
      put_cell_text(f, "name", m ? m->label : column);
      fprintf(f, "<td>%s</td><td>%s to %s</td></tr>\n", best, a, b);
    }
    fputs("</tbody></table>\n", f);
  }
  fputs("<p class=\"note\"><code>calibrated.cfg</code> in this folder is the scenario at the best set: "
        "<code>burnsim run</code> accepts it.</p>\n",
        f);
}

/* ---- a sensitivity analysis -------------------------------------------------------- */

/* One factor's row of indices.csv for (arm, output, index), or -1. */
static long index_row(const table *t, const char *arm, const char *output, const char *factor, const char *index) {
  long ca = table_col(t, "arm"), co = table_col(t, "output"), cf = table_col(t, "factor"), ci = table_col(t, "index");
  for (size_t r = 0; r < t->nrows; r++)
    if (!strcmp(cell(t, r, ca), arm) && !strcmp(cell(t, r, co), output) && !strcmp(cell(t, r, cf), factor) &&
        !strcmp(cell(t, r, ci), index))
      return (long)r;
  return -1;
}

static double index_value(const table *t, long row, const char *column) {
  return row < 0 ? NAN : cell_num(t, (size_t)row, table_col(t, column));
}

static void put_index_cell(FILE *f, const table *t, long row, int percent) {
  double e = index_value(t, row, "estimate"), lo = index_value(t, row, "ci_low"), hi = index_value(t, row, "ci_high");
  /* (+ 0.0 turns a -0 that %.0f would print as "-0" into 0) */
  if (percent)
    fprintf(f, "<td>%.0f%%<br><small>%.0f%% to %.0f%%</small></td>", round(100 * e) + 0.0, round(100 * lo) + 0.0,
            round(100 * hi) + 0.0);
  else
    fprintf(f, "<td>%.4g<br><small>%.4g to %.4g</small></td>", e, lo, hi);
}

/* indices.csv and variance.csv as a ranked table per output, in words. */
static void put_sensitivity(FILE *f, const folder *fo, FILE *err) {
  table *ix = table_load(fo->dir, "indices.csv", err), *var = table_load(fo->dir, "variance.csv", err);
  if (!ix || !var) {
    fputs("<p class=\"note\">indices.csv or variance.csv cannot be read.</p>\n", f);
    table_free(ix);
    table_free(var);
    return;
  }
  int sobol = 0;
  for (size_t r = 0; r < ix->nrows; r++) sobol |= strcmp(cell(ix, r, table_col(ix, "index")), "S1") == 0;
  const char *main_index = sobol ? "ST" : "mu_star";
  fputs("<h2>Which factors drive the results</h2>\n<p>", f);
  if (sobol)
    fputs("Every factor was varied at once over its range, and each output's variance was split among them "
          "(Sobol indices): <b>alone</b> is the share a factor explains by itself, <b>with interactions</b> adds "
          "what it explains together with the others. A factor whose total share is near zero can be fixed "
          "anywhere in its range without changing the output. ", f);
  else
    fputs("Every factor was moved one at a time along random trajectories (Morris elementary effects): the "
          "<b>mean effect</b> is how much the output changes, on average, when the factor moves across its range; "
          "a <b>spread</b> as large as the mean effect means the factor acts through others or not linearly. ", f);
  fprintf(f, "Ranges are %.0f%% bootstrap intervals (docs/sensitivity.md).</p>\n", 100 * fo->confidence);
  long vo = table_col(var, "output"), va = table_col(var, "arm");
  for (size_t v = 0; v < var->nrows; v++) {
    const char *arm = cell(var, v, va), *output = cell(var, v, vo);
    const metric_info *m = sim_metric_named(output);
    fputs("<h3>", f);
    sim_html_text(f, m ? m->label : output);
    if (fo->narms > 1) {
      fputs(" (arm ", f);
      sim_html_text(f, arm);
      fputs(")", f);
    }
    fputs("</h3>\n<p>", f);
    double share = cell_num(var, v, table_col(var, "noise_share"));
    long long reps = (long long)cell_num(var, v, table_col(var, "replications"));
    if (share == share)
      fprintf(f, "Seed noise is %.1f%% of this output's variance across the design (%lld runs per point)%s. ",
              100 * share, reps, share < 0.1 ? ", so the indices describe the factors, not the seeds"
                                             : ": more replications are needed before the indices mean much");
    else
      fputs("Seed noise was not measured (one run per point). ", f);
    fputs("</p>\n", f);
    /* The factors in the order of the main index, largest first. */
    size_t nf = (size_t)fo->nfactors, order[64];
    for (size_t i = 0; i < nf && i < 64; i++) order[i] = i;
    for (size_t i = 1; i < nf && i < 64; i++)
      for (size_t j = i; j > 0; j--) {
        double a = index_value(ix, index_row(ix, arm, output, fo->factors[order[j]], main_index), "estimate");
        double b = index_value(ix, index_row(ix, arm, output, fo->factors[order[j - 1]], main_index), "estimate");
        if (!(a > b)) break;
        size_t t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
    fputs("<table class=\"ranking\">\n<thead><tr><th class=\"name\">Factor</th>", f);
    if (sobol)
      fputs("<th>Share of the variance, alone<br><small>S1</small></th><th>With interactions<br><small>ST</small></th>",
            f);
    else
      fputs("<th>Mean effect<br><small>mu*</small></th><th>Signed mean<br><small>mu</small></th>"
            "<th>Spread<br><small>sigma</small></th>", f);
    fputs("<th>Interval narrow enough?</th></tr></thead>\n<tbody>\n", f);
    for (size_t k = 0; k < nf && k < 64; k++) {
      const char *factor = fo->factors[order[k]];
      long first = index_row(ix, arm, output, factor, sobol ? "S1" : "mu_star");
      long second = index_row(ix, arm, output, factor, sobol ? "ST" : "mu");
      fputs("<tr><td class=\"name\"><code>", f);
      sim_html_text(f, factor);
      fputs("</code></td>", f);
      put_index_cell(f, ix, first, sobol);
      if (sobol) {
        put_index_cell(f, ix, second, 1);
      } else {
        fprintf(f, "<td>%.4g</td><td>%.4g</td>", index_value(ix, second, "estimate"),
                index_value(ix, index_row(ix, arm, output, factor, "sigma"), "estimate"));
      }
      int converged = first >= 0 && !strcmp(cell(ix, (size_t)first, table_col(ix, "converged")), "yes") &&
                      (!sobol || (second >= 0 && !strcmp(cell(ix, (size_t)second, table_col(ix, "converged")), "yes")));
      double needed = fmax(index_value(ix, first, "samples_needed"), sobol ? index_value(ix, second, "samples_needed") : 0);
      if (converged)
        fputs("<td class=\"better\">yes</td>", f);
      else
        fprintf(f, "<td class=\"unclear\">no: about %.0f %s</td>", needed, sobol ? "base samples" : "trajectories");
      fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    if (nf > 0) {
      const char *top = fo->factors[order[0]];
      long first = index_row(ix, arm, output, top, sobol ? "S1" : "mu_star");
      fputs("<p>In words: <code>", f);
      sim_html_text(f, top);
      if (sobol) {
        long second = index_row(ix, arm, output, top, "ST");
        fprintf(f, "</code> explains %.0f&ndash;%.0f%% of its variance on its own, and %.0f&ndash;%.0f%% with its "
                   "interactions.</p>\n",
                100 * fmax(index_value(ix, first, "ci_low"), 0), 100 * fmin(index_value(ix, first, "ci_high"), 1),
                100 * fmax(index_value(ix, second, "ci_low"), 0), 100 * fmin(index_value(ix, second, "ci_high"), 1));
      } else {
        fprintf(f, "</code> has the largest effect: moving it across its range changes this output by %.4g to %.4g on "
                   "average.</p>\n", index_value(ix, first, "ci_low"),
                index_value(ix, first, "ci_high"));
      }
    }
  }
  table_free(ix);
  table_free(var);
}

static void put_summary_rows(FILE *f, const table *t, const char *const *only) {
  for (size_t i = 0; sim_metric_at(i); i++) {
    const metric_info *mi = sim_metric_at(i);
    long c = table_col(t, mi->column);
    int wanted = !only;
    for (size_t k = 0; only && only[k]; k++) wanted |= strcmp(only[k], mi->column) == 0;
    if (c < 0 || !wanted) continue;
    char v[96];
    if (mi->unit == U_TEXT)
      snprintf(v, sizeof v, "%s", cell(t, 0, c));
    else
      sim_words_value(v, sizeof v, cell_num(t, 0, c), mi->unit);
    fputs("<tr><td>", f);
    sim_html_text(f, mi->label);
    fputs("</td><td>", f);
    sim_html_text(f, v);
    fputs("</td><td class=\"name\"><small>", f);
    sim_html_text(f, mi->explain);
    fputs("</small></td></tr>\n", f);
  }
}

static void put_raw_table(FILE *f, const table *t, const char *file) {
  fputs("<details><summary>Every column of ", f);
  sim_html_text(f, file);
  fputs(", as written</summary>\n<table>\n<thead><tr><th>column</th><th>value</th></tr></thead>\n<tbody>\n", f);
  for (size_t c = 0; c < t->ncols; c++) {
    fputs("<tr><td><code>", f);
    sim_html_text(f, t->names[c]);
    fputs("</code></td><td>", f);
    sim_html_text(f, cell(t, 0, (long)c));
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table></details>\n", f);
}

static void put_run(FILE *f, const folder *fo) {
  fputs("<h2>Summary of the run</h2>\n", f);
  if (!fo->summary || fo->summary->nrows == 0) {
    fputs("<p class=\"note\">summary.csv has no row.</p>\n", f);
    return;
  }
  fputs("<table class=\"summary\">\n<thead><tr><th>What</th><th>Over the whole run</th><th class=\"name\">What it means</th></tr></thead>\n<tbody>\n", f);
  put_summary_rows(f, fo->summary, NULL);
  fputs("</tbody></table>\n", f);
  put_raw_table(f, fo->summary, "summary.csv");
  if (fo->cluster_summary && fo->cluster_summary->nrows > 0) {
    /* what the organisation's summary does not already say */
    static const char *const cluster_only[] = {"gpus", "scheduler", "utilisation", "mean_wait_useful_h",
                                               "mean_wait_burn_h", "mean_wait_h", "p_wait", NULL};
    fputs("<h2>The GPU cluster</h2>\n<table class=\"summary\">\n<thead><tr><th>What</th><th>Over the whole run"
          "</th><th class=\"name\">What it means</th></tr></thead>\n<tbody>\n",
          f);
    put_summary_rows(f, fo->cluster_summary, cluster_only);
    fputs("</tbody></table>\n", f);
    put_raw_table(f, fo->cluster_summary, "cluster_summary.csv");
  }
}

/* The figures, embedded: SVG when there is one (sharp at any size), else PNG. */
static void put_figures(FILE *f, const folder *fo, const char *missing_reason) {
  sim_figure figures[16];
  size_t n = sim_plot_figures(&fo->info, figures, sizeof figures / sizeof figures[0]);
  sim_skipped_figure skipped[16];
  size_t nskipped = sim_plot_skipped(&fo->info, skipped, sizeof skipped / sizeof skipped[0]);
  fputs("<h2>Figures</h2>\n", f);
  if (n == 0 && nskipped == 0) fputs("<p class=\"note\">burnsim draws no figures for a folder of this kind.</p>\n", f);
  for (size_t i = 0; i < nskipped && i < sizeof skipped / sizeof skipped[0]; i++) {
    fprintf(f, "<p class=\"note\">The figure <b>%s</b> is not drawn, as it would show nothing: ", skipped[i].name);
    sim_html_text(f, skipped[i].why);
    fputs(".</p>\n", f);
  }
  for (size_t i = 0; i < n && i < sizeof figures / sizeof figures[0]; i++) {
    static const char *const formats[][2] = {{"svg", "image/svg+xml"}, {"png", "image/png"}};
    char *data = NULL;
    size_t len = 0;
    const char *mime = NULL;
    for (size_t k = 0; k < 2 && !data; k++) {
      char name[64];
      snprintf(name, sizeof name, "plots/%s.%s", figures[i].name, formats[k][0]);
      char *path = sim_path_join(fo->dir, name);
      if (path && (data = slurp(path, &len)) != NULL && len == 0) {
        free(data);
        data = NULL;
      }
      if (data) mime = formats[k][1];
      free(path);
    }
    fputs("<figure>\n", f);
    if (data) {
      fprintf(f, "<img src=\"data:%s;base64,", mime);
      sim_html_base64(f, (const unsigned char *)data, len);
      fputs("\" alt=\"", f);
      sim_html_text(f, figures[i].caption);
      fputs("\">\n", f);
    } else {
      fprintf(f, "<p class=\"note\">The figure <b>%s</b> is missing: ", figures[i].name);
      sim_html_text(f, missing_reason ? missing_reason : "it was not drawn");
      fputs(".</p>\n", f);
    }
    fputs("<figcaption>", f);
    sim_html_text(f, figures[i].caption);
    fputs("</figcaption>\n</figure>\n", f);
    free(data);
  }
}

static void put_row(FILE *f, const char *what, const char *value) {
  if (!value || !*value) return;
  fputs("<tr><td>", f);
  sim_html_text(f, what);
  fputs("</td><td class=\"name\">", f);
  sim_html_text(f, value);
  fputs("</td></tr>\n", f);
}

static void put_provenance(FILE *f, const folder *fo) {
  fputs("<h2>How this was made</h2>\n<table class=\"provenance\">\n<tbody>\n", f);
  put_row(f, "burnsim version", mf_string(fo, "burnsim_version"));
  put_row(f, "Source revision (git)", mf_string(fo, "git_revision"));
  put_row(f, "Libraries", mf_string(fo, "libraries"));
  put_row(f, "Scenario file", mf_string(fo, "scenario_file"));
  long long seed;
  char text[64];
  if (fo->have_manifest && config_lookup_int64(&fo->manifest, "master_seed", &seed) == CONFIG_TRUE) {
    snprintf(text, sizeof text, "%lld (each run's seed derives from it; see below)", seed);
    put_row(f, "Master seed", text);
  } else if (fo->have_manifest && config_lookup_int64(&fo->manifest, "seed", &seed) == CONFIG_TRUE) {
    snprintf(text, sizeof text, "%lld", seed);
    put_row(f, "Seed", text);
  }
  long long runs;
  if (fo->have_manifest && config_lookup_int64(&fo->manifest, "runs", &runs) == CONFIG_TRUE) {
    snprintf(text, sizeof text, "%lld", runs);
    put_row(f, "Runs", text);
  }
  put_row(f, "Started (UTC)", mf_string(fo, "started"));
  put_row(f, "Host", mf_string(fo, "host"));
  config_setting_t *resumes = fo->have_manifest ? config_lookup(&fo->manifest, "resumes") : NULL;
  for (int i = 0; resumes && i < config_setting_length(resumes); i++) {
    config_setting_t *r = config_setting_get_elem(resumes, (unsigned)i);
    const char *when = "", *cmd = "";
    config_setting_lookup_string(r, "started", &when);
    config_setting_lookup_string(r, "command_line", &cmd);
    char line[1024];
    snprintf(line, sizeof line, "%s: %s", when, cmd);
    put_row(f, "Resumed (UTC)", line);
  }
  put_row(f, "Results folder", fo->dir);
  fputs("</tbody></table>\n", f);
  if (!fo->have_manifest) fputs("<p class=\"note\">This folder has no readable manifest.cfg.</p>\n", f);

  const char *command = mf_string(fo, "command_line");
  if (command && *command) {
    fputs("<p>To repeat it, from the folder it was first run in (the CSV files come out the same; add "
          "<code>--force</code> to replace the earlier folder, or change <code>-o</code>):</p>\n<pre><code>",
          f);
    if (strncmp(command, "burnsim ", 8) != 0) fputs("burnsim ", f);
    sim_html_text(f, command);
    fputs("</code></pre>\n", f);
  }
  if (fo->scenario_text) {
    fputs("<details><summary>The resolved scenario: every setting, with the value used "
          "(scenario.cfg)</summary>\n<pre>",
          f);
    sim_html_text(f, fo->scenario_text);
    fputs("</pre></details>\n", f);
  }
  if (fo->design && fo->design->nrows > 0) {
    const table *t = fo->design;
    fprintf(f, "<details><summary>The %zu runs and their seeds (design.csv)</summary>\n<table>\n<thead><tr>",
            t->nrows);
    for (size_t c = 0; c < t->ncols; c++) {
      fputs("<th>", f);
      sim_html_text(f, t->names[c]);
      fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t r = 0; r < t->nrows && r < MAX_RUN_ROWS; r++) {
      fputs("<tr>", f);
      for (size_t c = 0; c < t->ncols; c++) {
        fputs("<td>", f);
        sim_html_text(f, cell(t, r, (long)c));
        fputs("</td>", f);
      }
      fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    if (t->nrows > MAX_RUN_ROWS)
      fprintf(f, "<p class=\"note\">The first %d of %zu runs; design.csv lists them all.</p>\n", MAX_RUN_ROWS,
              t->nrows);
    fputs("</details>\n", f);
  }
}

/* One line on what kind of results these are. */
static void put_lede(FILE *f, const folder *fo) {
  fputs("<p class=\"lede\">", f);
  if (fo->info.kind == SIM_RESULTS_CALIBRATION) {
    char times[32];
    if (fo->replications == 1)
      snprintf(times, sizeof times, "once");
    else
      snprintf(times, sizeof times, "%lld times on the same seeds", fo->replications);
    fprintf(f, "A calibration of %zu parameter%s to %zu known value%s, each parameter set run %s.",
            fo->parameters->nrows, fo->parameters->nrows == 1 ? "" : "s", fo->fit->nrows,
            fo->fit->nrows == 1 ? "" : "s", times);
  } else if (fo->info.kind == SIM_RESULTS_CAMPAIGN) {
    const char *kind = fo->info.campaign;
    if (strcmp(kind, "replications") == 0)
      fprintf(f, "The same scenario run %lld times, each with its own random seed.", fo->replications);
    else if (strcmp(kind, "compare") == 0)
      fprintf(f, "%d policies (the baseline and %d alternatives), each run %lld times on the same seeds.",
              fo->narms, fo->narms - 1, fo->replications);
    else {
      fputs(fo->info.sensitivity ? "A sensitivity analysis of " : "A sweep of ", f);
      for (int i = 0; i < fo->nfactors; i++) {
        fputs(i == 0 ? "<code>" : i + 1 == fo->nfactors ? " and <code>" : ", <code>", f);
        sim_html_text(f, fo->factors[i]);
        fputs("</code>", f);
      }
      fprintf(f, "%s, %lld runs at each point.", fo->narms > 1 ? " for each policy arm" : "", fo->replications);
    }
  } else {
    const table *t = fo->summary;
    double days = cell_num(t, 0, table_col(t, "days"));
    if (fo->info.kind == SIM_RESULTS_ORG_RUN) {
      char people[32];
      sim_words_grouped(people, sizeof people, cell_num(t, 0, table_col(t, "agents")));
      fprintf(f, "One run: %s people over %.4g days.", people, days);
    } else {
      fprintf(f, "One run of the GPU cluster over %.4g days.", days);
    }
  }
  fprintf(f, " Simulated with burnsim %s.</p>\n", burnsim_version);
}

/* What each policy arm changes from the baseline, from scenario.cfg (arms
 * given with --arm are there too). */
static void put_arm_changes(FILE *f, const folder *fo) {
  config_setting_t *arms = fo->have_scenario ? config_lookup(&fo->scenario, "experiment.arms") : NULL;
  int n = arms && fo->info.kind == SIM_RESULTS_CAMPAIGN && strcmp(fo->info.campaign, "replications") != 0
              ? config_setting_length(arms)
              : 0;
  if (n == 0) return;
  fputs("<p>The policies: <b>", f);
  sim_html_text(f, fo->narms > 0 ? fo->arms[0] : "baseline");
  fputs("</b> is the scenario as it is", f);
  for (int i = 0; i < n; i++) {
    const char *name = NULL, *set = NULL;
    config_setting_t *arm = config_setting_get_elem(arms, (unsigned)i);
    if (!arm || !config_setting_lookup_string(arm, "name", &name) || !config_setting_lookup_string(arm, "set", &set))
      continue;
    fputs(i + 1 == n && n > 1 ? "; and <b>" : "; <b>", f);
    sim_html_text(f, name);
    fputs("</b> changes <code>", f);
    sim_html_text(f, set);
    fputs("</code>", f);
  }
  fputs(".</p>\n", f);
}

/* The --set changes (manifest.cfg: overrides) and dated switches
 * (scenario.cfg: switches) this folder's results were made with, as a list
 * under the title: the question below is the scenario's own. */
static void put_changes(FILE *f, const folder *fo) {
  config_setting_t *set = fo->have_manifest ? config_lookup(&fo->manifest, "overrides") : NULL;
  config_setting_t *switches = fo->have_scenario ? config_lookup(&fo->scenario, "switches") : NULL;
  int nset = set ? config_setting_length(set) : 0, nswitch = switches ? config_setting_length(switches) : 0;
  if (nset + nswitch == 0) return;
  fputs("<div class=\"changes\"><b>Not the scenario as written.</b> These results were made with ", f);
  fputs(nset && nswitch ? "changes and switches" : nset ? "changes" : "switches", f);
  fputs(" the scenario's description (below) does not mention:<ul>\n", f);
  for (int i = 0; i < nset; i++) {
    const char *change = config_setting_get_string_elem(set, i);
    if (!change || strncmp(change, "switches=", 9) == 0) continue; /* (each switch follows, in words) */
    fputs("<li><code>", f);
    sim_html_text(f, change);
    fputs("</code> (<code>--set</code>)</li>\n", f);
  }
  for (int i = 0; i < nswitch; i++) {
    config_setting_t *sw = config_setting_get_elem(switches, (unsigned)i);
    long long day = 0;
    const char *change = "";
    config_setting_lookup_int64(sw, "day", &day);
    config_setting_lookup_string(sw, "set", &change);
    fprintf(f, "<li>from day %lld: <code>", day);
    sim_html_text(f, change);
    fputs("</code> (a dated switch)</li>\n", f);
  }
  fputs("</ul></div>\n", f);
}

static int write_page(FILE *f, const folder *fo, const char *missing_reason, FILE *err) {
  const char *name = mf_string(fo, "label");
  if (!name || !*name) name = fo->name ? fo->name : "burnsim results";
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
        f);
  sim_html_text(f, name);
  fputs(" - burnsim report</title>\n<style>\n", f);
  fputs(page_style, f);
  fputs("</style>\n</head>\n<body>\n<h1>", f);
  sim_html_text(f, name);
  fputs("</h1>\n", f);
  put_lede(f, fo);
  put_changes(f, fo);
  fputs("<h2>The question</h2>\n", f);
  if (fo->description && *fo->description) {
    fputs("<p class=\"question\">", f);
    sim_html_text(f, fo->description);
    fputs("</p>\n", f);
  } else {
    fputs("<p class=\"note\">The scenario has no description.</p>\n", f);
  }
  put_arm_changes(f, fo);
  if (fo->info.kind == SIM_RESULTS_CALIBRATION)
    put_calibration(f, fo);
  else if (fo->info.kind == SIM_RESULTS_CAMPAIGN && fo->info.sensitivity)
    put_sensitivity(f, fo, err);
  else if (fo->info.kind == SIM_RESULTS_CAMPAIGN)
    put_campaign(f, fo);
  else
    put_run(f, fo);
  put_figures(f, fo, missing_reason);
  put_provenance(f, fo);
  fprintf(f, "<p class=\"note\">Written by <code>burnsim report</code> (burnsim %s, revision ", burnsim_version);
  sim_html_text(f, burnsim_git_revision);
  fputs(").</p>\n</body>\n</html>\n", f);
  return ferror(f) ? -1 : 0;
}

typedef struct page_args {
  const folder *fo;
  const char *missing_reason;
  FILE *err;
} page_args;

static int compose_page(FILE *f, void *ctx) {
  const page_args *a = ctx;
  return write_page(f, a->fo, a->missing_reason, a->err);
}

/* Figures the page will want that DIR/plots/ has in neither SVG nor PNG. */
static int figures_missing(const folder *fo) {
  sim_figure figures[16];
  size_t n = sim_plot_figures(&fo->info, figures, sizeof figures / sizeof figures[0]);
  int missing = 0;
  for (size_t i = 0; i < n && i < sizeof figures / sizeof figures[0]; i++) {
    int found = 0;
    for (int k = 0; k < 2 && !found; k++) {
      char name[64];
      snprintf(name, sizeof name, "plots/%s.%s", figures[i].name, k == 0 ? "svg" : "png");
      char *path = sim_path_join(fo->dir, name);
      struct stat st;
      found = path && stat(path, &st) == 0 && st.st_size > 0;
      free(path);
    }
    missing += !found;
  }
  return missing;
}

int sim_report_write(const char *dir, const sim_report_options *options, FILE *err) {
  sim_report_options defaults = {NULL, 1, NULL, 0};
  if (!options) options = &defaults;
  struct stat st;
  if (options->output && !options->force && lstat(options->output, &st) == 0) {
    fprintf(err, "burnsim: %s already exists; pass --force to replace it, or choose another file with -o\n",
            options->output);
    return SIM_REPORT_EXISTS;
  }
  if (val_is_folder(dir)) return val_report(dir, options, err); /* a validation folder has its own page */
  folder fo;
  int rc = folder_open(&fo, dir, err);
  if (rc != SIM_REPORT_OK) {
    folder_close(&fo);
    return rc;
  }
  const char *missing_reason = NULL;
  if (figures_missing(&fo)) {
    if (!options->draw_missing) {
      missing_reason = "it was not drawn (burnsim plot draws the figures)";
    } else {
      const char *const svg[] = {"svg", NULL};
      sim_plot_status ps = sim_plot_folder(dir, svg, err);
      if (ps == SIM_PLOT_NO_GNUPLOT) {
        missing_reason = "gnuplot is not installed, so it could not be drawn (Debian package gnuplot-nox; then "
                         "burnsim plot draws the figures)";
        fprintf(err, "burnsim: gnuplot is not installed, so the report has no figures (install the Debian "
                     "package gnuplot-nox)\n");
      } else if (ps != SIM_PLOT_DONE) {
        missing_reason = "gnuplot could not draw it";
      }
    }
  }
  char *out = options->output ? strdup(options->output) : sim_path_join(dir, "report.html");
  if (!out) fprintf(err, "burnsim: out of memory writing the report of %s\n", dir);
  page_args args = {&fo, missing_reason, err};
  rc = out ? sim_html_write_page(out, compose_page, &args, options->cancel, err) : SIM_REPORT_FAILED;
  free(out);
  folder_close(&fo);
  return rc;
}

/* ---- a run's summary on the terminal ------------------------------------------------ */

int sim_report_print_run_summary(const char *dir, FILE *out, FILE *err) {
  static const char *const org_figures[] = {"burn_share", "usd_burn", "value", "value_per_usd", "net_value",
                                            "value_lost", NULL};
  static const char *const cluster_figures[] = {"utilisation", "mean_wait_useful_h", "mean_wait_burn_h",
                                                "usd_burn", "usd_total", NULL};
  char *path = sim_path_join(dir, "summary.csv");
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  free(path);
  if (!r) return -1;
  int rc = sim_csv_reader_next(r, err) == 1 ? 0 : -1;
  const char *const *figures = sim_csv_reader_find(r, "agents") >= 0 ? org_figures : cluster_figures;
  for (size_t i = 0; rc == 0 && figures[i]; i++) {
    long col = sim_csv_reader_find(r, figures[i]);
    const metric_info *mi = sim_metric_named(figures[i]);
    if (col < 0 || !mi) continue;
    char value[64];
    sim_words_value(value, sizeof value, sim_csv_reader_number(r, (size_t)col), mi->unit);
    fprintf(out, "  %-36s %s\n", mi->label, value);
  }
  sim_csv_reader_close(r);
  return rc;
}
