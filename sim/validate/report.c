/* sim/validate/report.c - the HTML page of a validation folder. */
#include <errno.h>
#include <libconfig.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/build_info.h"
#include "io/csv_read.h"
#include "io/html.h"
#include "io/manifest.h"
#include "io/output.h"
#include "io/report.h"
#include "validate/validate.h"

/* validation.csv, whole. */
typedef struct vtable {
  size_t ncols, nrows;
  char **names, **cells;
} vtable;

static void vtable_free(vtable *t) {
  for (size_t i = 0; t->names && i < t->ncols; i++) free(t->names[i]);
  for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++) free(t->cells[i]);
  free(t->names);
  free(t->cells);
}

static int vtable_load(vtable *t, const char *dir, FILE *err) {
  memset(t, 0, sizeof *t);
  char *path = sim_path_join(dir, "validation.csv");
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  free(path);
  if (!r) return -1;
  t->ncols = sim_csv_reader_columns(r);
  t->names = calloc(t->ncols, sizeof *t->names);
  int got = t->names ? 0 : -1;
  for (size_t c = 0; got == 0 && c < t->ncols; c++)
    if (!(t->names[c] = strdup(sim_csv_reader_name(r, c)))) got = -1;
  size_t cap = 0;
  while (got == 0 && (got = sim_csv_reader_next(r, err)) == 1) {
    if (t->nrows == cap) {
      cap = cap ? 2 * cap : 64;
      char **grown = realloc(t->cells, cap * t->ncols * sizeof *grown);
      if (!grown) {
        got = -1;
        break;
      }
      t->cells = grown;
    }
    for (size_t c = 0; c < t->ncols; c++) t->cells[t->nrows * t->ncols + c] = strdup(sim_csv_reader_field(r, c));
    t->nrows++;
    got = 0;
  }
  sim_csv_reader_close(r);
  return got < 0 ? -1 : 0;
}

static const char *vcell(const vtable *t, size_t row, const char *col) {
  for (size_t c = 0; c < t->ncols; c++)
    if (strcmp(t->names[c], col) == 0) {
      const char *s = t->cells[row * t->ncols + c];
      return s ? s : "";
    }
  return "";
}

static double vnum(const vtable *t, size_t row, const char *col) {
  const char *s = vcell(t, row, col);
  char *end;
  double v = strtod(s, &end);
  return end == s || *end ? NAN : v;
}

static void number(FILE *f, double v) {
  char b[64];
  if (isnan(v))
    snprintf(b, sizeof b, "n/a");
  else if (isinf(v))
    snprintf(b, sizeof b, "%s\u221e", v < 0 ? "\u2212" : "");
  else
    snprintf(b, sizeof b, "%.4g", v);
  sim_html_text(f, b);
}

static const char page_style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#222;"
    "max-width:1180px;margin:0 auto;padding:24px 32px;line-height:1.45}\n"
    "h1{font-size:1.7em;margin:0 0 4px}h2{font-size:1.3em;margin:32px 0 8px;border-bottom:1px solid #ddd;"
    "padding-bottom:4px}h3{font-size:1.1em;margin:24px 0 6px}\n"
    ".lede{color:#555;margin:0 0 16px}\n"
    "table{border-collapse:collapse;margin:8px 0 12px;font-size:0.92em}th,td{padding:5px 8px;text-align:right;"
    "border-bottom:1px solid #e4e4e4;vertical-align:top}\n"
    "th{background:#f3f3f3;font-weight:600}td.name,th.name{text-align:left}td small{color:#666}\n"
    ".pass{color:#007a5a;font-weight:600}.fail{color:#b34700;font-weight:600}.inconclusive{color:#777;"
    "font-weight:600}\n"
    ".note{color:#666;font-size:0.92em}figure{margin:12px 0}figure img{max-width:100%;height:auto;"
    "border:1px solid #eee}\n"
    "pre{background:#f6f6f6;padding:10px;overflow-x:auto;font-size:0.88em}\n";

