/* bench/bench_campaign.c - a campaign's throughput on 1 and 2 threads.
 *
 * Runs 20 replications of scenarios/quickstart.cfg (1,000 agents, 90
 * days) as a campaign, first on one thread, then on two, into temporary
 * folders, and reports runs per second and the speed-up (target: two
 * threads at least 1.8x one).  Each is the best of three repetitions, as
 * other work on the machine only ever slows a repetition down.  Also checks that both campaigns wrote the
 * same tables, as they must.
 * usage: bench_campaign [REPLICATIONS] [MAX_THREADS]   (default: 20 2)
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "experiment/campaign.h"
#include "io/output.h"

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int same_file(const char *a, const char *b) {
  FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
  int same = fa && fb;
  while (same) {
    int ca = fgetc(fa), cb = fgetc(fb);
    same = ca == cb;
    if (ca == EOF) break;
  }
  if (fa) fclose(fa);
  if (fb) fclose(fb);
  return same;
}

int main(int argc, char **argv) {
  size_t reps = argc > 1 ? (size_t)atol(argv[1]) : 20, max_threads = argc > 2 ? (size_t)atol(argv[2]) : 2;
  if (reps < 2 || max_threads < 1) {
    fprintf(stderr, "usage: bench_campaign [REPLICATIONS >= 2] [MAX_THREADS >= 1]\n");
    return 2;
  }
  const char *path = BURNSIM_SOURCE_DIR "/scenarios/quickstart.cfg";
  scenario *s = malloc(sizeof *s);
  if (!s || scenario_load(s, path, NULL, 0, stderr) != 0) return 1;
  char root[] = "/tmp/bench-campaign-XXXXXX";
  if (!mkdtemp(root)) return 1;
  printf("campaign: %zu replications of %s (%lld agents, %.0f days)\n", reps, s->name,
         (long long)s->org.agents, s->days);
  printf("%8s %10s %10s %9s\n", "threads", "seconds", "runs/s", "speed-up");
  double base_rate = 0;
  char first[4200] = "";
  int rc = 0;
  for (size_t threads = 1; threads <= max_threads; threads++) {
    char dir[4096], *args[] = {"bench_campaign"};
    snprintf(dir, sizeof dir, "%s/threads-%zu", root, threads);
    sim_invocation inv = {.argc = 1, .argv = args, .scenario_path = path};
    exp_options o = {.kind = EXP_REPLICATIONS, .reps = reps, .threads = threads, .dir = dir, .quiet = 1,
                     .force = 1, .inv = &inv};
    double secs = 0;
    for (int repeat = 0; repeat < 3 && rc == 0; repeat++) {
      double t0 = now_seconds();
      if (exp_campaign_run(s, &o, stderr) != 0) rc = 1;
      double t = now_seconds() - t0;
      if (repeat == 0 || t < secs) secs = t;
    }
    if (rc != 0) break;
    double rate = (double)reps / secs;
    if (threads == 1) base_rate = rate;
    printf("%8zu %10.2f %10.3f %8.2fx\n", threads, secs, rate, rate / base_rate);
    char stats[4200];
    snprintf(stats, sizeof stats, "%s/stats.csv", dir);
    if (threads == 1)
      snprintf(first, sizeof first, "%s", stats);
    else if (!same_file(first, stats)) {
      fprintf(stderr, "bench_campaign: %zu threads wrote other statistics than 1 thread\n", threads);
      rc = 1;
    }
  }
  sim_output_remove_tree(root);
  free(s);
  return rc;
}
