/* tests/test_org.c - the organisation model against known answers and
 * theory: logit choice frequencies, conservation across ledgers, the
 * warm-up window, common random numbers across policy arms, multitask
 * incentives, expiring budgets, learning from realised payoffs,
 * determinism. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "org/behaviour.h"
#include "org/org.h"
#include "core/rng.h"
#include "config/config.h"
#include "io/output.h"
#include "run.h"
#include "config/scenario.h"
#include "experiment/stats.h"
#include "helpers/org_fixture.h"

static void set(scenario *s, const char *text) { fixture_set(s, text); }

/* A small company on an ample cluster. */
static scenario *base(void) {
  scenario *s = fixture_scenario("test", NULL, 0);
  set(s, "org.agents=300");
  set(s, "org.teams=10");
  set(s, "org.temperature=20.0");
  set(s, "days=28.0");
  set(s, "calendar.budget_cycle_days=28");
  set(s, "cluster.model=llama-70b");
  set(s, "cluster.gpus=64");
  set(s, "work.burn_effort=80.0");
  set(s, "traits.fan_out={ kind = \"pareto\"; mean = 3.0; shape = 1.5; min = 1.0; max = 64.0; }");
  return s;
}

static void run(const scenario *s, uint64_t seed, sim_summary *cl, org_summary *org) {
  if (sim_run_org_summary(s, seed, cl, org, stderr) != 0) {
    fprintf(stderr, "test_org: run failed\n");
    exit(1);
  }
}

/* Identical agents facing identical blocks: every block has the same four
 * utilities, computed here by hand from the parameters, so the option
 * counts must follow the closed-form logit probabilities. */
static void test_logit_frequencies(void) {
  scenario *s = base();
  set(s, "org.temperature=50.0");
  set(s, "org.agents=400");
  set(s, "budget.overdraft=true");
  set(s, "traits.skill={ kind = \"fixed\"; mean = 100.0; }");
  set(s, "traits.leverage={ kind = \"fixed\"; mean = 1000.0; }");
  set(s, "traits.burn_rate={ kind = \"fixed\"; mean = 1000.0; }");
  set(s, "traits.fan_out={ kind = \"fixed\"; mean = 1.0; }");
  set(s, "traits.intrinsic_weight={ kind = \"fixed\"; mean = 1.0; }");
  set(s, "traits.status_weight={ kind = \"fixed\"; mean = 0.0; }");
  set(s, "traits.loyalty_weight={ kind = \"fixed\"; mean = 0.0; }");
  set(s, "traits.audit_fear={ kind = \"fixed\"; mean = 0.0; }");
  set(s, "traits.burn_propensity={ kind = \"fixed\"; mean = 0.0; }");
  set(s, "work.task_size={ kind = \"fixed\"; mean = 1.0; }");
  set(s, "work.ai_speedup=1.2");
  set(s, "work.manual_effort=20.0");
  set(s, "work.ai_effort=30.0");
  set(s, "work.burn_effort=20.0");
  set(s, "work.burn_attention=0.2");
  const double tau = 50, manual = 100, ai = 120;
  double u[ORG_OPTIONS] = {manual - 20, ai - 30, 0.8 * manual - 20 - 20, 0.8 * ai - 30 - 20};
  double p[ORG_OPTIONS], z = 0;
  for (int k = 0; k < ORG_OPTIONS; k++) z += exp(u[k] / tau);
  for (int k = 0; k < ORG_OPTIONS; k++) p[k] = exp(u[k] / tau) / z;

  org_summary sum;
  run(s, 7, NULL, &sum);
  double chi2 = 0;
  for (int k = 0; k < ORG_OPTIONS; k++) {
    double expected = p[k] * (double)sum.blocks;
    chi2 += pow((double)sum.choices[k] - expected, 2) / expected;
    printf("option %d: observed %llu, expected %.1f (p = %.4f)\n", k, (unsigned long long)sum.choices[k],
           expected, p[k]);
  }
  double pv = gsl_cdf_chisq_Q(chi2, ORG_OPTIONS - 1);
  printf("logit choice: %llu blocks, chi-square %.3f (3 d.o.f.), p = %.4f\n",
         (unsigned long long)sum.blocks, chi2, pv);
  gsl_test(sum.blocks < 30000, "enough blocks for the frequency test (%llu)", (unsigned long long)sum.blocks);
  gsl_test(pv < 0.001, "option frequencies match the closed-form logit (p = %.4f)", pv);

  /* The pick itself, over a wide range of utility scales. */
  double v[3] = {1e6, 1e6 + 50, 1e6 - 50}, q[3];
  behaviour_logit_probabilities(v, 3, 50, q);
  gsl_test_rel(q[1], exp(1) / (1 + exp(1) + exp(-1)), 1e-12, "logit is shift invariant at 1e6");
  free(s);
}

/* Tokens and dollars agree across the agents' ledgers, the teams' ledgers,
 * the day totals, the cluster and the cost model; no budget goes negative
 * unless overdraft is allowed. */
/* Every useful job the cluster completed credited its output once, and the
 * agents' output ledgers add up to the day totals. */
