/* sim/validate/measure.c - a check's names and functions: run files and closed forms. */
#include "validate/measure.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cluster/cost.h"
#include "io/csv_read.h"
#include "cluster/erlang.h"
#include "io/output.h"
#include "core/pcg_vectors.h"

/* ---- one run's files ----------------------------------------------------------- */

typedef struct row {
  size_t n;
  char **names;
  double *values;
} row;

struct val_run_data {
  char *dir;
  row summary, cluster;
  int have_cluster;
  /* team_weeks.csv over the completed cycles: spending by cycle and week */
  int weeks_read;
  char weeks_why[512];
  size_t cycles, weeks; /* weeks: the most weeks of any cycle */
  double *spend;        /* [cycle][week] */
  size_t *cycle_weeks;  /* weeks in each cycle */
  int *complete;        /* the cycle ended (it is in teams.csv) */
};

static void row_free(row *r) {
  for (size_t i = 0; r->names && i < r->n; i++) free(r->names[i]);
  free(r->names);
  free(r->values);
  memset(r, 0, sizeof *r);
}

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The first row of dir/name. */
static int read_row(const char *dir, const char *name, row *out, char *why, size_t n) {
  char *path = sim_path_join(dir, name);
  char *msg = NULL;
  size_t len = 0;
  FILE *err = open_memstream(&msg, &len);
  sim_csv_reader *r = path && err ? sim_csv_reader_open(path, err) : NULL;
  int rc = -1;
  if (r) {
    int got = sim_csv_reader_next(r, err);
    if (got == 1) {
      out->n = sim_csv_reader_columns(r);
      out->names = calloc(out->n, sizeof *out->names);
      out->values = calloc(out->n, sizeof *out->values);
      rc = out->names && out->values ? 0 : -1;
      for (size_t i = 0; rc == 0 && i < out->n; i++) {
        out->values[i] = sim_csv_reader_number(r, i);
        if (!(out->names[i] = strdup(sim_csv_reader_name(r, i)))) rc = -1;
      }
    } else if (got == 0 && err) {
      fprintf(err, "%s has no row", path);
    }
    sim_csv_reader_close(r);
  }
  if (err) fclose(err);
  if (rc != 0) snprintf(why, n, "%s", msg && *msg ? msg : "cannot read the run's files (out of memory?)");
  /* (the reader's messages end in a newline) */
  size_t w = strlen(why);
  if (w && why[w - 1] == '\n') why[w - 1] = '\0';
  free(msg);
  free(path);
  return rc;
}

val_run_data *val_run_data_open(const char *dir, char *why, size_t n) {
  val_run_data *d = calloc(1, sizeof *d);
  if (!d || !(d->dir = strdup(dir))) {
    snprintf(why, n, "out of memory");
    free(d);
    return NULL;
  }
  if (read_row(dir, "summary.csv", &d->summary, why, n) != 0) {
    val_run_data_free(d);
    return NULL;
  }
  char *cs = sim_path_join(dir, "cluster_summary.csv");
  if (cs && file_exists(cs)) {
    if (read_row(dir, "cluster_summary.csv", &d->cluster, why, n) != 0) {
      free(cs);
      val_run_data_free(d);
      return NULL;
    }
    d->have_cluster = 1;
  }
  free(cs);
  return d;
}

void val_run_data_free(val_run_data *d) {
  if (!d) return;
  row_free(&d->summary);
  row_free(&d->cluster);
  free(d->spend);
  free(d->cycle_weeks);
  free(d->complete);
  free(d->dir);
  free(d);
}

static int row_value(const row *r, const char *name, double *out) {
  for (size_t i = 0; i < r->n; i++)
    if (strcmp(r->names[i], name) == 0) {
      *out = r->values[i];
      return 0;
    }
  return -1;
}

