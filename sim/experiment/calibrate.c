/* sim/experiment/calibrate.c - simulated moments, Nelder-Mead searches, the calibration folder. */
#include "experiment/calibrate.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_qrng.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "io/build_info.h"
#include "io/csv_read.h"
#include "experiment/design.h"
#include "io/output.h"
#include "experiment/ranks.h"
#include "run.h"
#include "experiment/stats.h"

#define MAX_COLUMNS (SCN_MAX_TARGETS + SCN_MAX_OUTPUTS)
/* A factor whose range over the sets that fit is below this share of its
 * search range is pinned by the targets, below NARROWED_SHARE narrowed,
 * and left free above. */
#define PINNED_SHARE 0.1
#define NARROWED_SHARE 0.5

static const char *identified(double share) {
  return share < PINNED_SHARE ? "pinned" : share < NARROWED_SHARE ? "narrowed" : "free";
}
/* Nelder-Mead stops when the simplex is this small (in the unit cube). */
#define SIMPLEX_SIZE 1e-3
/* D grows by this much per unit squared outside the unit cube, so a
 * search that steps out comes back. */
#define OUTSIDE_PENALTY 100.0

/* One evaluated parameter set. */
typedef struct evaluation {
  double u[SCN_MAX_FACTORS]; /* in the unit cube */
  double x[SCN_MAX_FACTORS]; /* as applied */
  double distance;
  int fits;
  double mean[MAX_COLUMNS], sd[MAX_COLUMNS]; /* targets, then outputs */
} evaluation;

struct calib;

typedef struct search {
  struct calib *c;
  size_t index;
  int mine; /* run by this rank (searches are dealt to MPI ranks by number) */
  int explore; /* the Sobol design over the whole ranges, not a Nelder-Mead search */
  size_t calls; /* of the distance, new points or not: the search's budget */
  evaluation *ev;
  size_t n, cap;
  evaluation *replay; /* what an earlier, interrupted start of this search evaluated */
  size_t n_replay;
  FILE *journal;
  int failed;
  char *msgs; /* the first failure's messages */
} search;

typedef struct calib {
  const scenario *s;
  const exp_calibrate_options *o;
  FILE *err;
  exp_design seeds; /* only its master seed: the replication seeds */
  size_t k, reps, n_targets, n_outputs, n_columns;
  char columns[MAX_COLUMNS][SCN_NAME_LEN];
  int factor_integer[SCN_MAX_FACTORS];
  search *searches;
  size_t n_searches, next, done_searches;
  size_t evaluated, at_most; /* new evaluations this invocation, and the budget of every search */
  struct timespec started;
  pthread_mutex_t lock;
  char provenance[512];
} calib;

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;

static int cancelled(const calib *c) {
  return c->o->cancel && *c->o->cancel;
}

/* ---- one parameter set ----------------------------------------------------------- */

static void place(const calib *c, evaluation *e) {
  for (size_t i = 0; i < c->k; i++) {
    e->x[i] = exp_factor_spread(&c->s->experiment.sweep.factors[i], e->u[i]);
    if (c->factor_integer[i]) e->x[i] = (double)llround(e->x[i]);
  }
}

/* One replication at e's parameters: the summary columns into values. */
static int run_replication(const calib *c, const search *sr, const evaluation *e, size_t rep, double *values,
                           FILE *msg) {
  scenario *rs = malloc(sizeof *rs);
  if (!rs) {
    fprintf(msg, "burnsim: out of memory\n");
    return -1;
  }
  *rs = *c->s;
  rs->experiment.n_arms = 0;
  rs->experiment.sweep.n_factors = 0;
  rs->experiment.replications = 1;
  int errors = 0;
  pthread_mutex_lock(&config_lock);
  for (size_t i = 0; i < c->k; i++) {
    char text[SCN_KEY_LEN + 64];
    scenario_factor_setting(c->s->experiment.sweep.factors[i].key, c->factor_integer[i], e->x[i], text, sizeof text);
    errors += scenario_apply(rs, text, msg);
  }
  pthread_mutex_unlock(&config_lock);
  uint64_t seed = exp_design_seed(&c->seeds, rep);
  int rc = -1;
  char name[64];
  snprintf(name, sizeof name, "scratch-%02zu", sr->index);
  char *path = sim_path_join(c->o->dir, name);
  sim_provenance prov = {.scenario_name = rs->name, .seed = seed};
  sim_output *out = errors == 0 && path ? sim_output_open(path, 0, &prov, msg) : NULL;
  if (out && sim_run(rs, seed, out, c->o->cancel, msg) == 0) {
    char *summary = sim_path_join(sim_output_staging_dir(out), "summary.csv");
    sim_csv_reader *r = summary ? sim_csv_reader_open(summary, msg) : NULL;
    if (r && sim_csv_reader_next(r, msg) == 1) {
      rc = 0;
      for (size_t j = 0; j < c->n_columns; j++) { /* a target may be a sum of columns */
        char terms[SCN_MAX_OUTPUTS][SCN_NAME_LEN];
        size_t n = scenario_column_sum(c->columns[j], terms, SCN_MAX_OUTPUTS);
        values[j] = 0;
        for (size_t t = 0; t < n; t++) {
          long col = sim_csv_reader_find(r, terms[t]);
          values[j] += col >= 0 ? sim_csv_reader_number(r, (size_t)col) : NAN;
        }
      }
    }
    if (r) sim_csv_reader_close(r);
    free(summary);
  }
  if (out) sim_output_abort(out); /* the files served their purpose */
  free(path);
  free(rs);
  return rc;
}