static const char *mf(const config_t *cfg, int have, const char *key) {
  const char *s = NULL;
  return have && config_lookup_string(cfg, key, &s) == CONFIG_TRUE ? s : NULL;
}

/* The manifest's entry for a target: its title and the command that repeats its runs. */
static const char *target_field(const config_t *cfg, int have, const char *target, const char *field) {
  config_setting_t *list = have ? config_lookup(cfg, "targets") : NULL;
  for (int i = 0; list && i < config_setting_length(list); i++) {
    config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
    const char *name = NULL, *v = NULL;
    if (config_setting_lookup_string(g, "name", &name) == CONFIG_TRUE && strcmp(name, target) == 0 &&
        config_setting_lookup_string(g, field, &v) == CONFIG_TRUE)
      return v;
  }
  return NULL;
}

static void put_figure(FILE *f, const char *dir, const char *target) {
  static const char *const kinds[][2] = {{"svg", "image/svg+xml"}, {"png", "image/png"}};
  for (int k = 0; k < 2; k++) {
    char name[160], why[256];
    snprintf(name, sizeof name, "plots/%s.%s", target, kinds[k][0]);
    char *path = sim_path_join(dir, name);
    size_t len = 0;
    char *data = path ? sim_read_own_file(path, 64u << 20, &len, why, sizeof why) : NULL;
    free(path);
    if (data && len > 0) {
      fprintf(f, "<figure><img src=\"data:%s;base64,", kinds[k][1]);
      sim_html_base64(f, (const unsigned char *)data, len);
      fputs("\" alt=\"", f);
      sim_html_text(f, target);
      fputs(": each check's estimate and 95% interval against the band of the known answer\"><figcaption "
            "class=\"note\">Blue band: what the known answer allows; dashed line: the known value; dot and "
            "whisker: burnsim's estimate and its 95% interval (green: pass, orange: fail, grey: inconclusive)."
            "</figcaption></figure>\n",
            f);
      free(data);
      return;
    }
    free(data);
  }
  fputs("<p class=\"note\">No figure: it was not drawn (burnsim plot draws it; it needs gnuplot).</p>\n", f);
}

static void put_known(FILE *f, const vtable *t, size_t r) {
  double lo = vnum(t, r, "low"), hi = vnum(t, r, "high");
  const char *claim = vcell(t, r, "claim");
  if (*claim) {
    sim_html_text(f, claim);
    fputs("<br><small>", f);
  } else {
    fputs("<small>", f);
  }
  fputs("band ", f);
  if (lo == hi) {
    fputs("= ", f);
    number(f, lo);
  } else {
    fputc('[', f);
    number(f, lo);
    fputs(", ", f);
    number(f, hi);
    fputc(']', f);
  }
  fputs("</small>", f);
}

static void put_estimate(FILE *f, const vtable *t, size_t r) {
  number(f, vnum(t, r, "estimate"));
  double lo = vnum(t, r, "ci_low"), hi = vnum(t, r, "ci_high");
  if (!isnan(lo) && lo != hi) {
    fputs("<br><small>", f);
    number(f, lo);
    fputs(" to ", f);
    number(f, hi);
    fputs("</small>", f);
  }
}

