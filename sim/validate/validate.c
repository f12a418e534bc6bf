/* sim/validate/validate.c - running the targets, their verdicts, validation.csv and the table. */
#include "validate/validate.h"

#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/build_info.h"
#include "experiment/campaign.h"
#include "io/csv_read.h"
#include "experiment/design.h"
#include "validate/logit.h"
#include "validate/measure.h"
#include "io/output.h"
#include "experiment/ranks.h"
#include "experiment/tables.h"
#include "validate/targets.h"

#define CONFIDENCE 0.95
#define REPS_CAP 1000000

/* One row of validation.csv. */
typedef struct val_row {
  const val_target *t;
  char check[VAL_NAME_LEN];
  char claim[VAL_TEXT_LEN];
  double expected, low, high;
  int open;     /* the band excludes its finite end (a sign) */
  int relative; /* the tolerance is a share of the expected value */
  size_t reps;      /* replications behind the estimate (0: computed once) */
  val_estimate est;
  val_verdict verdict;
  size_t reps_needed;
  char detail[1024];
} val_row;

typedef struct rows {
  val_row *items;
  size_t n, cap;
} rows;

static val_row *add_row(rows *r, const val_target *t, const char *check) {
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 64;
    val_row *grown = realloc(r->items, cap * sizeof *grown);
    if (!grown) return NULL;
    r->items = grown;
    r->cap = cap;
  }
  val_row *row = &r->items[r->n++];
  memset(row, 0, sizeof *row);
  row->t = t;
  snprintf(row->check, sizeof row->check, "%s", check);
  row->expected = row->low = row->high = NAN;
  row->est = (val_estimate){0, NAN, NAN, NAN, NAN};
  row->verdict = VAL_FAIL;
  return row;
}

static void band_of(val_row *row, const val_check *c) {
  row->expected = c->expected;
  row->low = c->low;
  row->high = c->high;
  row->open = c->open;
  row->relative = c->relative;
  snprintf(row->claim, sizeof row->claim, "%s", c->claim);
}

static void decide(val_row *row) {
  row->verdict = val_decide(&row->est, row->low, row->high, row->open, CONFIDENCE, REPS_CAP, &row->reps_needed);
}

/* ---- a target's scenario ---------------------------------------------------- */

static int load_target_scenario(const val_target *t, int quick, scenario *s, FILE *err) {
  if (scenario_load(s, t->scenario, NULL, 0, err) != 0) return -1;
  if (*t->set && scenario_apply_changes(s, t->set, err) != 0) return -1;
  if (quick && *t->quick_set && scenario_apply_changes(s, t->quick_set, err) != 0) return -1;
  return 0;
}

static exp_kind kind_of(const scenario *s) {
  return s->experiment.sweep.n_factors > 0 ? EXP_SWEEP : s->experiment.n_arms > 0 ? EXP_COMPARE : EXP_REPLICATIONS;
}

static size_t reps_of(const val_target *t, int quick) {
  return (size_t)(quick && t->quick ? t->quick_replications : t->replications);
}

static long arm_index(const exp_design *d, const char *name) {
  if (!*name) return 0;
  for (size_t a = 0; a < d->arms; a++)
    if (strcmp(d->arm_names[a], name) == 0) return (long)a;
  return -1;
}

/* The arms and points the checks name exist in the campaign. */
static int check_layout(const val_target *t, const exp_design *d, const char *file, FILE *err) {
  int bad = 0;
  for (size_t k = 0; k < t->n_checks; k++) {
    const val_check *c = &t->checks[k];
    const char *arms[2] = {c->arm, c->to_arm};
    for (int i = 0; i < 2; i++)
      if (arm_index(d, arms[i]) < 0) {
        fprintf(err, "%s:%d: check %s: the campaign of %s has no arm \"%s\"\n", file, c->line, c->name, t->name,
                arms[i]);
        bad = 1;
      }
    long pts[VAL_MAX_POINTS + 2];
    size_t np = 0;
    pts[np++] = c->point;
    pts[np++] = c->to_point;
    for (size_t i = 0; i < c->n_points; i++) pts[np++] = c->points[i];
    for (size_t i = 0; i < np; i++)
      if ((size_t)pts[i] >= d->points) {
        fprintf(err, "%s:%d: check %s: point %ld, but the campaign of %s has %zu point%s (from 0)\n", file, c->line,
                c->name, pts[i], t->name, d->points, d->points == 1 ? "" : "s");
        bad = 1;
        break;
      }
    if (c->compare == VAL_STEPS && c->n_points == 0 && d->points < 2) {
      fprintf(err, "%s:%d: check %s: compare = \"steps\" needs a sweep of two or more points\n", file, c->line,
              c->name);
      bad = 1;
    }
  }
  return bad ? -1 : 0;
}

/* Loads every selected target's scenario and checks its layout: a mistake
 * is reported before anything runs. */
