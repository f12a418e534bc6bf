/* sim/io/plot.c - which figures a results folder gets, and gnuplot to draw them. */
#include "io/plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <libconfig.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/cancel.h"
#include "io/csv_read.h"
#include "io/data_dirs.h"
#include "io/manifest.h"
#include "io/metrics.h"
#include "io/output.h"
#include "validate/validate.h"

extern char **environ;

/* ---- files ------------------------------------------------------------------ */

static int is_file_in(const char *dir, const char *name) {
  char *path = sim_path_join(dir, name);
  struct stat st;
  int yes = path && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
  free(path);
  return yes;
}

/* A results folder holds its own files: a link among them (to a file
 * elsewhere, or plots/ to a folder elsewhere) would have burnsim read or
 * write outside it.  Returns 0, or -1 with a message on err. */
static int has_links(const char *dir, const char *shown, FILE *err) {
  DIR *dp = opendir(dir);
  if (!dp) return 0; /* (the caller finds out why) */
  int rc = 0;
  struct dirent *ent;
  while (rc == 0 && (ent = readdir(dp))) {
    if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0) continue;
    char *path = sim_path_join(dir, ent->d_name);
    struct stat st;
    if (path && lstat(path, &st) == 0) {
      if (S_ISLNK(st.st_mode)) {
        fprintf(err,
                "burnsim: %s/%s is a symbolic link; a results folder holds only its own files, so burnsim "
                "neither reads nor writes through it\n",
                shown, ent->d_name);
        rc = -1;
      } else if (S_ISDIR(st.st_mode) && strcmp(ent->d_name, "plots") == 0) {
        char *inner = sim_path_join(shown, "plots");
        rc = inner ? has_links(path, inner, err) : -1;
        free(inner);
      }
    }
    free(path);
  }
  closedir(dp);
  return rc;
}

/* The data rows of the CSV file dir/name, all read so that a malformed one is
 * found here rather than by gnuplot: the count, 0 if the file is missing, or
 * -1 (message on err naming the file and line) if it cannot be read. */
static long csv_rows(const char *dir, const char *name, FILE *err) {
  if (!is_file_in(dir, name)) return 0;
  char *path = sim_path_join(dir, name);
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  free(path);
  if (!r) return -1;
  long rows = 0;
  int got;
  while ((got = sim_csv_reader_next(r, err)) == 1) rows++;
  sim_csv_reader_close(r);
  return got < 0 ? -1 : rows;
}

/* The largest value of column col in the CSV file dir/name, or -1 when the
 * file, the column or any number is missing. */
static double column_max(const char *dir, const char *name, const char *col, FILE *err) {
  if (!is_file_in(dir, name)) return -1;
  char *path = sim_path_join(dir, name);
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  free(path);
  if (!r) return -1;
  long c = sim_csv_reader_find(r, col);
  double most = -1;
  while (c >= 0 && sim_csv_reader_next(r, err) == 1) {
    double v = sim_csv_reader_number(r, (size_t)c);
    if (v > most) most = v;
  }
  sim_csv_reader_close(r);
  return most;
}

/* ---- what a folder holds ------------------------------------------------------ */

