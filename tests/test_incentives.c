/* tests/test_incentives.c - the organisation's answers come from its
 * incentives, not from a defect: schedulers inside an organisation, what
 * learners and imitators do when nothing rewards burning or when a prize
 * is withdrawn, agents who see their team's budget, the net value, a
 * charge on tokens, a spend target that bites, and pay on measured output
 * that the work can improve or game.
 *
 * Most checks run the bundled quickstart scenario (1,000 agents, 90 days)
 * or a smaller company, over several seeds, and test paired differences
 * with a Student-t interval (the same seed in both arms: common random
 * numbers).  The tolerances state the spread measured on seeds 1-4. */
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cluster.h"
#include "config/config.h"
#include "run.h"
#include "config/scenario.h"
#include "policies/scheduler.h"
#include "experiment/stats.h"
#include "helpers/org_fixture.h"

#define SEEDS 4

static int set(scenario *s, const char *text) {
  return scenario_apply(s, text, stderr);
}

static void must_set(scenario *s, const char *text) { fixture_set(s, text); }

static scenario *quickstart(void) {
  const char *src = getenv("BURNSIM_SOURCE_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/scenarios/quickstart.cfg", src ? src : ".");
  scenario *s = calloc(1, sizeof *s);
  if (!s || scenario_load(s, path, NULL, 0, stderr) != 0) {
    fprintf(stderr, "test_incentives: cannot load %s (set BURNSIM_SOURCE_DIR)\n", path);
    exit(1);
  }
  return s;
}

static void run(const scenario *s, uint64_t seed, sim_summary *cl, org_summary *sum) {
  if (sim_run_org_summary(s, seed, cl, sum, stderr) != 0) {
    fprintf(stderr, "test_incentives: run failed\n");
    exit(1);
  }
}

/* Mean and half-width of a 95% Student-t interval of x[0..n). */
static void interval(const double *x, size_t n, double *mean, double *half) {
  *mean = gsl_stats_mean(x, 1, n);
  *half = exp_ci_half_width(n, gsl_stats_sd(x, 1, n), 0.95);
}

/* ---- schedulers inside an organisation ---------------------------------------- */

static void test_scheduler_sized_from_org(void) {
  scenario *s = quickstart();
  sim_cluster_options o;
  gsl_test(sim_cluster_options_from_scenario(&o, s, 1, stderr) != 0, "quickstart's cluster options");
  gsl_test(o.sched.teams != 40, "the scheduler knows the organisation's 40 teams (found %zu)", o.sched.teams);
  gsl_test(o.sched.agents != 1000, "the scheduler knows the organisation's 1,000 agents (found %zu)",
           o.sched.agents);
  free(s);
}

/* A congested company of 300 agents in 10 teams. */
static scenario *congested(void) {
  scenario *s = quickstart();
  must_set(s, "org.agents=300");
  must_set(s, "org.teams=10");
  must_set(s, "days=28.0");
  must_set(s, "cluster.gpus=8");
  return s;
}

/* Every registered scheduler runs an organisation with its ledgers in
 * agreement: every useful job the cluster completed credited its output,
 * and the agents', teams' and days' dollars agree. */
static void test_every_scheduler_in_an_org(void) {
  for (size_t k = 0; scheduler_name_at(k); k++) {
    scenario *s = congested();
    char text[128];
    snprintf(text, sizeof text, "cluster.scheduler.type=%s", scheduler_name_at(k));
    must_set(s, text);
    must_set(s, "cluster.scheduler.quota_tokens=5e7");
    sim_summary cl;
    org_summary sum;
    run(s, 3, &cl, &sum);
    double usd = sum.usd[SIM_USEFUL] + sum.usd[SIM_BURN];
    gsl_test(sum.blocks == 0, "%s: the organisation worked", scheduler_name_at(k));
    gsl_test(sum.useful_jobs_credited != cl.jobs_completed[SIM_USEFUL],
             "%s: every completed useful job credited its output (%llu of %llu)", scheduler_name_at(k),
             (unsigned long long)sum.useful_jobs_credited, (unsigned long long)cl.jobs_completed[SIM_USEFUL]);
    gsl_test_rel(sum.agents_spent, usd, 1e-9, "%s: agents' ledgers = daily totals", scheduler_name_at(k));
    gsl_test_rel(sum.teams_spent, usd, 1e-9, "%s: teams' ledgers = daily totals", scheduler_name_at(k));
    gsl_test_rel(sum.agents_value, sum.value, 1e-9, "%s: agents' output = daily output", scheduler_name_at(k));
    free(s);
  }
}