static void check_output_credited(const char *label, const sim_summary *cl, const org_summary *org) {
  gsl_test(org->useful_jobs_credited == 0 || org->useful_jobs_credited != cl->jobs_completed[SIM_USEFUL],
           "%s: every useful job the cluster completed credited its output (%llu of %llu)", label,
           (unsigned long long)org->useful_jobs_credited, (unsigned long long)cl->jobs_completed[SIM_USEFUL]);
  gsl_test_rel(org->agents_value, org->value, 1e-9, "%s: agents' output ledgers = daily totals ($%.2f)", label,
               org->value);
}

static void test_conservation(void) {
  scenario *s = base();
  set(s, "kpi.type=tokens");
  set(s, "kpi.top_k=5");
  set(s, "budget.type=usage_based");
  set(s, "days=60.0");
  set(s, "cluster.gpus=16"); /* congested: work is queued at the horizon */
  sim_summary cl;
  org_summary org;
  run(s, 3, &cl, &org);
  const char *names[] = {"useful", "burn"};
  double usd = org.usd[SIM_USEFUL] + org.usd[SIM_BURN];
  for (int p = 0; p < SIM_PURPOSES; p++) {
    double admitted = cl.tokens_submitted[p] - cl.tokens_rejected[p];
    gsl_test_rel(org.tokens[p], admitted, 1e-9, "%s tokens: org ledgers = cluster admitted", names[p]);
    double held = cl.tokens_served[p] + cl.tokens_queued[p] + cl.tokens_in_service[p];
    gsl_test_rel(held, admitted, 1e-9, "%s tokens: served + queued + in service = admitted", names[p]);
    gsl_test_rel(cl.price[p].usd, cl.tokens_served[p] * org.usd_per_token, 1e-9,
                 "%s dollars: cost model = tokens served x price per token", names[p]);
    gsl_test_rel(org.usd[p], org.tokens[p] * org.usd_per_token, 1e-9, "%s dollars: org at the same price",
                 names[p]);
  }
  gsl_test_rel(org.agents_spent, usd, 1e-9, "agents' ledgers = daily totals ($%.2f)", usd);
  gsl_test_rel(org.teams_spent, usd, 1e-9, "teams' ledgers = daily totals");
  gsl_test(org.min_balance < -1e-6, "no budget went negative (lowest balance $%.4f)", org.min_balance);
  gsl_test(org.useful_jobs_rejected == 0, "budgets ran out in this scenario (%llu useful jobs refused)",
           (unsigned long long)org.useful_jobs_rejected);
  printf("conservation: $%.2f spent, lowest team balance $%.4f, %llu useful jobs refused\n", usd,
         org.min_balance, (unsigned long long)org.useful_jobs_rejected);

  check_output_credited("congested", &cl, &org);

  set(s, "budget.overdraft=true");
  run(s, 3, &cl, &org);
  gsl_test(org.min_balance >= 0, "with overdraft a budget goes negative ($%.2f)", org.min_balance);
  gsl_test(org.useful_jobs_rejected != 0, "with overdraft nothing is refused");
  free(s);

  /* Job ends queue their output until the organisation's next event: here
   * the last block's thousands of useful jobs end in the evening, more
   * than the queue holds, so it is also applied when full. */
  s = base();
  set(s, "org.agents=10000");
  set(s, "org.teams=300");
  set(s, "days=10.0");
  set(s, "cluster.gpus=128");
  run(s, 3, &cl, &org);
  check_output_credited("a large org", &cl, &org);
  free(s);
}

/* The data rows of a CSV file (after its provenance and header lines). */
#define MAX_ROWS 1024
typedef struct csv_rows {
  size_t n;
  char *row[MAX_ROWS];
} csv_rows;

static void read_rows(const char *dir, const char *name, csv_rows *r) {
  char path[4096], line[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "test_org: cannot read %s\n", path);
    exit(1);
  }
  r->n = 0;
  for (int skip = 2; fgets(line, sizeof line, f);)
    if (skip > 0)
      skip--;
    else if (r->n < MAX_ROWS)
      r->row[r->n++] = strdup(line);
  fclose(f);
}

static void free_rows(csv_rows *r) {
  for (size_t k = 0; k < r->n; k++) free(r->row[k]);
  r->n = 0;
}

/* Runs s with files and reads the rows of the organisation's time series;
 * the results are not kept. */
static void run_rows(const scenario *s, uint64_t seed, csv_rows *daily, csv_rows *teams, csv_rows *weeks) {
  char parent[] = "/tmp/test_org-XXXXXX", dir[64];
  if (!mkdtemp(parent)) exit(1);
  snprintf(dir, sizeof dir, "%s/run", parent);
  sim_provenance prov = {.scenario_name = s->name, .seed = seed};
  sim_output *out = sim_output_open(dir, 0, &prov, stderr);
  if (!out || sim_run(s, seed, out, NULL, stderr) != 0) {
    fprintf(stderr, "test_org: run with files failed\n");
    exit(1);
  }
  read_rows(sim_output_staging_dir(out), "daily.csv", daily);
  read_rows(sim_output_staging_dir(out), "teams.csv", teams);
  read_rows(sim_output_staging_dir(out), "team_weeks.csv", weeks);
  sim_output_abort(out);
  remove(parent);
}

/* Whether the rows of part, from its row `from` on, are the last rows of whole. */
static int is_tail(const csv_rows *part, size_t from, const csv_rows *whole) {
  if (part->n > whole->n) return 0;
  for (size_t k = from; k < part->n; k++)
    if (strcmp(part->row[k], whole->row[whole->n - part->n + k]) != 0) return 0;
  return 1;
}

