/* tests/test_cluster.c - the cluster against queueing theory, and each scheduler's rule.
 *
 * Validation runs (long, fixed seeds, with warm-up):
 * - M/M/c, c = 64, FIFO: mean queue wait vs Erlang C within 2% at rho 0.8
 *   and within 5% at rho 0.95;
 * - Little's law on the measured queue: time-average jobs waiting vs
 *   arrival rate * mean wait, within 1%;
 * - two-class non-preemptive priority (value_priority, perfect tags) vs
 *   Cobham's formula, and its decay as tags get noisier;
 * - conservation of tokens and of dollars by purpose.
 * Scheduler rules are checked on small hand-built job sequences, and the
 * job pool's layout and bound on bursts of jobs.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster.h"
#include "core/engine.h"
#include "cluster/erlang.h"
#include "core/event_kinds.h"
#include "core/rng.h"
#include "run.h"
#include "policies/scheduler.h"

static void defaults(scenario *s, const char *name) {
  memset(s, 0, sizeof *s);
  if (simc_defaults(&scenario_schema, s, stderr) != 0) gsl_test(1, "scenario defaults load");
  snprintf(s->name, sizeof s->name, "%s", name);
  snprintf(s->description, sizeof s->description, "built by tests/test_cluster.c");
}

static int set_scheduler(scenario *s, const char *name) {
  for (size_t i = 0; scheduler_name_at(i); i++)
    if (strcmp(scheduler_name_at(i), name) == 0) {
      s->cluster.scheduler.type = (int)i;
      return 0;
    }
  gsl_test(1, "scheduler %s is registered", name);
  return -1;
}

/* ---- Erlang C ---------------------------------------------------------------- */

/* Erlang B by its recursion, then C = B / (1 - rho (1 - B)): an independent
 * route to the same number. */
static double erlang_c_by_recursion(double a, unsigned c) {
  double b = 1.0;
  for (unsigned k = 1; k <= c; k++) b = a * b / (k + a * b);
  double rho = a / c;
  return b / (1.0 - rho * (1.0 - b));
}

static void test_erlang_formula(void) {
  gsl_test_rel(sim_erlang_c(0.5, 1.0, 1), 0.5, 1e-14, "M/M/1: P(wait) = rho");
  gsl_test_rel(sim_erlang_c_wait(0.5, 1.0, 1), 1.0, 1e-14, "M/M/1: Wq = rho / (mu - lambda)");
  gsl_test_rel(sim_erlang_c(1.0, 1.0, 2), 1.0 / 3.0, 1e-14, "M/M/2 at a = 1: P(wait) = 1/3");
  static const unsigned cs[] = {1, 2, 5, 16, 64, 200, 1000};
  static const double rhos[] = {0.1, 0.5, 0.8, 0.95, 0.99};
  for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
    for (size_t j = 0; j < sizeof rhos / sizeof rhos[0]; j++) {
      double a = rhos[j] * cs[i];
      gsl_test_rel(sim_erlang_c(a * 3.0, 3.0, cs[i]), erlang_c_by_recursion(a, cs[i]), 1e-9,
                   "Erlang C matches the Erlang B recursion, c = %u, rho = %g", cs[i], rhos[j]);
    }
  double big = sim_erlang_c(0.99 * 200000, 1.0, 200000);
  gsl_test(!(big > 0 && big < 1), "Erlang C is finite at c = 200000 (%g)", big);
  gsl_test(sim_erlang_c(2.0, 1.0, 2) != 1.0, "P(wait) = 1 at rho = 1");
  gsl_test(!isinf(sim_erlang_c_wait(3.0, 1.0, 2)), "Wq infinite beyond capacity");
  gsl_test(!isnan(sim_erlang_c(1.0, 0.0, 2)), "NaN for a zero service rate");
}

/* The workload's direct exponential draw is GSL's up to the rounding of
 * the logarithm, and consumes the stream the same way. */
