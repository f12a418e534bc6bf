/* bench/bench_org.c - the organisation model at scale.
 *
 * 1. scenarios/meta2026.cfg as shipped: 85,000 agents, 30 days, token
 *    leaderboard.  Wall time and peak memory (targets: < 10 s, < 1 GiB).
 * 2. Scaling: the same scenario at 10^3 .. 10^5 agents for 30 days, and at
 *    10^3 .. 10^6 agents for 7 days (a like-for-like horizon for the
 *    largest size), reporting the cost per agent-day, which should stay
 *    flat, and the cluster jobs per agent-day (the leaderboard's prizes do
 *    not grow with the organisation, so the mix of work does change).
 * Each case runs in a child process, so its peak memory is its own, and
 * is repeated (3 times by default); the fastest run is reported, since on
 * a shared machine other load only ever adds time.
 * usage: bench_org [--repeat N] [SCENARIO]   (default: the bundled meta2026.cfg)
 */
#define _DEFAULT_SOURCE /* wait4: a child's own peak memory */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"
#include "scenario.h"

typedef struct result {
  double seconds;
  double tokens;
  double top;
  double bytes_per_agent;
  double jobs; /* submitted to the cluster */
} result;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs one case in a child; returns its result and peak RSS in MiB. */
static int run_once(const char *path, long agents, double days, result *res, double *peak_mib) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    close(fds[0]);
    scenario *s = malloc(sizeof *s);
    char a[64], d[64];
    snprintf(a, sizeof a, "org.agents=%ld", agents);
    snprintf(d, sizeof d, "days=%.17g", days);
    /* Teams of about 34 and GPUs in proportion, as in the shipped scenario. */
    int teams = (int)(agents / 34 > 0 ? agents / 34 : 1);
    long gpus = 2 * ((agents * 16384 / 85000 + 1) / 2);
    char t[64], g[64];
    snprintf(t, sizeof t, "org.teams=%d", teams);
    snprintf(g, sizeof g, "cluster.gpus=%ld", gpus);
    simc_override ovr[] = {{a}, {d}, {t}, {g}};
    if (!s || scenario_load(s, path, agents > 0 ? ovr : NULL, agents > 0 ? 4 : 0, stderr) != 0) _exit(2);
    org_summary sum;
    sim_summary cluster;
    double t0 = now_seconds();
    if (sim_run_org_summary(s, (uint64_t)s->seed, &cluster, &sum, stderr) != 0) _exit(3);
    result r = {.seconds = now_seconds() - t0,
                .tokens = sum.tokens[SIM_USEFUL] + sum.tokens[SIM_BURN],
                .top = sum.top_agent_tokens,
                .bytes_per_agent = sum.bytes_per_agent,
                .jobs = (double)(cluster.jobs_submitted[SIM_USEFUL] + cluster.jobs_submitted[SIM_BURN])};
    if (write(fds[1], &r, sizeof r) != (ssize_t)sizeof r) _exit(4);
    _exit(0);
  }
  close(fds[1]);
  ssize_t got = read(fds[0], res, sizeof *res);
  close(fds[0]);
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      got != (ssize_t)sizeof *res)
    return -1;
  *peak_mib = (double)ru.ru_maxrss / 1024.0;
  return 0;
}

/* The fastest of `repeat` runs (the same run each time: the seed is the scenario's). */
static int run_case(const char *path, long agents, double days, int repeat, result *best, double *peak_mib) {
  if (run_once(path, agents, days, best, peak_mib) != 0) return -1;
  for (int k = 1; k < repeat; k++) {
    result r;
    double peak;
    if (run_once(path, agents, days, &r, &peak) != 0) return -1;
    if (r.seconds < best->seconds) *best = r;
    if (peak > *peak_mib) *peak_mib = peak;
  }
  return 0;
}

int main(int argc, char **argv) {
  int repeat = 3;
  const char *path = BURNSIM_SOURCE_DIR "/scenarios/meta2026.cfg";
  for (int k = 1; k < argc; k++) {
    if (strcmp(argv[k], "--repeat") == 0 && k + 1 < argc && atoi(argv[k + 1]) > 0) {
      repeat = atoi(argv[++k]);
    } else if (argv[k][0] == '-') {
      int help = strcmp(argv[k], "--help") == 0;
      fprintf(help ? stdout : stderr,
              "usage: bench_org [--repeat N] [SCENARIO]\n"
              "  Runs SCENARIO (default meta2026.cfg) as shipped, then at 10^3..10^6 agents, each case\n"
              "  N times (default 3), and reports the fastest run: seconds, peak memory, ns per agent-day.\n");
      return help ? 0 : 2;
    } else {
      path = argv[k];
    }
  }
  result r;
  double peak;
  printf("%s as shipped (85,000 agents, 30 days), fastest of %d:\n", path, repeat);
  if (run_case(path, 0, 0, repeat, &r, &peak) != 0) {
    fprintf(stderr, "bench_org: the run failed\n");
    return 1;
  }
  printf("  %.2f s, peak memory %.0f MiB, %.0f bytes per agent, %.3g tokens, top agent %.3g\n\n",
         r.seconds, peak, r.bytes_per_agent, r.tokens, r.top);

  static const struct {
    long agents;
    double days;
  } sizes[] = {{1000, 30}, {10000, 30}, {100000, 30}, {1000, 7}, {10000, 7}, {100000, 7}, {1000000, 7}};
  printf("scaling (same scenario; teams of about 34, GPUs in proportion; fastest of %d):\n", repeat);
  printf("  %9s %6s %10s %10s %14s %15s\n", "agents", "days", "seconds", "peak MiB", "ns/agent-day",
         "jobs/agent-day");
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
    if (run_case(path, sizes[k].agents, sizes[k].days, repeat, &r, &peak) != 0) {
      fprintf(stderr, "bench_org: the run with %ld agents failed\n", sizes[k].agents);
      return 1;
    }
    double agent_days = (double)sizes[k].agents * sizes[k].days;
    printf("  %9ld %6.0f %10.2f %10.0f %14.0f %15.2f\n", sizes[k].agents, sizes[k].days, r.seconds, peak,
           1e9 * r.seconds / agent_days, r.jobs / agent_days);
  }
  return 0;
}