/* A warm-up changes the statistics window, not the run: over the window
 * every total is the whole run's less that of a run stopped where the
 * window opens, the ledgers still agree with each other and with the
 * cluster, and the window's rows of the time series are those of the run
 * without warm-up.  45 days; reviews end on days 15 (in the warm-up), 30
 * (straddling the window's start) and 45, budget cycles on days 14 (in the
 * warm-up), 28 (straddling) and 42; the window opens at the start of day
 * 17 (a Thursday) or at its noon, in the middle of the work day. */
static void test_warmup(void) {
  const char *common[] = {"kpi.type=tokens", "kpi.top_k=5", "budget.type=usage_based",
                          "enforcement.type=audits", "enforcement.audit_rate=0.5", "calendar.review_days=15",
                          "calendar.budget_cycle_days=14", "cluster.gpus=16"};
  scenario *s = base();
  for (size_t k = 0; k < sizeof common / sizeof common[0]; k++) set(s, common[k]);
  set(s, "days=45.0");
  org_summary whole;
  run(s, 4, NULL, &whole);
  csv_rows daily_whole, teams_whole, weeks_whole;
  run_rows(s, 4, &daily_whole, &teams_whole, &weeks_whole);
  gsl_test(daily_whole.n != 45 || teams_whole.n != 30 || weeks_whole.n != 60,
           "warm-up: the whole run's rows (%zu days, %zu team cycles, %zu team weeks)", daily_whole.n,
           teams_whole.n, weeks_whole.n);

  const double warmups[] = {17.0, 17.5};
  for (size_t w = 0; w < sizeof warmups / sizeof warmups[0]; w++) {
    double warmup = warmups[w];
    char text[64];
    scenario *first = base();
    for (size_t k = 0; k < sizeof common / sizeof common[0]; k++) set(first, common[k]);
    snprintf(text, sizeof text, "days=%.17g", warmup);
    set(first, text);
    snprintf(text, sizeof text, "warmup_days=%.17g", warmup);
    set(s, text);
    org_summary warm, early;
    sim_summary cl;
    run(first, 4, NULL, &early);
    run(s, 4, &cl, &warm);

    gsl_test(whole.traits_digest != warm.traits_digest || whole.work_digest != warm.work_digest,
             "warm-up %g: the same run (trait and work-stream digests)", warmup);
    gsl_test(warm.blocks != whole.blocks - early.blocks, "warm-up %g: blocks in the window (%llu)", warmup,
             (unsigned long long)warm.blocks);
    gsl_test(warm.burn_blocks != whole.burn_blocks - early.burn_blocks, "warm-up %g: burn blocks in the window",
             warmup);
    for (int k = 0; k < ORG_OPTIONS; k++)
      gsl_test(warm.choices[k] != whole.choices[k] - early.choices[k], "warm-up %g: option %d in the window",
               warmup, k);
    gsl_test(warm.useful_jobs_rejected != whole.useful_jobs_rejected - early.useful_jobs_rejected,
             "warm-up %g: useful jobs refused in the window (%llu)", warmup,
             (unsigned long long)warm.useful_jobs_rejected);
    for (int p = 0; p < SIM_PURPOSES; p++) {
      gsl_test_rel(warm.tokens[p], whole.tokens[p] - early.tokens[p], 1e-9, "warm-up %g: tokens (purpose %d)",
                   warmup, p);
      gsl_test_rel(warm.usd[p], whole.usd[p] - early.usd[p], 1e-9, "warm-up %g: dollars (purpose %d)", warmup, p);
    }
    gsl_test_rel(warm.value, whole.value - early.value, 1e-9, "warm-up %g: output realised in the window", warmup);
    gsl_test_rel(warm.value_lost, whole.value_lost - early.value_lost, 1e-9, "warm-up %g: output lost in the window",
                 warmup);
    gsl_test(!(early.kpi_rewards > 0 && early.penalties > 0), "warm-up %g: the day-15 review paid and fined", warmup);
    gsl_test_rel(warm.kpi_rewards, whole.kpi_rewards - early.kpi_rewards, 1e-9,
                 "warm-up %g: rewards of the reviews ending on days 30 and 45", warmup);
    gsl_test_rel(warm.penalties, whole.penalties - early.penalties, 1e-9,
                 "warm-up %g: penalties of the reviews ending on days 30 and 45", warmup);

    double usd = warm.usd[SIM_USEFUL] + warm.usd[SIM_BURN];
    for (int p = 0; p < SIM_PURPOSES; p++)
      gsl_test_rel(warm.tokens[p], cl.tokens_submitted[p] - cl.tokens_rejected[p], 1e-9,
                   "warm-up %g: org tokens = cluster admitted in the window (purpose %d)", warmup, p);
    gsl_test_rel(warm.agents_spent, usd, 1e-9, "warm-up %g: agents' ledgers = daily totals ($%.2f)", warmup, usd);
    gsl_test_rel(warm.teams_spent, usd, 1e-9, "warm-up %g: teams' ledgers = daily totals", warmup);

    /* Rows from day 17 on; at a noon start, day 17's row covers its afternoon only. */
    csv_rows daily, teams, weeks;
    run_rows(s, 4, &daily, &teams, &weeks);
    size_t partial = warmup != floor(warmup);
    gsl_test(daily.n != 28 || !is_tail(&daily, partial, &daily_whole),
             "warm-up %g: daily.csv rows from day 17 (%zu rows), unchanged", warmup, daily.n);
    gsl_test(teams.n != 20 || !is_tail(&teams, 0, &teams_whole),
             "warm-up %g: teams.csv from the cycle ending on day 28 (%zu rows), unchanged", warmup, teams.n);
    gsl_test(weeks.n != 40 || !is_tail(&weeks, 0, &weeks_whole),
             "warm-up %g: team_weeks.csv from the week ending on day 21 (%zu rows), unchanged", warmup, weeks.n);
    printf("warm-up %4.1f days: %llu of %llu blocks in the window, $%.2f of $%.2f\n", warmup,
           (unsigned long long)warm.blocks, (unsigned long long)whole.blocks, usd,
           whole.usd[SIM_USEFUL] + whole.usd[SIM_BURN]);
    free_rows(&daily);
    free_rows(&teams);
    free_rows(&weeks);
    free(first);
  }
  free_rows(&daily_whole);
  free_rows(&teams_whole);
  free_rows(&weeks_whole);
  free(s);
}