static void test_exponential_draw(void) {
  gsl_rng *a = sim_rng_stream_alloc(sim_rng_pcg64, 42, 0, SIM_RNG_ARRIVALS);
  gsl_rng *b = gsl_rng_clone(a);
  double worst = 0;
  for (int i = 0; i < 1000000; i++) {
    double x = sim_draw_exponential(a, 2.5), y = gsl_ran_exponential(b, 2.5);
    double rel = y > 0 ? fabs(x / y - 1) : fabs(x);
    if (rel > worst) worst = rel;
  }
  gsl_test(worst > 1e-15, "direct exponential draws equal gsl_ran_exponential (worst relative %g)", worst);
  gsl_test(gsl_rng_get(a) != gsl_rng_get(b), "both leave the stream at the same place");
  gsl_rng_free(a);
  gsl_rng_free(b);
}

/* ---- M/M/c validation --------------------------------------------------------- */

static void mmc_scenario(scenario *s, double rho, double days, double warmup_days) {
  defaults(s, "mmc");
  s->cluster.gpus = 64; /* llama-8b: one GPU per replica, so 64 slots */
  s->workload.utilisation = rho;
  s->workload.tokens_dist = SCN_TOKENS_EXPONENTIAL;
  s->workload.fan_out = 1;
  s->days = days;
  s->warmup_days = warmup_days;
}

static void check_little(const sim_summary *sum, const char *what) {
  double lw = sum->admitted_rate * sum->mean_wait_all;
  printf("  Little's law, %s: Lq = %.6g jobs, lambda * W = %.6g jobs (%+.3f%%)\n", what, sum->mean_queue,
         lw, 100 * (sum->mean_queue / lw - 1));
  gsl_test_rel(sum->mean_queue, lw, 0.01, "Little's law on the measured queue, %s", what);
}

static void test_mmc(double rho, double days, double tolerance, uint64_t seed) {
  scenario s;
  mmc_scenario(&s, rho, days, days * 0.02);
  sim_summary sum;
  if (sim_run_summary(&s, seed, &sum, stderr) != 0) {
    gsl_test(1, "M/M/64 run at rho %g", rho);
    return;
  }
  uint64_t jobs = sum.jobs_started[SIM_USEFUL];
  double err = sum.mean_wait_all / sum.erlang_wait - 1;
  printf("  M/M/64 rho %.2f, %llu jobs: mean wait %.6g s measured, %.6g s Erlang C (%+.3f%%); "
         "P(wait) %.5f vs %.5f; utilisation %.4f\n",
         rho, (unsigned long long)jobs, sum.mean_wait_all * 3600, sum.erlang_wait * 3600, 100 * err,
         sum.p_wait, sum.erlang_p_wait, sum.utilisation);
  gsl_test_rel(sum.mean_wait_all, sum.erlang_wait, tolerance, "M/M/64 mean wait vs Erlang C at rho %g", rho);
  gsl_test_rel(sum.p_wait, sum.erlang_p_wait, tolerance, "M/M/64 P(wait) vs Erlang C at rho %g", rho);
  gsl_test_rel(sum.utilisation, rho, 0.005, "M/M/64 utilisation at rho %g", rho);
  check_little(&sum, rho < 0.9 ? "M/M/64 rho 0.8" : "M/M/64 rho 0.95");
}

/* ---- value priority against Cobham's formula -------------------------------------- */

/* Non-preemptive priority in M/M/c with one service rate: class k waits
 * C(c, a) / (c mu (1 - s_{k-1}) (1 - s_k)), s_k the load of classes <= k.
 * With a tag right with probability q, a useful job is in the high class
 * with probability q.  Each purpose's wait is compared as a ratio to the
 * run's overall mean wait: the ratio cancels the run's luck in congestion
 * (its noise is a tenth of the absolute waits'), and the overall mean is
 * itself the FIFO mean, checked against Erlang C above. */