static void score(const calib *c, evaluation *e) {
  const scn_calibration *cal = &c->s->experiment.calibration;
  double sum = 0, weights = 0;
  e->fits = 1;
  for (size_t i = 0; i < c->n_targets; i++) {
    const scn_target *t = &cal->targets[i];
    double z = (e->mean[i] - t->value) / (t->tolerance * fabs(t->value));
    if (!(fabs(z) <= 1)) e->fits = 0;
    sum += t->weight * z * z;
    weights += t->weight;
  }
  e->distance = weights > 0 ? sqrt(sum / weights) : NAN;
  if (isnan(e->distance)) e->distance = INFINITY;
}

static int evaluate(const calib *c, search *sr, evaluation *e) {
  exp_moments m[MAX_COLUMNS];
  memset(m, 0, sizeof m);
  char *msgs = NULL;
  size_t len = 0;
  FILE *msg = open_memstream(&msgs, &len);
  int rc = msg ? 0 : -1;
  for (size_t rep = 0; rc == 0 && rep < c->reps; rep++) {
    double values[MAX_COLUMNS];
    rc = run_replication(c, sr, e, rep, values, msg);
    for (size_t j = 0; rc == 0 && j < c->n_columns; j++) exp_moments_add(&m[j], values[j]);
  }
  if (msg) fclose(msg);
  if (rc != 0 && !sr->msgs) sr->msgs = msgs;
  else free(msgs);
  if (rc != 0) return -1;
  for (size_t j = 0; j < c->n_columns; j++) {
    e->mean[j] = m[j].mean;
    e->sd[j] = exp_moments_sd(&m[j]);
  }
  score(c, e);
  return 0;
}

/* ---- the journal of a search ------------------------------------------------------ */

static void journal_header(const calib *c, FILE *f) {
  fprintf(f, "%s\nevaluation", c->provenance);
  for (size_t i = 0; i < c->k; i++) fprintf(f, ",u%zu", i + 1);
  for (size_t i = 0; i < c->k; i++) fprintf(f, ",%s", c->s->experiment.sweep.factors[i].key);
  fputs(",distance,fits", f);
  for (size_t j = 0; j < c->n_columns; j++) fprintf(f, ",%s_mean,%s_sd", c->columns[j], c->columns[j]);
  fputc('\n', f);
}

static void journal_row(const calib *c, FILE *f, size_t n, const evaluation *e) {
  fprintf(f, "%zu", n);
  for (size_t i = 0; i < c->k; i++) fprintf(f, ",%.17g", e->u[i]); /* exact, so a replay matches */
  for (size_t i = 0; i < c->k; i++) fprintf(f, ",%.10g", e->x[i]);
  fprintf(f, ",%.10g,%s", e->distance, e->fits ? "yes" : "no");
  for (size_t j = 0; j < c->n_columns; j++) fprintf(f, ",%.17g,%.17g", e->mean[j], e->sd[j]);
  fputc('\n', f);
}

static char *journal_path(const calib *c, size_t index) {
  char name[32];
  snprintf(name, sizeof name, "search-%02zu.csv", index);
  return sim_path_join(c->o->dir, name);
}

/* Whether the file at path ends with a newline: a row cut short by a kill
 * has none, and its last number may be cut short too. */
static int ends_with_newline(const char *path) {
  FILE *f = path ? fopen(path, "rb") : NULL;
  int ok = f && fseek(f, -1, SEEK_END) == 0 && fgetc(f) == '\n';
  if (f) fclose(f);
  return ok;
}

/* The evaluations an interrupted search wrote, up to the first row that
 * is incomplete. */