/* Arms that differ only in a lever see the same agents and the same task
 * sizes: traits and work streams end identical. */
static void test_common_random_numbers(void) {
  scenario *a = base(), *b = base();
  set(b, "kpi.type=tokens");
  set(b, "enforcement.type=audits");
  set(b, "budget.type=usage_based");
  org_summary sa, sb, sc;
  run(a, 11, NULL, &sa);
  run(b, 11, NULL, &sb);
  run(a, 12, NULL, &sc);
  gsl_test(sa.traits_digest != sb.traits_digest, "arms draw identical traits");
  gsl_test(sa.work_digest != sb.work_digest, "arms draw identical task sizes and block times");
  gsl_test(sa.blocks != sb.blocks, "arms have the same work blocks");
  gsl_test(sa.burn_blocks == sb.burn_blocks, "the arms differ in behaviour (%llu vs %llu burn blocks)",
           (unsigned long long)sa.burn_blocks, (unsigned long long)sb.burn_blocks);
  gsl_test(sa.traits_digest == sc.traits_digest, "another seed draws other traits");
  gsl_test(sa.work_digest == sc.work_digest, "another seed draws other tasks");
  free(a);
  free(b);
}

/* Holmstrom-Milgrom: when tokens carry no value, raising the weight on
 * tokens in a blended KPI raises burning and lowers output per dollar,
 * monotonically (paired runs on one seed).  An order, not a threshold:
 * the arms share agents and tasks, so each step moves the same people the
 * same way, and seeds 1-40 and 1001-1100 show no reversal (the smallest
 * rise, 0.0003, is at the saturated end). */
static void test_multitask(void) {
  scenario *s = base();
  set(s, "kpi.type=blend");
  set(s, "kpi.output_weight=1.0");
  set(s, "kpi.usd_per_mtok=1.0");
  set(s, "budget.overdraft=true");
  set(s, "days=56.0");
  const double weights[] = {0.0, 0.1, 0.2, 0.4, 0.8, 1.6};
  size_t n = sizeof weights / sizeof weights[0];
  double prev_share = -1, prev_vpd = INFINITY;
  for (size_t k = 0; k < n; k++) {
    char text[64];
    snprintf(text, sizeof text, "kpi.token_weight=%.17g", weights[k]);
    set(s, text);
    org_summary sum;
    run(s, 5, NULL, &sum);
    printf("multitask: token weight %4.1f: burn share %.4f, output per $ %.2f\n", weights[k], sum.burn_share,
           sum.value_per_usd);
    if (k > 0) {
      gsl_test(!(sum.burn_share > prev_share), "burn share rises with the token weight (%.4f -> %.4f)",
               prev_share, sum.burn_share);
      gsl_test(!(sum.value_per_usd < prev_vpd), "output per $ falls with the token weight (%.2f -> %.2f)",
               prev_vpd, sum.value_per_usd);
    }
    prev_share = sum.burn_share;
    prev_vpd = sum.value_per_usd;
  }
  free(s);
}

/* A statistical claim is checked on replications: the mean over seeds with
 * its Student-t 95% interval, against the claim's threshold.  One seed
 * against a threshold tuned on other seeds fails on the seeds that happen
 * to sit in the tail. */
typedef struct interval {
  double mean, sd, lo, hi;
  size_t n;
} interval;

static interval t_interval(const double *x, size_t n) {
  interval c = {.mean = gsl_stats_mean(x, 1, n), .sd = gsl_stats_sd(x, 1, n), .n = n};
  double half = exp_ci_half_width(n, c.sd, 0.95);
  c.lo = c.mean - half;
  c.hi = c.mean + half;
  return c;
}

static void print_interval(const char *what, const interval *c) {
  printf("%s: mean %.4g, sd %.3g over %zu seeds, 95%% interval [%.4g, %.4g]\n", what, c->mean, c->sd, c->n, c->lo,
         c->hi);
}

/* Liebman-Mahoney: an expiring budget that follows spending makes teams
 * spend their surplus in the cycle's last week; letting money roll over
 * removes the spike. */
static double last_week_ratio(const org_summary *sum) {
  double total = 0;
  for (size_t w = 0; w < sum->weeks_per_cycle; w++) total += sum->week_spend[w];
  return sum->week_spend[sum->weeks_per_cycle - 1] / (total / (double)sum->weeks_per_cycle);
}