/* Fair share between the organisation's teams is not FIFO: in a congested
 * cluster some team's jobs are served out of arrival order, so the waits
 * change.  (Sized from a workload of one team, it was FIFO exactly.) */
static void test_fair_share_differs_from_fifo(void) {
  scenario *s = congested();
  org_summary fifo, fair;
  run(s, 5, NULL, &fifo);
  must_set(s, "cluster.scheduler.type=fair_share");
  run(s, 5, NULL, &fair);
  printf("congested org: useful wait %.4f h under fifo, %.4f h under fair_share\n", fifo.mean_wait_useful_h,
         fair.mean_wait_useful_h);
  gsl_test(fifo.mean_wait_useful_h == fair.mean_wait_useful_h,
           "fair share among 10 teams changes the useful waits (%.4f h against %.4f h)", fair.mean_wait_useful_h,
           fifo.mean_wait_useful_h);
  free(s);
}

/* A quota is per agent: with quota Q tokens per agent-day and over-quota
 * jobs refused, the organisation still admits far more than Q a day (one
 * quota for the whole organisation would cap it at Q), and no more than
 * Q per agent-day. */
static void test_quota_is_per_agent(void) {
  scenario *s = quickstart();
  const double q = 2e7;
  must_set(s, "cluster.scheduler.type=quota");
  must_set(s, "cluster.scheduler.quota_tokens=2e7");
  must_set(s, "cluster.scheduler.over_quota=reject");
  org_summary sum;
  run(s, 1, NULL, &sum);
  double tokens = sum.tokens[SIM_USEFUL] + sum.tokens[SIM_BURN], days = s->days;
  printf("quota %.3g per agent-day: %.4g tokens admitted in %.0f days (%.1f agent-quotas a day)\n", q, tokens,
         days, tokens / (q * days));
  gsl_test(!(tokens > 50 * q * days), "quota per agent: more than 50 agents' quotas a day admitted (%.1f)",
           tokens / (q * days));
  gsl_test(!(tokens <= q * days * (double)s->org.agents), "quota per agent: at most Q per agent-day");
  free(s);
}

/* ---- learning when nothing rewards burning ------------------------------------ */

/* No KPI, fixed budgets and overdraft: nothing rewards burning, and with
 * random task sizes learners must burn about as little as logit agents.
 * (Attractions seeded from one block's task size, and output learnt at
 * each task's size, made them burn 15 times as many blocks.)  Measured on
 * seeds 1-4: learners' burn blocks are 1.13-1.17 times logit's. */
static void test_learners_without_reason_to_burn(void) {
  scenario *s = quickstart();
  must_set(s, "kpi.type=none");
  must_set(s, "budget.type=fixed");
  must_set(s, "budget.overdraft=true");
  double ratio[SEEDS];
  for (int r = 0; r < SEEDS; r++) {
    org_summary logit, learning;
    must_set(s, "org.behaviour=logit");
    run(s, (uint64_t)r + 1, NULL, &logit);
    must_set(s, "org.behaviour=learning");
    run(s, (uint64_t)r + 1, NULL, &learning);
    ratio[r] = (double)learning.burn_blocks / (double)logit.burn_blocks;
    printf("seed %d: burn blocks logit %llu, learning %llu (ratio %.3f)\n", r + 1,
           (unsigned long long)logit.burn_blocks, (unsigned long long)learning.burn_blocks, ratio[r]);
  }
  double mean, half;
  interval(ratio, SEEDS, &mean, &half);
  gsl_test(!(mean + half < 1.5), "learners without a reason to burn burn about as much as logit (ratio %.3f +- %.3f)",
           mean, half);
  free(s);
}

/* ---- imitation: a dynamic of its own ------------------------------------------ */

static double burn_share_between(const org_summary *from, const org_summary *to) {
  double burn = to->tokens[SIM_BURN] - from->tokens[SIM_BURN];
  return burn / (burn + to->tokens[SIM_USEFUL] - from->tokens[SIM_USEFUL]);
}