static int inspect_campaign(const char *dir, sim_results_info *info, FILE *err) {
  char *path = sim_path_join(dir, "manifest.cfg");
  if (!path) return -1;
  int rc = -1;
  config_t cfg;
  config_init(&cfg);
  char why[512];
  if (!is_file_in(dir, "manifest.cfg")) {
    fprintf(err, "burnsim: %s has stats.csv but no manifest.cfg: expected a complete burnsim campaign folder\n",
            dir);
  } else if (manifest_read(&cfg, path, why, sizeof why) != 0) {
    fprintf(err, "burnsim: %s\n", why);
  } else {
    const char *kind = NULL;
    if (config_lookup_string(&cfg, "kind", &kind) != CONFIG_TRUE ||
        (strcmp(kind, "replications") && strcmp(kind, "compare") && strcmp(kind, "sweep"))) {
      fprintf(err, "burnsim: %s: kind: expected \"replications\", \"compare\" or \"sweep\", found %s%s%s\n", path,
              kind ? "\"" : "", kind ? kind : "nothing", kind ? "\"" : "");
    } else {
      snprintf(info->campaign, sizeof info->campaign, "%s", kind);
      config_setting_t *factors = config_lookup(&cfg, "factors");
      config_setting_t *arms = config_lookup(&cfg, "arms");
      info->factors = factors ? config_setting_length(factors) : 0;
      info->arms = arms ? config_setting_length(arms) : 1;
      long long reps = 0;
      info->replications = config_lookup_int64(&cfg, "replications", &reps) == CONFIG_TRUE ? (long)reps : 0;
      long stats = csv_rows(dir, "stats.csv", err);
      long paired = stats > 0 ? csv_rows(dir, "paired.csv", err) : 0;
      long daily = stats > 0 ? csv_rows(dir, "daily_stats.csv", err) : 0;
      if (stats == 0)
        fprintf(err, "burnsim: %s/stats.csv: expected a row per point, arm and metric, found none\n", dir);
      if (stats > 0 && paired >= 0 && daily >= 0) {
        info->paired = paired > 0;
        info->daily_stats = daily > 0;
        info->sensitivity = is_file_in(dir, "indices.csv");
        info->days = daily > 0 ? (long)column_max(dir, "daily_stats.csv", "day", err) + 1 : 0;
        rc = 0;
      }
    }
  }
  config_destroy(&cfg);
  free(path);
  return rc;
}

int sim_results_inspect(const char *dir, sim_results_info *info, FILE *err) {
  memset(info, 0, sizeof *info);
  struct stat st;
  if (stat(dir, &st) != 0) {
    fprintf(err, "burnsim: %s: %s; expected a burnsim results folder\n", dir, strerror(errno));
    return -1;
  }
  if (!S_ISDIR(st.st_mode)) {
    fprintf(err, "burnsim: %s is a file; expected a burnsim results folder\n", dir);
    return -1;
  }
  if (has_links(dir, dir, err) != 0) return -1;
  if (is_file_in(dir, "fit.csv") && is_file_in(dir, "parameters.csv")) {
    info->kind = SIM_RESULTS_CALIBRATION;
    snprintf(info->campaign, sizeof info->campaign, "calibration");
    long factors = csv_rows(dir, "parameters.csv", err);
    if (factors < 0 || csv_rows(dir, "fit.csv", err) < 0 || !is_file_in(dir, "evaluations.csv")) {
      if (factors >= 0)
        fprintf(err, "burnsim: %s: expected the evaluations.csv of a complete calibration beside its fit.csv\n", dir);
      return -1;
    }
    info->factors = (int)factors;
    return 0;
  }
  if (is_file_in(dir, "stats.csv")) {
    info->kind = SIM_RESULTS_CAMPAIGN;
    return inspect_campaign(dir, info, err);
  }
  if (!is_file_in(dir, "summary.csv")) {
    fprintf(err,
            "burnsim: %s is not a burnsim results folder: expected summary.csv (a run) or stats.csv (a "
            "campaign) in it\n",
            dir);
    return -1;
  }
  char *path = sim_path_join(dir, "summary.csv");
  sim_csv_reader *r = path ? sim_csv_reader_open(path, err) : NULL;
  int org = r && sim_csv_reader_find(r, "agents") >= 0;
  sim_csv_reader_close(r);
  /* (all of it: a malformed row is found here rather than by gnuplot) */
  if (!r || csv_rows(dir, "summary.csv", err) < 0) {
    free(path);
    return -1;
  }
  int rc = 0;
  if (org && is_file_in(dir, "daily.csv")) {
    info->kind = SIM_RESULTS_ORG_RUN;
    info->cluster_tables = is_file_in(dir, "cluster_daily.csv") && is_file_in(dir, "waits.csv");
    info->days = csv_rows(dir, "daily.csv", err);
    info->cluster_days = csv_rows(dir, "cluster_daily.csv", err);
    info->budget_cycles = (long)column_max(dir, "teams.csv", "cycle", err) + 1;
  } else if (!org && is_file_in(dir, "waits.csv")) {
    info->kind = SIM_RESULTS_CLUSTER_RUN;
    info->cluster_tables = is_file_in(dir, "daily.csv");
    info->cluster_days = info->days = csv_rows(dir, "daily.csv", err);
  } else {
    fprintf(err,
            "burnsim: %s: expected the summary of a run with an organisation (column 'agents', with daily.csv "
            "beside it) or of a cluster run (with waits.csv beside it)\n",
            path);
    rc = -1;
  }
  free(path);
  return rc;
}