/* Grows the [cycle][week] table to hold cycle c and week w. */
static int weeks_fit(val_run_data *d, size_t c, size_t w) {
  size_t cycles = c + 1 > d->cycles ? c + 1 : d->cycles, weeks = w + 1 > d->weeks ? w + 1 : d->weeks;
  if (cycles == d->cycles && weeks == d->weeks) return 0;
  double *spend = calloc(cycles * weeks, sizeof *spend);
  size_t *cw = calloc(cycles, sizeof *cw);
  int *complete = calloc(cycles, sizeof *complete);
  if (!spend || !cw || !complete) {
    free(spend);
    free(cw);
    free(complete);
    return -1;
  }
  for (size_t i = 0; i < d->cycles; i++) {
    for (size_t k = 0; k < d->weeks; k++) spend[i * weeks + k] = d->spend[i * d->weeks + k];
    cw[i] = d->cycle_weeks[i];
    complete[i] = d->complete[i];
  }
  free(d->spend);
  free(d->cycle_weeks);
  free(d->complete);
  d->spend = spend;
  d->cycle_weeks = cw;
  d->complete = complete;
  d->cycles = cycles;
  d->weeks = weeks;
  return 0;
}

static int read_weeks(val_run_data *d) {
  if (d->weeks_read) return *d->weeks_why ? -1 : 0;
  d->weeks_read = 1;
  char *msg = NULL;
  size_t len = 0;
  FILE *err = open_memstream(&msg, &len);
  int rc = err ? 0 : -1;
  static const char *const files[2] = {"team_weeks.csv", "teams.csv"};
  for (int f = 0; f < 2 && rc == 0; f++) {
    char *path = sim_path_join(d->dir, files[f]);
    sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
    free(path);
    if (!r) {
      rc = -1;
      break;
    }
    long cc = sim_csv_reader_find(r, "cycle"), cw = sim_csv_reader_find(r, "week"), cs = sim_csv_reader_find(r, "spent");
    if (cc < 0 || (f == 0 && (cw < 0 || cs < 0))) {
      fprintf(err, "%s/%s lacks the columns cycle, week and spent", d->dir, files[f]);
      rc = -1;
    }
    int got;
    while (rc == 0 && (got = sim_csv_reader_next(r, err)) == 1) {
      double c = sim_csv_reader_number(r, (size_t)cc);
      double w = f == 0 ? sim_csv_reader_number(r, (size_t)cw) : 0;
      if (!(c >= 0 && c < 1e6 && w >= 0 && w < 1e6)) continue;
      if (weeks_fit(d, (size_t)c, (size_t)w) != 0) {
        fprintf(err, "out of memory");
        rc = -1;
        break;
      }
      if (f == 0) {
        d->spend[(size_t)c * d->weeks + (size_t)w] += sim_csv_reader_number(r, (size_t)cs);
        if ((size_t)w + 1 > d->cycle_weeks[(size_t)c]) d->cycle_weeks[(size_t)c] = (size_t)w + 1;
      } else {
        d->complete[(size_t)c] = 1;
      }
    }
    if (rc == 0 && got < 0) rc = -1;
    sim_csv_reader_close(r);
  }
  if (err) fclose(err);
  if (rc != 0) {
    snprintf(d->weeks_why, sizeof d->weeks_why, "%s", msg && *msg ? msg : "cannot read team_weeks.csv");
    size_t w = strlen(d->weeks_why);
    if (w && d->weeks_why[w - 1] == '\n') d->weeks_why[w - 1] = '\0';
  }
  free(msg);
  return rc;
}

/* Share of the completed cycles' spending in each cycle's last k weeks. */
static int week_share(val_run_data *d, double k, double *out, char *why, size_t n) {
  if (!(k >= 1 && k == floor(k))) {
    snprintf(why, n, "week_share(k): expected k a whole number of weeks >= 1, found %g", k);
    return -1;
  }
  if (read_weeks(d) != 0) {
    snprintf(why, n, "week_share: %s", d->weeks_why);
    return -1;
  }
  double last = 0, all = 0;
  size_t used = 0;
  for (size_t c = 0; c < d->cycles; c++) {
    if (!d->complete[c] || d->cycle_weeks[c] < (size_t)k) continue;
    used++;
    for (size_t w = 0; w < d->cycle_weeks[c]; w++) {
      double v = d->spend[c * d->weeks + w];
      all += v;
      if (w + (size_t)k >= d->cycle_weeks[c]) last += v;
    }
  }
  if (used == 0 || !(all > 0)) {
    snprintf(why, n, "week_share: %s has no completed budget cycle with spending (teams.csv, team_weeks.csv)",
             d->dir);
    return -1;
  }
  *out = last / all;
  return 0;
}