static int preflight(const val_targets *ts, const val_target *const *sel, size_t n, int quick, FILE *err) {
  int bad = 0;
  scenario *s = malloc(sizeof *s);
  if (!s) return -1;
  for (size_t i = 0; i < n; i++) {
    const val_target *t = sel[i];
    if (t->kind == VAL_CLOSED_FORM) continue;
    if (load_target_scenario(t, quick, s, err) != 0) {
      fprintf(err, "%s:%d: target %s: its scenario %s does not load (above)\n", ts->path, t->line, t->name,
              t->scenario);
      bad = 1;
      continue;
    }
    double p[ORG_OPTIONS];
    if (t->kind == VAL_LOGIT) {
      if (val_logit_probabilities(s, p, err) != 0) {
        fprintf(err, "%s:%d: target %s: %s is not a logit validation scenario (above)\n", ts->path, t->line,
                t->name, t->scenario);
        bad = 1;
      }
      continue;
    }
    exp_design d;
    if (exp_design_init(&d, s, kind_of(s), reps_of(t, quick), err) != 0) {
      bad = 1;
      continue;
    }
    if (check_layout(t, &d, ts->path, err) != 0) bad = 1;
    exp_design_free(&d);
  }
  free(s);
  return bad ? -1 : 0;
}

/* ---- the folder --------------------------------------------------------------- */

int val_is_folder(const char *dir) {
  char *p = sim_path_join(dir, "validation.csv");
  struct stat st;
  int yes = p && lstat(p, &st) == 0 && S_ISREG(st.st_mode);
  free(p);
  return yes;
}

/* Whether dir holds what validate writes and nothing else: its manifest
 * (kind = "validation"), validation.csv, report.html, plots/ and the
 * targets' folders, each with a burnsim manifest. */
static int validation_folder_alone(const char *dir, char *why, size_t n) {
  char *mpath = sim_path_join(dir, "manifest.cfg");
  config_t cfg;
  config_init(&cfg);
  char reason[512];
  const char *kind = NULL;
  int ok = mpath && manifest_read(&cfg, mpath, reason, sizeof reason) == 0 &&
           config_lookup_string(&cfg, "kind", &kind) == CONFIG_TRUE && strcmp(kind, "validation") == 0;
  config_destroy(&cfg);
  free(mpath);
  if (!ok) {
    snprintf(why, n, "it has no manifest.cfg of a validation folder");
    return 0;
  }
  DIR *dp = opendir(dir);
  if (!dp) {
    snprintf(why, n, "it cannot be read");
    return 0;
  }
  struct dirent *ent;
  while (ok && (ent = readdir(dp))) {
    const char *e = ent->d_name;
    if (!strcmp(e, ".") || !strcmp(e, "..")) continue;
    char *p = sim_path_join(dir, e);
    struct stat st;
    int file = p && lstat(p, &st) == 0 && S_ISREG(st.st_mode), folder = p && lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
    if (strstr(e, ".partial-") && (file || folder)) {
      /* what an interrupted writer left */
    } else if (file && (!strcmp(e, "manifest.cfg") || !strcmp(e, "validation.csv") || !strcmp(e, "report.html"))) {
    } else if (folder && !strcmp(e, "plots")) {
    } else if (folder && !strcmp(e, "targets")) {
      DIR *tp = opendir(p);
      struct dirent *te;
      while (ok && tp && (te = readdir(tp))) {
        if (!strcmp(te->d_name, ".") || !strcmp(te->d_name, "..") || strstr(te->d_name, ".partial-")) continue;
        char *sub = sim_path_join(p, te->d_name);
        char *m = sub ? sim_path_join(sub, "manifest.cfg") : NULL;
        char *c = sub ? sim_path_join(sub, "counts.csv") : NULL;
        struct stat ss;
        ok = sub && lstat(sub, &ss) == 0 && S_ISDIR(ss.st_mode) &&
             ((m && lstat(m, &ss) == 0 && S_ISREG(ss.st_mode)) || (c && lstat(c, &ss) == 0 && S_ISREG(ss.st_mode)));
        if (!ok) snprintf(why, n, "burnsim did not write targets/%s in it", te->d_name);
        free(m);
        free(c);
        free(sub);
      }
      if (tp) closedir(tp);
    } else {
      snprintf(why, n, "burnsim did not write %s in it", e);
      ok = 0;
    }
    free(p);
  }
  closedir(dp);
  return ok;
}

/* Creates the folder: o->dir, or the first free results/validation(-quick).
 * Returns its name (malloc'd), or NULL with a message on err. */