static void test_value_priority(void) {
  const double rho = 0.9, share = 0.5;
  const double accuracies[] = {1.0, 0.75, 0.5};
  double gap[3];
  for (int i = 0; i < 3; i++) {
    scenario s;
    mmc_scenario(&s, rho, 0.1, 0.005);
    set_scheduler(&s, "value_priority");
    s.workload.burn_share = share;
    s.cluster.scheduler.tag_accuracy = accuracies[i];
    sim_summary sum;
    if (sim_run_summary(&s, 7, &sum, stderr) != 0) {
      gsl_test(1, "value_priority run");
      return;
    }
    double c = 64, mu = 1.0 / sum.stream_hours, lambda = sum.arrival_rate;
    double w0 = sim_erlang_c(lambda, mu, 64) / (c * mu);
    double s1 = rho * (1 - share); /* the useful-tagged class carries half the load at any q */
    double w_hi = w0 / (1 - s1), w_lo = w0 / ((1 - s1) * (1 - rho));
    double q = accuracies[i];
    double want_u = q * w_hi + (1 - q) * w_lo, want_b = (1 - q) * w_hi + q * w_lo;
    double want_all = share * want_b + (1 - share) * want_u;
    printf("  value_priority, tag accuracy %.2f: wait useful %.4g s (Cobham %.4g), burn %.4g s "
           "(Cobham %.4g), all %.4g s (Erlang C %.4g)\n",
           q, sum.mean_wait[SIM_USEFUL] * 3600, want_u * 3600, sum.mean_wait[SIM_BURN] * 3600,
           want_b * 3600, sum.mean_wait_all * 3600, sim_erlang_c_wait(lambda, mu, 64) * 3600);
    gsl_test_rel(sum.mean_wait[SIM_USEFUL] / sum.mean_wait_all, want_u / want_all, 0.05,
                 "useful wait / mean wait vs Cobham at accuracy %g", q);
    gsl_test_rel(sum.mean_wait[SIM_BURN] / sum.mean_wait_all, want_b / want_all, 0.02,
                 "burn wait / mean wait vs Cobham at accuracy %g", q);
    /* Work-conserving and blind to job size: the overall mean is FIFO's
     * (a short run: a loose check). */
    gsl_test_rel(sum.mean_wait_all, sim_erlang_c_wait(lambda, mu, 64), 0.1,
                 "value_priority keeps the overall mean wait at accuracy %g", q);
    double mis = (double)(sum.jobs_mistagged[0] + sum.jobs_mistagged[1]) /
                 (double)(sum.jobs_submitted[0] + sum.jobs_submitted[1]);
    gsl_test_abs(mis, 1 - q, 0.005, "share of mistagged jobs at accuracy %g", q);
    gap[i] = (sum.mean_wait[SIM_BURN] - sum.mean_wait[SIM_USEFUL]) / sum.mean_wait_all;
  }
  gsl_test(!(gap[0] > gap[1] && gap[1] > gap[2]), "the useful/burn wait gap shrinks as tags get worse");
  gsl_test(!(fabs(gap[2]) < 0.05 * gap[0]), "no advantage left at accuracy 0.5");
}

/* ---- conservation ----------------------------------------------------------------- */

static void check_conservation(const sim_summary *sum, const char *what) {
  for (int p = 0; p < SIM_PURPOSES; p++) {
    double out = sum->tokens_served[p] + sum->tokens_rejected[p] + sum->tokens_queued[p] +
                 sum->tokens_in_service[p];
    gsl_test_rel(out, sum->tokens_submitted[p], 1e-9,
                 "%s: %s tokens submitted = served + rejected + queued + in service", what,
                 p == SIM_USEFUL ? "useful" : "burn");
  }
  gsl_test_rel(sum->price[0].usd + sum->price[1].usd, sum->price_total.usd, 1e-12, "%s: $ by purpose add up",
               what);
  gsl_test_rel(sum->price[0].kwh + sum->price[1].kwh, sum->price_total.kwh, 1e-12,
               "%s: kWh by purpose add up", what);
  gsl_test_rel(sum->price[0].kg_co2 + sum->price[1].kg_co2, sum->price_total.kg_co2, 1e-12,
               "%s: kg CO2 by purpose add up", what);
}

/* A mixed workload on the 70B model: lognormal sizes, fan-out 4, a burn
 * share, several teams and agents.  Quotas are per agent per day. */
static void mixed_scenario(scenario *s, const char *scheduler, int over_quota, double quota,
                           double utilisation, double days) {
  defaults(s, "mixed");
  strcpy(s->cluster.model, "llama-70b");
  s->cluster.gpus = 16;
  s->days = days;
  s->warmup_days = days / 6;
  set_scheduler(s, scheduler);
  s->cluster.scheduler.over_quota = over_quota;
  s->cluster.scheduler.quota_tokens = quota;
  s->cluster.scheduler.quota_period_hours = 24;
  s->cluster.scheduler.tag_accuracy = 0.8;
  s->workload.utilisation = utilisation;
  s->workload.tokens_mean = 5e6;
  s->workload.tokens_dist = SCN_TOKENS_LOGNORMAL;
  s->workload.tokens_cv = 2.0;
  s->workload.burn_share = 0.3;
  s->workload.teams = 3;
  s->workload.agents = 12;
  s->workload.fan_out = 4;
}