#define SPIKE_SEEDS 10 /* a run pair takes about 0.12 s in Release */

/* Spending is mostly useful work, as in procurement; a budget that
 * follows last cycle's spending exactly (growth 0), so that any spike
 * comes from expiry alone; a 50% margin to spend or keep; two 13-week
 * cycles. */
static scenario *expiring_budgets(void) {
  scenario *s = base();
  set(s, "days=182.0");
  set(s, "calendar.budget_cycle_days=91");
  set(s, "kpi.type=none");
  set(s, "budget.type=usage_based");
  set(s, "budget.growth=0.0");
  set(s, "budget.initial_ratio=1.5");
  set(s, "budget.rollover_cap=1.0");
  set(s, "budget.need_uncertainty=3.0");
  set(s, "budget.shortfall_cost=20.0");
  set(s, "traits.loyalty_weight={ kind = \"gamma\"; mean = 10.0; cv = 0.3; }");
  set(s, "traits.leverage={ kind = \"lognormal\"; mean = 2.0e6; cv = 0.5; }");
  return s;
}

static void test_expiring_budgets(void) {
  scenario *s = expiring_budgets();
  scenario *r = malloc(sizeof *r);
  *r = *s;
  set(r, "budget.unspent=rollover");
  double rl[SPIKE_SEEDS], rr[SPIKE_SEEDS];
  int whole_cycles = 1;
  for (size_t k = 0; k < SPIKE_SEEDS; k++) {
    org_summary lose, roll;
    run(s, 1 + k, NULL, &lose);
    run(r, 1 + k, NULL, &roll);
    rl[k] = last_week_ratio(&lose);
    rr[k] = last_week_ratio(&roll);
    whole_cycles &= lose.cycles == 2 && lose.weeks_per_cycle == 13 && roll.cycles == 2;
  }
  interval lose = t_interval(rl, SPIKE_SEEDS), roll = t_interval(rr, SPIKE_SEEDS);
  print_interval("expiring budgets, last week / average week, use it or lose it", &lose);
  print_interval("expiring budgets, last week / average week, rollover", &roll);
  gsl_test(!whole_cycles, "two 13-week cycles ran to their end, every seed");
  /* The claims: use it or lose it makes the last week several times an
   * average week (federal procurement: 4.9), rollover leaves no spike
   * (within 20% of an average week).  Measured on seeds 1001-1200, not
   * the ones run here: use it or lose it mean 3.37, sd 0.28 per seed
   * (2.62-4.05); rollover mean 1.068, sd 0.018 (1.03-1.18); seeds 1-10
   * give 3.32 (sd 0.23) and 1.061 (sd 0.014).  Single seeds came within
   * 0.03 of 2.5 (seed 13: 2.53) and 0.016 of 1.2.  The mean of 10 has a
   * standard error of about 0.09 and 0.006, so the interval is about
   * +-0.2 and +-0.013 and its bounds sit some 0.6 above 2.5 and 0.12
   * below 1.2 (7 and 20 standard errors): only a real change to the spike
   * fails, e.g. a mean below about 2.7, or a rollover spike near 20%. */
  gsl_test(!(lose.lo > 2.5), "use it or lose it: last week is several times an average week (95%% CI [%.2f, %.2f])",
           lose.lo, lose.hi);
  gsl_test(!(roll.hi < 1.2), "rollover: no spike in the last week (95%% CI [%.3f, %.3f])", roll.lo, roll.hi);
  free(r);
  free(s);
}

/* An incremental budget (budget.allocation_memory): with memory 1 the
 * allocation no longer follows spending, so a $ spent buys no budget and
 * use it or lose it leaves no reason to spend the surplus: no spike.
 * Memory 0 is the default rule, exactly. */
#define MEMORY_SEED 1

static void test_allocation_memory(void) {
  scenario *s = expiring_budgets();
  org_summary plain, zero;
  run(s, 3, NULL, &plain);
  set(s, "budget.allocation_memory=0.0");
  run(s, 3, NULL, &zero);
  gsl_test(memcmp(&plain, &zero, sizeof plain) != 0, "allocation memory 0: the default's totals, exactly");
  scenario *h = malloc(sizeof *h);
  *h = *s;
  set(h, "budget.allocation_memory=0.5");
  set(s, "budget.allocation_memory=1.0");
  scenario *none = expiring_budgets();
  double whole[SPIKE_SEEDS], halved[SPIKE_SEEDS];
  for (size_t k = 0; k < SPIKE_SEEDS; k++) {
    org_summary a, b, c;
    run(s, MEMORY_SEED + k, NULL, &a);
    run(h, MEMORY_SEED + k, NULL, &b);
    run(none, MEMORY_SEED + k, NULL, &c);
    whole[k] = last_week_ratio(&a);
    halved[k] = last_week_ratio(&b) - last_week_ratio(&c);
  }
  interval w = t_interval(whole, SPIKE_SEEDS), d = t_interval(halved, SPIKE_SEEDS);
  print_interval("allocation memory 1, use it or lose it: last week / average week", &w);
  print_interval("allocation memory 0.5 less memory 0, same seeds: last week / average week", &d);
  /* Measured on seeds 1001-1010, not the ones run here: memory 1 gives
   * 1.075 (sd 0.021 per seed), the rollover arm's level (1.068, above),
   * against 3.37 with memory 0; memory 0.5 is 0.57 below memory 0 on the
   * same seeds (sd 0.12).  Seeds 1-10 give 1.059 and -0.52 (sd 0.16).  The
   * interval's upper bounds sit near 1.07 and -0.4, far from 1.2 and 0. */
  gsl_test(!(w.hi < 1.2), "allocation memory 1: no spike in the last week (95%% CI [%.3f, %.3f])", w.lo, w.hi);
  gsl_test(!(d.hi < 0), "allocation memory 0.5: a smaller spike than memory 0 (difference %.2f, 95%% CI [%.2f, %.2f])",
           d.mean, d.lo, d.hi);
  free(none);
  free(h);
  free(s);
}

