/* sim/run.h - one simulation run: a scenario and a seed in, result files out.
 *
 * A run builds the cluster of the scenario, drives it with the exogenous
 * workload (Poisson arrivals; tokens per job from the configured
 * distribution; a share of burn jobs; owners round-robin over teams and
 * agents; fan-out), advances the engine to the horizon and writes:
 *   daily.csv    one row per day from the warm-up day on: jobs, tokens,
 *                utilisation, mean waits, $ / kWh / kg CO2, by purpose
 *   summary.csv  one row: totals over the statistics window, conservation
 *                terms, costs, and the Erlang C prediction where it applies
 *   waits.csv    histogram of queue waits by purpose (log-spaced bins)
 * Statistics cover jobs submitted at or after warmup_days.
 */
#ifndef BURNSIM_RUN_H
#define BURNSIM_RUN_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "cluster/cost.h"
#include "cluster/job.h"
#include "org/model.h"
#include "io/output.h"
#include "config/scenario.h"

/* Figures of one run over its statistics window [warmup, horizon]. */
typedef struct sim_summary {
  size_t slots;
  double window_hours;
  double arrival_rate;  /* configured, jobs per hour */
  double stream_hours;  /* mean hours one stream holds a slot */
  double offered_load;  /* arrival_rate * tokens_mean / throughput / slots */
  uint64_t jobs_submitted[SIM_PURPOSES];
  uint64_t jobs_rejected[SIM_PURPOSES];
  uint64_t jobs_held[SIM_PURPOSES];
  uint64_t jobs_mistagged[SIM_PURPOSES];
  uint64_t jobs_started[SIM_PURPOSES];
  uint64_t jobs_completed[SIM_PURPOSES];
  double tokens_submitted[SIM_PURPOSES];
  double tokens_served[SIM_PURPOSES];
  double tokens_rejected[SIM_PURPOSES];
  double tokens_queued[SIM_PURPOSES];     /* unstarted streams at the horizon */
  double tokens_in_service[SIM_PURPOSES]; /* running streams at the horizon */
  double mean_wait[SIM_PURPOSES];         /* hours, submit to first stream start */
  double mean_wait_all;
  double p_wait;            /* share of started jobs that waited at all */
  double utilisation;       /* busy slot-hours / slot-hours */
  double mean_queue;        /* time-average jobs waiting (Lq) */
  double measured_rate;     /* jobs submitted per hour in the window */
  double admitted_rate;     /* jobs submitted and not rejected, per hour */
  double erlang_p_wait;     /* Erlang C, or NaN where M/M/c does not apply */
  double erlang_wait;       /* Erlang C mean wait, hours, or NaN */
  sim_price price[SIM_PURPOSES];
  sim_price price_total;    /* priced from the totals, independently */
} sim_summary;

/* Runs s with the given seed and writes its CSV files into out's staging
 * folder.  Stops early, returning non-zero without a message, when *cancel
 * becomes set (a signal handler sets it; cancel may be NULL).  Returns 0,
 * or non-zero with a message on err. */
int sim_run(const scenario *s, uint64_t seed, sim_output *out, const volatile sig_atomic_t *cancel,
            FILE *err);

/* The columns of the summary.csv a run of s writes, NULL-terminated. */
const char *const *sim_run_summary_columns(const scenario *s);

/* The same run without files: fills sum.  Returns 0, or non-zero with a
 * message on err. */
int sim_run_summary(const scenario *s, uint64_t seed, sim_summary *sum, FILE *err);

/* The same for a scenario with an organisation: the cluster's figures (if
 * cluster is not NULL) and the organisation's totals, no files. */
int sim_run_org_summary(const scenario *s, uint64_t seed, sim_summary *cluster, org_summary *sum,
                        FILE *err);

#endif