static const struct {
  const char *scheduler;
  int over_quota;
  const char *what;
} mixed_cases[] = {
    {"fifo", 0, "fifo"},
    {"fair_share", 0, "fair_share"},
    {"value_priority", 0, "value_priority"},
    {"quota", SCN_OVER_QUOTA_REJECT, "quota (reject)"},
    {"quota", SCN_OVER_QUOTA_THROTTLE, "quota (throttle)"},
};
#define N_MIXED (sizeof mixed_cases / sizeof mixed_cases[0])

/* Overloaded runs, so that the horizon leaves work queued and running. */
static void test_conservation(void) {
  static const int pricing[N_MIXED] = {SCN_PRICING_RENTAL, SCN_PRICING_PER_TOKEN, SCN_PRICING_TCO,
                                       SCN_PRICING_RENTAL, SCN_PRICING_TCO};
  for (size_t i = 0; i < N_MIXED; i++) {
    scenario s;
    mixed_scenario(&s, mixed_cases[i].scheduler, mixed_cases[i].over_quota, 2e8, 1.05, 3);
    s.pricing.mode = pricing[i];
    const char *what = mixed_cases[i].what;
    sim_summary sum;
    if (sim_run_summary(&s, 11, &sum, stderr) != 0) {
      gsl_test(1, "conservation run %s", what);
      continue;
    }
    printf("  conservation, %s: submitted %.6g tokens = served %.6g + rejected %.6g + queued %.6g "
           "+ in service %.6g; $%.2f = $%.2f useful + $%.2f burn\n",
           what, sum.tokens_submitted[0] + sum.tokens_submitted[1], sum.tokens_served[0] + sum.tokens_served[1],
           sum.tokens_rejected[0] + sum.tokens_rejected[1], sum.tokens_queued[0] + sum.tokens_queued[1],
           sum.tokens_in_service[0] + sum.tokens_in_service[1], sum.price_total.usd, sum.price[0].usd,
           sum.price[1].usd);
    check_conservation(&sum, what);
    int quota = strcmp(mixed_cases[i].scheduler, "quota") == 0;
    if (quota && mixed_cases[i].over_quota == SCN_OVER_QUOTA_REJECT)
      gsl_test(!(sum.tokens_rejected[0] > 0 && sum.tokens_rejected[1] > 0), "%s: jobs are rejected", what);
    else
      gsl_test(!(sum.tokens_queued[0] > 0 && sum.tokens_in_service[0] > 0),
               "%s: the horizon leaves tokens queued and in service", what);
    if (quota && mixed_cases[i].over_quota == SCN_OVER_QUOTA_THROTTLE)
      gsl_test(!(sum.jobs_held[0] > 0 && sum.jobs_held[1] > 0), "%s: jobs are throttled", what);
  }
}

/* Little's law for every scheduler on the mixed workload in steady state
 * (utilisation 0.9; quotas that bind now and then). */
static void test_little_mixed(void) {
  for (size_t i = 0; i < N_MIXED; i++) {
    scenario s;
    mixed_scenario(&s, mixed_cases[i].scheduler, mixed_cases[i].over_quota, 3e8, 0.9, 240);
    sim_summary sum;
    if (sim_run_summary(&s, 13, &sum, stderr) != 0) {
      gsl_test(1, "Little's law run %s", mixed_cases[i].what);
      continue;
    }
    check_little(&sum, mixed_cases[i].what);
  }
}

static void test_reproducible(void) {
  scenario s;
  mmc_scenario(&s, 0.9, 0.02, 0.001);
  s.workload.burn_share = 0.2;
  sim_summary a, b, c;
  memset(&a, 0, sizeof a);
  memset(&b, 0, sizeof b);
  memset(&c, 0, sizeof c);
  sim_run_summary(&s, 5, &a, stderr);
  sim_run_summary(&s, 5, &b, stderr);
  sim_run_summary(&s, 6, &c, stderr);
  gsl_test(memcmp(&a, &b, sizeof a) != 0, "same scenario and seed give the same summary");
  gsl_test(a.mean_wait_all == c.mean_wait_all, "another seed gives another run");
}

