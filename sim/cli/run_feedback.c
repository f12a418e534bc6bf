/* sim/cli/run_feedback.c - a single run's progress line and findings. */
#include "cli/run_feedback.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/progress.h"
#include "io/report.h"

typedef struct progress_line {
  const char *name;
  struct timespec started;
  double after;      /* seconds before the line first shows */
  double last_shown; /* seconds since the start, or -1 */
} progress_line;

static progress_line line = {.last_shown = -1};

static double seconds_since(const struct timespec *t0) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - t0->tv_sec) + 1e-9 * (double)(now.tv_nsec - t0->tv_nsec);
}

static void show(double now, double horizon, void *ctx) {
  progress_line *p = ctx;
  double secs = seconds_since(&p->started);
  if (secs < p->after || (p->last_shown >= 0 && secs - p->last_shown < 0.25) || !(horizon > 0)) return;
  p->last_shown = secs;
  double done = now / horizon;
  char left[48] = "";
  if (done > 0.02) snprintf(left, sizeof left, ", about %.0f s left", secs / done * (1 - done));
  fprintf(stderr, "\r\033[Kburnsim: %s: day %.0f of %.0f (%.0f%%), %.0f s%s", p->name, floor(now / 24), horizon / 24,
          100 * done, secs, left);
  fflush(stderr);
}

void cli_progress_begin(const char *name) {
  if (!isatty(STDERR_FILENO)) return;
  line.name = name;
  line.last_shown = -1;
  const char *after = getenv("BURNSIM_PROGRESS_AFTER");
  char *end = NULL;
  line.after = after && *after ? strtod(after, &end) : 1.5;
  if (end && *end) line.after = 1.5;
  clock_gettime(CLOCK_MONOTONIC, &line.started);
  sim_progress_watch(show, &line);
}

void cli_progress_end(void) {
  sim_progress_watch(NULL, NULL);
  if (line.last_shown >= 0) fputs("\r\033[K", stderr);
  line.last_shown = -1;
}

void cli_print_run_findings(const char *dir) {
  printf("What it found (summary.csv; report: burnsim report %s):\n", dir);
  sim_report_print_run_summary(dir, stdout, stderr);
}