/* Week w of a cycle (0 the first) over the mean of its first `early`
 * weeks, spending of both cycles. */
static double week_over_early(const org_summary *sum, size_t w, size_t early) {
  double total = 0;
  for (size_t k = 0; k < early; k++) total += sum->week_spend[k];
  return sum->week_spend[w] / (total / (double)early);
}

#define HORIZON_SEEDS 5 /* a pair of two-year runs takes about 1.2 s in Release */

/* A forecast horizon: the forecast of the rest of the need stays as
 * uncertain as at planning until the cycle's last H days, so a team learns
 * its surplus, and spends it, only then.  A horizon of the cycle or longer
 * is the default rule, exactly. */
static void test_forecast_horizon(void) {
  scenario *s = expiring_budgets();
  org_summary even, cycle, longer;
  run(s, 3, NULL, &even);
  set(s, "budget.forecast_horizon_days=91");
  run(s, 3, NULL, &cycle);
  set(s, "budget.forecast_horizon_days=400");
  run(s, 3, NULL, &longer);
  gsl_test(memcmp(even.week_spend, cycle.week_spend, sizeof even.week_spend) != 0 ||
               memcmp(even.week_spend, longer.week_spend, sizeof even.week_spend) != 0,
           "forecast horizon of the cycle (91 days) or longer (400): the default's weekly spending, exactly");
  /* Two 52-week years, as scenarios/validation/expiring_budgets.cfg.  An
   * even forecast makes the surplus known some five weeks before the end,
   * and teams spend it over those weeks; a quarter's horizon leaves the
   * weeks before the last at the level of the early weeks and puts the
   * spending of the surplus in the last week. */
  set(s, "budget.forecast_horizon_days=0");
  set(s, "days=728.0");
  set(s, "calendar.budget_cycle_days=364");
  scenario *h = malloc(sizeof *h);
  *h = *s;
  set(h, "budget.forecast_horizon_days=91");
  double even_prev[HORIZON_SEEDS], hor_prev[HORIZON_SEEDS], hor_last[HORIZON_SEEDS];
  for (size_t k = 0; k < HORIZON_SEEDS; k++) {
    org_summary a, b;
    run(s, 1 + k, NULL, &a);
    run(h, 1 + k, NULL, &b);
    gsl_test(a.weeks_per_cycle != 52 || b.weeks_per_cycle != 52 || b.cycles != 2, "two 52-week years ran, seed %zu",
             1 + k);
    even_prev[k] = week_over_early(&a, 50, 40);
    hor_prev[k] = week_over_early(&b, 50, 40);
    hor_last[k] = week_over_early(&b, 51, 40);
  }
  interval ep = t_interval(even_prev, HORIZON_SEEDS), hp = t_interval(hor_prev, HORIZON_SEEDS),
           hl = t_interval(hor_last, HORIZON_SEEDS);
  print_interval("forecast even over the year: week 51 of 52 / weeks 1-40", &ep);
  print_interval("forecast horizon 91 days: week 51 of 52 / weeks 1-40", &hp);
  print_interval("forecast horizon 91 days: week 52 of 52 / weeks 1-40", &hl);
  /* Measured on seeds 101-110, not the ones run here: even forecast, week
   * 51 mean 5.35 (sd 0.76 per seed); horizon 91 days, week 51 mean 1.012
   * (sd 0.005), week 52 mean 4.25 (sd 0.64).  With 5 seeds the interval is
   * about +-0.9, +-0.007 and +-0.8: the bounds below sit some 3, 12 and 2
   * half-widths away, and ignoring the horizon would put week 51 near 5. */
  gsl_test(!(ep.lo > 2.5), "even forecast: the week before the last already spends a surplus (95%% CI [%.2f, %.2f])",
           ep.lo, ep.hi);
  gsl_test(!(hp.hi < 1.1), "horizon 91 days: the week before the last is an early week (95%% CI [%.3f, %.3f])",
           hp.lo, hp.hi);
  gsl_test(!(hl.lo > 2.5), "horizon 91 days: the last week spends the surplus (95%% CI [%.2f, %.2f])", hl.lo, hl.hi);
  free(h);
  free(s);
}

/* Share of the work blocks of days [from, to) that chose a burn option. */
static double burn_block_share(scenario *s, uint64_t seed, double from, double to) {
  char text[64];
  set(s, "warmup_days=0.0"); /* the warm-up must stay below the horizon */
  snprintf(text, sizeof text, "days=%.17g", to);
  set(s, text);
  snprintf(text, sizeof text, "warmup_days=%.17g", from);
  set(s, text);
  org_summary sum;
  run(s, seed, NULL, &sum);
  return (double)(sum.choices[ORG_MANUAL_BURN] + sum.choices[ORG_AI_BURN]) / (double)sum.blocks;
}

