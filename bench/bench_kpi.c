/* bench/bench_kpi.c - the leaderboard's daily threshold and review at scale.
 *
 * The token leaderboard (kpi.type = "tokens", token_mode = "leaderboard")
 * finds the K-th largest review total once a day, for every agent's gain,
 * and ranks the board at each review end.  Both are timed at Meta's scale
 * (85,000 agents, K = 250) and at 10^6 agents (K in proportion, 2,941), on
 * heavy-tailed totals in random order and on ascending totals (the worst
 * case of insertion-based top-K, and a hard one for a selection's pivots).
 * Each case runs REPS repetitions of 20 day ends and one review end; the
 * table shows the fastest repetition and the median, per call.  Figures
 * depend on the machine and on what else shares it; they are printed,
 * never asserted (tests/test_kpi.c checks the results at 85,000 agents).
 *
 * Usage: bench_kpi [reps]
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "policies/kpi.h"
#include "org/org.h"
#include "core/rng.h"
#include "config/scenario.h"

#define DAY_ENDS 20

static double seconds_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* ms per call: the fastest repetition and the median (sorts t). */
static void best_median(double *t, int reps, double *best, double *median) {
  qsort(t, (size_t)reps, sizeof *t, cmp_double);
  *best = 1e3 * t[0];
  *median = 1e3 * t[reps / 2];
}

static void bench_case(scenario *s, size_t n, int64_t top_k, int ascending, int reps) {
  s->org.agents = (int64_t)n;
  s->org.teams = (int64_t)(n / 10);
  s->kpi.top_k = top_k;
  org o;
  if (org_init(&o, s, 1, 2e-6, stderr) != 0) exit(1);
  gsl_rng *g = gsl_rng_alloc(sim_rng_pcg64);
  gsl_rng_set(g, 3);
  double *totals = malloc(n * sizeof *totals), *reward = malloc(n * sizeof *reward);
  double *day = malloc((size_t)reps * sizeof *day), *review = malloc((size_t)reps * sizeof *review);
  if (!totals || !reward || !day || !review) exit(1);
  for (size_t i = 0; i < n; i++) totals[i] = ascending ? (double)i : gsl_ran_lognormal(g, 20.0, 2.0);
  kpi_params p = {.cfg = &s->kpi, .visibility_spread = 1.0};
  void *st = calloc(1, kpi_tokens.state_size);
  if (!st || kpi_tokens.init(st, &o, &p, stderr) != 0) exit(1);
  for (int rep = 0; rep < reps; rep++) {
    /* The board starts from the same totals every repetition: a review
     * end adds badges, and selection reorders only its own scratch copy. */
    memcpy(o.agents.review_tokens, totals, n * sizeof *totals);
    memset(o.agents.badges, 0, n * sizeof *o.agents.badges);
    double t0 = seconds_now();
    for (int d = 0; d < DAY_ENDS; d++) kpi_tokens.day_end(st, &o, 240.0 + 24.0 * d);
    double t1 = seconds_now();
    memset(reward, 0, n * sizeof *reward);
    gsl_rng_set(g, 1);
    kpi_tokens.review_end(st, &o, reward, g);
    double t2 = seconds_now();
    day[rep] = (t1 - t0) / DAY_ENDS;
    review[rep] = t2 - t1;
  }
  double day_best, day_median, review_best, review_median;
  best_median(day, reps, &day_best, &day_median);
  best_median(review, reps, &review_best, &review_median);
  printf("%9zu %6lld %-10s %10.3f %10.3f %12.3f %12.3f\n", n, (long long)top_k, ascending ? "ascending" : "random",
         day_best, day_median, review_best, review_median);
  fflush(stdout);
  kpi_tokens.free(st);
  free(st);
  free(totals);
  free(reward);
  free(day);
  free(review);
  gsl_rng_free(g);
  org_free(&o);
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 15;
  if (reps < 1) reps = 1;
  static scenario s;
  if (simc_defaults(&scenario_schema, &s, stderr) != 0) return 1;
  s.kpi.token_mode = SCN_TOKENS_LEADERBOARD;
  static const struct {
    size_t agents;
    int64_t top_k;
  } sizes[] = {{85000, 250}, {1000000, 2941}};
  printf("token leaderboard: %d day ends and one review end per repetition, %d repetitions\n", DAY_ENDS, reps);
  printf("ms per call, fastest repetition and median\n\n");
  printf("%9s %6s %-10s %10s %10s %12s %12s\n", "agents", "K", "totals", "day_end", "median", "review_end",
         "median");
  for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
    for (int ascending = 0; ascending < 2; ascending++)
      bench_case(&s, sizes[k].agents, sizes[k].top_k, ascending, reps);
  return 0;
}
