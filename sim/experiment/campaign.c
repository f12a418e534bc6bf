/* sim/experiment/campaign.c - a campaign's folder, its runs on threads and ranks, resuming. */
#include "experiment/campaign.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <libconfig.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/build_info.h"
#include "io/output.h"
#include "experiment/ranks.h"
#include "run.h"
#include "experiment/sensitivity.h"
#include "io/summary_json.h"
#include "experiment/sweep_table.h"
#include "experiment/tables.h"

typedef struct campaign {
  const scenario *s;
  const exp_options *o;
  exp_design d;
  char provenance[512];
  FILE *err;

  size_t *todo, n_todo; /* this rank's runs still to do, in run order */
  pthread_mutex_t lock;
  pthread_cond_t changed;
  size_t next;          /* index into todo of the next run to start */
  size_t finished;      /* runs finished in this invocation */
  size_t running;       /* workers still working */
  int failed;           /* a run failed: start no more */
  struct timespec started;
  char start_stamp[32], host[256]; /* when and where this invocation began */
  config_t earlier;                /* a resumed campaign's manifest as it was found */
  int have_earlier;
} campaign;

/* Scenario changes go through libconfig, which is not documented as
 * thread-safe; they take microseconds, so they simply take turns. */
static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int run_is_done(const campaign *c, size_t run) {
  char rel[64];
  exp_run_folder(run, rel, sizeof rel);
  char *path = sim_path_join(c->o->dir, rel);
  int done = path && is_dir(path);
  free(path);
  return done;
}

/* Text of what a writer function puts in a file, for writing atomically
 * or comparing with a file on disk. */
typedef struct text {
  char *data;
  size_t len;
  FILE *f;
} text;

static FILE *text_open(text *t) {
  memset(t, 0, sizeof *t);
  t->f = open_memstream(&t->data, &t->len);
  return t->f;
}

static int text_close(text *t) {
  return t->f && fclose(t->f) == 0 && t->data ? 0 : -1;
}

static int write_atomic(const char *dir, const char *name, const text *t, FILE *err) {
  char *path = sim_path_join(dir, name);
  int rc = path ? sim_write_atomic(path, t->data, t->len, err) : -1;
  free(path);
  return rc;
}

/* Whether dir/name holds exactly t. */
static int file_equals(const char *dir, const char *name, const text *t) {
  char *path = sim_path_join(dir, name);
  FILE *f = path ? fopen(path, "r") : NULL;
  free(path);
  if (!f) return 0;
  int same = 1;
  char buf[65536];
  size_t off = 0, n;
  while (same && (n = fread(buf, 1, sizeof buf, f)) > 0) {
    same = off + n <= t->len && memcmp(buf, t->data + off, n) == 0;
    off += n;
  }
  fclose(f);
  return same && off == t->len;
}

static void print_string_array(FILE *f, const char *key, const char *const *items, size_t n) {
  fprintf(f, "%s = [", key);
  for (size_t i = 0; i < n; i++) {
    if (i) fputs(", ", f);
    manifest_put_string(f, items[i]);
  }
  fputs("];\n", f);
}

static void print_string_key(FILE *f, const char *key, const char *value) {
  fprintf(f, "%s = ", key);
  manifest_put_string(f, value);
  fputs(";\n", f);
}

/* The keys of the earlier manifest that say how the campaign was first
 * started: a resume keeps them, so the folder still says how to repeat it. */
static void print_first_start(FILE *f, const config_t *earlier) {
  static const char *const keys[] = {"burnsim_version", "git_revision",  "libraries", "command_line",
                                     "scenario_file",   "scenario_name", "label"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    const char *v = NULL;
    if (config_lookup_string(earlier, keys[i], &v) == CONFIG_TRUE) print_string_key(f, keys[i], v);
  }
  config_setting_t *overrides = config_lookup(earlier, "overrides");
  fputs("overrides = [", f);
  for (int i = 0; overrides && i < config_setting_length(overrides); i++) {
    const char *v = config_setting_get_string_elem(overrides, i);
    if (i) fputs(", ", f);
    manifest_put_string(f, v ? v : "");
  }
  fputs("];\n", f);
}

