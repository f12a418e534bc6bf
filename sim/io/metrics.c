/* sim/io/metrics.c - the table of result columns in plain words (metrics.h). */
#include "io/metrics.h"

#include <string.h>

/* In the order a single run's summary is shown. */
static const metric_info metric_table[] = {
    {"burn_share", "Share of tokens burned", U_SHARE, -1,
     "tokens run only to move a usage metric, out of all tokens", NULL},
    {"value_per_usd", "Useful output per $ of compute", U_USD_PER_USD, +1,
     "dollars of useful output for each dollar of compute", NULL},
    {"net_value", "Net value", U_USD, +1,
     "useful output less every compute dollar and the dollar value of the employees' effort",
     "Net value (output - compute - effort)"},
    {"value", "Useful output", U_USD, +1,
     "the worth of the work done, by hand or with AI", NULL},
    {"value_lost", "Output lost to refused useful jobs", U_USD, -1,
     "what AI would have added to tasks done by hand after a budget or the scheduler refused them", NULL},
    {"value_held", "Output of work still held for money", U_USD, -1,
     "useful jobs waiting for next cycle's budget when the run ended", NULL},
    {"effort_usd", "Effort of the employees", U_USD, -1,
     "the dollar value of the effort spent on every work block", NULL},
    {"usd_burn", "Compute $ spent on burn", U_USD, -1,
     "the compute cost of the burned tokens", NULL},
    {"usd_useful", "Compute $ spent on useful work", U_USD, 0,
     "the compute cost of the useful tokens", NULL},
    {"usd_total", "Compute cost", U_USD, 0, NULL, NULL},
    {"tokens_burn", "Tokens burned", U_TOKENS, -1, NULL, NULL},
    {"tokens_useful", "Useful tokens", U_TOKENS, 0, NULL, NULL},
    {"useful_jobs_rejected", "Useful jobs refused", U_COUNT, -1,
     "useful AI jobs refused by a budget or the scheduler", NULL},
    {"mean_wait_useful_h", "Queue wait of useful jobs (mean)", U_HOURS, -1,
     "how long useful jobs waited for a GPU",
     "Queue wait of useful jobs"},
    {"mean_wait_burn_h", "Queue wait of burn jobs (mean)", U_HOURS, 0, NULL,
     "Queue wait of burn jobs"},
    {"mean_wait_h", "Queue wait of all jobs (mean)", U_HOURS, -1, NULL,
     "Queue wait"},
    {"utilisation", "Cluster utilisation", U_SHARE, 0,
     "busy GPU time out of all GPU time", NULL},
    {"share_agents_burning", "Share of people burning", U_SHARE, -1,
     "people who burned at least once, per day", NULL},
    {"kwh", "Energy", U_KWH, -1, NULL, NULL},
    {"kwh_total", "Energy", U_KWH, -1, NULL, NULL},
    {"kg_co2", "Carbon", U_KG_CO2, -1, NULL, NULL},
    {"kg_co2_total", "Carbon", U_KG_CO2, -1, NULL, NULL},
    {"top_agent_tokens", "Top user's tokens in one review period", U_TOKENS, 0,
     "the top of the leaderboard",
     "Top agent's tokens"},
    {"gini_tokens", "Inequality of tokens per person (Gini: 0 equal, 1 one person uses all)", U_NUMBER, 0, NULL,
     "Inequality of tokens (Gini)"},
    {"budget_drift_mean", "Team budget as a multiple of its need (mean over teams and cycles)", U_TIMES, 0,
     "above 1: teams get more than their work needs",
     "Team budget / need"},
    {"kpi_rewards", "KPI rewards paid", U_USD, 0,
     "prizes and bonuses the KPI paid out", NULL},
    {"penalties", "Audit penalties", U_USD, 0,
     "what audits charged people caught burning", NULL},
    {"burn_blocks", "Work blocks spent burning", U_COUNT, -1,
     "two-hour blocks in which someone chose to burn", NULL},
    {"blocks", "Work blocks", U_COUNT, 0, NULL, NULL},
    {"agents", "People", U_COUNT, 0, NULL, NULL},
    {"teams", "Teams", U_COUNT, 0, NULL, NULL},
    {"days", "Days simulated", U_DAYS, 0, NULL, NULL},
    {"kpi", "KPI", U_TEXT, 0, NULL, NULL},
    {"budget", "Budget rule", U_TEXT, 0, NULL, NULL},
    {"unspent", "Unspent budget", U_TEXT, 0, NULL, NULL},
    {"enforcement", "Enforcement", U_TEXT, 0, NULL, NULL},
    {"behaviour", "Behaviour model", U_TEXT, 0, NULL, NULL},
    {"scheduler", "Cluster scheduler", U_TEXT, 0, NULL, NULL},
    {"gpus", "GPUs", U_COUNT, 0, NULL, NULL},
    {"p_wait", "Share of jobs that waited", U_SHARE, -1,
     "jobs that had to queue for a GPU at all", NULL},
    {"erlang_c_wait_h", "Queue wait by the Erlang C formula (M/M/c, FIFO)", U_HOURS, 0,
     "what the mean wait of all jobs should be; burnsim validate erlang_c gives the verdict", NULL},
    {"erlang_c_p_wait", "Share of jobs that wait, by the Erlang C formula", U_SHARE, 0, NULL, NULL},
};