static void journal_read(const calib *c, search *sr) {
  char *path = journal_path(c, sr->index);
  FILE *quiet = fopen("/dev/null", "w");
  sim_csv_reader *r = path && quiet && access(path, R_OK) == 0 ? sim_csv_reader_open(path, quiet) : NULL;
  size_t per_row = 1 + 2 * c->k + 2 + 2 * c->n_columns;
  while (r && sim_csv_reader_columns(r) == per_row && sim_csv_reader_next(r, quiet) == 1) {
    evaluation *grown = realloc(sr->replay, (sr->n_replay + 1) * sizeof *grown);
    if (!grown) break;
    sr->replay = grown;
    evaluation *e = &sr->replay[sr->n_replay];
    memset(e, 0, sizeof *e);
    size_t col = 1;
    for (size_t i = 0; i < c->k; i++) e->u[i] = sim_csv_reader_number(r, col++);
    for (size_t i = 0; i < c->k; i++) e->x[i] = sim_csv_reader_number(r, col++);
    col += 2;
    for (size_t j = 0; j < c->n_columns; j++) {
      e->mean[j] = sim_csv_reader_number(r, col++);
      e->sd[j] = sim_csv_reader_number(r, col++);
    }
    place(c, e);
    score(c, e);
    sr->n_replay++;
  }
  if (r) sim_csv_reader_close(r);
  if (sr->n_replay > 0 && !ends_with_newline(path)) sr->n_replay--; /* (run again) */
  if (quiet) fclose(quiet);
  free(path);
}

/* ---- a search --------------------------------------------------------------------- */

static double seconds_since(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) + 1e-9 * (double)(now.tv_nsec - t0->tv_nsec);
}

/* On a terminal: the evaluations so far and, as the searches may stop
 * early, at most how long the rest takes. */
static void show_progress(calib *c) {
  pthread_mutex_lock(&c->lock);
  size_t done = ++c->evaluated;
  if (!c->o->quiet && exp_ranks_rank() == 0 && isatty(STDERR_FILENO)) {
    double secs = seconds_since(&c->started), left = c->at_most > done ? secs / (double)done * (double)(c->at_most - done) : 0;
    fprintf(stderr, "\r\033[Kburnsim: %zu parameter sets evaluated%s, %.0f s elapsed, at most about %.0f s left", done,
            exp_ranks_size() > 1 ? " (this rank's)" : "", secs, left);
  }
  pthread_mutex_unlock(&c->lock);
}

static double distance_at(const gsl_vector *v, void *arg) {
  search *sr = arg;
  calib *c = sr->c;
  sr->calls++;
  if (sr->failed || cancelled(c)) return INFINITY;
  evaluation e;
  memset(&e, 0, sizeof e);
  double outside = 0;
  for (size_t i = 0; i < c->k; i++) {
    double u = gsl_vector_get(v, i);
    e.u[i] = fmin(fmax(u, 0), 1);
    outside += (u - e.u[i]) * (u - e.u[i]);
  }
  place(c, &e);
  /* A point already evaluated (the simplex often comes back to a clamped
   * corner) is not run again. */
  for (size_t j = 0; j < sr->n; j++)
    if (memcmp(sr->ev[j].u, e.u, sizeof e.u) == 0) return sr->ev[j].distance + OUTSIDE_PENALTY * outside;
  if (sr->n == sr->cap) {
    size_t cap = sr->cap ? 2 * sr->cap : 64;
    evaluation *grown = realloc(sr->ev, cap * sizeof *grown);
    if (!grown) {
      sr->failed = 1;
      return INFINITY;
    }
    sr->ev = grown;
    sr->cap = cap;
  }
  if (sr->n < sr->n_replay && memcmp(sr->replay[sr->n].u, e.u, sizeof e.u) == 0) {
    e = sr->replay[sr->n];
  } else if (evaluate(c, sr, &e) != 0) {
    sr->failed = 1;
    return INFINITY;
  } else {
    show_progress(c);
  }
  journal_row(c, sr->journal, sr->n, &e);
  fflush(sr->journal);
  sr->ev[sr->n++] = e;
  return e.distance + OUTSIDE_PENALTY * outside;
}

/* The starting point of search s: the s-th point of a Sobol sequence (the
 * first is the centre of every range). */
static void start_point(const calib *c, size_t s, gsl_vector *x) {
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)c->k);
  double u[SCN_MAX_FACTORS];
  for (size_t i = 0; i <= s; i++) gsl_qrng_get(q, u);
  for (size_t i = 0; i < c->k; i++) gsl_vector_set(x, i, u[i]);
  gsl_qrng_free(q);
}

/* The exploration: the points of a Sobol sequence after the first (the
 * centre, where the first search starts), each evaluated once.  The sets
 * among them that fit are a rejection sample (ABC) of the parameters the
 * targets allow. */
