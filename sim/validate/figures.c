/* sim/validate/figures.c - a figure per validation target (plots/validation.gp). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csv_read.h"
#include "output.h"
#include "validate.h"

extern char **environ;

/* The checks of one target, as validation.csv has them. */
typedef struct fig_target {
  char name[64];
  char source[512];
  size_t n;
  char check[16][64], verdict[16][16];
  double est[16], lo[16], hi[16], low[16], high[16], expected[16];
} fig_target;

enum { MAX_FIG_CHECKS = 16, MAX_FIG_TARGETS = 128 };

static char *find_gnuplot(void) {
  const char *path = getenv("PATH");
  if (!path) path = "/usr/bin:/bin";
  for (const char *p = path;;) {
    size_t n = strcspn(p, ":");
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", n ? (int)n : 1, n ? p : ".");
    char *exe = sim_path_join(dir, "gnuplot");
    struct stat st;
    if (exe && stat(exe, &st) == 0 && S_ISREG(st.st_mode) && access(exe, X_OK) == 0) return exe;
    free(exe);
    if (!p[n]) return NULL;
    p += n + 1;
  }
}

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

static char *setup_text(const char *dir, const char *staging, const char *fmt, const fig_target *t) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return NULL;
  fputs("dir=", f);
  gp_string(f, dir);
  fputs("; out=", f);
  gp_string(f, staging);
  fprintf(f, "; fmt='%s'; target=", fmt);
  gp_string(f, t->name);
  fputs("; title=", f);
  char title[700];
  snprintf(title, sizeof title, "%s: %s", t->name, t->source);
  gp_string(f, title);
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

/* Draws one figure into staging with gnuplot; 0 or -1 (its messages on err). */
static int draw(const char *gnuplot, const char *script, const char *setup, const char *log, FILE *err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGPIPE);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  char *argv[] = {"gnuplot", "-d", "-e", (char *)setup, (char *)script, NULL};
  pid_t pid;
  int rc = posix_spawn(&pid, gnuplot, &actions, &attr, argv, environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    fprintf(err, "burnsim: cannot run %s: %s\n", gnuplot, strerror(rc));
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void copy_log(const char *log, FILE *err) {
  FILE *f = fopen(log, "r");
  char line[1024];
  while (f && fgets(line, sizeof line, f)) fprintf(err, "  %s", line);
  if (f) fclose(f);
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

int val_plot_folder(const char *dir, const char *const *formats, FILE *err) {
  static const char *const png[] = {"png", NULL};
  if (!formats || !formats[0]) formats = png;
  fig_target *t = calloc(MAX_FIG_TARGETS, sizeof *t);
  long n = t ? read_targets(dir, t, MAX_FIG_TARGETS, err) : -1;
  if (n < 0) {
    free(t);
    return -1;
  }
  char *gnuplot = find_gnuplot();
  if (!gnuplot) {
    free(t);
    return 1;
  }
  const char *scripts = getenv("BURNSIM_PLOTS_DIR");
  if (!scripts || !*scripts) scripts = BURNSIM_PLOTS_DIR;
  char *script = sim_path_join(scripts, "validation.gp");
  char *plots = sim_path_join(dir, "plots");
  char *staging = sim_path_join(dir, "plots.partial-XXXXXX");
  int rc = -1;
  if (!script || !plots || !staging) {
    fprintf(err, "burnsim: out of memory drawing the figures of %s\n", dir);
  } else if (access(script, R_OK) != 0) {
    fprintf(err, "burnsim: cannot read the plot script %s (set BURNSIM_PLOTS_DIR to burnsim's plots/ folder)\n",
            script);
  } else if (!mkdtemp(staging)) {
    fprintf(err, "burnsim: cannot create a folder in %s for the figures: %s\n", dir, strerror(errno));
    free(staging);
    staging = NULL;
  } else if (mkdir(plots, 0777) != 0 && errno != EEXIST) {
    fprintf(err, "burnsim: cannot create %s: %s\n", plots, strerror(errno));
  } else {
    rc = 0;
    for (long i = 0; i < n; i++) {
      for (size_t k = 0; formats[k]; k++) {
        char name[128], log[160];
        snprintf(name, sizeof name, "%s.%s", t[i].name, formats[k]);
        snprintf(log, sizeof log, "%s.log", name);
        char *drawn = sim_path_join(staging, name), *logp = sim_path_join(staging, log);
        char *target = sim_path_join(plots, name);
        char *setup = setup_text(dir, staging, formats[k], &t[i]);
        struct stat st;
        if (!drawn || !logp || !target || !setup) {
          rc = -1;
        } else if (draw(gnuplot, script, setup, logp, err) != 0 || stat(drawn, &st) != 0 || st.st_size == 0) {
          fprintf(err, "burnsim: %s/plots/%s was not drawn: gnuplot failed on %s:\n", dir, name, script);
          copy_log(logp, err);
          rc = -1;
        } else if (rename(drawn, target) != 0) {
          fprintf(err, "burnsim: cannot move the figure into %s: %s\n", target, strerror(errno));
          rc = -1;
        }
        free(drawn);
        free(logp);
        free(target);
        free(setup);
      }
    }
  }
  if (staging) sim_output_remove_tree(staging);
  free(staging);
  free(plots);
  free(script);
  free(gnuplot);
  free(t);
  return rc;
}