static void print_resume(FILE *f, const char *command_line, const char *started, const char *host) {
  fputs("{ command_line = ", f);
  manifest_put_string(f, command_line);
  fputs("; started = ", f);
  manifest_put_string(f, started);
  fputs("; host = ", f);
  manifest_put_string(f, host);
  fputs("; }", f);
}

/* resumes = ( ... ); on one line: each earlier resume, then this one. */
static void print_resumes(FILE *f, const campaign *c) {
  config_setting_t *list = c->have_earlier ? config_lookup(&c->earlier, "resumes") : NULL;
  int n = list ? config_setting_length(list) : 0;
  if (n == 0 && !c->o->resume) return;
  fputs("resumes = (", f);
  for (int i = 0; i < n; i++) {
    config_setting_t *r = config_setting_get_elem(list, (unsigned)i);
    const char *cmd = "", *started = "", *host = "";
    config_setting_lookup_string(r, "command_line", &cmd);
    config_setting_lookup_string(r, "started", &started);
    config_setting_lookup_string(r, "host", &host);
    fputs(i ? ", " : " ", f);
    print_resume(f, cmd, started, host);
  }
  if (c->o->resume) {
    char *cmd = manifest_command_line(c->o->inv);
    fputs(n ? ", " : " ", f);
    print_resume(f, cmd ? cmd : "", c->start_stamp, c->host);
    free(cmd);
  }
  fputs(" );\n", f);
}

static int write_manifest(const campaign *c, int complete, FILE *err) {
  const scn_experiment *e = &c->s->experiment;
  text t;
  FILE *f = text_open(&t);
  if (!f) return -1;
  fputs("# How this campaign folder was made.  complete is false until every run is\n"
        "# in runs/ and the tables are written; the same command with --resume\n"
        "# completes it.  started and host differ between repeats; everything else\n"
        "# is identical for the same scenario, whatever the thread or rank count.\n"
        "# command_line, started and host are the first start's; resumes lists each\n"
        "# --resume after it.\n",
        f);
  if (c->have_earlier)
    print_first_start(f, &c->earlier);
  else
    manifest_print_provenance(f, c->o->inv, c->s);
  fprintf(f, "kind = \"%s\";\nmaster_seed = %" PRIu64 "L;\nreplications = %zu;\npoints = %zu;\nruns = %zu;\n",
          exp_kind_names[c->d.kind], c->d.master_seed, c->d.reps, c->d.points, exp_design_runs(&c->d));
  print_string_array(f, "arms", c->d.arm_names, c->d.arms);
  print_string_array(f, "factors", c->d.factor_keys, c->d.factors);
  fputs("objective = ", f);
  manifest_put_string(f, e->objective);
  fprintf(f, ";\ngoal = \"%s\";\nconfidence = %.15g;\ncomplete = %s;\n",
          e->goal == SCN_GOAL_MINIMISE ? "minimise" : "maximise", e->confidence, complete ? "true" : "false");
  const char *started = c->start_stamp, *host = c->host;
  if (c->have_earlier) {
    config_lookup_string(&c->earlier, "started", &started);
    config_lookup_string(&c->earlier, "host", &host);
  }
  print_string_key(f, "started", started);
  print_string_key(f, "host", host);
  print_resumes(f, c);
  manifest_print_scenario(f, c->s);
  if (text_close(&t) != 0) {
    free(t.data);
    return -1;
  }
  int rc = write_atomic(c->o->dir, "manifest.cfg", &t, err);
  free(t.data);
  return rc;
}

/* The plan's files: what a fresh campaign writes, and what a resumed one
 * must find unchanged. */
static int plan_texts(const campaign *c, text *scn, text *design) {
  FILE *f = text_open(scn);
  if (f) manifest_print_scenario_file(f, c->s);
  FILE *g = text_open(design);
  if (g) exp_design_write(&c->d, c->provenance, g);
  int rc = text_close(scn) | text_close(design);
  return rc;
}