static char *make_folder(const val_options *o, FILE *err) {
  if (!o->dir) {
    const char *base = o->quick ? "results/validation-quick" : "results/validation";
    return sim_folder_create(base, SIM_OUTPUT_NEXT_FREE, err);
  }
  struct stat st;
  if (lstat(o->dir, &st) == 0 && S_ISDIR(st.st_mode) && val_is_folder(o->dir)) {
    char why[512];
    if (!o->force) {
      fprintf(err, "burnsim: the validation folder %s already exists; pass --force to replace it, or choose "
                   "another folder with -o\n", o->dir);
      return NULL;
    }
    if (!validation_folder_alone(o->dir, why, sizeof why)) {
      fprintf(err, "burnsim: %s is not a validation folder burnsim wrote (%s); it is never replaced, choose "
                   "another folder with -o\n", o->dir, why);
      return NULL;
    }
    if (sim_output_remove_tree(o->dir) != 0) {
      fprintf(err, "burnsim: cannot remove the earlier validation results in %s\n", o->dir);
      return NULL;
    }
  }
  /* Anything else that exists (a run's folder, a file) is refused or, with
   * --force, replaced under the rules of results folders. */
  return sim_folder_create(o->dir, o->force ? SIM_OUTPUT_FORCE : 0, err);
}

/* ---- evaluating a campaign ---------------------------------------------------- */

/* Values of every check in every run: [check][run]. */
typedef struct run_values {
  size_t checks, runs;
  double *v;
  char (*why)[512]; /* [check]: the first failure, "" when every run gave a value */
} run_values;

static int evaluate_runs(const val_target *t, const val_targets *ts, const scenario *s, const exp_design *d,
                         const char *cdir, run_values *rv) {
  rv->checks = t->n_checks;
  rv->runs = exp_design_runs(d);
  rv->v = malloc(rv->checks * rv->runs * sizeof *rv->v);
  rv->why = calloc(rv->checks, sizeof *rv->why);
  if (!rv->v || !rv->why) return -1;
  for (size_t run = 0; run < rv->runs; run++) {
    char rel[64];
    exp_run_folder(run, rel, sizeof rel);
    char *path = sim_path_join(cdir, rel);
    char why[256] = ""; /* shorter than a check's reason, which quotes it */
    val_run_data *data = path ? val_run_data_open(path, why, sizeof why) : NULL;
    free(path);
    val_env_ctx ctx = {.s = s, .targets_dir = ts->dir, .run = data};
    val_expr_env env = val_env(&ctx);
    for (size_t k = 0; k < t->n_checks; k++) {
      double *x = &rv->v[k * rv->runs + run];
      *x = NAN;
      char kwhy[512] = "";
      if (!data) {
        snprintf(kwhy, sizeof kwhy, "run %zu: %s", run, why);
      } else if (val_expr_eval(t->checks[k].value, &env, x, kwhy, sizeof kwhy) != 0) {
        *x = NAN;
      } else {
        kwhy[0] = '\0';
      }
      if (*kwhy && !*rv->why[k]) snprintf(rv->why[k], sizeof rv->why[k], "%s", kwhy);
    }
    val_run_data_free(data);
  }
  return 0;
}

static double value_at(const run_values *rv, const exp_design *d, size_t check, size_t point, size_t rep, size_t arm) {
  return rv->v[check * rv->runs + exp_design_run(d, point, rep, arm)];
}

/* How far an interval is from leaving the band: negative once it crosses an edge. */
static double margin(const val_estimate *e, double low, double high) {
  return fmin(e->lo - low, high - e->hi);
}

static const char *describe_point(const exp_design *d, size_t point, char *buf, size_t n) {
  if (d->factors == 0) {
    snprintf(buf, n, "point %zu", point);
    return buf;
  }
  size_t used = 0;
  for (size_t k = 0; k < d->factors && used < n; k++)
    used += (size_t)snprintf(buf + used, n - used, "%s%s=%g", k ? ", " : "", d->factor_keys[k],
                             exp_design_value(d, point, k));
  return buf;
}