/* ---- which figures ------------------------------------------------------------ */

static const sim_figure figure_table[] = {
    {"waste", "Compute per day by purpose, in tokens (top, with the day's burned share) and in dollars "
              "(bottom). Blue is useful work, orange is burn."},
    {"output", "Useful output realised per day, and the output lost when budgets refused useful jobs (top); "
               "useful output per dollar of compute, day by day (bottom)."},
    {"budget", "Team budgets against need over the run (mean and spread across teams), and how each budget "
               "cycle's spending divides between its weeks."},
    {"teams", "Each team's allocation relative to its need, cycle by cycle (left), and whether the teams that "
              "burned more in one cycle were given more in the next (right)."},
    {"leaderboard", "How concentrated token use is: the Lorenz curve of tokens per person with the top 10% and "
                    "1% shares (left), and the top user's tokens through each review period (right)."},
    {"cluster_load", "The GPU cluster: tokens served per day by purpose, its utilisation and the jobs waiting."},
    {"cluster_waits", "How long jobs waited for a GPU: the mean wait per day of useful and burn jobs, and the "
                      "distribution of waits."},
    {"compare", "Each arm's mean over its runs for the key metrics: the bar and number are the mean, the "
                "whisker its confidence interval, the dots single runs."},
    {"paired", "Each arm minus the baseline, run by run on the same seeds: the mean difference with its "
               "confidence interval. Green: better than the baseline; orange: worse; grey: no clear difference."},
    {"daily", "Day by day, each arm's mean over its runs (line) with its confidence interval (band)."},
    {"sweep", "The key metrics against the swept factor: one line per arm, with its confidence band."},
    {"sweep_map", "The key metrics over the grid of the two swept factors, one cell per pair of values; the "
                  "darker the cell, the better."},
    {"calibration", "Every parameter set the calibration evaluated: green sets reproduce every target within its "
                    "tolerance, grey ones do not, the star is the best fit. Where the green sets spread, the "
                    "targets leave that parameter free."},
    {"sensitivity", "Which factors drive each output: the share of its variance each factor explains alone (S1) "
                    "and with its interactions (ST), or its mean absolute effect (Morris mu*), with bootstrap "
                    "intervals."},
};

static const sim_figure *figure_named(const char *name) {
  for (size_t i = 0; i < sizeof figure_table / sizeof figure_table[0]; i++)
    if (strcmp(figure_table[i].name, name) == 0) return &figure_table[i];
  return NULL;
}

/* Why figure `name` would have nothing to show in this folder, into why;
 * 0 when it has something. */
static int nothing_to_show(const sim_results_info *info, const char *name, char *why, size_t n) {
  int day_figure = strcmp(name, "waste") == 0 || strcmp(name, "output") == 0 || strcmp(name, "daily") == 0;
  int cluster_figure = strcmp(name, "cluster_load") == 0;
  long days = cluster_figure ? info->cluster_days : info->days;
  if ((day_figure || cluster_figure) && days < 2)
    snprintf(why, n, "a day-by-day figure needs two days or more; this %s has %ld",
             info->kind == SIM_RESULTS_CAMPAIGN ? "campaign" : "run", days);
  else if (strcmp(name, "teams") == 0 && info->budget_cycles < 2)
    snprintf(why, n, "needs two completed budget cycles to compare them; this run has %ld",
             info->budget_cycles < 0 ? 0 : info->budget_cycles);
  else if (strcmp(name, "paired") == 0 && info->replications < 2)
    snprintf(why, n, "one run per arm gives no interval of the differences from the baseline");
  else
    return 0;
  return 1;
}