/* ---- hand-built job sequences ----------------------------------------------------- */

#define MAX_TEST_JOBS 256

typedef struct planned {
  double time, tokens;
  uint32_t team, agent, fan_out;
  int purpose;
} planned;

typedef struct harness {
  sim_engine *eng;
  sim_cluster *cl;
  scenario s;
  const planned *plan;
  uint64_t order[MAX_TEST_JOBS]; /* job ids in the order they started */
  size_t n_started;
  double start[MAX_TEST_JOBS], end[MAX_TEST_JOBS];
  int status[MAX_TEST_JOBS];
  scheduler_admit admit[MAX_TEST_JOBS];
} harness;

static void h_started(sim_job *job, double now, void *ctx) {
  harness *h = ctx;
  h->order[h->n_started++] = job->id;
  h->start[job->id] = now;
}

static void h_done(sim_job *job, sim_job_status st, double now, void *ctx) {
  harness *h = ctx;
  h->end[job->id] = now;
  h->status[job->id] = (int)st;
}

static void h_submit(sim_engine *eng, sim_event *ev, void *ctx) {
  (void)eng;
  harness *h = ctx;
  const planned *p = &h->plan[ev->subject];
  sim_job *job = sim_cluster_job_alloc(h->cl);
  job->tokens = p->tokens;
  job->team = p->team;
  job->agent = p->agent;
  job->fan_out = p->fan_out ? p->fan_out : 1;
  job->purpose = (uint8_t)p->purpose;
  h->admit[ev->subject] = sim_cluster_submit(h->cl, job, ev->time);
}

/* Runs plan (n jobs, in time order: job ids follow plan order) on `slots`
 * slots serving 100 tokens per hour each. */
static int run_plan(harness *h, const char *scheduler, size_t slots, const planned *plan, size_t n,
                    double horizon) {
  for (size_t i = 0; i < MAX_TEST_JOBS; i++) h->start[i] = h->end[i] = NAN, h->status[i] = -1;
  h->n_started = 0;
  h->plan = plan;
  sim_engine_options eo = {.num_kinds = SIM_EV_KINDS};
  h->eng = sim_engine_create(&eo);
  sim_cluster_options o = {
      .slots = slots,
      .gpus_per_replica = 1,
      .replica_tokens_per_hour = 100,
      .scheduler = scheduler_find(scheduler),
      .sched = {.cfg = &h->s.cluster.scheduler, .teams = 4, .agents = 4, .seed = 1},
      .hooks = {.started = h_started, .done = h_done, .ctx = h},
  };
  h->cl = h->eng ? sim_cluster_create(h->eng, &o, stderr) : NULL;
  if (!h->cl) {
    gsl_test(1, "cluster for %s builds", scheduler);
    sim_engine_free(h->eng);
    return -1;
  }
  sim_engine_on(h->eng, SIM_EV_ARRIVAL, h_submit, h);
  for (size_t i = 0; i < n; i++) sim_engine_schedule(h->eng, SIM_EV_ARRIVAL, plan[i].time, i, 0);
  sim_engine_run(h->eng, horizon);
  return 0;
}

static void end_plan(harness *h) {
  sim_cluster_free(h->cl);
  sim_engine_free(h->eng);
}

static void test_fifo_order(void) {
  harness h;
  defaults(&h.s, "fifo");
  planned plan[10];
  for (int i = 0; i < 10; i++) plan[i] = (planned){.time = 0.1 * i, .tokens = 100.0 * (10 - i)};
  if (run_plan(&h, "fifo", 1, plan, 10, 1e3) != 0) return;
  int in_order = h.n_started == 10;
  for (size_t i = 0; i < h.n_started; i++) in_order &= h.order[i] == i;
  gsl_test(!in_order, "fifo starts jobs in submission order, whatever their size");
  /* One slot: each job starts when the one before ends (10, 9, ... hours). */
  double t = 0;
  int back_to_back = 1;
  for (int i = 0; i < 10; i++) {
    back_to_back &= fabs(h.start[i] - t) < 1e-12;
    t += 10 - i;
  }
  gsl_test(!back_to_back, "fifo on one slot runs jobs back to back");
  sim_cluster_stats st;
  sim_cluster_stats_get(h.cl, 1e3, &st);
  gsl_test_rel(st.busy_slot_hours, 55.0, 1e-12, "busy slot-hours = total service");
  gsl_test_rel(st.tokens_served[SIM_USEFUL], 5500.0, 1e-12, "tokens served");
  end_plan(&h);
}

