/* tests/test_ledgers.c - every ledger agrees, for every lever setting.
 *
 * A small organisation runs with files under each registered KPI, budget
 * rule, enforcement policy, scheduler and behaviour, and under each budget
 * option (rollover, a fixed pool, throttled or refused work, overdraft,
 * over-quota work held or refused, a forecast horizon).  For each: the
 * days of daily.csv add up to summary.csv, and the agents', teams' and days' dollars agree.  A
 * ledger that misses a charge made at midnight (jobs released at a cycle's
 * start), a refusal booked on the wrong day, or a lever that books outside
 * the ledgers shows up here whatever lever it is in. */
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "org/behaviour.h"
#include "policies/budget.h"
#include "config/config.h"
#include "io/csv_read.h"
#include "policies/enforcement.h"
#include "policies/kpi.h"
#include "io/output.h"
#include "run.h"
#include "config/scenario.h"
#include "policies/scheduler.h"
#include "helpers/org_fixture.h"

static void must_set(scenario *s, const char *text) { fixture_set(s, text); }

/* 150 agents in 6 teams, 35 days: reviews every 10 days, budget cycles
 * every 14, a congested cluster, budgets that run short. */
static scenario *small_org(void) {
  const char *settings[] = {"org.agents=150", "org.teams=6", "org.temperature=20.0", "days=35.0",
                            "calendar.review_days=10", "calendar.budget_cycle_days=14", "cluster.gpus=8",
                            "kpi.top_k=5", "budget.initial_ratio=0.6", "work.burn_effort=20.0",
                            "cluster.scheduler.quota_tokens=2e7", "enforcement.audit_rate=0.3"};
  return fixture_scenario("ledgers", settings, sizeof settings / sizeof settings[0]);
}

/* The sum of a daily.csv column and the summary.csv value of the same name. */
typedef struct column_check {
  const char *name;
  double days, summary;
} column_check;

static const char *const checked[] = {"tokens_useful", "tokens_burn", "usd_useful", "usd_burn",
                                      "value",         "value_lost",  "effort_usd", "net_value",
                                      "useful_jobs_rejected"};
#define CHECKED (sizeof checked / sizeof checked[0])

static int read_file(const char *dir, const char *name, int sum_rows, column_check *c) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  sim_csv_reader *r = sim_csv_reader_open(path, stderr);
  if (!r) return -1;
  long col[CHECKED];
  for (size_t k = 0; k < CHECKED; k++) col[k] = sim_csv_reader_find(r, checked[k]);
  int rc, rows = 0;
  while ((rc = sim_csv_reader_next(r, stderr)) == 1) {
    rows++;
    for (size_t k = 0; k < CHECKED; k++) {
      double x = col[k] >= 0 ? sim_csv_reader_number(r, (size_t)col[k]) : NAN;
      if (sum_rows)
        c[k].days += x;
      else
        c[k].summary = x;
    }
  }
  sim_csv_reader_close(r);
  return rc == 0 && rows > 0 ? 0 : -1;
}