static int prepare_resume(campaign *c, const text *scn, const text *design, FILE *err) {
  const char *dir = c->o->dir;
  char *manifest = sim_path_join(dir, "manifest.cfg");
  config_t *cfg = &c->earlier;
  const char *kind = NULL;
  int ok = manifest && config_read_file(cfg, manifest) == CONFIG_TRUE &&
           config_lookup_string(cfg, "kind", &kind) == CONFIG_TRUE;
  if (!ok) {
    fprintf(err, "burnsim: %s is not a campaign folder to resume (no readable manifest.cfg with a kind)\n",
            dir);
  } else if (strcmp(kind, exp_kind_names[c->d.kind]) != 0) {
    fprintf(err, "burnsim: %s holds a %s campaign, not a %s one\n", dir, kind, exp_kind_names[c->d.kind]);
    ok = 0;
  } else if (!file_equals(dir, "scenario.cfg", scn) || !file_equals(dir, "design.csv", design)) {
    fprintf(err,
            "burnsim: %s was started with another scenario, design or burnsim build (its scenario.cfg or "
            "design.csv differs from what this command would run); resume with the command that started it, "
            "or start afresh with --force\n",
            dir);
    ok = 0;
  }
  free(manifest);
  c->have_earlier = ok;
  if (ok) {
    /* What a killed campaign left half-written: staging folders of runs and
     * partial tables. */
    char *runs = sim_path_join(dir, "runs");
    sim_remove_stale_partials(dir, NULL);
    if (runs) sim_remove_stale_partials(runs, NULL);
    free(runs);
    ok = write_manifest(c, 0, err) == 0; /* this resume, in the log before it runs */
  }
  return ok ? 0 : -1;
}

static int prepare_fresh(campaign *c, const text *scn, const text *design, FILE *err) {
  const char *dir = c->o->dir;
  char *made = sim_folder_create(dir, c->o->force ? SIM_OUTPUT_FORCE : 0, err);
  if (!made) return -1;
  free(made);
  char *runs = sim_path_join(dir, "runs");
  int rc = runs ? 0 : -1;
  if (rc == 0 && mkdir(runs, 0777) != 0) {
    fprintf(err, "burnsim: cannot create %s: %s\n", runs, strerror(errno));
    rc = -1;
  }
  free(runs);
  if (rc == 0) rc = write_atomic(dir, "scenario.cfg", scn, err);
  if (rc == 0) rc = write_atomic(dir, "design.csv", design, err);
  if (rc == 0) rc = write_manifest(c, 0, err);
  return rc;
}

/* Rank 0 sets the folder up; every rank learns whether it worked. */
static int prepare_folder(campaign *c, FILE *err) {
  int ok = 1;
  if (exp_ranks_rank() == 0) {
    text scn, design;
    if (plan_texts(c, &scn, &design) != 0) {
      fprintf(err, "burnsim: out of memory\n");
      ok = 0;
    } else {
      ok = (c->o->resume ? prepare_resume(c, &scn, &design, err) : prepare_fresh(c, &scn, &design, err)) == 0;
    }
    free(scn.data);
    free(design.data);
  }
  return exp_ranks_agree(ok);
}

/* ---- runs ------------------------------------------------------------------ */

static double seconds_since(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) + 1e-9 * (double)(now.tv_nsec - t0->tv_nsec);
}

/* One run into runs/NNNNNN; messages go to msg.  Returns 0 or -1. */
static int run_one(campaign *c, size_t run, FILE *msg) {
  scenario *rs = malloc(sizeof *rs);
  if (!rs) {
    fprintf(msg, "burnsim: out of memory\n");
    return -1;
  }
  pthread_mutex_lock(&config_lock);
  int errors = exp_design_scenario(&c->d, c->s, run, rs, msg);
  pthread_mutex_unlock(&config_lock);
  int rc = -1;
  char rel[64];
  exp_run_folder(run, rel, sizeof rel);
  char *path = sim_path_join(c->o->dir, rel);
  if (errors == 0 && path) {
    uint64_t seed = (uint64_t)rs->seed;
    sim_provenance prov = {.scenario_name = rs->name, .seed = seed};
    sim_output *out = sim_output_open(path, 0, &prov, msg);
    if (out) {
      rc = manifest_write(out, rs, seed, c->o->inv, msg);
      if (rc == 0) rc = sim_run(rs, seed, out, c->o->cancel, msg);
      if (rc == 0)
        rc = sim_output_commit(out, msg);
      else
        sim_output_abort(out);
    }
  }
  free(path);
  free(rs);
  return rc;
}