static void test_fan_out(void) {
  harness h;
  defaults(&h.s, "fan_out");
  /* 400 tokens in 4 streams of 100 tokens: one hour each. */
  planned plan[2] = {{.time = 0, .tokens = 400, .fan_out = 4}, {.time = 0, .tokens = 400, .fan_out = 4}};
  if (run_plan(&h, "fifo", 4, plan, 1, 10) != 0) return;
  gsl_test_rel(h.end[0], 1.0, 1e-12, "4 streams on 4 slots: the job takes a quarter of the time");
  end_plan(&h);
  if (run_plan(&h, "fifo", 2, plan, 2, 10) != 0) return;
  gsl_test_rel(h.end[0], 2.0, 1e-12, "4 streams on 2 slots: two rounds");
  gsl_test_rel(h.start[1], 2.0, 1e-12, "the next job starts when a slot frees after all streams started");
  gsl_test_rel(h.end[1], 4.0, 1e-12, "... and ends two rounds later");
  end_plan(&h);
}

static void test_fair_share(void) {
  /* Team 0 floods 4 slots with 40 one-hour jobs at t = 0; team 1 submits
   * one job at t = 0.5. */
  planned plan[41];
  for (int i = 0; i < 40; i++) plan[i] = (planned){.time = 0, .tokens = 100, .team = 0};
  plan[40] = (planned){.time = 0.5, .tokens = 100, .team = 1, .agent = 1};
  harness h;
  defaults(&h.s, "fair_share");
  if (run_plan(&h, "fifo", 4, plan, 41, 100) != 0) return;
  double fifo_wait = h.start[40] - 0.5;
  end_plan(&h);
  if (run_plan(&h, "fair_share", 4, plan, 41, 100) != 0) return;
  double fair_wait = h.start[40] - 0.5;
  end_plan(&h);
  printf("  light team's wait behind a 40-job backlog: fifo %.2f h, fair_share %.2f h\n", fifo_wait, fair_wait);
  gsl_test_rel(fifo_wait, 9.5, 1e-12, "fifo: the light team waits for the whole backlog");
  gsl_test_rel(fair_wait, 0.5, 1e-12, "fair_share: the light team takes the next free slot");

  /* Two backlogged teams share the slots: team 1 arrives after team 0 took
   * all four slots, and still gets half of them as they free. */
  planned two[80];
  for (int i = 0; i < 40; i++) two[i] = (planned){.time = 0, .tokens = 100, .team = 0};
  for (int i = 40; i < 80; i++) two[i] = (planned){.time = 0.5, .tokens = 100, .team = 1};
  if (run_plan(&h, "fair_share", 4, two, 80, 100) != 0) return;
  int by_team[2] = {0, 0};
  for (int i = 0; i < 80; i++)
    if (h.start[i] < 10) by_team[i < 40 ? 0 : 1]++;
  gsl_test(abs(by_team[0] - by_team[1]) > 4, "fair_share splits slots between backlogged teams (%d vs %d)",
           by_team[0], by_team[1]);
  end_plan(&h);
}

static void test_value_priority_order(void) {
  /* One slot busy; then burn, useful, burn, useful wait.  With perfect tags
   * the useful ones go first, each class in order. */
  planned plan[5] = {
      {.time = 0, .tokens = 100, .purpose = SIM_BURN}, {.time = 0.1, .tokens = 100, .purpose = SIM_BURN},
      {.time = 0.2, .tokens = 100, .purpose = SIM_USEFUL}, {.time = 0.3, .tokens = 100, .purpose = SIM_BURN},
      {.time = 0.4, .tokens = 100, .purpose = SIM_USEFUL}};
  harness h;
  defaults(&h.s, "value_priority");
  h.s.cluster.scheduler.tag_accuracy = 1.0;
  if (run_plan(&h, "value_priority", 1, plan, 5, 100) != 0) return;
  static const uint64_t want[5] = {0, 2, 4, 1, 3};
  int ok = h.n_started == 5;
  for (int i = 0; i < 5 && ok; i++) ok &= h.order[i] == want[i];
  gsl_test(!ok, "value_priority: useful-tagged jobs first, FIFO within a tag");
  end_plan(&h);
  /* With tags always wrong the order flips. */
  h.s.cluster.scheduler.tag_accuracy = 0.0;
  if (run_plan(&h, "value_priority", 1, plan, 5, 100) != 0) return;
  static const uint64_t flipped[5] = {0, 1, 3, 2, 4};
  ok = h.n_started == 5;
  for (int i = 0; i < 5 && ok; i++) ok &= h.order[i] == flipped[i];
  gsl_test(!ok, "value_priority: with every tag wrong, burn jobs go first");
  end_plan(&h);
}