/* ---- closed forms ------------------------------------------------------------- */

static const scn_model *model_arg(const val_env_ctx *c, const char *fn, const val_arg *a, size_t nargs, char *why,
                                  size_t n) {
  if (nargs < 1 || !a[0].str) {
    snprintf(why, n, "%s: expected a model name first, e.g. %s(\"llama-70b\")", fn, fn);
    return NULL;
  }
  const scn_model *m = scenario_model(c->s, a[0].str);
  if (!m) snprintf(why, n, "%s: \"%s\" is not in the model catalogue", fn, a[0].str);
  return m;
}

static int numbers(const char *fn, const val_arg *a, size_t nargs, size_t want, char *why, size_t n) {
  if (nargs != want) {
    snprintf(why, n, "%s: expected %zu arguments, found %zu", fn, want, nargs);
    return -1;
  }
  for (size_t i = 0; i < nargs; i++)
    if (a[i].str) {
      snprintf(why, n, "%s: argument %zu: expected a number, found \"%s\"", fn, i + 1, a[i].str);
      return -1;
    }
  return 0;
}

static int env_call(void *ctx, const char *fn, const val_arg *a, size_t nargs, double *out, char *why, size_t n) {
  val_env_ctx *c = ctx;
  const scn_gpu_kind *g = scenario_gpu_kind(c->s, c->s->cluster.gpu);
  if (strcmp(fn, "erlang_c") == 0 || strcmp(fn, "erlang_c_wait") == 0) {
    if (numbers(fn, a, nargs, 3, why, n) != 0) return -1;
    if (!(a[2].num >= 1 && a[2].num <= 1e7 && a[2].num == floor(a[2].num))) {
      snprintf(why, n, "%s: c must be a whole number of servers, found %g", fn, a[2].num);
      return -1;
    }
    *out = fn[8] ? sim_erlang_c_wait(a[0].num, a[1].num, (unsigned)a[2].num)
                 : sim_erlang_c(a[0].num, a[1].num, (unsigned)a[2].num);
    return 0;
  }
  if (strcmp(fn, "per_token_usd") == 0) {
    if (numbers(fn, a, nargs, 2, why, n) != 0) return -1;
    *out = sim_cost_per_token_usd(a[0].num, a[1].num);
    return 0;
  }
  if (strcmp(fn, "rental_usd_per_mtok") == 0 || strcmp(fn, "gpu_hours_per_mtok") == 0 ||
      strcmp(fn, "kwh_per_mtok") == 0 || strcmp(fn, "g_co2_per_mtok") == 0) {
    const scn_model *m = model_arg(c, fn, a, nargs, why, n);
    if (!m) return -1;
    if (!g) {
      snprintf(why, n, "%s: the cluster's GPU kind \"%s\" is not in the catalogue", fn, c->s->cluster.gpu);
      return -1;
    }
    int rental = fn[0] == 'r';
    if (nargs > (rental ? 2u : 1u) || (nargs == 2 && a[1].str)) {
      snprintf(why, n, "%s: expected (\"model\"%s)", fn, rental ? " [, $ per GPU-hour]" : "");
      return -1;
    }
    scn_gpu_kind kind = *g;
    if (rental && nargs == 2) kind.rental_per_hour = a[1].num;
    /* GPU-hours of 1M tokens: a replica's hour serves replica_tokens_per_hour
     * on gpus_per_replica GPUs. */
    double gpu_hours = 1e6 / sim_cost_replica_tokens_per_hour(m, &kind) * (double)m->gpus_per_replica;
    double kwh = sim_cost_energy_kwh(gpu_hours, kind.watts, c->s->datacenter.load_factor, c->s->datacenter.pue);
    if (rental)
      *out = sim_cost_rental_usd_per_mtok(m, &kind);
    else if (fn[0] == 'g' && fn[1] == 'p')
      *out = gpu_hours;
    else if (fn[0] == 'k')
      *out = kwh;
    else
      *out = 1000 * sim_cost_carbon_kg(kwh, c->s->datacenter.grid_g_per_kwh);
    return 0;
  }
  if (strcmp(fn, "pcg_vectors") == 0) {
    if (nargs != 2 || a[0].str || !a[1].str || (a[0].num != 32 && a[0].num != 64)) {
      snprintf(why, n, "pcg_vectors: expected (32 or 64, \"file\")");
      return -1;
    }
    char path[4096];
    if (a[1].str[0] == '/')
      snprintf(path, sizeof path, "%s", a[1].str);
    else
      snprintf(path, sizeof path, "%s%s", c->targets_dir ? c->targets_dir : "", a[1].str);
    int matched = 0, records = 0;
    if (val_pcg_vectors((int)a[0].num, path, &matched, &records, why, n) != 0) return -1;
    *out = matched;
    return 0;
  }
  if (strcmp(fn, "week_share") == 0) {
    if (!c->run) {
      snprintf(why, n, "week_share needs a run: the target needs a scenario");
      return -1;
    }
    if (numbers(fn, a, nargs, 1, why, n) != 0) return -1;
    return week_share(c->run, a[0].num, out, why, n);
  }
  snprintf(why, n, "%s(): no such function (docs/validation.md lists them)", fn);
  return -1;
}