/* Every figure a folder of this kind has a script for, in reading order,
 * into names.  A kind names each figure of figure_table at most once, so
 * the table's length bounds them: a new figure cannot overrun names. */
#define MAX_CANDIDATES (sizeof figure_table / sizeof figure_table[0])
#define ADD(name)                                 \
  do {                                            \
    if (n < MAX_CANDIDATES) names[n++] = (name); \
  } while (0)
static size_t candidate_figures(const sim_results_info *info, const char *names[MAX_CANDIDATES]) {
  size_t n = 0;
  switch (info->kind) {
  case SIM_RESULTS_ORG_RUN:
    ADD("waste");
    ADD("output");
    ADD("budget");
    ADD("teams");
    ADD("leaderboard");
    if (info->cluster_tables) {
      ADD("cluster_load");
      ADD("cluster_waits");
    }
    break;
  case SIM_RESULTS_CLUSTER_RUN:
    if (info->cluster_tables) {
      ADD("cluster_load");
      ADD("cluster_waits");
    }
    break;
  case SIM_RESULTS_CALIBRATION:
    ADD("calibration");
    break;
  case SIM_RESULTS_CAMPAIGN:
    if (info->sensitivity) {
      ADD("sensitivity"); /* its points are a design for the indices, not a curve */
    } else if (info->factors == 0) {
      ADD("compare");
      if (info->paired && info->arms > 1) ADD("paired");
      if (info->daily_stats) ADD("daily");
    } else if (info->factors == 1) {
      ADD("sweep");
    } else if (info->factors == 2) {
      ADD("sweep_map");
    }
    break;
  }
  return n;
}
#undef ADD

size_t sim_plot_figures(const sim_results_info *info, sim_figure *figures, size_t max) {
  const char *names[MAX_CANDIDATES];
  size_t n = candidate_figures(info, names), kept = 0;
  char why[160];
  for (size_t i = 0; i < n; i++) {
    if (nothing_to_show(info, names[i], why, sizeof why)) continue;
    if (kept < max) figures[kept] = *figure_named(names[i]);
    kept++;
  }
  return kept;
}

void sim_plot_say_skipped(const char *dir, FILE *out) {
  sim_results_info info;
  FILE *quiet = fopen("/dev/null", "w"); /* (what is wrong with the folder, drawing says) */
  int known = quiet && sim_results_inspect(dir, &info, quiet) == 0;
  if (quiet) fclose(quiet);
  if (!known) return;
  sim_skipped_figure skipped[16];
  size_t n = sim_plot_skipped(&info, skipped, sizeof skipped / sizeof skipped[0]);
  for (size_t i = 0; i < n && i < sizeof skipped / sizeof skipped[0]; i++)
    fprintf(out, "burnsim: figure %s not drawn, as it would show nothing: %s\n", skipped[i].name, skipped[i].why);
}

size_t sim_plot_skipped(const sim_results_info *info, sim_skipped_figure *skipped, size_t max) {
  const char *names[MAX_CANDIDATES];
  size_t n = candidate_figures(info, names), left_out = 0;
  sim_skipped_figure one;
  for (size_t i = 0; i < n; i++) {
    if (!nothing_to_show(info, names[i], one.why, sizeof one.why)) continue;
    one.name = names[i];
    if (left_out < max) skipped[left_out] = one;
    left_out++;
  }
  return left_out;
}

/* ---- gnuplot ------------------------------------------------------------------ */

/* The gnuplot on PATH (malloc'd), or NULL. */
static char *find_gnuplot(void) {
  const char *path = getenv("PATH");
  if (!path) path = "/usr/bin:/bin";
  for (const char *p = path;;) {
    size_t n = strcspn(p, ":");
    char dir[4096];
    if (n == 0)
      snprintf(dir, sizeof dir, ".");
    else
      snprintf(dir, sizeof dir, "%.*s", (int)n, p);
    char *exe = sim_path_join(dir, "gnuplot");
    struct stat st;
    if (exe && stat(exe, &st) == 0 && S_ISREG(st.st_mode) && access(exe, X_OK) == 0) return exe;
    free(exe);
    if (!p[n]) return NULL;
    p += n + 1;
  }
}