#define LEARNING_SEEDS 8 /* a seed's eight runs take about 0.18 s in Release */

/* Learning follows realised payoffs, not the utility expected at the
 * block.  Monthly reviews; the burn share of the first review (before any
 * learning) against that of the third, on LEARNING_SEEDS seeds.  Budgets
 * never bind (overdraft).
 * 1. Audits catch and fine every burn block ($2,000 each) while nobody
 *    fears them (audit_fear 0), so the expected utility of burning ignores
 *    them: logit agents keep burning as much, learners stop.
 * 2. A leaderboard pays $20,000 to each of the 30 biggest users, who are
 *    burners; on day 0, when agents form their first attractions, its
 *    threshold is unknown and only badges count.  Learners burn more once
 *    prizes have been paid; without the leaderboard they do not. */
static void test_learning(void) {
  scenario *s = base();
  set(s, "budget.overdraft=true");
  set(s, "kpi.type=none");
  set(s, "traits.burn_propensity={ kind = \"normal\"; mean = 100.0; sd = 20.0; }");
  set(s, "traits.audit_fear={ kind = \"fixed\"; mean = 0.0; }");
  set(s, "enforcement.type=audits");
  set(s, "enforcement.audit_rate=1.0");
  set(s, "enforcement.detection_prob=1.0");
  set(s, "enforcement.penalty=2000.0");
  set(s, "enforcement.clawback=false");
  const char *models[] = {"logit", "learning"};
  double first[2][LEARNING_SEEDS], ratio[2][LEARNING_SEEDS];
  for (int m = 0; m < 2; m++) {
    char text[64];
    snprintf(text, sizeof text, "org.behaviour=%s", models[m]);
    set(s, text);
    for (size_t k = 0; k < LEARNING_SEEDS; k++) {
      first[m][k] = burn_block_share(s, 1 + k, 0, 30);
      ratio[m][k] = burn_block_share(s, 1 + k, 60, 90) / first[m][k];
    }
  }
  interval logit_first = t_interval(first[0], LEARNING_SEEDS), learner_first = t_interval(first[1], LEARNING_SEEDS);
  interval logit = t_interval(ratio[0], LEARNING_SEEDS), learner = t_interval(ratio[1], LEARNING_SEEDS);
  print_interval("learning, audits fine every burn block: logit, burn share in review 1", &logit_first);
  print_interval("learning, audits fine every burn block: logit, review 3 / review 1", &logit);
  print_interval("learning, audits fine every burn block: learning, burn share in review 1", &learner_first);
  print_interval("learning, audits fine every burn block: learning, review 3 / review 1", &learner);
  /* Measured on seeds 1001-1100, not the ones run here: review 3 / review 1
   * is 1.002 for logit (sd 0.008 per seed, 0.982-1.025), 0.0009 for
   * learners (sd 0.0007, at most 0.0033); first shares about 0.5 and 0.4.
   * With 8 seeds the intervals are about +-0.007 and +-0.0006 wide, far
   * inside the claims (logit within 10%, learners below a tenth): a
   * failure means logit agents react to fines they ignore, or learners no
   * longer learn from them. */
  gsl_test(!(logit_first.lo > 0.2 && learner_first.lo > 0.2), "both burn in review 1 (%.3f, %.3f)",
           logit_first.mean, learner_first.mean);
  gsl_test(!(logit.lo > 0.9 && logit.hi < 1.1),
           "logit agents who do not fear audits burn as much in review 3 (x %.3f, 95%% CI [%.3f, %.3f])",
           logit.mean, logit.lo, logit.hi);
  gsl_test(!(learner.hi < 0.1), "learners fined for every burn block stop burning (x %.4f, 95%% CI [%.4f, %.4f])",
           learner.mean, learner.lo, learner.hi);
  free(s);

  s = base();
  set(s, "budget.overdraft=true");
  set(s, "work.task_size={ kind = \"fixed\"; mean = 1.0; }");
  set(s, "org.behaviour=learning");
  set(s, "kpi.top_k=30");
  set(s, "kpi.prize=20000.0");
  const char *kpis[] = {"none", "tokens"};
  for (int m = 0; m < 2; m++) {
    char text[64];
    snprintf(text, sizeof text, "kpi.type=%s", kpis[m]);
    set(s, text);
    for (size_t k = 0; k < LEARNING_SEEDS; k++)
      ratio[m][k] = burn_block_share(s, 1 + k, 60, 90) / burn_block_share(s, 1 + k, 0, 30);
  }
  interval none = t_interval(ratio[0], LEARNING_SEEDS), prizes = t_interval(ratio[1], LEARNING_SEEDS);
  print_interval("learning, leaderboard prizes: kpi none, review 3 / review 1", &none);
  print_interval("learning, leaderboard prizes: kpi tokens, review 3 / review 1", &prizes);
  /* About 240 burn blocks a review without prizes, so a seed's ratio moves
   * by some 10%.  Measured on seeds 1001-1100: without prizes 1.007 (sd
   * 0.093 per seed, 0.83-1.23), with prizes 23.8 (sd 9.2, 3.0-45.3; 4 of
   * the 100 seeds at or below 5, where the single-seed test of 5x failed).
   * With 8 seeds the intervals are about +-0.08 and +-8: their bounds sit
   * near 1.08 and 16, well clear of the claims (no more than 30% more
   * burning without prizes, at least 5 times as much with them). */
  gsl_test(!(none.hi < 1.3), "learners without prizes do not burn more (x %.3f, 95%% CI [%.3f, %.3f])", none.mean,
           none.lo, none.hi);
  gsl_test(!(prizes.lo > 5), "learners paid prizes for burning burn more (x %.1f, 95%% CI [%.1f, %.1f])",
           prizes.mean, prizes.lo, prizes.hi);
  free(s);
}