static void campaign_rows(const val_target *t, const exp_design *d, const run_values *rv, rows *out) {
  size_t reps = d->reps;
  double *x = malloc((reps ? reps : 1) * sizeof *x);
  for (size_t k = 0; k < t->n_checks; k++) {
    const val_check *c = &t->checks[k];
    val_row *row = add_row(out, t, c->name);
    if (!row || !x) break;
    band_of(row, c);
    row->reps = reps;
    if (*rv->why[k]) {
      row->verdict = VAL_FAIL;
      snprintf(row->detail, sizeof row->detail, "no estimate: %s", rv->why[k]);
      continue;
    }
    size_t arm = (size_t)arm_index(d, c->arm), to_arm = (size_t)arm_index(d, c->to_arm);
    if (!val_expr_needs_run(c->value)) {
      /* A closed form inside a campaign: the same in every run. */
      row->reps = 0;
      row->est = val_estimate_of(&rv->v[k * rv->runs], 0, CONFIDENCE);
      decide(row);
      continue;
    }
    if (c->compare == VAL_VALUE || c->compare == VAL_DIFFERENCE) {
      for (size_t r = 0; r < reps; r++) {
        x[r] = value_at(rv, d, k, (size_t)c->point, r, arm);
        if (c->compare == VAL_DIFFERENCE) x[r] = value_at(rv, d, k, (size_t)c->to_point, r, to_arm) - x[r];
      }
      row->est = val_estimate_of(x, reps, CONFIDENCE);
      decide(row);
      char a[256], b[256];
      if (c->compare == VAL_DIFFERENCE)
        snprintf(row->detail, sizeof row->detail, "(%s%s%s) minus (%s%s%s), paired by seed",
                 describe_point(d, (size_t)c->to_point, a, sizeof a), d->arms > 1 ? ", arm " : "",
                 d->arms > 1 ? d->arm_names[to_arm] : "", describe_point(d, (size_t)c->point, b, sizeof b),
                 d->arms > 1 ? ", arm " : "", d->arms > 1 ? d->arm_names[arm] : "");
      else if (d->points > 1 || d->arms > 1)
        snprintf(row->detail, sizeof row->detail, "%s%s%s", describe_point(d, (size_t)c->point, a, sizeof a),
                 d->arms > 1 ? ", arm " : "", d->arms > 1 ? d->arm_names[arm] : "");
      continue;
    }
    /* Steps: every step between consecutive points must lie in the band;
     * the row shows the step closest to leaving it (or the worst). */
    size_t np = c->n_points ? c->n_points : d->points;
    long pts[VAL_MAX_POINTS];
    for (size_t i = 0; i < np; i++) pts[i] = c->n_points ? c->points[i] : (long)i;
    val_verdict all = VAL_PASS, shown_v = VAL_PASS;
    size_t need = 0, shown = 0;
    double shown_margin = INFINITY;
    val_estimate shown_est = {0};
    for (size_t i = 0; i + 1 < np; i++) {
      for (size_t r = 0; r < reps; r++)
        x[r] = value_at(rv, d, k, (size_t)pts[i + 1], r, arm) - value_at(rv, d, k, (size_t)pts[i], r, arm);
      val_estimate e = val_estimate_of(x, reps, CONFIDENCE);
      size_t rn = 0;
      val_verdict v = val_decide(&e, c->low, c->high, c->open, CONFIDENCE, REPS_CAP, &rn);
      if (v == VAL_INCONCLUSIVE && rn > need) need = rn;
      double m = isnan(e.mean) ? -INFINITY : margin(&e, c->low, c->high);
      /* the worst verdict first, then the smallest margin */
      if (i == 0 || v > shown_v || (v == shown_v && m < shown_margin)) {
        shown = i;
        shown_v = v;
        shown_margin = m;
        shown_est = e;
      }
      all = val_worse(all, v);
    }
    row->est = shown_est;
    row->verdict = all;
    row->reps_needed = all == VAL_INCONCLUSIVE ? need : 0;
    char a[256], b[256];
    snprintf(row->detail, sizeof row->detail, "%zu steps; shown: the step from %s to %s, paired by seed", np - 1,
             describe_point(d, (size_t)pts[shown], a, sizeof a), describe_point(d, (size_t)pts[shown + 1], b, sizeof b));
  }
  free(x);
}

/* ---- the logit target --------------------------------------------------------- */

static const char *const option_names[ORG_OPTIONS] = {"manual", "ai", "manual_burn", "ai_burn"};