/* The leaderboard is withdrawn on day 30.  Logit agents stop burning for
 * it at once; imitators carry the option shares they had, or copied from
 * a better-paid teammate (prize winners burn), into the next review, so
 * burning persists.  Burn share over days 30-60, paired by seed: measured
 * 0.10-0.15 under logit and 0.23-0.32 under imitation on seeds 1-4. */
static void test_imitation_burning_persists(void) {
  double diff[SEEDS];
  for (int r = 0; r < SEEDS; r++) {
    double share[2];
    const char *models[2] = {"org.behaviour=logit", "org.behaviour=imitation"};
    for (int k = 0; k < 2; k++) {
      org_summary first, second;
      scenario *s = quickstart();
      must_set(s, models[k]);
      /* The first 30 days are the same with or without the switch. */
      must_set(s, "days=30.0");
      run(s, (uint64_t)r + 1, NULL, &first);
      must_set(s, "days=60.0");
      must_set(s, "switches=({ day = 30; set = \"kpi.type=none\"; })");
      run(s, (uint64_t)r + 1, NULL, &second);
      share[k] = burn_share_between(&first, &second);
      free(s);
    }
    diff[r] = share[1] - share[0];
    printf("seed %d: burn share after the prize is withdrawn: logit %.3f, imitation %.3f\n", r + 1, share[0],
           share[1]);
  }
  double mean, half;
  interval(diff, SEEDS, &mean, &half);
  gsl_test(!(mean - half > 0.05), "imitators keep burning after the prize is withdrawn (+%.3f +- %.3f)", mean,
           half);
}

/* ---- agents see their team's budget ------------------------------------------- */

/* With nearly deterministic choices an agent never submits a useful job
 * into an empty budget: it knows its team's balance, so AI-assisted work
 * that would be refused is worth less than work by hand. */
static void test_no_submitting_into_an_empty_budget(void) {
  scenario *s = quickstart();
  must_set(s, "org.temperature=0.001");
  org_summary sum;
  run(s, 1, NULL, &sum);
  printf("deterministic choices: %llu useful jobs refused, min balance %.2f\n",
         (unsigned long long)sum.useful_jobs_rejected, sum.min_balance);
  gsl_test(sum.useful_jobs_rejected != 0, "no useful job submitted into an empty budget (%llu refused)",
           (unsigned long long)sum.useful_jobs_rejected);
  free(s);
}

/* A refused useful job is done by hand, so the organisation loses only
 * what AI would have added: nothing when AI adds nothing (ai_speedup 1).
 * Refusals still happen (logit noise), so the check is not vacuous. */
static void test_value_lost_is_the_real_loss(void) {
  scenario *s = quickstart();
  must_set(s, "work.ai_speedup=1.0");
  org_summary sum;
  run(s, 1, NULL, &sum);
  printf("ai_speedup 1: %llu useful jobs refused, value lost %.2f\n", (unsigned long long)sum.useful_jobs_rejected,
         sum.value_lost);
  gsl_test(sum.useful_jobs_rejected == 0, "teams run out of money (%llu refusals)",
           (unsigned long long)sum.useful_jobs_rejected);
  gsl_test(sum.value_lost != 0, "value lost is only what AI would have added: 0 here (found %.2f)", sum.value_lost);
  free(s);
}

/* ---- the net value -------------------------------------------------------------- */

/* Every block costs the same effort E and nobody is refused: the effort in
 * the net value is blocks * E, and net value = output - compute - effort. */
static void test_net_value_counts_effort(void) {
  scenario *s = quickstart();
  must_set(s, "work.manual_effort=30.0");
  must_set(s, "work.ai_effort=30.0");
  must_set(s, "work.burn_effort=0.0");
  must_set(s, "budget.overdraft=true");
  org_summary sum;
  run(s, 2, NULL, &sum);
  double usd = sum.usd[SIM_USEFUL] + sum.usd[SIM_BURN];
  gsl_test_rel(sum.effort_usd, 30.0 * (double)sum.blocks, 1e-12, "effort = blocks * $30 (%llu blocks)",
               (unsigned long long)sum.blocks);
  gsl_test_rel(sum.net_value, sum.value - usd - sum.effort_usd, 1e-12, "net value = output - compute - effort");
  free(s);
}

/* A quota that starves the cluster looks good by output per $ (compute is
 * a sliver of output, so the ratio tracks dollars not spent) but loses net
 * value; the bundled comparisons rank by net value. */