/* The metrics a campaign's tables and figures show after the objective. */
static const char *const key_metrics[] = {"net_value", "burn_share", "value_per_usd", "usd_burn", "value", "value_lost",
                                          "mean_wait_useful_h", "usd_total", "utilisation", "kg_co2",
                                          "useful_jobs_rejected"};


const metric_info *sim_metric_named(const char *column) {
  for (size_t i = 0; i < sizeof metric_table / sizeof metric_table[0]; i++)
    if (strcmp(metric_table[i].column, column) == 0) return &metric_table[i];
  return NULL;
}

const metric_info *sim_metric_at(size_t i) {
  return i < sizeof metric_table / sizeof metric_table[0] ? &metric_table[i] : NULL;
}

const char *sim_metric_key_at(size_t i) {
  return i < sizeof key_metrics / sizeof key_metrics[0] ? key_metrics[i] : NULL;
}

const char *sim_metric_unit_text(const char *column) {
  static const char *const names[] = {
      [U_NUMBER] = NULL,        [U_SHARE] = "share",   [U_USD] = "USD",   [U_USD_PER_USD] = "USD per USD",
      [U_TOKENS] = "tokens",    [U_HOURS] = "hours",   [U_COUNT] = "count", [U_KWH] = "kWh",
      [U_KG_CO2] = "kg CO2",    [U_DAYS] = "days",     [U_TIMES] = "ratio", [U_TEXT] = NULL};
  const metric_info *mi = sim_metric_named(column);
  if (mi) return names[mi->unit];
  /* The cluster's columns, by how docs/output.md names them. */
  static const struct {
    const char *prefix, *suffix, *unit;
  } by_name[] = {{"", "_per_h", "per hour"}, {"", "_h", "hours"},        {"usd", "", "USD"},
                 {"kwh", "", "kWh"},          {"kg_co2", "", "kg CO2"},  {"tokens_", "", "tokens"},
                 {"jobs_", "", "count"},      {"erlang_c_p_", "", "share"}, {"", "_days", "days"},
                 {"", "_hours", "hours"}};
  size_t len = strlen(column);
  for (size_t i = 0; i < sizeof by_name / sizeof by_name[0]; i++) {
    size_t p = strlen(by_name[i].prefix), s = strlen(by_name[i].suffix);
    if (len > p + s && strncmp(column, by_name[i].prefix, p) == 0 &&
        strcmp(column + len - s, by_name[i].suffix) == 0)
      return by_name[i].unit;
  }
  return NULL;
}