static int env_name(void *ctx, const char *name, double *out, char *why, size_t n) {
  val_env_ctx *c = ctx;
  if (!c->run) {
    snprintf(why, n, "%s: a run's column, but this target has no runs (no scenario)", name);
    return -1;
  }
  const val_run_data *d = c->run;
  if (strncmp(name, "cluster.", 8) == 0) {
    const row *r = d->have_cluster ? &d->cluster : &d->summary;
    if (row_value(r, name + 8, out) == 0) return 0;
    snprintf(why, n, "%s: %s/%s has no column %s", name, d->dir, d->have_cluster ? "cluster_summary.csv" : "summary.csv",
             name + 8);
    return -1;
  }
  if (row_value(&d->summary, name, out) == 0) return 0;
  snprintf(why, n, "%s: %s/summary.csv has no column %s (docs/output.md lists them)", name, d->dir, name);
  return -1;
}

val_expr_env val_env(val_env_ctx *c) {
  val_expr_env env = {.ctx = c, .name = env_name, .call = env_call};
  return env;
}

static void note_run(void *ctx, const char *name, int is_call) {
  int *needs = ctx;
  if (!is_call || strcmp(name, "week_share") == 0) *needs = 1;
}

int val_expr_needs_run(const val_expr *e) {
  int needs = 0;
  val_expr_visit(e, note_run, &needs);
  return needs;
}

/* ---- PCG reference vectors (sim/core/pcg_vectors.h) ------------------------------ */

int val_pcg_vectors(int bits, const char *path, int *matched, int *records, char *why, size_t n) {
  *matched = *records = 0;
  pcg_vector_records *want = malloc(sizeof *want), *got = malloc(sizeof *got);
  int rc = -1;
  pcg32_t g32;
  pcg64_t g64;
  pcg_vector_gen g = bits == 32 ? pcg_vector_gen_pcg32(&g32) : pcg_vector_gen_pcg64(&g64);
  int read = want && got ? pcg_vectors_read(path, bits, *want, NULL, NULL) : -1;
  if (!want || !got) {
    snprintf(why, n, "pcg_vectors: out of memory");
  } else if (read < 0) {
    snprintf(why, n, "pcg_vectors: cannot read %s: %s", path, strerror(errno));
  } else if (pcg_vectors_make(&g, *got) == 0) {
    /* a malformed record counts as one the generator does not reproduce */
    *records = PCG_VECTOR_ROUNDS * PCG_VECTOR_KINDS;
    for (int r = 0; r < PCG_VECTOR_ROUNDS; r++)
      for (int k = 0; k < PCG_VECTOR_KINDS; k++) *matched += (*want)[r][k][0] && strcmp((*want)[r][k], (*got)[r][k]) == 0;
    rc = 0;
  } else {
    snprintf(why, n, "pcg_vectors: a record does not fit");
  }
  free(want);
  free(got);
  return rc;
}