static void test_starving_is_not_rewarded(void) {
  scenario *s = quickstart();
  org_summary fifo, starved;
  run(s, 1, NULL, &fifo);
  must_set(s, "cluster.scheduler.type=quota");
  must_set(s, "cluster.scheduler.quota_tokens=1e5");
  must_set(s, "cluster.scheduler.over_quota=reject");
  run(s, 1, NULL, &starved);
  printf("starving quota: output per $ %.1f against %.1f, net value %.4g against %.4g\n", starved.value_per_usd,
         fifo.value_per_usd, starved.net_value, fifo.net_value);
  gsl_test(!(starved.net_value < fifo.net_value), "a starving quota loses net value");
  free(s);
  const char *src = getenv("BURNSIM_SOURCE_DIR");
  const char *bundled[] = {"compare_kpi.cfg", "sweep_token_weight.cfg"};
  for (size_t k = 0; k < 2; k++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/scenarios/%s", src ? src : ".", bundled[k]);
    scenario *c = calloc(1, sizeof *c);
    if (!c || scenario_load(c, path, NULL, 0, stderr) != 0) exit(1);
    gsl_test(strcmp(c->experiment.objective, "net_value") != 0, "%s ranks by net_value (found %s)", bundled[k],
             c->experiment.objective);
    free(c);
  }
}

/* ---- a charge on tokens --------------------------------------------------------- */

/* Holmstrom and Milgrom: when the measured task has no value of its own,
 * the best commission on it is negative.  Here AI-assisted work is not on
 * offer, so every token is a loop: tokens carry no value, and some agents
 * like burning (propensity mean $40).  Net value, paired by seed, must fall
 * from a charge of $2 per 1M tokens to none to a $2 commission: the best
 * weight is negative. */
static void test_best_token_weight_is_a_charge(void) {
  const double weights[3] = {-2.0, 0.0, 2.0};
  double net[3][SEEDS];
  for (int w = 0; w < 3; w++) {
    for (int r = 0; r < SEEDS; r++) {
      scenario *s = quickstart();
      must_set(s, "org.agents=300");
      must_set(s, "org.teams=10");
      must_set(s, "days=30.0");
      must_set(s, "work.ai_effort=1e6");
      must_set(s, "work.burn_effort=20.0");
      must_set(s, "traits.burn_propensity={ kind = \"normal\"; mean = 40.0; sd = 20.0; }");
      must_set(s, "budget.overdraft=true");
      must_set(s, "kpi.type=blend");
      must_set(s, "kpi.output_weight=0.0");
      char text[64];
      snprintf(text, sizeof text, "kpi.token_weight=%g", weights[w]);
      gsl_test(set(s, text) != 0, "kpi.token_weight accepts %g", weights[w]);
      org_summary sum;
      run(s, (uint64_t)r + 1, NULL, &sum);
      net[w][r] = sum.net_value;
      free(s);
    }
  }
  for (int w = 0; w < 2; w++) {
    double d[SEEDS], mean, half;
    for (int r = 0; r < SEEDS; r++) d[r] = net[w][r] - net[w + 1][r];
    interval(d, SEEDS, &mean, &half);
    printf("net value at token weight %g minus at %g: %.1f +- %.1f\n", weights[w], weights[w + 1], mean, half);
    gsl_test(!(mean - half > 0), "net value is higher at token weight %g than at %g (%.1f +- %.1f)", weights[w],
             weights[w + 1], mean, half);
  }
}

/* ---- a spend target that bites ------------------------------------------------ */

/* At internal prices nobody spends half a salary on tokens, so a bare
 * threshold pays nobody and changes nothing.  Credit for the share of the
 * target reached (the default), or a penalty for the shortfall, counts
 * every $ short of it: spending rises against no KPI on every seed. */