static int logit_target(const val_target *t, const scenario *s, const char *tdir, size_t reps,
                        const volatile sig_atomic_t *cancel, rows *out, FILE *err) {
  double p[ORG_OPTIONS];
  if (val_logit_probabilities(s, p, err) != 0) return -1;
  exp_design d;
  if (exp_design_init(&d, s, EXP_REPLICATIONS, reps, err) != 0) return -1;
  if (mkdir(tdir, 0777) != 0 && errno != EEXIST) {
    fprintf(err, "burnsim: cannot create %s: %s\n", tdir, strerror(errno));
    exp_design_free(&d);
    return -1;
  }
  uint64_t (*counts)[ORG_OPTIONS] = calloc(reps, sizeof *counts);
  uint64_t *blocks = calloc(reps, sizeof *blocks);
  double *x = calloc(reps, sizeof *x);
  int rc = counts && blocks && x ? 0 : -1;
  for (size_t r = 0; rc == 0 && r < reps; r++) {
    if (cancel && *cancel) rc = -1;
    else rc = val_logit_run(s, exp_design_seed(&d, r), counts[r], &blocks[r], err);
  }
  char *path = sim_path_join(tdir, "counts.csv");
  if (rc == 0 && path) {
    static const char *const cols[] = {"replication", "seed", "blocks", "manual", "ai", "manual_burn", "ai_burn", NULL};
    char prov[512];
    snprintf(prov, sizeof prov, "# burnsim %s (revision %s) validation target %s, master seed %" PRIu64,
             burnsim_version, burnsim_git_revision, t->name, d.master_seed);
    sim_csv *csv = sim_csv_create_atomic(path, prov, cols, err);
    if (!csv) rc = -1;
    for (size_t r = 0; csv && r < reps; r++) {
      sim_csv_uint(csv, r);
      sim_csv_uint(csv, exp_design_seed(&d, r));
      sim_csv_uint(csv, blocks[r]);
      for (int k = 0; k < ORG_OPTIONS; k++) sim_csv_uint(csv, counts[r][k]);
      sim_csv_end_row(csv);
    }
    if (csv && sim_csv_close(csv) != 0) {
      fprintf(err, "burnsim: writing %s failed\n", path);
      rc = -1;
    }
  }
  free(path);
  if (rc == 0) {
    double pooled[ORG_OPTIONS] = {0}, all = 0;
    for (int k = 0; k < ORG_OPTIONS; k++) {
      char name[64];
      snprintf(name, sizeof name, "share_%s", option_names[k]);
      val_row *row = add_row(out, t, name);
      if (!row) break;
      for (size_t r = 0; r < reps; r++) {
        x[r] = blocks[r] ? (double)counts[r][k] / (double)blocks[r] : NAN;
        pooled[k] += (double)counts[r][k];
      }
      row->expected = p[k];
      row->low = p[k] * (1 - t->tolerance);
      row->high = p[k] * (1 + t->tolerance);
      row->relative = 1;
      row->reps = reps;
      snprintf(row->claim, sizeof row->claim, "closed-form logit P(%s) = %.4f, +-%g%%", option_names[k], p[k],
               100 * t->tolerance);
      row->est = val_estimate_of(x, reps, CONFIDENCE);
      decide(row);
    }
    for (int k = 0; k < ORG_OPTIONS; k++) all += pooled[k];
    double chi2 = 0;
    for (int k = 0; k < ORG_OPTIONS; k++) chi2 += pow(pooled[k] - p[k] * all, 2) / (p[k] * all);
    val_row *row = add_row(out, t, "chi_square");
    if (row) {
      row->reps = reps;
      row->low = t->alpha;
      row->high = 1;
      row->expected = NAN;
      double q = gsl_cdf_chisq_Q(chi2, ORG_OPTIONS - 1);
      row->est = val_estimate_of(&q, 0, CONFIDENCE);
      snprintf(row->claim, sizeof row->claim,
               "the pooled option counts fit the closed form: chi-square (3 d.o.f.) p-value >= %g", t->alpha);
      snprintf(row->detail, sizeof row->detail, "chi-square %.3f over %.0f blocks", chi2, all);
      decide(row);
    }
  }
  free(counts);
  free(blocks);
  free(x);
  exp_design_free(&d);
  return rc;
}

/* ---- writing ------------------------------------------------------------------ */

/* A shell word that pastes back as the same argument. */
static void shell_word(FILE *f, const char *s) {
  if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == strlen(s)) {
    fputs(s, f);
    return;
  }
  fputc('\'', f);
  for (; *s; s++) fputs(*s == '\'' ? "'\\''" : (char[2]){*s, 0}, f);
  fputc('\'', f);
}

/* The command that repeats a target's runs on their own. */
static void repeat_command(FILE *f, const val_target *t, int quick, const scenario *s, size_t reps, const char *tdir) {
  static const char *const verbs[] = {"run", "compare", "sweep"};
  fprintf(f, "burnsim %s ", t->kind == VAL_LOGIT ? "run" : verbs[kind_of(s)]);
  shell_word(f, t->scenario);
  if (t->kind != VAL_LOGIT) fprintf(f, " --reps %zu", reps);
  const char *sets[2] = {t->set, quick ? t->quick_set : ""};
  for (int i = 0; i < 2; i++) {
    char one[SCN_ARM_SET_LEN];
    const char *p = sets[i];
    while (*p) {
      size_t len = strcspn(p, ";");
      snprintf(one, sizeof one, "%.*s", (int)len, p);
      /* trim */
      char *a = one;
      while (*a == ' ') a++;
      size_t l = strlen(a);
      while (l && a[l - 1] == ' ') a[--l] = '\0';
      if (*a) {
        fputs(" --set ", f);
        shell_word(f, a);
      }
      p += len;
      if (*p) p++;
    }
  }
  if (t->kind != VAL_LOGIT) {
    fputs(" -o ", f);
    shell_word(f, tdir);
  }
}

typedef struct target_run {
  const val_target *t;
  char command[4096];
  double seconds;
  int ran;
} target_run;