static void run_exploration(search *sr) {
  calib *c = sr->c;
  gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)c->k);
  gsl_vector *x = gsl_vector_alloc(c->k);
  if (!q || !x) sr->failed = 1;
  double u[SCN_MAX_FACTORS];
  if (q) gsl_qrng_get(q, u);
  for (int64_t p = 0; q && x && p < c->s->experiment.calibration.explore && !sr->failed && !cancelled(c); p++) {
    gsl_qrng_get(q, u);
    for (size_t i = 0; i < c->k; i++) gsl_vector_set(x, i, u[i]);
    distance_at(x, sr);
  }
  if (q) gsl_qrng_free(q);
  if (x) gsl_vector_free(x);
}

static void run_search(search *sr) {
  calib *c = sr->c;
  const scn_calibration *cal = &c->s->experiment.calibration;
  if (sr->explore) {
    run_exploration(sr);
    return;
  }
  gsl_vector *x = gsl_vector_alloc(c->k), *step = gsl_vector_alloc(c->k);
  gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, c->k);
  if (!x || !step || !m) {
    sr->failed = 1;
  } else {
    start_point(c, sr->index, x);
    gsl_vector_set_all(step, cal->step);
    gsl_multimin_function f = {.f = distance_at, .n = c->k, .params = sr};
    gsl_multimin_fminimizer_set(m, &f, x, step);
    while (!sr->failed && !cancelled(c) && sr->calls < (size_t)cal->evaluations) {
      if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS) break;
      if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), SIMPLEX_SIZE) == GSL_SUCCESS) break;
    }
  }
  if (m) gsl_multimin_fminimizer_free(m);
  if (x) gsl_vector_free(x);
  if (step) gsl_vector_free(step);
}

static void *worker(void *arg) {
  calib *c = arg;
  for (;;) {
    pthread_mutex_lock(&c->lock);
    while (c->next < c->n_searches && !c->searches[c->next].mine) c->next++;
    int stop = c->next >= c->n_searches || cancelled(c);
    size_t s = stop ? 0 : c->next++;
    pthread_mutex_unlock(&c->lock);
    if (stop) break;
    run_search(&c->searches[s]);
  }
  return NULL;
}

/* ---- the folder ------------------------------------------------------------------- */

static int write_manifest(const calib *c, int complete, FILE *err) {
  char *data = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&data, &len);
  if (!f) return -1;
  fputs("# How this calibration folder was made.  complete is false until every\n"
        "# search has finished and the tables are written; the same command with\n"
        "# --resume completes it.\n",
        f);
  manifest_print_provenance(f, c->o->inv, c->s);
  fprintf(f, "kind = \"calibration\";\nmaster_seed = %" PRIu64 "L;\nreplications = %zu;\nsearches = %zu;\n",
          c->seeds.master_seed, c->reps, c->n_searches);
  fputs("factors = [", f);
  for (size_t i = 0; i < c->k; i++) {
    if (i) fputs(", ", f);
    manifest_put_string(f, c->s->experiment.sweep.factors[i].key);
  }
  fprintf(f, "];\ncomplete = %s;\n", complete ? "true" : "false");
  manifest_print_origin(f);
  manifest_print_scenario(f, c->s);
  int rc = fclose(f) == 0 && data ? 0 : -1;
  char *path = sim_path_join(c->o->dir, "manifest.cfg");
  if (rc == 0) rc = path ? sim_write_atomic(path, data, len, err) : -1;
  free(path);
  free(data);
  return rc;
}

static int prepare_folder(calib *c, FILE *err) {
  const char *dir = c->o->dir;
  char *scn = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&scn, &len);
  if (!f) return -1;
  manifest_print_scenario_file(f, c->s);
  if (fclose(f) != 0 || !scn) return -1;
  int rc = 0;
  char *path = sim_path_join(dir, "scenario.cfg");
  if (c->o->resume) {
    char why[512];
    size_t have_len = 0;
    char *have = path ? sim_read_own_file(path, (size_t)1 << 24, &have_len, why, sizeof why) : NULL;
    if (!have || have_len != len || memcmp(have, scn, len) != 0) {
      fprintf(err,
              "burnsim: %s is not a calibration of this scenario to resume (%s); resume with the command that "
              "started it, or start afresh with --force\n",
              dir, have ? "its scenario.cfg differs from what this command would run" : why);
      rc = -1;
    }
    free(have);
    if (rc == 0) sim_remove_stale_partials(dir, NULL);
  } else {
    char *made = sim_folder_create(dir, c->o->force ? SIM_OUTPUT_FORCE : 0, err);
    rc = made ? 0 : -1;
    free(made);
    if (rc == 0) rc = path ? sim_write_atomic(path, scn, len, err) : -1;
    if (rc == 0) rc = write_manifest(c, 0, err);
  }
  free(path);
  free(scn);
  return rc;
}

/* ---- the results ------------------------------------------------------------------ */

