/* sim/org/model.h - the organisation at work: blocks, choices, jobs, reviews,
 * budget cycles and lever switches, driven by the engine.
 *
 * At each work block an agent weighs four options (work by hand or with
 * AI, each with or without burn loops) by
 *   U = eta * output + gamma * KPI gain + theta * team budget gain
 *       - effort - fear * audit risk + burn propensity (burn options)
 * and a behaviour model picks one (docs/model.md).  AI-assisted work and
 * burn loops become jobs on the cluster, charged to the team's budget;
 * useful jobs realise their output when they end, discounted by their wait.
 *
 * Files written (docs/output.md): daily.csv, teams.csv, team_weeks.csv,
 * agents.csv; the one-row summary comes from org_model_summary.  They
 * cover the statistics window [warmup_days, days]; the run itself starts
 * at day 0 whatever the warm-up.
 */
#ifndef BURNSIM_ORG_MODEL_H
#define BURNSIM_ORG_MODEL_H

#include <stdio.h>

#include "cluster/cluster.h"
#include "cluster/cost.h"
#include "core/engine.h"
#include "org/org.h"
#include "io/output.h"

typedef struct org_model org_model;

#define ORG_MAX_WEEKS 64

/* Totals over a run's statistics window, for summary.csv and tests. */
typedef struct org_summary {
  size_t agents, teams;
  double tokens[SIM_PURPOSES];  /* admitted to the cluster */
  double usd[SIM_PURPOSES];
  double kwh[SIM_PURPOSES];
  double kg_co2[SIM_PURPOSES];
  double value;                 /* output realised */
  double value_lost;            /* output lost to refused useful work, beyond the work by hand
                                   that replaced it */
  double value_held;            /* undiscounted output of useful work still held for money at
                                   the horizon (throttled budgets) */
  double effort_usd;            /* $ of effort agents spent on their blocks */
  double net_value;             /* value - compute $ (useful and burn) - effort_usd */
  double burn_share;            /* burn tokens / all tokens */
  double value_per_usd;
  double mean_wait_useful_h;
  uint64_t useful_jobs_rejected;
  uint64_t useful_jobs_credited; /* useful jobs that ended and whose output was realised */
  uint64_t blocks;
  uint64_t burn_blocks;
  double kpi_rewards;
  double penalties;
  double top_agent_tokens;      /* most tokens of one agent in one review */
  double gini_tokens;           /* of tokens per agent over the whole run */
  double budget_drift_mean;     /* allocation / need, mean over teams and cycles */
  /* The same dollars seen from three ledgers (they must agree): usd above
   * (by day), every agent's ledger, and every team's cycle ledgers. */
  double agents_spent;
  double teams_spent;
  double agents_value;          /* every agent's output ledger: must equal value */
  double usd_per_token;
  double min_balance;           /* lowest budget - spent any team reached in the window, $ */
  double bytes_per_agent;
  uint64_t choices[ORG_OPTIONS];  /* blocks that chose each option */
  /* Org-wide spending by week of the budget cycle, summed over cycles that
   * ran to their end in the window (the expiring-budget signature). */
  double week_spend[ORG_MAX_WEEKS];
  size_t weeks_per_cycle;
  uint64_t cycles;
  /* Digests of every agent's traits and of its work stream's position, to
   * check that policy arms share common random numbers. */
  uint64_t traits_digest, work_digest;
} org_summary;

/* Creates the organisation of s on eng and cl (whose hooks must forward
 * to org_model_started and org_model_done) and schedules its first
 * events.  out may be NULL (no files).  Returns NULL with a message on err. */
org_model *org_model_create(const scenario *s, uint64_t seed, sim_engine *eng, sim_cluster *cl,
                            const sim_cost_model *cost, sim_output *out, FILE *err);
void org_model_free(org_model *m);

void org_model_started(org_model *m, sim_job *job, double now);
void org_model_done(org_model *m, sim_job *job, sim_job_status status, double now);

/* Closes the books at the horizon: writes agents.csv, closes the files.
 * Returns 0, or -1 with a message on err. */
int org_model_finish(org_model *m, FILE *err);
/* Why the model stopped a run: out of memory for jobs or events (the
 * caller reports it), or a failure already reported on the error stream
 * given to org_model_create (a dated switch that could not apply). */
typedef enum org_failure { ORG_FAILED_NONE = 0, ORG_FAILED_MEMORY, ORG_FAILED_REPORTED } org_failure;
/* ORG_FAILED_NONE, or why the model failed. */
org_failure org_model_failed(const org_model *m);

/* The run's totals so far.  Not const: output of jobs that ended since the
 * organisation's last event is credited first (model.c, settle). */
void org_model_summary(org_model *m, org_summary *sum);

/* The columns of the organisation's summary.csv, NULL-terminated. */
extern const char *const org_summary_columns[];

#endif