static int write_manifest(const char *dir, const val_options *o, const target_run *tr, size_t n, int complete,
                          double seconds, FILE *err) {
  char *path = sim_path_join(dir, "manifest.cfg");
  sim_atomic_file *a = path ? sim_atomic_open(path, err) : NULL;
  free(path);
  if (!a) return -1;
  FILE *f = sim_atomic_stream(a);
  fputs("# How this validation folder was made.  complete is false until every target\n"
        "# has run and validation.csv is written.  started, host and the seconds differ\n"
        "# between repeats; everything else is identical for the same targets file.\n",
        f);
  /* (a validation folder is no one scenario: its provenance names it "validation") */
  scenario *named = calloc(1, sizeof *named);
  if (named) {
    snprintf(named->name, sizeof named->name, "validation");
    manifest_print_provenance(f, o->inv, named);
    free(named);
  }
  fprintf(f, "kind = \"validation\";\nquick = %s;\nconfidence = %.15g;\n", o->quick ? "true" : "false", CONFIDENCE);
  fputs("targets_file = ", f);
  manifest_put_string(f, o->targets_path);
  fputs(";\ntargets = (\n", f);
  for (size_t i = 0; i < n; i++) {
    fputs("  { name = ", f);
    manifest_put_string(f, tr[i].t->name);
    fputs("; source = ", f);
    manifest_put_string(f, tr[i].t->source);
    fputs("; title = ", f);
    manifest_put_string(f, tr[i].t->title);
    fputs(";\n    scenario = ", f);
    manifest_put_string(f, tr[i].t->scenario);
    fputs("; command = ", f);
    manifest_put_string(f, tr[i].command);
    fprintf(f, ";\n    seconds = %.1f; }%s\n", tr[i].seconds, i + 1 < n ? "," : "");
  }
  fprintf(f, ");\ncomplete = %s;\n", complete ? "true" : "false");
  if (complete) fprintf(f, "seconds = %.1f;\n", seconds);
  manifest_print_origin(f);
  int bad = ferror(f);
  return sim_atomic_close(a, !bad, err) == 0 && !bad ? 0 : -1;
}

static const char *const csv_columns[] = {"target", "check", "source", "expected", "low", "high", "estimate",
                                          "ci_low", "ci_high", "tolerance", "verdict", "replications", "sd",
                                          "reps_needed", "claim", "detail", NULL};

static int write_csv(const char *dir, const rows *r, int quick, FILE *err) {
  char *path = sim_path_join(dir, "validation.csv");
  char prov[256];
  snprintf(prov, sizeof prov, "# burnsim %s (revision %s) validation%s, %.0f%% confidence intervals", burnsim_version,
           burnsim_git_revision, quick ? " (quick set)" : "", 100 * CONFIDENCE);
  sim_csv *csv = path ? sim_csv_create_atomic(path, prov, csv_columns, err) : NULL;
  free(path);
  if (!csv) return -1;
  for (size_t i = 0; i < r->n; i++) {
    const val_row *w = &r->items[i];
    sim_csv_str(csv, w->t->name);
    sim_csv_str(csv, w->check);
    sim_csv_str(csv, w->t->source);
    sim_csv_float(csv, w->expected);
    sim_csv_float(csv, w->low);
    sim_csv_float(csv, w->high);
    sim_csv_float(csv, w->est.mean);
    sim_csv_float(csv, w->est.lo);
    sim_csv_float(csv, w->est.hi);
    /* the band's half-width, in the estimate's unit (nan for a one-sided band) */
    sim_csv_float(csv, isinf(w->low) || isinf(w->high) ? NAN : (w->high - w->low) / 2);
    sim_csv_str(csv, val_verdict_name(w->verdict));
    sim_csv_uint(csv, w->reps);
    sim_csv_float(csv, w->est.sd);
    sim_csv_uint(csv, w->reps_needed);
    sim_csv_str(csv, w->claim);
    sim_csv_str(csv, w->detail);
    sim_csv_end_row(csv);
  }
  if (sim_csv_close(csv) != 0) {
    fprintf(err, "burnsim: writing %s/validation.csv failed: %s\n", dir, strerror(errno));
    return -1;
  }
  return 0;
}

/* The table: per target a line naming it and its source, then one line per
 * check: the known answer, its tolerance, burnsim's estimate with its 95%
 * interval, and the verdict. */
static void print_target(FILE *f, const val_target *t) {
  fprintf(f, "\n%s: %s\n  source: %s\n", t->name, *t->title ? t->title : t->name, t->source);
  fprintf(f, "  %-28s %-14s %-10s %-36s %s\n", "check", "known", "tolerance", "burnsim (95% interval)", "verdict");
}

static void print_row(FILE *f, const val_row *w) {
  char est[96], known[64], tol[32];
  if (isnan(w->est.mean))
    snprintf(est, sizeof est, "no estimate");
  else if (w->est.n >= 2)
    snprintf(est, sizeof est, "%.4g [%.4g, %.4g]", w->est.mean, w->est.lo, w->est.hi);
  else
    snprintf(est, sizeof est, "%.6g", w->est.mean);
  double half = (w->high - w->low) / 2;
  if (w->open || isinf(w->low) || isinf(w->high)) {
    snprintf(known, sizeof known, "%s %.4g", isinf(w->low) ? "<" : ">", isinf(w->low) ? w->high : w->low);
    snprintf(tol, sizeof tol, "sign");
  } else if (isnan(w->expected)) {
    snprintf(known, sizeof known, "%.4g to %.4g", w->low, w->high);
    snprintf(tol, sizeof tol, "range");
  } else {
    snprintf(known, sizeof known, "%.6g", w->expected);
    if (half == 0)
      snprintf(tol, sizeof tol, "exact");
    else if (w->relative && w->expected != 0)
      snprintf(tol, sizeof tol, "+-%.3g%%", 100 * half / fabs(w->expected));
    else
      snprintf(tol, sizeof tol, "+-%.3g", half);
  }
  fprintf(f, "  %-28s %-14s %-10s %-36s %s", w->check, known, tol, est, val_verdict_name(w->verdict));
  if (w->verdict == VAL_INCONCLUSIVE && w->reps_needed)
    fprintf(f, ": about %s%zu replications would decide", w->reps_needed >= REPS_CAP ? "more than " : "",
            w->reps_needed);
  if (w->verdict != VAL_PASS && isnan(w->est.mean) && *w->detail) fprintf(f, " (%s)", w->detail);
  fputc('\n', f);
}