/* The best evaluation of all (the first of equals, in search order). */
static const evaluation *best_of(const calib *c, size_t *search_of, size_t *index_of) {
  const evaluation *best = NULL;
  for (size_t s = 0; s < c->n_searches; s++)
    for (size_t j = 0; j < c->searches[s].n; j++) {
      const evaluation *e = &c->searches[s].ev[j];
      if (!best || e->distance < best->distance) {
        best = e;
        *search_of = s;
        *index_of = j;
      }
    }
  return best;
}

/* Over the sets that fit: each factor's range (unit and applied) and each
 * output's. */
typedef struct fitting_range {
  size_t count, total;
  double ulo[SCN_MAX_FACTORS], uhi[SCN_MAX_FACTORS], xlo[SCN_MAX_FACTORS], xhi[SCN_MAX_FACTORS];
  double olo[SCN_MAX_OUTPUTS], ohi[SCN_MAX_OUTPUTS];
} fitting_range;

static fitting_range fitting(const calib *c) {
  fitting_range fr;
  memset(&fr, 0, sizeof fr);
  for (size_t i = 0; i < SCN_MAX_FACTORS; i++) fr.ulo[i] = fr.uhi[i] = fr.xlo[i] = fr.xhi[i] = NAN;
  for (size_t i = 0; i < SCN_MAX_OUTPUTS; i++) fr.olo[i] = fr.ohi[i] = NAN;
  for (size_t s = 0; s < c->n_searches; s++)
    for (size_t j = 0; j < c->searches[s].n; j++) {
      const evaluation *e = &c->searches[s].ev[j];
      fr.total++;
      if (!e->fits) continue;
      fr.count++;
      for (size_t i = 0; i < c->k; i++) {
        fr.ulo[i] = fr.count == 1 ? e->u[i] : fmin(fr.ulo[i], e->u[i]);
        fr.uhi[i] = fr.count == 1 ? e->u[i] : fmax(fr.uhi[i], e->u[i]);
        fr.xlo[i] = fr.count == 1 ? e->x[i] : fmin(fr.xlo[i], e->x[i]);
        fr.xhi[i] = fr.count == 1 ? e->x[i] : fmax(fr.xhi[i], e->x[i]);
      }
      for (size_t o = 0; o < c->n_outputs; o++) {
        double v = e->mean[c->n_targets + o];
        fr.olo[o] = fr.count == 1 ? v : fmin(fr.olo[o], v);
        fr.ohi[o] = fr.count == 1 ? v : fmax(fr.ohi[o], v);
      }
    }
  return fr;
}

static sim_csv *table(const calib *c, const char *name, const char *const *cols, FILE *err) {
  char *path = sim_path_join(c->o->dir, name);
  sim_csv *t = path ? sim_csv_create_atomic(path, c->provenance, cols, err) : NULL;
  free(path);
  return t;
}

static int close_all(sim_csv **t, size_t n, FILE *err) {
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    if (!t[i]) {
      rc = -1;
      continue;
    }
    if (rc == 0) {
      if (sim_csv_close(t[i]) != 0) {
        fprintf(err, "burnsim: writing the calibration's tables failed: %s\n", strerror(errno));
        rc = -1;
      }
    } else {
      sim_csv_discard(t[i]);
    }
  }
  return rc;
}

static int write_evaluations(const calib *c, FILE *err) {
  char *path = sim_path_join(c->o->dir, "evaluations.csv");
  sim_atomic_file *a = path ? sim_atomic_open(path, err) : NULL;
  free(path);
  if (!a) return -1;
  FILE *f = sim_atomic_stream(a);
  /* The journal's columns, with the search in front. */
  char *head = NULL;
  size_t len = 0;
  FILE *h = open_memstream(&head, &len);
  if (h) {
    journal_header(c, h);
    fclose(h);
  }
  if (head) {
    char *columns = strchr(head, '\n');
    fprintf(f, "%.*s\nsearch,%s", (int)(columns ? columns - head : 0), head, columns ? columns + 1 : "");
  }
  free(head);
  for (size_t s = 0; s < c->n_searches; s++)
    for (size_t j = 0; j < c->searches[s].n; j++) {
      fprintf(f, "%zu,", s);
      journal_row(c, f, j, &c->searches[s].ev[j]);
    }
  return sim_atomic_close(a, head != NULL, err);
}