/* A gnuplot single-quoted string: a quote is written twice. */
static void put_gnuplot_string(FILE *f, const char *s) {
  fputc('\'', f);
  for (; *s; s++) {
    if (*s == '\'') fputc('\'', f);
    fputc(*s, f);
  }
  fputc('\'', f);
}

/* The metric table (io/metrics.h) in gnuplot's words, for the campaign
 * figures (plots/campaign.gp loads it): key_metrics, metric_name(m) and
 * metric_direction(m), so figures and report say the same of each column. */
static int write_metric_definitions(const char *path) {
  FILE *f = fopen(path, "w");
  if (!f) return -1;
  fputs("# the metric table of sim/io/metrics.c, written by burnsim\nkey_metrics = \"", f);
  for (size_t i = 0; sim_metric_key_at(i); i++) fprintf(f, "%s%s", i ? " " : "", sim_metric_key_at(i));
  fputs("\"\nmetric_name(m) = \\\n", f);
  for (size_t i = 0; sim_metric_at(i); i++) {
    const metric_info *mi = sim_metric_at(i);
    fprintf(f, "    m eq \"%s\" ? ", mi->column);
    put_gnuplot_string(f, mi->figure_label ? mi->figure_label : mi->label);
    fputs(" : \\\n", f);
  }
  fputs("    m\nmetric_direction(m) = \\\n", f);
  for (size_t i = 0; sim_metric_at(i); i++)
    if (sim_metric_at(i)->better)
      fprintf(f, "    m eq \"%s\" ? %d : \\\n", sim_metric_at(i)->column, sim_metric_at(i)->better);
  fputs("    0\n", f);
  return fclose(f) == 0 ? 0 : -1;
}

static void copy_indented(const char *path, FILE *to) {
  FILE *f = fopen(path, "r");
  if (!f) return;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) > 0) {
    if (n == 1 && line[0] == '\n') continue;
    fprintf(to, "  %s%s", line, line[n - 1] == '\n' ? "" : "\n");
  }
  free(line);
  fclose(f);
}

typedef struct plot_job {
  const char *figure, *format;
  char *setup;   /* gnuplot -e argument */
  char *script;  /* plots/NAME.gp */
  char *drawn;   /* staging/NAME.FMT */
  char *log;     /* staging/NAME.FMT.log: gnuplot's messages */
  pid_t pid;
  int started;
  struct timespec start;
} plot_job;

static int start_job(plot_job *job, const char *gnuplot, FILE *err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, job->log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  /* Ctrl-C stops gnuplot even while burnsim itself holds the signal back to
   * clean up: default actions and no blocked signals in the child. */
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
  /* -d: no ~/.gnuplot, so a user's settings do not change the figures */
  char *argv[] = {"gnuplot", "-d", "-e", job->setup, job->script, NULL};
  int rc = posix_spawn(&job->pid, gnuplot, &actions, &attr, argv, environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    fprintf(err, "burnsim: cannot run %s: %s\n", gnuplot, strerror(rc));
    return -1;
  }
  clock_gettime(CLOCK_MONOTONIC, &job->start);
  job->started = 1;
  return 0;
}

static double seconds_since(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) + 1e-9 * (double)(now.tv_nsec - t0->tv_nsec);
}

/* How long one gnuplot may take: $BURNSIM_GNUPLOT_TIMEOUT seconds, else 300. */
static double gnuplot_time_limit(void) {
  const char *text = getenv("BURNSIM_GNUPLOT_TIMEOUT");
  char *end;
  double limit = text ? strtod(text, &end) : 0;
  return text && end != text && *end == '\0' && limit > 0 ? limit : 300;
}

enum { JOB_EXITED, JOB_TIMED_OUT, JOB_CANCELLED };