/* ---- the command -------------------------------------------------------------- */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int select_targets(const val_targets *ts, const val_options *o, const val_target ***out, size_t *n, FILE *err) {
  const val_target **sel = calloc(ts->n + o->n_only + 1, sizeof *sel);
  if (!sel) return -1;
  *n = 0;
  int bad = 0;
  if (o->n_only) {
    for (size_t i = 0; i < o->n_only; i++) {
      const val_target *t = val_targets_find(ts, o->only[i]);
      if (!t) {
        fprintf(err, "burnsim: %s has no target \"%s\"; its targets are:", ts->path, o->only[i]);
        for (size_t k = 0; k < ts->n; k++) fprintf(err, " %s", ts->items[k].name);
        fputc('\n', err);
        bad = 1;
        continue;
      }
      int dup = 0;
      for (size_t k = 0; k < *n; k++) dup |= sel[k] == t;
      if (!dup) sel[(*n)++] = t;
    }
  } else {
    for (size_t i = 0; i < ts->n; i++)
      if (!o->quick || ts->items[i].quick) sel[(*n)++] = &ts->items[i];
  }
  if (!bad && *n == 0) {
    fprintf(err, "burnsim: %s has no target%s\n", ts->path, o->quick ? " with a quick group (for --quick)" : "s");
    bad = 1;
  }
  if (bad) {
    free(sel);
    return -1;
  }
  *out = sel;
  return 0;
}