static void test_quota(void) {
  /* Agent 0 has 1000 tokens per 24 h; jobs of 400 tokens take 4 h on a slot. */
  planned plan[6] = {
      {.time = 0, .tokens = 400},    /* 400 of 1000 */
      {.time = 0, .tokens = 400},    /* 800 */
      {.time = 0, .tokens = 400},    /* 1200: over quota */
      {.time = 1, .tokens = 100},    /* would fit (900), but queues behind the held job */
      {.time = 1, .tokens = 400, .agent = 1}, /* another agent: unaffected */
      {.time = 2, .tokens = 1500, .agent = 2}, /* larger than a whole quota */
  };
  harness h;
  defaults(&h.s, "quota");
  h.s.cluster.scheduler.quota_tokens = 1000;
  h.s.cluster.scheduler.quota_period_hours = 24;

  h.s.cluster.scheduler.over_quota = SCN_OVER_QUOTA_REJECT;
  if (run_plan(&h, "quota", 2, plan, 6, 100) != 0) return;
  gsl_test(h.admit[2] != SCHED_REFUSED || h.status[2] != SIM_JOB_REJECTED, "reject: over-quota job refused");
  gsl_test(h.admit[3] != SCHED_QUEUED, "reject: a job that fits is queued");
  gsl_test_rel(h.start[3], 4.0, 1e-12, "reject: it starts when a slot frees");
  gsl_test(h.admit[5] != SCHED_REFUSED, "reject: a job larger than the quota is refused");
  sim_cluster_stats st;
  sim_cluster_stats_get(h.cl, 100, &st);
  gsl_test(st.rejected[SIM_USEFUL] != 2, "reject: two jobs counted as rejected");
  gsl_test_rel(st.tokens_rejected[SIM_USEFUL], 1900, 1e-12, "reject: their tokens counted");
  end_plan(&h);

  h.s.cluster.scheduler.over_quota = SCN_OVER_QUOTA_THROTTLE;
  if (run_plan(&h, "quota", 2, plan, 6, 10) != 0) return;
  gsl_test(sim_cluster_waiting(h.cl) != 2 || sim_cluster_queued(h.cl) != 2,
           "throttle: two jobs held at t = 10 (waiting %zu, queued %zu)", sim_cluster_waiting(h.cl),
           sim_cluster_queued(h.cl));
  gsl_test(sim_cluster_busy(h.cl) != 0, "throttle: slots idle while the jobs are held");
  sim_engine_run(h.eng, 100);
  gsl_test(h.admit[2] != SCHED_HELD, "throttle: over-quota job held");
  gsl_test_rel(h.start[2], 24.0, 1e-12, "throttle: it starts at the next period");
  gsl_test(h.admit[3] != SCHED_HELD, "throttle: the agent's next job is held behind it");
  gsl_test_rel(h.start[3], 24.0, 1e-12, "throttle: ... and released with it");
  gsl_test_rel(h.start[4], 4.0, 1e-12, "throttle: another agent's job runs at the next free slot");
  gsl_test(h.admit[5] != SCHED_REFUSED, "throttle: a job larger than the quota is refused");
  sim_cluster_stats_get(h.cl, 100, &st);
  gsl_test(st.held[SIM_USEFUL] != 2, "throttle: two jobs counted as throttled");
  end_plan(&h);
}

/* ---- the job pool ------------------------------------------------------------------ */