/* Waits for the job's gnuplot to end, or stops it (SIGKILL: a figure left
 * half-drawn is thrown away) at its time limit or when a stop is requested.
 * Returns JOB_* and the exit status in *wstatus. */
static int wait_job(plot_job *job, double limit, int *wstatus) {
  int outcome = JOB_EXITED;
  for (;;) {
    pid_t got = waitpid(job->pid, wstatus, WNOHANG);
    if (got == job->pid || (got < 0 && errno != EINTR)) break;
    if (outcome == JOB_EXITED && (sim_cancelled() || seconds_since(&job->start) > limit)) {
      outcome = sim_cancelled() ? JOB_CANCELLED : JOB_TIMED_OUT;
      kill(job->pid, SIGKILL);
    }
    struct timespec tick = {0, 10 * 1000 * 1000};
    nanosleep(&tick, NULL);
  }
  job->started = 0;
  return outcome;
}

/* Whether a figure file is whole: it ends as a file of its format must.
 * gnuplot can exit 0 having written part of a figure (a full disk). */
static int figure_complete(const char *path, const char *format) {
  static const unsigned char png_end[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  unsigned char tail[64];
  size_t n = 0;
  if (fseek(f, -(long)sizeof tail, SEEK_END) != 0) rewind(f);
  n = fread(tail, 1, sizeof tail, f);
  fclose(f);
  while (strcmp(format, "png") != 0 && n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == '\r' || tail[n - 1] == ' '))
    n--;
  if (strcmp(format, "png") == 0) return n >= sizeof png_end && memcmp(tail + n - sizeof png_end, png_end, sizeof png_end) == 0;
  if (strcmp(format, "svg") == 0) return n >= 6 && memcmp(tail + n - 6, "</svg>", 6) == 0;
  return n >= 5 && memcmp(tail + n - 5, "%%EOF", 5) == 0; /* pdf */
}

/* Whether the folder can take a file the size of a figure: 0, or the errno
 * of the write that failed (ENOSPC on a full disk). */
static int folder_write_error(const char *folder) {
  char *probe = sim_path_join(folder, "space.partial-probe");
  int fd = probe ? open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666) : -1;
  int e = fd < 0 ? errno : 0;
  static const char zeros[65536];
  if (fd >= 0) {
    ssize_t k = write(fd, zeros, sizeof zeros);
    if (k < 0) e = errno;
    else if ((size_t)k < sizeof zeros) e = ENOSPC;
    if (!e && fsync(fd) != 0) e = errno;
    close(fd);
  }
  if (probe) unlink(probe);
  free(probe);
  return e;
}

enum { FIGURE_DRAWN = 0, FIGURE_FAILED = -1, FIGURE_NO_SPACE = -2 };

/* Waits for the job; on success moves its figure into plots_dir.  Returns
 * FIGURE_DRAWN; FIGURE_FAILED (message on err); or FIGURE_NO_SPACE (message
 * on err) when the folder could not take the figure. */