static void test_determinism(void) {
  scenario *s = base();
  set(s, "kpi.type=tokens");
  set(s, "enforcement.type=audits");
  const char *models[] = {"org.behaviour=imitation", "org.behaviour=learning"};
  for (size_t k = 0; k < sizeof models / sizeof models[0]; k++) {
    set(s, models[k]);
    org_summary a, b;
    run(s, 21, NULL, &a);
    run(s, 21, NULL, &b);
    gsl_test(memcmp(&a, &b, sizeof a) != 0, "same scenario and seed: identical totals (%s)", models[k]);
  }
  free(s);
}

/* A switch that cannot be applied when its day comes (the loader checks
 * switches, but a scenario built in code skips the loader) fails the run
 * with a message naming the switch, its day and its change, on the
 * caller's error stream; it is no memory shortage. */
static void check_failing_switch(int64_t day) {
  scenario *s = base();
  set(s, "days=10.0");
  s->n_switches = 1;
  s->switches[0].day = day;
  strcpy(s->switches[0].set, "kpi.type=no_such_kpi");
  char *text = NULL;
  size_t size = 0;
  FILE *err = open_memstream(&text, &size);
  org_summary sum;
  int rc = sim_run_org_summary(s, 3, NULL, &sum, err);
  fclose(err);
  char want[128];
  snprintf(want, sizeof want, "on day %lld", (long long)day);
  gsl_test(rc == 0, "a switch that cannot apply on day %lld fails the run", (long long)day);
  gsl_test(!strstr(text, "switches.[0]") || !strstr(text, want) || !strstr(text, "kpi.type=no_such_kpi"),
           "the failure names the switch, its day and its change (day %lld): %s", (long long)day, text);
  gsl_test(strstr(text, "out of memory") != NULL, "the failure is not reported as a memory shortage: %s", text);
  free(text);
  free(s);
}

static void test_failing_switch(void) {
  check_failing_switch(0);
  check_failing_switch(5);
}

/* Imitation at a review end must not depend on free memory: with the
 * address space capped just above what the set-up took, every agent still
 * revises its habit (here to its own shares of the review, nobody
 * compares).  Run in a child, since the cap cannot be lifted again.  Under
 * AddressSanitizer a cap on the address space breaks the sanitizer itself,
 * so the check is skipped there. */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_ADDRESS_CAP 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ADDRESS_CAP 0
#endif
#endif
#ifndef TEST_ADDRESS_CAP
#define TEST_ADDRESS_CAP 1
#endif

static size_t address_space_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long pages = 0;
  if (!f) return 0;
  if (fscanf(f, "%lu", &pages) != 1) pages = 0;
  fclose(f);
  return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static int imitation_under_cap(void) {
  enum { AGENTS = 1 << 20 }; /* a review's scratch of 16 MB would not fit under the cap */
  scenario *s = base();
  set(s, "org.imitation_rate=0.0");
  org o;
  memset(&o, 0, sizeof o);
  o.s = s;
  o.agents.n = AGENTS;
  uint32_t size = AGENTS;
  o.teams.n = 1;
  o.teams.size = &size;
  double *payoff = calloc(AGENTS, sizeof *payoff);
  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  if (!payoff || !r || org_enable_imitation(&o) != 0) return 2;
  for (size_t i = 0; i < AGENTS; i++) o.agents.imitator[i].blocks[i % ORG_OPTIONS] = 1;
  size_t used = address_space_bytes();
  if (used == 0) return 2;
  struct rlimit cap = {.rlim_cur = used + (1u << 20), .rlim_max = used + (1u << 20)};
  if (setrlimit(RLIMIT_AS, &cap) != 0) return 2;
  behaviour_review review = {.payoff = payoff};
  behaviour_imitation.review_end(&o, &review, r);
  for (size_t i = 0; i < AGENTS; i++)
    if (o.agents.imitator[i].habit[i % ORG_OPTIONS] != 1.0f) return 1;
  return 0;
}

static void test_imitation_without_spare_memory(void) {
  if (!TEST_ADDRESS_CAP) return;
  fflush(NULL);
  pid_t child = fork();
  if (child == 0) _exit(imitation_under_cap());
  int status = 0;
  if (child < 0 || waitpid(child, &status, 0) != child) status = 2 << 8;
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
  gsl_test(code == 2, "imitation under a memory cap: the set-up ran (child status %d)", code);
  gsl_test(code != 0 && code != 2, "imitation revises every habit with no memory to spare (child status %d)", code);
}

int main(void) {
  test_logit_frequencies();
  test_conservation();
  test_warmup();
  test_common_random_numbers();
  test_multitask();
  test_expiring_budgets();
  test_forecast_horizon();
  test_allocation_memory();
  test_learning();
  test_determinism();
  test_failing_switch();
  test_imitation_without_spare_memory();
  return gsl_test_summary();
}