static void check_variant(const char *label, const char *const *settings, size_t n) {
  scenario *s = small_org();
  for (size_t k = 0; k < n; k++) must_set(s, settings[k]);
  char parent[] = "/tmp/test_ledgers-XXXXXX", dir[64];
  if (!mkdtemp(parent)) exit(1);
  snprintf(dir, sizeof dir, "%s/run", parent);
  sim_provenance prov = {.scenario_name = s->name, .seed = 11};
  sim_output *out = sim_output_open(dir, 0, &prov, stderr);
  if (!out || sim_run(s, 11, out, NULL, stderr) != 0) {
    fprintf(stderr, "test_ledgers: %s: run failed\n", label);
    exit(1);
  }
  column_check c[CHECKED];
  for (size_t k = 0; k < CHECKED; k++) c[k] = (column_check){.name = checked[k]};
  const char *staging = sim_output_staging_dir(out);
  int ok = read_file(staging, "daily.csv", 1, c) == 0 && read_file(staging, "summary.csv", 0, c) == 0;
  gsl_test(!ok, "%s: daily.csv and summary.csv read", label);
  sim_output_abort(out);
  remove(parent);
  for (size_t k = 0; ok && k < CHECKED; k++) {
    double tol = 1e-9 * fmax(1.0, fabs(c[k].summary));
    gsl_test(!(fabs(c[k].days - c[k].summary) <= tol), "%s: %s over the days (%.10g) = summary (%.10g)", label,
             c[k].name, c[k].days, c[k].summary);
  }
  sim_summary cl;
  org_summary sum;
  if (sim_run_org_summary(s, 11, &cl, &sum, stderr) != 0) exit(1);
  double usd = sum.usd[SIM_USEFUL] + sum.usd[SIM_BURN];
  gsl_test_rel(sum.agents_spent, usd, 1e-9, "%s: agents' ledgers = days' dollars", label);
  gsl_test_rel(sum.teams_spent, usd, 1e-9, "%s: teams' ledgers = days' dollars", label);
  gsl_test_rel(sum.agents_value, sum.value, 1e-9, "%s: agents' output = days' output", label);
  gsl_test(sum.useful_jobs_credited != cl.jobs_completed[SIM_USEFUL],
           "%s: every completed useful job credited its output (%llu of %llu)", label,
           (unsigned long long)sum.useful_jobs_credited, (unsigned long long)cl.jobs_completed[SIM_USEFUL]);
  free(s);
}

/* Each registered member of a lever type, by its key. */
static void every_member(const char *key, const char *(*name_at)(size_t), const char *extra) {
  for (size_t i = 0; name_at(i); i++) {
    char text[128], label[160];
    snprintf(text, sizeof text, "%s=%s", key, name_at(i));
    snprintf(label, sizeof label, "%s%s%s", text, extra ? ", " : "", extra ? extra : "");
    const char *settings[2] = {text, extra};
    check_variant(label, settings, extra ? 2 : 1);
  }
}

int main(void) {
  every_member("kpi.type", kpi_name_at, NULL);
  every_member("budget.type", budget_name_at, NULL);
  every_member("enforcement.type", enforcement_name_at, NULL);
  every_member("org.behaviour", behaviour_name_at, NULL);
  every_member("cluster.scheduler.type", scheduler_name_at, NULL);
  every_member("cluster.scheduler.type", scheduler_name_at, "cluster.scheduler.over_quota=reject");
  every_member("budget.type", budget_name_at, "budget.on_exhausted=throttle");
  const char *const options[][3] = {
      {"budget.unspent=rollover", "budget.rollover_cap=0.5", NULL},
      {"budget.pool=fixed", NULL, NULL},
      {"budget.overdraft=true", NULL, NULL},
      {"budget.forecast_horizon_days=7", "budget.type=usage_based", "budget.unspent=rollover"},
      {"budget.forecast_horizon_days=7", "budget.type=usage_based", "budget.on_exhausted=throttle"},
      {"budget.allocation_memory=0.5", "budget.type=usage_based", "budget.unspent=rollover"},
      {"budget.allocation_memory=0.5", "budget.type=usage_based", "budget.pool=fixed"},
      {"budget.on_exhausted=throttle", "kpi.type=tokens", "warmup_days=12.5"},
      {"switches=({ day = 15; set = \"budget.on_exhausted=throttle\"; })", "kpi.type=tokens", NULL},
      {"kpi.type=blend", "kpi.improve_cost=1.0", "kpi.gaming_yield=4.0"},
  };
  for (size_t k = 0; k < sizeof options / sizeof options[0]; k++) {
    size_t n = 0;
    char label[256] = "";
    while (n < 3 && options[k][n]) {
      strncat(label, n ? ", " : "", sizeof label - strlen(label) - 1);
      strncat(label, options[k][n], sizeof label - strlen(label) - 1);
      n++;
    }
    check_variant(label, options[k], n);
  }
  return gsl_test_summary();
}
