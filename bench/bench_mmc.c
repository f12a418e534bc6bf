/* bench/bench_mmc.c - jobs per second of the cluster on the M/M/64 workload.
 *
 * The validation case: 64 slots (64 GPUs of llama-8b), Poisson arrivals at
 * utilisation 0.8, exponential job sizes, FIFO, one stream per job, run
 * through sim_run_summary (engine, workload generator, cluster, scheduler,
 * statistics; no files).  Prints the best of a few repetitions, single
 * thread.  Usage: bench_mmc [days] [repetitions]  (default 0.25 days,
 * about 8.2 million jobs, and 3 repetitions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "run.h"

static double seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  double days = argc > 1 ? atof(argv[1]) : 0.25;
  int reps = argc > 2 ? atoi(argv[2]) : 3;
  if (!(days > 0) || reps < 1) {
    fprintf(stderr, "usage: bench_mmc [days > 0] [repetitions >= 1]\n");
    return 2;
  }
  scenario s;
  memset(&s, 0, sizeof s);
  if (simc_defaults(&scenario_schema, &s, stderr) != 0) return 1;
  snprintf(s.name, sizeof s.name, "bench_mmc");
  snprintf(s.description, sizeof s.description, "M/M/64 at utilisation 0.8");
  s.cluster.gpus = 64;
  s.workload.utilisation = 0.8;
  s.workload.tokens_dist = SCN_TOKENS_EXPONENTIAL;
  s.days = days;
  s.warmup_days = 0;

  double best = 0;
  sim_summary sum;
  for (int r = 0; r < reps; r++) {
    double t0 = seconds();
    if (sim_run_summary(&s, 1, &sum, stderr) != 0) return 1;
    double dt = seconds() - t0;
    double jobs = (double)(sum.jobs_submitted[SIM_USEFUL] + sum.jobs_submitted[SIM_BURN]);
    double rate = jobs / dt;
    printf("run %d: %.0f jobs in %.3f s = %.2f million jobs/s\n", r + 1, jobs, dt, rate / 1e6);
    if (rate > best) best = rate;
  }
  printf("bench_mmc: M/M/64 rho 0.8, %.3g days: best %.2f million jobs/s "
         "(mean wait %.4g s, Erlang C %.4g s)\n",
         days, best / 1e6, sum.mean_wait_all * 3600, sum.erlang_wait * 3600);
  return 0;
}