static int finish_job(plot_job *job, const char *dir, const char *plots_dir, const char *staging, double limit,
                      FILE *err) {
  int wstatus = 0;
  int outcome = wait_job(job, limit, &wstatus);
  if (outcome == JOB_CANCELLED) return FIGURE_FAILED; /* (the caller says so) */
  struct stat st;
  int exited = outcome == JOB_EXITED && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0;
  int drawn = exited && stat(job->drawn, &st) == 0 && st.st_size > 0;
  int complete = drawn && figure_complete(job->drawn, job->format);
  if (!complete) {
    int space = outcome == JOB_TIMED_OUT ? 0 : folder_write_error(staging);
    fprintf(err, "burnsim: %s/plots/%s.%s was not drawn: ", dir, job->figure, job->format);
    if (space)
      fprintf(err, "%s: ", strerror(space));
    if (outcome == JOB_TIMED_OUT)
      fprintf(err, "gnuplot did not finish within %g s and was stopped (BURNSIM_GNUPLOT_TIMEOUT sets the limit)", limit);
    else if (WIFSIGNALED(wstatus))
      fprintf(err, "gnuplot was stopped by signal %d", WTERMSIG(wstatus));
    else if (drawn)
      fprintf(err, "gnuplot wrote an incomplete file (%jd bytes, without the end of a %s file)", (intmax_t)st.st_size,
              job->format);
    else if (exited)
      fprintf(err, "gnuplot wrote no figure");
    else
      fprintf(err, "gnuplot failed");
    fprintf(err, " on %s%s\n", job->script, outcome == JOB_TIMED_OUT ? "" : ":");
    if (outcome != JOB_TIMED_OUT) copy_indented(job->log, err);
    return space ? FIGURE_NO_SPACE : FIGURE_FAILED;
  }
  char *target = sim_path_join(plots_dir, job->figure);
  size_t n = target ? strlen(target) + strlen(job->format) + 2 : 0;
  char *path = target ? malloc(n) : NULL;
  int rc = FIGURE_FAILED;
  if (path) {
    snprintf(path, n, "%s.%s", target, job->format);
    if (rename(job->drawn, path) == 0)
      rc = FIGURE_DRAWN;
    else
      fprintf(err, "burnsim: cannot move the figure into %s: %s\n", path, strerror(errno));
  }
  free(path);
  free(target);
  return rc;
}

static int known_format(const char *f) {
  return strcmp(f, "png") == 0 || strcmp(f, "svg") == 0 || strcmp(f, "pdf") == 0;
}

sim_plot_status sim_plot_folder(const char *dir, const char *const *formats, FILE *err) {
  static const char *const png_only[] = {"png", NULL};
  if (!formats || !formats[0]) formats = png_only;
  size_t nformats = 0;
  for (; formats[nformats]; nformats++) {
    if (!known_format(formats[nformats])) {
      fprintf(err, "burnsim: figure format '%s': expected png, svg or pdf\n", formats[nformats]);
      return SIM_PLOT_FAILED;
    }
  }
  if (val_is_folder(dir)) return val_plot_folder(dir, formats, err); /* a figure per validation target */
  sim_results_info info;
  if (sim_results_inspect(dir, &info, err) != 0) return SIM_PLOT_BAD_FOLDER;
  sim_figure figures[16];
  size_t nfigures = sim_plot_figures(&info, figures, sizeof figures / sizeof figures[0]);
  if (nfigures == 0) {
    if (sim_plot_skipped(&info, NULL, 0) == 0)
      fprintf(err, "burnsim: %s: no figures for a sweep of %d factors (the tables are in stats.csv)\n", dir,
              info.factors);
    return SIM_PLOT_DONE;
  }
  sim_plot_item items[16];
  for (size_t i = 0; i < nfigures; i++) items[i] = (sim_plot_item){figures[i].name, figures[i].name, NULL};
  return sim_plot_items(dir, items, nfigures, formats, err);
}