static void *worker(void *arg) {
  campaign *c = arg;
  for (;;) {
    pthread_mutex_lock(&c->lock);
    int stop = c->failed || c->next >= c->n_todo || (c->o->cancel && *c->o->cancel);
    size_t run = stop ? 0 : c->todo[c->next++];
    pthread_mutex_unlock(&c->lock);
    if (stop) break;
    char *msgs = NULL;
    size_t len = 0;
    FILE *msg = open_memstream(&msgs, &len);
    int rc = msg ? run_one(c, run, msg) : -1;
    if (msg) fclose(msg);
    pthread_mutex_lock(&c->lock);
    if (rc == 0) {
      c->finished++;
    } else if (!(c->o->cancel && *c->o->cancel)) {
      /* The first failure is reported whole; later ones are stopped runs. */
      if (!c->failed) {
        size_t point, rep, arm;
        exp_design_locate(&c->d, run, &point, &rep, &arm);
        fprintf(c->err, "%sburnsim: run %zu (arm %s, replication %zu, point %zu, seed %" PRIu64 ") failed:\n%s",
                isatty(STDERR_FILENO) ? "\n" : "", run, c->d.arm_names[arm], rep, point,
                exp_design_seed(&c->d, rep), msgs ? msgs : "");
      }
      c->failed = 1;
    }
    pthread_cond_broadcast(&c->changed);
    pthread_mutex_unlock(&c->lock);
    free(msgs);
  }
  pthread_mutex_lock(&c->lock);
  c->running--;
  pthread_cond_broadcast(&c->changed);
  pthread_mutex_unlock(&c->lock);
  return NULL;
}

static void format_duration(double s, char *out, size_t n) {
  long t = (long)(s + 0.5);
  if (t >= 3600)
    snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
  else
    snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

static void show_progress(const campaign *c, size_t total_done, size_t total) {
  char elapsed[32], left[64] = "";
  double secs = seconds_since(&c->started);
  format_duration(secs, elapsed, sizeof elapsed);
  size_t remaining = c->n_todo - c->finished;
  if (c->finished > 0 && remaining > 0) {
    char eta[24];
    format_duration(secs / (double)c->finished * (double)remaining, eta, sizeof eta);
    snprintf(left, sizeof left, ", about %s left", eta);
  }
  fprintf(c->err, "\r\033[Kburnsim: %zu/%zu runs done%s, %s elapsed%s", total_done, total,
          exp_ranks_size() > 1 ? " (this rank's share)" : "", elapsed, left);
  fflush(c->err);
}

static int run_todo(campaign *c, size_t already_done) {
  size_t threads = c->o->threads;
  if (threads == 0) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cores > 0 ? (size_t)cores : 1;
  }
  if (threads > c->n_todo) threads = c->n_todo;
  pthread_t *ids = calloc(threads ? threads : 1, sizeof *ids);
  if (!ids) return -1;
  int progress = !c->o->quiet && isatty(STDERR_FILENO) && exp_ranks_rank() == 0;
  size_t total = exp_ranks_size() > 1 ? c->n_todo + already_done : exp_design_runs(&c->d);
  clock_gettime(CLOCK_MONOTONIC, &c->started);
  size_t started = 0;
  pthread_mutex_lock(&c->lock);
  for (; started < threads; started++) {
    if (pthread_create(&ids[started], NULL, worker, c) != 0) break;
    c->running++;
  }
  if (started == 0 && c->n_todo > 0) c->failed = 1;
  while (c->running > 0) {
    if (progress) show_progress(c, already_done + c->finished, total);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_cond_timedwait(&c->changed, &c->lock, &until);
  }
  pthread_mutex_unlock(&c->lock);
  for (size_t i = 0; i < started; i++) pthread_join(ids[i], NULL);
  if (progress) {
    show_progress(c, already_done + c->finished, total);
    fputc('\n', c->err);
  }
  free(ids);
  return c->failed ? -1 : 0;
}

/* ---- the campaign ---------------------------------------------------------- */