static int write_calibrated(const calib *c, const evaluation *best, FILE *err) {
  scenario *fitted = malloc(sizeof *fitted);
  if (!fitted) return -1;
  *fitted = *c->s;
  int errors = 0;
  for (size_t i = 0; i < c->k; i++) {
    char text[SCN_KEY_LEN + 64];
    scenario_factor_setting(c->s->experiment.sweep.factors[i].key, c->factor_integer[i], best->x[i], text,
                            sizeof text);
    errors += scenario_apply(fitted, text, err);
  }
  char name[SCN_NAME_LEN];
  snprintf(name, sizeof name, "%.50s-calibrated", c->s->name);
  snprintf(fitted->name, sizeof fitted->name, "%s", name);
  char *path = sim_path_join(c->o->dir, "calibrated.cfg");
  sim_atomic_file *a = errors == 0 && path ? sim_atomic_open(path, err) : NULL;
  free(path);
  if (!a) {
    free(fitted);
    return -1;
  }
  FILE *f = sim_atomic_stream(a);
  fprintf(f, "# %s at the best parameter set burnsim calibrate found (distance %.4g):\n", c->s->name,
          best->distance);
  for (size_t i = 0; i < c->k; i++)
    fprintf(f, "#   %s = %.10g\n", c->s->experiment.sweep.factors[i].key, best->x[i]);
  fputs("# fit.csv and parameters.csv beside this file say how well, and how firmly.\n", f);
  scenario_write(fitted, f, 0);
  free(fitted);
  return sim_atomic_close(a, 1, err);
}

static const char *const fit_columns[] = {"target", "source", "value", "tolerance", "estimate", "ci_low", "ci_high",
                                          "z", "reproduced", NULL};
static const char *const parameter_columns[] = {"parameter", "best", "search_min", "search_max", "scale", "fitting_low",
                                                "fitting_high", "fitting_share", "identified", NULL};
static const char *const output_columns[] = {"output", "best", "fitting_low", "fitting_high", "fitting_sets", NULL};

static int write_tables(const calib *c, const evaluation *best, const fitting_range *fr, FILE *err) {
  const scn_calibration *cal = &c->s->experiment.calibration;
  double confidence = c->s->experiment.confidence;
  sim_csv *t[] = {table(c, "fit.csv", fit_columns, err), table(c, "parameters.csv", parameter_columns, err),
                  table(c, "outputs.csv", output_columns, err)};
  if (t[0] && t[1] && t[2]) {
    for (size_t i = 0; i < c->n_targets; i++) {
      const scn_target *tg = &cal->targets[i];
      double half = exp_ci_half_width(c->reps, best->sd[i], confidence);
      double z = (best->mean[i] - tg->value) / (tg->tolerance * fabs(tg->value));
      sim_csv_str(t[0], tg->column);
      sim_csv_str(t[0], tg->source);
      sim_csv_float(t[0], tg->value);
      sim_csv_float(t[0], tg->tolerance);
      sim_csv_float(t[0], best->mean[i]);
      sim_csv_float(t[0], best->mean[i] - half);
      sim_csv_float(t[0], best->mean[i] + half);
      sim_csv_float(t[0], z);
      sim_csv_str(t[0], fabs(z) <= 1 ? "yes" : "no");
      sim_csv_end_row(t[0]);
    }
    for (size_t i = 0; i < c->k; i++) {
      const scn_factor *f = &c->s->experiment.sweep.factors[i];
      double width = fr->uhi[i] - fr->ulo[i];
      sim_csv_str(t[1], f->key);
      sim_csv_float(t[1], best->x[i]);
      sim_csv_float(t[1], f->min);
      sim_csv_float(t[1], f->max);
      sim_csv_str(t[1], f->scale == SCN_SCALE_LOG ? "log" : "linear");
      sim_csv_float(t[1], fr->xlo[i]);
      sim_csv_float(t[1], fr->xhi[i]);
      sim_csv_float(t[1], width);
      sim_csv_str(t[1], fr->count == 0 ? "" : identified(width));
      sim_csv_end_row(t[1]);
    }
    for (size_t o = 0; o < c->n_outputs; o++) {
      sim_csv_str(t[2], c->columns[c->n_targets + o]);
      sim_csv_float(t[2], best->mean[c->n_targets + o]);
      sim_csv_float(t[2], fr->olo[o]);
      sim_csv_float(t[2], fr->ohi[o]);
      sim_csv_uint(t[2], fr->count);
      sim_csv_end_row(t[2]);
    }
  }
  return close_all(t, 3, err);
}