sim_plot_status sim_plot_items(const char *dir, const sim_plot_item *items, size_t nfigures,
                               const char *const *formats, FILE *err) {
  static const char *const png_only[] = {"png", NULL};
  if (!formats || !formats[0]) formats = png_only;
  size_t nformats = 0;
  while (formats[nformats]) nformats++;
  char *gnuplot = find_gnuplot();
  if (!gnuplot) return SIM_PLOT_NO_GNUPLOT;
  char *scripts = sim_data_dir(SIM_DATA_PLOTS);

  sim_plot_status status = SIM_PLOT_FAILED;
  size_t njobs = nfigures * nformats;
  plot_job *jobs = calloc(njobs, sizeof *jobs);
  char *plots_dir = sim_path_join(dir, "plots");
  char *staging = sim_path_join(dir, "plots.partial-staging");
  int staging_fd = -1;
  if (!jobs || !plots_dir || !staging || !scripts) {
    fprintf(err, "burnsim: out of memory drawing the figures of %s\n", dir);
    goto done;
  }
  /* (a staging folder a killed burnsim left is removed first) */
  if ((staging_fd = sim_staging_claim(staging)) < 0) {
    if (errno == EEXIST)
      fprintf(err, "burnsim: another burnsim is drawing the figures of %s now (%s is in use)\n", dir, staging);
    else
      fprintf(err, "burnsim: cannot create a folder in %s for the figures: %s\n", dir, strerror(errno));
    free(staging);
    staging = NULL;
    goto done;
  }
  if (mkdir(plots_dir, 0777) != 0 && errno != EEXIST) {
    fprintf(err, "burnsim: cannot create %s: %s\n", plots_dir, strerror(errno));
    goto done;
  }
  char *metrics = sim_path_join(staging, "metrics.gp");
  int wrote = metrics ? write_metric_definitions(metrics) : -1;
  free(metrics);
  if (wrote != 0) {
    fprintf(err, "burnsim: cannot write the figures' metric table in %s: %s\n", staging, strerror(errno));
    goto done;
  }
  for (size_t i = 0; i < njobs; i++) {
    plot_job *job = &jobs[i];
    const sim_plot_item *item = &items[i / nformats];
    job->figure = item->name;
    job->format = formats[i % nformats];
    char name[256];
    snprintf(name, sizeof name, "%s.gp", item->script);
    job->script = sim_path_join(scripts, name);
    snprintf(name, sizeof name, "%s.%s", job->figure, job->format);
    job->drawn = sim_path_join(staging, name);
    snprintf(name, sizeof name, "%s.%s.log", job->figure, job->format);
    job->log = sim_path_join(staging, name);
    size_t setup_len = 0;
    FILE *mem = open_memstream(&job->setup, &setup_len);
    if (mem) {
      fputs("dir=", mem);
      put_gnuplot_string(mem, dir);
      fputs("; out=", mem);
      put_gnuplot_string(mem, staging);
      fprintf(mem, "; fmt='%s'", job->format);
      if (item->setup) fprintf(mem, "; %s", item->setup);
      fclose(mem);
    }
    if (!job->script || !job->drawn || !job->log || !job->setup) {
      fprintf(err, "burnsim: out of memory drawing the figures of %s\n", dir);
      goto done;
    }
    if (access(job->script, R_OK) != 0) {
      fprintf(err, "burnsim: cannot read the plot script %s (set BURNSIM_PLOTS_DIR to burnsim's plots/ folder)\n",
              job->script);
      goto done;
    }
  }
  /* A few gnuplots at once (each is single-threaded); they are waited for in
   * the order they started, so only our own children are reaped. */
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  size_t parallel = cores < 1 ? 1 : cores > 8 ? 8 : (size_t)cores;
  size_t next = 0, failed = 0, no_space = 0;
  double limit = gnuplot_time_limit();
  for (size_t i = 0; i < njobs && !sim_cancelled(); i++) {
    while (next < njobs && next < i + parallel && !sim_cancelled())
      if (start_job(&jobs[next++], gnuplot, err) != 0) failed++;
    if (!jobs[i].started) continue;
    int got = finish_job(&jobs[i], dir, plots_dir, staging, limit, err);
    failed += got != FIGURE_DRAWN;
    no_space += got == FIGURE_NO_SPACE;
  }
  if (sim_cancelled())
    status = SIM_PLOT_FAILED;
  else if (no_space)
    status = SIM_PLOT_NO_SPACE;
  else
    status = failed ? SIM_PLOT_FAILED : SIM_PLOT_DONE;
done:
  if (jobs) {
    for (size_t i = 0; i < njobs; i++) {
      if (jobs[i].started) { /* stopped, or an error before all were waited for */
        int ignored;
        kill(jobs[i].pid, SIGKILL);
        waitpid(jobs[i].pid, &ignored, 0);
      }
      free(jobs[i].setup);
      free(jobs[i].script);
      free(jobs[i].drawn);
      free(jobs[i].log);
    }
  }
  if (staging) sim_output_remove_tree(staging);
  if (staging_fd >= 0) close(staging_fd);
  if (plots_dir && status != SIM_PLOT_DONE) rmdir(plots_dir); /* only if it is empty */
  free(jobs);
  free(staging);
  free(plots_dir);
  free(gnuplot);
  free(scripts);
  return status;
}