static void write_page(FILE *f, const char *dir, const vtable *t, const config_t *cfg, int have) {
  size_t count[3] = {0, 0, 0};
  for (size_t r = 0; r < t->nrows; r++) {
    const char *v = vcell(t, r, "verdict");
    count[strcmp(v, "pass") == 0 ? 0 : strcmp(v, "fail") == 0 ? 2 : 1]++;
  }
  int quick = 0;
  if (have) config_lookup_bool(cfg, "quick", &quick);
  double seconds = NAN;
  if (have) config_lookup_float(cfg, "seconds", &seconds);
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>burnsim validation</title>\n<style>\n",
        f);
  fputs(page_style, f);
  fputs("</style>\n</head>\n<body>\n<h1>burnsim validation", f);
  if (quick) fputs(" (quick set)", f);
  fputs("</h1>\n<p class=\"lede\">", f);
  fprintf(f, "%zu checks: <span class=\"pass\">%zu pass</span>, <span class=\"fail\">%zu fail</span>, "
             "<span class=\"inconclusive\">%zu inconclusive</span>.",
          t->nrows, count[0], count[2], count[1]);
  if (!isnan(seconds)) fprintf(f, " The run took %.0f s.", seconds);
  fprintf(f, " Simulated with burnsim %s.</p>\n", burnsim_version);
  fputs("<p>Each check compares burnsim's estimate of a known quantity, the mean over replications with its "
        "95% Student-t interval (paired by seed for differences), with the band the known answer allows. "
        "<span class=\"pass\">pass</span>: the whole interval lies inside the band; <span class=\"fail\">fail"
        "</span>: the whole interval lies outside it; <span class=\"inconclusive\">inconclusive</span>: the "
        "interval straddles an edge, and the table says how many replications would decide. A quantity computed "
        "once (a closed form, a reference file) is its own interval.</p>\n",
        f);

  fputs("<h2>The table</h2>\n<table>\n<thead><tr><th class=\"name\">Target / check</th><th class=\"name\">"
        "Source</th><th>Known answer</th><th>burnsim<br><small>estimate, 95% interval</small></th><th>Verdict"
        "</th><th>Replications</th></tr></thead>\n<tbody>\n",
        f);
  for (size_t r = 0; r < t->nrows; r++) {
    const char *target = vcell(t, r, "target"), *v = vcell(t, r, "verdict");
    fputs("<tr><td class=\"name\"><a href=\"#t-", f);
    sim_html_text(f, target);
    fputs("\">", f);
    sim_html_text(f, target);
    fputs("</a> / ", f);
    sim_html_text(f, vcell(t, r, "check"));
    fputs("</td><td class=\"name\"><small>", f);
    sim_html_text(f, vcell(t, r, "source"));
    fputs("</small></td><td>", f);
    put_known(f, t, r);
    fputs("</td><td>", f);
    put_estimate(f, t, r);
    fputs("</td><td class=\"", f);
    sim_html_text(f, v);
    fputs("\">", f);
    sim_html_text(f, v);
    double need = vnum(t, r, "reps_needed");
    if (strcmp(v, "inconclusive") == 0 && need > 0) fprintf(f, "<br><small>about %.0f replications would decide</small>", need);
    fputs("</td><td>", f);
    double reps = vnum(t, r, "replications");
    if (reps > 0)
      fprintf(f, "%.0f", reps);
    else
      fputs("<small>computed once</small>", f);
    fputs("</td></tr>\n", f);
  }
  fputs("</tbody></table>\n", f);

  fputs("<h2>The targets</h2>\n", f);
  for (size_t r = 0; r < t->nrows;) {
    const char *target = vcell(t, r, "target");
    size_t end = r;
    while (end < t->nrows && strcmp(vcell(t, end, "target"), target) == 0) end++;
    fputs("<h3 id=\"t-", f);
    sim_html_text(f, target);
    fputs("\">", f);
    sim_html_text(f, target);
    const char *title = target_field(cfg, have, target, "title");
    if (title && *title) {
      fputs(": ", f);
      sim_html_text(f, title);
    }
    fputs("</h3>\n<p><b>Source:</b> ", f);
    sim_html_text(f, vcell(t, r, "source"));
    fputs("</p>\n", f);
    put_figure(f, dir, target);
    fputs("<ul>\n", f);
    for (size_t k = r; k < end; k++) {
      fputs("<li><b>", f);
      sim_html_text(f, vcell(t, k, "check"));
      fputs("</b> <span class=\"", f);
      sim_html_text(f, vcell(t, k, "verdict"));
      fputs("\">", f);
      sim_html_text(f, vcell(t, k, "verdict"));
      fputs("</span>", f);
      const char *detail = vcell(t, k, "detail");
      if (*detail) {
        fputs(": ", f);
        sim_html_text(f, detail);
      }
      fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
    const char *command = target_field(cfg, have, target, "command");
    if (command && *command) {
      fputs("<p>Its runs alone:</p>\n<pre><code>", f);
      sim_html_text(f, command);
      fputs("</code></pre>\n", f);
    }
    r = end;
  }

  fputs("<h2>How this was made</h2>\n<table>\n<tbody>\n", f);
  static const char *const rows[][2] = {{"burnsim version", "burnsim_version"}, {"Source revision (git)", "git_revision"},
                                        {"Libraries", "libraries"},           {"Targets file", "targets_file"},
                                        {"Started (UTC)", "started"},          {"Host", "host"}};
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const char *v = mf(cfg, have, rows[i][1]);
    if (!v) continue;
    fputs("<tr><td class=\"name\">", f);
    sim_html_text(f, rows[i][0]);
    fputs("</td><td class=\"name\">", f);
    sim_html_text(f, v);
    fputs("</td></tr>\n", f);
  }
  fputs("<tr><td class=\"name\">Results folder</td><td class=\"name\">", f);
  sim_html_text(f, dir);
  fputs("</td></tr>\n</tbody></table>\n", f);
  const char *command = mf(cfg, have, "command_line");
  if (command) {
    fputs("<p>To repeat it (validation.csv comes out the same for any --threads; add <code>--force</code> to "
          "replace the earlier folder, or change <code>-o</code>):</p>\n<pre><code>",
          f);
    sim_html_text(f, command);
    fputs("</code></pre>\n", f);
  }
  if (!have) fputs("<p class=\"note\">This folder has no readable manifest.cfg.</p>\n", f);
  fprintf(f, "<p class=\"note\">Written by <code>burnsim report</code> (burnsim %s, revision ", burnsim_version);
  sim_html_text(f, burnsim_git_revision);
  fputs(").</p>\n</body>\n</html>\n", f);
}