static void test_spend_target_bites(void) {
  const char *rules[2][2] = {{"kpi.target_credit=partial", "kpi.shortfall_penalty=0.0"},
                             {"kpi.target_credit=threshold", "kpi.shortfall_penalty=5000.0"}};
  for (int k = 0; k < 2; k++) {
    double d[SEEDS], mean, half, rewards = 0;
    for (int r = 0; r < SEEDS; r++) {
      scenario *s = quickstart();
      org_summary none, target;
      must_set(s, "kpi.type=none");
      run(s, (uint64_t)r + 1, NULL, &none);
      must_set(s, "kpi.type=spend_target");
      gsl_test(set(s, rules[k][0]) != 0 || set(s, rules[k][1]) != 0, "%s, %s accepted", rules[k][0],
               rules[k][1]);
      run(s, (uint64_t)r + 1, NULL, &target);
      d[r] = (target.usd[SIM_USEFUL] + target.usd[SIM_BURN]) / (none.usd[SIM_USEFUL] + none.usd[SIM_BURN]) - 1;
      rewards += target.kpi_rewards;
      free(s);
    }
    interval(d, SEEDS, &mean, &half);
    printf("%s, %s: compute spend %+.1f%% +- %.1f%% against no KPI; rewards %.0f\n", rules[k][0], rules[k][1],
           100 * mean, 100 * half, rewards);
    gsl_test(!(mean - half > 0.05), "%s, %s: the spend target raises spending (%+.3f +- %.3f)", rules[k][0],
             rules[k][1], mean, half);
    gsl_test(k == 0 && !(rewards > 0), "partial credit pays those who get part of the way");
  }
}

/* ---- pay on measured output that the work can improve or game ------------------- */

/* kpi.improve_cost and kpi.gaming_yield (kpi_pressure.c) change the work
 * itself, end to end: with improvement, pay on output raises real output
 * and effort; with gaming under strong pressure, real output falls while
 * the measured output the review pays for rises.  A smaller company, paired
 * by seed against the same company without the key. */
static void test_pressure_on_measured_output(void) {
  const char *arms[2][2] = {{"kpi.improve_cost=1.0", "traits.status_weight.mean=1.0"},
                            {"kpi.gaming_yield=4.0", "traits.status_weight.mean=8.0"}};
  for (int k = 0; k < 2; k++) {
    double value[SEEDS], effort[SEEDS], rewards[SEEDS], mean, half;
    for (int r = 0; r < SEEDS; r++) {
      scenario *s = quickstart();
      must_set(s, "org.agents=300");
      must_set(s, "org.teams=10");
      must_set(s, "days=30.0");
      must_set(s, "budget.overdraft=true");
      must_set(s, "kpi.type=output");
      must_set(s, arms[k][1]);
      org_summary plain, pressed;
      run(s, (uint64_t)r + 1, NULL, &plain);
      must_set(s, arms[k][0]);
      run(s, (uint64_t)r + 1, NULL, &pressed);
      value[r] = pressed.value / plain.value - 1;
      effort[r] = pressed.effort_usd / plain.effort_usd - 1;
      rewards[r] = pressed.kpi_rewards / plain.kpi_rewards - 1;
      free(s);
    }
    interval(value, SEEDS, &mean, &half);
    printf("%s, %s: output %+.1f%% +- %.1f%%", arms[k][0], arms[k][1], 100 * mean, 100 * half);
    if (k == 0) gsl_test(!(mean - half > 0), "genuine improvement raises real output (%+.3f +- %.3f)", mean, half);
    else gsl_test(!(mean + half < 0), "gaming under pressure lowers real output (%+.3f +- %.3f)", mean, half);
    interval(effort, SEEDS, &mean, &half);
    printf(", effort %+.1f%% +- %.1f%%", 100 * mean, 100 * half);
    if (k == 0) gsl_test(!(mean - half > 0), "improvement costs effort (%+.3f +- %.3f)", mean, half);
    interval(rewards, SEEDS, &mean, &half);
    printf(", rewards %+.1f%% +- %.1f%%\n", 100 * mean, 100 * half);
    gsl_test(!(mean - half > 0), "%s: the review pays more (%+.3f +- %.3f)", arms[k][0], mean, half);
  }
}

int main(void) {
  test_scheduler_sized_from_org();
  test_every_scheduler_in_an_org();
  test_fair_share_differs_from_fifo();
  test_quota_is_per_agent();
  test_learners_without_reason_to_burn();
  test_imitation_burning_persists();
  test_no_submitting_into_an_empty_budget();
  test_value_lost_is_the_real_loss();
  test_net_value_counts_effort();
  test_starving_is_not_rewarded();
  test_best_token_weight_is_a_charge();
  test_spend_target_bites();
  test_pressure_on_measured_output();
  return gsl_test_summary();
}