/* Submits a burst of n jobs at the engine's clock: every `long_every`-th
 * (if not 0) runs for a million hours, the others for 0.01 h.  Returns
 * how many records of the burst do not follow the one before in memory. */
static size_t submit_burst(sim_engine *eng, sim_cluster *cl, size_t n, size_t long_every) {
  size_t breaks = 0;
  sim_job *prev = NULL;
  for (size_t k = 0; k < n; k++) {
    sim_job *job = sim_cluster_job_alloc(cl);
    if (!job) return SIZE_MAX;
    breaks += prev && job != prev + 1;
    prev = job;
    job->tokens = long_every && k % long_every == 0 ? 1e8 : 1.0;
    sim_cluster_submit(cl, job, sim_engine_now(eng));
  }
  return breaks;
}

/* Bursts of jobs lie contiguous in memory, chunk after chunk, also once
 * the records of earlier bursts have come back; jobs that hold their
 * records for long (one in 50 here) do not make the pool grow beyond
 * twice the records in use plus two chunks (refilling only empty chunks
 * would grow it to 69,615 records here, for 4,000 in use at the end). */
static void test_job_pool(void) {
  scenario s;
  defaults(&s, "pool");
  sim_engine_options eo = {.num_kinds = SIM_EV_KINDS};
  sim_engine *eng = sim_engine_create(&eo);
  sim_cluster_options o = {
      .slots = 8192,
      .gpus_per_replica = 1,
      .replica_tokens_per_hour = 100,
      .scheduler = scheduler_find("fifo"),
      .sched = {.cfg = &s.cluster.scheduler, .teams = 1, .agents = 1, .seed = 1},
  };
  sim_cluster *cl = eng ? sim_cluster_create(eng, &o, stderr) : NULL;
  if (!cl) {
    gsl_test(1, "cluster for the pool test builds");
    sim_engine_free(eng);
    return;
  }
  const size_t burst = 3 * SIM_POOL_CHUNK_JOBS;
  size_t breaks = submit_burst(eng, cl, burst, 0);
  gsl_test(breaks > 2, "a burst fills its three chunks front to back (%zu breaks)", breaks);
  sim_engine_run(eng, 1.0);
  gsl_test(sim_cluster_busy(cl) != 0, "the burst has ended");
  breaks = submit_burst(eng, cl, burst, 0);
  gsl_test(breaks > 3, "the next burst refills the emptied chunks front to back (%zu breaks)", breaks);
  gsl_test(sim_cluster_pool_records(cl) != burst, "... and the pool did not grow (%zu records)",
           sim_cluster_pool_records(cl));

  const size_t rounds = 50, per_round = 4000, long_every = 50;
  size_t worst = 0;
  for (size_t r = 0; r < rounds; r++) {
    sim_engine_run(eng, 2.0 + (double)r);
    submit_burst(eng, cl, per_round, long_every);
    size_t in_use = sim_cluster_busy(cl) + sim_cluster_waiting(cl);
    size_t over = sim_cluster_pool_records(cl) - 2 * in_use;
    if (sim_cluster_pool_records(cl) > 2 * in_use && over > worst) worst = over;
  }
  sim_engine_run(eng, 2.0 + (double)rounds);
  size_t in_use = sim_cluster_busy(cl) + sim_cluster_waiting(cl);
  gsl_test(in_use != rounds * per_round / long_every, "long jobs still running (%zu)", in_use);
  gsl_test(worst > 2 * SIM_POOL_CHUNK_JOBS,
           "with long jobs pinning chunks, the pool stays within twice the records in use plus two chunks "
           "(%zu records for %zu in use)",
           sim_cluster_pool_records(cl), in_use);
  printf("job pool: %zu records for %zu long jobs among %zu submitted\n", sim_cluster_pool_records(cl), in_use,
         rounds * per_round + 2 * burst);
  sim_cluster_free(cl);
  sim_engine_free(eng);
}

int main(void) {
  test_erlang_formula();
  test_exponential_draw();
  test_fifo_order();
  test_fan_out();
  test_fair_share();
  test_value_priority_order();
  test_quota();
  test_job_pool();
  test_reproducible();
  test_conservation();
  test_little_mixed();
  test_value_priority();
  test_mmc(0.8, 0.6, 0.02, 1);
  test_mmc(0.95, 0.4, 0.05, 1);
  return gsl_test_summary();
}