typedef struct page_args {
  const char *dir;
  const vtable *t;
  const config_t *cfg;
  int have;
} page_args;

static int compose_page(FILE *f, void *ctx) {
  const page_args *a = ctx;
  write_page(f, a->dir, a->t, a->cfg, a->have);
  return 0; /* (a failed write shows in ferror) */
}

/* Whether a figure of every target is in plots/. */
static int figures_complete(const char *dir, const vtable *t) {
  for (size_t r = 0; r < t->nrows; r++) {
    int found = 0;
    for (int k = 0; k < 2 && !found; k++) {
      char name[160];
      snprintf(name, sizeof name, "plots/%s.%s", vcell(t, r, "target"), k ? "png" : "svg");
      char *path = sim_path_join(dir, name);
      struct stat st;
      found = path && lstat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
      free(path);
    }
    if (!found) return 0;
  }
  return 1;
}

int val_report(const char *dir, const struct sim_report_options *options, FILE *err) {
  sim_report_options defaults = {.output = NULL, .draw_missing = 1};
  if (!options) options = &defaults;
  vtable t;
  if (vtable_load(&t, dir, err) != 0) {
    vtable_free(&t);
    fprintf(err, "burnsim: %s/validation.csv cannot be read (above)\n", dir);
    return SIM_REPORT_BAD_FOLDER;
  }
  config_t cfg;
  config_init(&cfg);
  char why[600];
  char *mpath = sim_path_join(dir, "manifest.cfg");
  int have = mpath && manifest_read(&cfg, mpath, why, sizeof why) == 0;
  if (!have && mpath) fprintf(err, "burnsim: %s (the report leaves out what it says)\n", why);
  free(mpath);
  if (options->draw_missing && !figures_complete(dir, &t)) {
    static const char *const svg[] = {"svg", NULL};
    if (val_plot_folder(dir, svg, err) == SIM_PLOT_NO_GNUPLOT)
      fprintf(err, "burnsim: gnuplot is not installed, so the report has no figures (install the Debian "
                   "package gnuplot-nox)\n");
  }
  char *out = options->output ? strdup(options->output) : sim_path_join(dir, "report.html");
  page_args args = {dir, &t, &cfg, have};
  int rc = out ? sim_html_write_page(out, compose_page, &args, options->cancel, err) : SIM_REPORT_FAILED;
  free(out);
  config_destroy(&cfg);
  vtable_free(&t);
  return rc;
}