static void print_results(const calib *c, const evaluation *best, size_t bs, size_t bj, const fitting_range *fr,
                          FILE *out) {
  const scn_calibration *cal = &c->s->experiment.calibration;
  fprintf(out, "burnsim: calibration of %s: best distance %.3g (search %zu, evaluation %zu); %zu of %zu sets "
               "evaluated fit every target\n",
          c->s->name, best->distance, bs, bj, fr->count, fr->total);
  fprintf(out, "  %-28s %-12s %-9s %-36s %s\n", "target", "value", "tolerance",
          "best estimate [95% interval over runs]", "z");
  for (size_t i = 0; i < c->n_targets; i++) {
    const scn_target *t = &cal->targets[i];
    double half = exp_ci_half_width(c->reps, best->sd[i], c->s->experiment.confidence);
    char est[96];
    if (half == half)
      snprintf(est, sizeof est, "%.4g [%.4g, %.4g]", best->mean[i], best->mean[i] - half, best->mean[i] + half);
    else
      snprintf(est, sizeof est, "%.4g (one run: no interval)", best->mean[i]);
    char tol[32];
    snprintf(tol, sizeof tol, "%.3g%%", 100 * t->tolerance);
    fprintf(out, "  %-28s %-12.4g %-9s %-36s %+.2f\n", t->column, t->value, tol, est,
            (best->mean[i] - t->value) / (t->tolerance * fabs(t->value)));
  }
  fprintf(out, "  %-28s %-12s %-36s\n", "parameter", "best", "range over the sets that fit");
  for (size_t i = 0; i < c->k; i++) {
    const scn_factor *f = &c->s->experiment.sweep.factors[i];
    char range[96] = "none fits";
    if (fr->count)
      snprintf(range, sizeof range, "%.4g to %.4g (%.0f%% of %.4g to %.4g)", fr->xlo[i], fr->xhi[i],
               100 * (fr->uhi[i] - fr->ulo[i]), f->min, f->max);
    double share = fr->uhi[i] - fr->ulo[i];
    fprintf(out, "  %-28s %-12.4g %-36s %s\n", f->key, best->x[i], range,
            !fr->count                ? ""
            : share < PINNED_SHARE    ? "pinned by the targets"
            : share < NARROWED_SHARE ? "narrowed by the targets"
                                      : "left free by the targets");
  }
  for (size_t o = 0; o < c->n_outputs && fr->count; o++)
    fprintf(out, "  Over the %zu sets that fit, %s ranges from %.4g to %.4g.\n", fr->count,
            c->columns[c->n_targets + o], fr->olo[o], fr->ohi[o]);
}

/* ---- the calibration -------------------------------------------------------------- */

static int setup(calib *c, const scenario *s, const exp_calibrate_options *o, FILE *err) {
  memset(c, 0, sizeof *c);
  c->s = s;
  c->o = o;
  c->err = err;
  const scn_experiment *e = &s->experiment;
  c->seeds.master_seed = e->master_seed >= 0 ? (uint64_t)e->master_seed : (uint64_t)s->seed;
  c->reps = o->reps ? o->reps : (size_t)e->replications;
  c->k = e->sweep.n_factors;
  c->n_targets = e->calibration.n_targets;
  if (c->k == 0 || c->n_targets == 0) {
    fprintf(err,
            "burnsim: %s: a calibration needs free parameters (experiment.sweep.factors, with ranges) and "
            "targets (experiment.calibration.targets); it declares %zu and %zu\n",
            s->name, c->k, c->n_targets);
    return -1;
  }
  for (size_t i = 0; i < c->n_targets; i++) snprintf(c->columns[i], SCN_NAME_LEN, "%s", e->calibration.targets[i].column);
  c->n_outputs = scenario_column_list(e->calibration.outputs, NULL, &c->columns[c->n_targets], SCN_MAX_OUTPUTS);
  c->n_columns = c->n_targets + c->n_outputs;
  for (size_t i = 0; i < c->k; i++) {
    const simc_key *key = simc_find_key(&scenario_schema, e->sweep.factors[i].key);
    c->factor_integer[i] = key && key->type == SIMC_INT;
  }
  char name[4 * SIM_PROVENANCE_NAME_MAX + 3];
  sim_provenance_quote(s->name, name, sizeof name);
  snprintf(c->provenance, sizeof c->provenance,
           "# burnsim %s (revision %s) scenario %s calibration, master seed %" PRIu64, burnsim_version,
           burnsim_git_revision, name, c->seeds.master_seed);
  c->n_searches = (size_t)e->calibration.starts + (e->calibration.explore > 0);
  c->searches = calloc(c->n_searches, sizeof *c->searches);
  if (!c->searches) {
    fprintf(err, "burnsim: out of memory\n");
    return -1;
  }
  for (size_t i = 0; i < c->n_searches; i++) {
    c->searches[i].c = c;
    c->searches[i].index = i;
    c->searches[i].explore = i == (size_t)e->calibration.starts; /* the last, when there is one */
  }
  return 0;
}

static void teardown(calib *c) {
  for (size_t i = 0; c->searches && i < c->n_searches; i++) {
    search *sr = &c->searches[i];
    if (sr->journal) fclose(sr->journal);
    free(sr->ev);
    free(sr->replay);
    free(sr->msgs);
  }
  free(c->searches);
}