int val_run(const val_options *o, char *dir_used, size_t dir_n, FILE *err) {
  if (dir_used && dir_n) dir_used[0] = '\0';
  int rank0 = exp_ranks_rank() == 0;
  FILE *quiet_err = rank0 ? err : fopen("/dev/null", "w");
  if (!quiet_err) quiet_err = err;
  val_targets ts;
  int problems = val_targets_read(&ts, o->targets_path, quiet_err);
  const val_target **sel = NULL;
  size_t n = 0;
  if (problems) {
    fprintf(quiet_err, "burnsim: %s: %d problem%s; nothing was run\n", o->targets_path, problems,
            problems == 1 ? "" : "s");
  } else if (select_targets(&ts, o, &sel, &n, quiet_err) != 0) {
    problems = 1;
  } else if (preflight(&ts, sel, n, o->quick, quiet_err) != 0) {
    fprintf(quiet_err, "burnsim: %s: the targets above cannot run; nothing was run\n", o->targets_path);
    problems = 1;
  }
  if (problems) {
    if (quiet_err != err) fclose(quiet_err);
    free(sel);
    val_targets_free(&ts);
    return 2;
  }

  /* Rank 0 makes the folder; every rank learns its name. */
  char dir[4096] = "";
  if (rank0) {
    char *made = make_folder(o, err);
    if (made) snprintf(dir, sizeof dir, "%s", made);
    free(made);
  }
  exp_ranks_share(dir, sizeof dir);
  if (!*dir) {
    if (quiet_err != err) fclose(quiet_err);
    free(sel);
    val_targets_free(&ts);
    return 2;
  }
  if (dir_used) snprintf(dir_used, dir_n, "%s", dir);
  char *tdir_root = sim_path_join(dir, "targets");
  int ok = tdir_root != NULL;
  if (rank0 && ok && mkdir(tdir_root, 0777) != 0 && errno != EEXIST) {
    fprintf(err, "burnsim: cannot create %s: %s\n", tdir_root, strerror(errno));
    ok = 0;
  }
  target_run *tr = calloc(n, sizeof *tr);
  scenario *s = malloc(sizeof *s);
  rows out = {0};
  ok = ok && tr && s;
  for (size_t i = 0; ok && i < n; i++) tr[i].t = sel[i];
  if (ok && rank0) ok = write_manifest(dir, o, tr, n, 0, 0, err) == 0;
  ok = exp_ranks_agree(ok);

  double started = now_seconds();
  if (rank0 && !o->quiet && ok)
    fprintf(o->out, "burnsim validate: %zu target%s%s, %.0f%% confidence intervals, results in %s/\n", n,
            n == 1 ? "" : "s", o->quick ? " (quick set)" : "", 100 * CONFIDENCE, dir);
  for (size_t i = 0; ok && i < n; i++) {
    const val_target *t = sel[i];
    double t0 = now_seconds();
    size_t first_row = out.n;
    char *tdir = sim_path_join(tdir_root, t->name);
    size_t reps = reps_of(t, o->quick);
    ok = tdir != NULL;
    if (ok && t->kind == VAL_CLOSED_FORM) {
      if (rank0) {
        memset(s, 0, sizeof *s);
        ok = simc_defaults(&scenario_schema, s, err) == 0;
        val_env_ctx ctx = {.s = s, .targets_dir = ts.dir, .run = NULL};
        val_expr_env env = val_env(&ctx);
        for (size_t k = 0; ok && k < t->n_checks; k++) {
          const val_check *c = &t->checks[k];
          val_row *row = add_row(&out, t, c->name);
          if (!row) {
            ok = 0;
            break;
          }
          band_of(row, c);
          double v = NAN;
          char why[512];
          if (val_expr_eval(c->value, &env, &v, why, sizeof why) != 0) {
            snprintf(row->detail, sizeof row->detail, "no estimate: %s", why);
            row->verdict = VAL_FAIL;
            continue;
          }
          row->est = val_estimate_of(&v, 0, CONFIDENCE);
          decide(row);
        }
        snprintf(tr[i].command, sizeof tr[i].command, "burnsim validate %s --targets %s", t->name,
                 o->targets_path);
      }
    } else if (ok) {
      ok = load_target_scenario(t, o->quick, s, err) == 0;
      if (ok && rank0) {
        FILE *cmd = fmemopen(tr[i].command, sizeof tr[i].command - 1, "w");
        if (cmd) {
          repeat_command(cmd, t, o->quick, s, reps, tdir);
          fclose(cmd);
        }
      }
      if (ok && t->kind == VAL_LOGIT) {
        if (rank0) ok = logit_target(t, s, tdir, reps, o->cancel, &out, err) == 0;
      } else if (ok) {
        exp_options eo = {.kind = kind_of(s),
                          .reps = reps,
                          .threads = o->threads,
                          .dir = tdir,
                          .quiet = 1,
                          .inv = o->inv,
                          .cancel = o->cancel};
        ok = exp_campaign_run(s, &eo, err) == 0;
        if (ok && rank0) {
          exp_design d;
          run_values rv = {0};
          ok = exp_design_init(&d, s, eo.kind, reps, err) == 0;
          if (ok) {
            if (evaluate_runs(t, &ts, s, &d, tdir, &rv) == 0) {
              campaign_rows(t, &d, &rv, &out);
            } else {
              fprintf(err, "burnsim: out of memory evaluating %s\n", t->name);
              ok = 0;
            }
            exp_design_free(&d);
          }
          free(rv.v);
          free(rv.why);
        }
      }
    }
    free(tdir);
    ok = exp_ranks_agree(ok && !(o->cancel && *o->cancel));
    tr[i].seconds = now_seconds() - t0;
    tr[i].ran = ok;
    if (ok && rank0 && !o->quiet) {
      print_target(o->out, t);
      for (size_t r = first_row; r < out.n; r++) print_row(o->out, &out.items[r]);
      fflush(o->out);
    }
  }
  double seconds = now_seconds() - started;
  int rc = 0;
  if (!ok) {
    if (rank0)
      fprintf(err, "burnsim: %s; what ran is in %s/targets/, and no verdict was written\n",
              o->cancel && *o->cancel ? "interrupted" : "validation stopped", dir);
    rc = 1;
  } else if (rank0) {
    if (write_csv(dir, &out, o->quick, err) != 0 || write_manifest(dir, o, tr, n, 1, seconds, err) != 0) rc = 1;
    if (rc == 0 && o->plot) {
      static const char *const png[] = {"png", NULL};
      sim_plot_status ps = val_plot_folder(dir, png, err);
      if (ps == SIM_PLOT_NO_GNUPLOT)
        fprintf(err, "burnsim: gnuplot is not installed, so no figures were drawn (install the Debian package "
                     "gnuplot-nox); the results are complete without them\n");
      else if (ps != SIM_PLOT_DONE)
        fprintf(err, "burnsim: some figures could not be drawn (above); the results are complete without them\n");
    }
    size_t count[3] = {0, 0, 0};
    for (size_t r = 0; r < out.n; r++) count[out.items[r].verdict]++;
    if (rc == 0 && !o->quiet)
      fprintf(o->out, "\n%zu check%s: %zu pass, %zu fail, %zu inconclusive (%.0f s).  validation.csv and the runs "
                      "are in %s/; burnsim report %s makes the page.\n",
              out.n, out.n == 1 ? "" : "s", count[VAL_PASS], count[VAL_FAIL], count[VAL_INCONCLUSIVE], seconds, dir,
              dir);
    if (rc == 0 && (count[VAL_FAIL] || count[VAL_INCONCLUSIVE])) rc = 1;
  }
  rc = exp_ranks_agree(rc == 0) ? 0 : 1;
  if (quiet_err != err) fclose(quiet_err);
  free(out.items);
  free(tr);
  free(s);
  free(tdir_root);
  free(sel);
  val_targets_free(&ts);
  return rc;
}