int exp_campaign_run(const scenario *s, const exp_options *o, FILE *err) {
  campaign c = {.s = s, .o = o, .err = err};
  config_init(&c.earlier);
  manifest_origin_now(c.start_stamp, sizeof c.start_stamp, c.host, sizeof c.host);
  size_t reps = o->reps ? o->reps : (size_t)s->experiment.replications;
  /* Only rank 0 speaks about the set-up; every rank would say the same. */
  FILE *quiet_err = exp_ranks_rank() == 0 ? err : fopen("/dev/null", "w");
  if (!quiet_err) quiet_err = err;
  int rc = exp_design_init(&c.d, s, o->kind, reps, quiet_err) == 0 ? 0 : 2;
  if (rc == 0) {
    char name[4 * SIM_PROVENANCE_NAME_MAX + 3];
    sim_provenance_quote(s->name, name, sizeof name);
    snprintf(c.provenance, sizeof c.provenance,
             "# burnsim %s (revision %s) scenario %s %s campaign, master seed %" PRIu64, burnsim_version,
             burnsim_git_revision, name, exp_kind_names[o->kind], c.d.master_seed);
    if (!prepare_folder(&c, quiet_err)) rc = 2;
  }
  if (quiet_err != err) fclose(quiet_err);
  if (rc != 0) {
    exp_design_free(&c.d);
    config_destroy(&c.earlier);
    return rc;
  }

  size_t total = exp_design_runs(&c.d), rank = (size_t)exp_ranks_rank(), ranks = (size_t)exp_ranks_size();
  size_t already_done = 0;
  c.todo = malloc((total / ranks + 1) * sizeof *c.todo);
  if (!c.todo) {
    fprintf(err, "burnsim: out of memory\n");
    exp_design_free(&c.d);
    config_destroy(&c.earlier);
    return 1;
  }
  /* Runs are dealt to ranks by number, so each rank knows its own without
   * talking to the others, and only its owner ever writes a run. */
  for (size_t run = rank; run < total; run += ranks) {
    if (run_is_done(&c, run))
      already_done++;
    else
      c.todo[c.n_todo++] = run;
  }
  pthread_mutex_init(&c.lock, NULL);
  pthread_cond_init(&c.changed, NULL);
  int ok = run_todo(&c, already_done) == 0 && !(o->cancel && *o->cancel);
  pthread_cond_destroy(&c.changed);
  pthread_mutex_destroy(&c.lock);
  ok = exp_ranks_agree(ok);

  rc = ok ? 0 : 1;
  if (rank == 0) {
    if (ok) {
      exp_table_settings t = {.dir = o->dir,
                              .provenance = c.provenance,
                              .confidence = s->experiment.confidence,
                              .target_half_width = s->experiment.target_half_width,
                              .objective = s->experiment.objective,
                              .minimise = s->experiment.goal == SCN_GOAL_MINIMISE,
                              .ranking = o->quiet ? NULL : stdout};
      exp_sweep_table sweep = {.dir = o->dir,
                               .objective = s->experiment.objective,
                               .minimise = s->experiment.goal == SCN_GOAL_MINIMISE,
                               .reps = c.d.reps,
                               .confidence = s->experiment.confidence,
                               .max_rows = 60};
      /* A sensitivity design's points are not a curve: its indices take the sweep table's place. */
      int sensitivity = exp_is_sensitivity(&c.d);
      if (exp_tables_write(&c.d, &t, err) != 0 ||
          (sensitivity &&
           exp_sensitivity_write(&c.d, s, o->dir, c.provenance, o->quiet ? NULL : stdout, err) != 0) ||
          sim_summary_json_write(o->dir, err) != 0 || write_manifest(&c, 1, err) != 0 ||
          (o->kind == EXP_SWEEP && !sensitivity && !o->quiet && exp_sweep_table_print(&sweep, stdout, err) != 0))
        rc = 1;
      else
        sim_folder_drop_replaced(o->dir); /* the earlier results --force replaced, now that these are complete */
    } else {
      size_t kept = 0;
      for (size_t run = 0; run < total; run++) kept += run_is_done(&c, run);
      fprintf(err,
              "burnsim: %s; %zu of %zu runs are finished and kept in %s/runs/; the same command with "
              "--resume completes the campaign\n",
              o->cancel && *o->cancel ? "interrupted" : "a run failed", kept, total, o->dir);
    }
  }
  free(c.todo);
  exp_design_free(&c.d);
  config_destroy(&c.earlier);
  return rc;
}