/* Each search's journal, replayed first when resuming. */
static int open_journals(calib *c, FILE *err) {
  for (size_t i = 0; i < c->n_searches; i++) {
    search *sr = &c->searches[i];
    if (!sr->mine) continue;
    if (c->o->resume) journal_read(c, sr);
    char *path = journal_path(c, i);
    sr->journal = path ? fopen(path, "w") : NULL;
    if (!sr->journal) {
      fprintf(err, "burnsim: cannot write %s: %s\n", path ? path : "a search's journal", strerror(errno));
      free(path);
      return -1;
    }
    free(path);
    journal_header(c, sr->journal);
  }
  return 0;
}

/* Rank 0 reads the searches other ranks ran from their journals, whole. */
static void gather_searches(calib *c) {
  for (size_t i = 0; i < c->n_searches; i++) {
    search *sr = &c->searches[i];
    if (sr->mine) continue;
    journal_read(c, sr);
    free(sr->ev);
    sr->ev = sr->replay;
    sr->n = sr->cap = sr->n_replay;
    sr->replay = NULL;
    sr->n_replay = 0;
  }
}

int exp_calibrate_run(const scenario *s, const exp_calibrate_options *o, FILE *err) {
  calib c;
  size_t rank = (size_t)exp_ranks_rank(), ranks = (size_t)exp_ranks_size();
  /* Only rank 0 sets the folder up and speaks about it: every rank would say the same. */
  FILE *quiet = rank == 0 ? err : fopen("/dev/null", "w");
  int ok = setup(&c, s, o, quiet ? quiet : err) == 0 && (rank != 0 || prepare_folder(&c, err) == 0);
  if (quiet && quiet != err) fclose(quiet);
  if (!exp_ranks_agree(ok)) {
    teardown(&c);
    return 2;
  }
  const scn_calibration *cal = &s->experiment.calibration;
  for (size_t i = 0; i < c.n_searches; i++) {
    c.searches[i].mine = i % ranks == rank;
    if (c.searches[i].mine)
      c.at_most += c.searches[i].explore ? (size_t)cal->explore : (size_t)cal->evaluations;
  }
  clock_gettime(CLOCK_MONOTONIC, &c.started);
  pthread_mutex_init(&c.lock, NULL);
  ok = open_journals(&c, err) == 0;
  /* A simplex that cannot contract (every point of it infinitely far, as
   * when a run fails or is interrupted) is a status to act on, not a
   * reason for GSL to abort the process. */
  gsl_error_handler_t *handler = gsl_set_error_handler_off();
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t threads = o->threads ? o->threads : cores > 0 ? (size_t)cores : 1;
  if (threads > c.n_searches) threads = c.n_searches;
  pthread_t *ids = ok ? calloc(threads, sizeof *ids) : NULL;
  size_t started = 0;
  for (size_t t = 0; ids && t < threads; t++)
    if (pthread_create(&ids[t], NULL, worker, &c) == 0) started++;
  if (ok && started == 0) worker(&c);
  for (size_t t = 0; t < started; t++) pthread_join(ids[t], NULL);
  free(ids);
  gsl_set_error_handler(handler);
  if (!o->quiet && rank == 0 && isatty(STDERR_FILENO)) fputc('\n', stderr);
  for (size_t i = 0; i < c.n_searches; i++) {
    search *sr = &c.searches[i];
    if (sr->journal && fclose(sr->journal) != 0) sr->failed = 1;
    sr->journal = NULL;
    if (sr->failed && ok && !cancelled(&c)) {
      fprintf(err, "burnsim: search %zu failed%s\n%s", i, sr->msgs ? ":" : "", sr->msgs ? sr->msgs : "");
      ok = 0;
    }
  }
  ok = exp_ranks_agree(ok && !cancelled(&c));
  int rc = ok ? 0 : 1;
  if (rank == 0) {
    if (ranks > 1 && ok) gather_searches(&c);
    size_t bs = 0, bj = 0;
    const evaluation *best = ok ? best_of(&c, &bs, &bj) : NULL;
    if (best) {
      fitting_range fr = fitting(&c);
      if (write_evaluations(&c, err) != 0 || write_tables(&c, best, &fr, err) != 0 ||
          write_calibrated(&c, best, err) != 0 || write_manifest(&c, 1, err) != 0)
        rc = 1;
      else
        sim_folder_drop_replaced(o->dir);
      if (rc == 0 && !o->quiet) print_results(&c, best, bs, bj, &fr, stdout);
    } else {
      rc = 1;
    }
    if (rc != 0)
      fprintf(err, "burnsim: %s; the searches so far are kept in %s/; the same command with --resume completes it\n",
              cancelled(&c) ? "interrupted" : "the calibration did not finish", o->dir);
  }
  pthread_mutex_destroy(&c.lock);
  teardown(&c);
  return rc;
}
