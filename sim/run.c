/* sim/run.c - one run: the cluster of a scenario under its exogenous workload.
 *
 * Random streams (docs/rng.md), all for entity 0 (the workload source):
 * inter-arrival times from SIM_RNG_ARRIVALS, tokens per job from
 * SIM_RNG_WORK, useful-or-burn from SIM_RNG_CHOICE.  Separate streams keep
 * arms that differ in one of these (say the burn share) on the same
 * arrival times and job sizes.
 */
#include "run.h"

#include <gsl/gsl_histogram.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytic/analytic.h"
#include "cluster/cluster.h"
#include "core/distribution.h"
#include "core/engine.h"
#include "cluster/erlang.h"
#include "core/event_kinds.h"
#include "org/model.h"
#include "core/rng.h"
#include "io/summary_json.h"

/* Jobs in the cluster at once before a run gives up: an overloaded
 * cluster's queue grows without bound, and 2^24 records are 1.3 GB. */
#define MAX_JOBS_IN_SYSTEM ((size_t)1 << 24)

/* Wait histogram: zero waits apart, then log-spaced bins from 1e-8 h
 * (36 us) to 1e3 h, WAIT_BINS_PER_DECADE per decade, plus the waits below
 * and above that range. */
#define WAIT_MIN_DECADE (-8)
#define WAIT_MAX_DECADE 3
#define WAIT_BINS_PER_DECADE 10

typedef struct run_state {
  const scenario *s;
  sim_engine *eng;
  sim_cluster *cl;
  sim_cost_model cost;
  double gpus_per_replica;
  double horizon;

  /* workload */
  gsl_rng *r_arrival, *r_tokens, *r_purpose;
  double arrival_rate;      /* jobs per hour */
  double mean_interarrival; /* hours */
  dist_cfg tokens; /* tokens per job, when not exponential */
  uint32_t next_team, next_agent; /* round-robin owners (counters, not a modulo per job) */
  int overflow; /* too many jobs in the cluster */
  int no_memory;

  /* measurement */
  sim_cluster_stats warm;      /* integrals when the statistics window opened */
  sim_cluster_stats day_prev;  /* counters when the current day started */
  int64_t first_day;           /* first day written to daily.csv */
  sim_csv *daily;              /* NULL without output */
  gsl_histogram *waits[SIM_PURPOSES];
  uint64_t zero_waits[SIM_PURPOSES];
  uint64_t short_waits[SIM_PURPOSES]; /* below the first bin */
  uint64_t long_waits[SIM_PURPOSES];  /* beyond the last bin */

  org_model *org; /* NULL without agents */
  const volatile sig_atomic_t *cancel;
} run_state;

/* ---- workload -------------------------------------------------------------- */

static double draw_tokens(run_state *rs) {
  if (rs->s->workload.tokens_dist == SCN_TOKENS_EXPONENTIAL)
    return sim_draw_exponential(rs->r_tokens, rs->tokens.mean); /* the hot case, drawn directly */
  return dist_draw(&rs->tokens, rs->r_tokens);
}

static void on_arrival(sim_engine *eng, sim_event *ev, void *ctx) {
  run_state *rs = ctx;
  const scn_workload *w = &rs->s->workload;
  double now = ev->time;
  if (rs->cancel && *rs->cancel) {
    sim_engine_stop(eng);
    return;
  }
  sim_job *job = sim_cluster_job_alloc(rs->cl);
  if (!job) {
    rs->overflow = 1;
    sim_engine_stop(eng);
    return;
  }
  job->tokens = draw_tokens(rs);
  if (w->burn_share >= 1)
    job->purpose = SIM_BURN;
  else if (w->burn_share > 0)
    job->purpose = gsl_rng_uniform(rs->r_purpose) < w->burn_share ? SIM_BURN : SIM_USEFUL;
  job->team = rs->next_team;
  job->agent = rs->next_agent;
  job->fan_out = (uint32_t)w->fan_out;
  if (++rs->next_team == (uint64_t)w->teams) rs->next_team = 0;
  if (++rs->next_agent == (uint64_t)w->agents) rs->next_agent = 0;
  sim_cluster_submit(rs->cl, job, now);
  if (sim_engine_schedule_event(eng, ev, now + sim_draw_exponential(rs->r_arrival, rs->mean_interarrival)) != 0) {
    rs->no_memory = 1; /* the only way to fail: the time is finite and ahead */
    sim_engine_stop(eng);
  }
}

/* ---- measurement ----------------------------------------------------------- */

static void on_started(sim_job *job, double now, void *ctx) {
  run_state *rs = ctx;
  if (job->flags & SIM_JOB_AGENT) org_model_started(rs->org, job, now);
  if (!rs->waits[0] || !(job->flags & SIM_JOB_COUNTED)) return;
  double wait = now - job->submit_time;
  int p = job->purpose;
  if (wait <= 0)
    rs->zero_waits[p]++;
  else if (gsl_histogram_increment(rs->waits[p], wait) != 0)
    (wait < gsl_histogram_min(rs->waits[p]) ? rs->short_waits : rs->long_waits)[p]++;
}

static void on_done(sim_job *job, sim_job_status status, double now, void *ctx) {
  run_state *rs = ctx;
  if (job->flags & SIM_JOB_AGENT) org_model_done(rs->org, job, status, now);
}

static void on_warmup_end(sim_engine *eng, sim_event *ev, void *ctx) {
  (void)eng;
  run_state *rs = ctx;
  sim_cluster_stats_get(rs->cl, ev->time, &rs->warm);
}

static double ratio(double num, double den) {
  return den > 0 ? num / den : NAN;
}

static sim_price price_of(const run_state *rs, double slot_hours, double tokens) {
  return sim_cost_price(&rs->cost, slot_hours * rs->gpus_per_replica, tokens);
}

static const char *const daily_columns[] = {
    "day", "hours", "utilisation", "mean_queue_jobs",
    "jobs_submitted_useful", "jobs_submitted_burn", "jobs_rejected_useful", "jobs_rejected_burn",
    "jobs_throttled_useful", "jobs_throttled_burn", "jobs_started_useful", "jobs_started_burn",
    "jobs_completed_useful", "jobs_completed_burn", "tokens_served_useful", "tokens_served_burn",
    "mean_wait_useful_h", "mean_wait_burn_h", "usd_useful", "usd_burn", "kwh_useful", "kwh_burn",
    "kg_co2_useful", "kg_co2_burn", NULL};

static void write_day(run_state *rs, int64_t day, const sim_cluster_stats *a, const sim_cluster_stats *b) {
  sim_csv *c = rs->daily;
  double hours = b->time - a->time;
  sim_csv_int(c, day);
  sim_csv_float(c, hours);
  sim_csv_float(c, ratio(b->busy_slot_hours - a->busy_slot_hours, hours * (double)sim_cluster_slots(rs->cl)));
  sim_csv_float(c, ratio(b->waiting_job_hours - a->waiting_job_hours, hours));
#define COUNT_PAIR(field)                                              \
  for (int p = 0; p < SIM_PURPOSES; p++) sim_csv_uint(c, b->field[p] - a->field[p]);
  COUNT_PAIR(submitted)
  COUNT_PAIR(rejected)
  COUNT_PAIR(held)
  COUNT_PAIR(started)
  COUNT_PAIR(completed)
#undef COUNT_PAIR
  for (int p = 0; p < SIM_PURPOSES; p++) sim_csv_float(c, b->tokens_served[p] - a->tokens_served[p]);
  for (int p = 0; p < SIM_PURPOSES; p++)
    sim_csv_float(c, ratio(b->wait_hours[p] - a->wait_hours[p], (double)(b->started[p] - a->started[p])));
  sim_price pr[SIM_PURPOSES];
  for (int p = 0; p < SIM_PURPOSES; p++)
    pr[p] = price_of(rs, b->slot_hours[p] - a->slot_hours[p], b->tokens_served[p] - a->tokens_served[p]);
  for (int p = 0; p < SIM_PURPOSES; p++) sim_csv_float(c, pr[p].usd);
  for (int p = 0; p < SIM_PURPOSES; p++) sim_csv_float(c, pr[p].kwh);
  for (int p = 0; p < SIM_PURPOSES; p++) sim_csv_float(c, pr[p].kg_co2);
  sim_csv_end_row(c);
}

/* Closes day `subject`: writes its row and schedules the next day's end. */
static void on_day_end(sim_engine *eng, sim_event *ev, void *ctx) {
  run_state *rs = ctx;
  int64_t day = (int64_t)ev->subject;
  if (rs->cancel && *rs->cancel) {
    sim_engine_stop(eng);
    return;
  }
  sim_cluster_stats now;
  sim_cluster_stats_get(rs->cl, ev->time, &now);
  if (rs->daily && day >= rs->first_day) write_day(rs, day, &rs->day_prev, &now);
  rs->day_prev = now;
  double next_end = fmin((double)(day + 2) * 24.0, rs->horizon);
  if (ev->time < rs->horizon) {
    ev->subject = (uint64_t)(day + 1);
    if (sim_engine_schedule_event(eng, ev, next_end) != 0) {
      rs->no_memory = 1;
      sim_engine_stop(eng);
    }
  }
}

/* ---- the run ---------------------------------------------------------------- */

/* Job arrival rate per hour: jobs_per_hour, or the rate that offers
 * `utilisation` of every slot (each job occupies tokens / throughput
 * slot-hours whatever its fan-out). */
static double arrival_rate(const scenario *s, size_t slots, double tph) {
  const scn_workload *w = &s->workload;
  if (w->jobs_per_hour > 0) return w->jobs_per_hour;
  return w->utilisation * (double)slots * tph / w->tokens_mean;
}

static void free_state(run_state *rs) {
  org_model_free(rs->org);
  sim_cluster_free(rs->cl);
  sim_engine_free(rs->eng);
  gsl_rng_free(rs->r_arrival);
  gsl_rng_free(rs->r_tokens);
  gsl_rng_free(rs->r_purpose);
  for (int p = 0; p < SIM_PURPOSES; p++)
    if (rs->waits[p]) gsl_histogram_free(rs->waits[p]);
}

static int setup(run_state *rs, const scenario *s, uint64_t seed, sim_output *out, FILE *err) {
  int with_waits = out != NULL;
  rs->s = s;
  rs->horizon = s->days * 24.0;
  if (sim_cost_model_init(&rs->cost, s, err) != 0) return -1;
  sim_cluster_options o;
  if (sim_cluster_options_from_scenario(&o, s, seed, err) != 0) return -1;
  o.max_jobs = MAX_JOBS_IN_SYSTEM;
  /* Only waits.csv and the organisation need to hear of each start. */
  int with_org = s->org.agents > 0;
  o.hooks.started = (with_waits || with_org) ? on_started : NULL;
  o.hooks.done = with_org ? on_done : NULL;
  o.hooks.ctx = rs;
  rs->gpus_per_replica = (double)o.gpus_per_replica;
  sim_engine_options eo = {.initial_events = o.slots + 16 + (size_t)s->org.agents, .max_events = 0,
                           .num_kinds = SIM_EV_KINDS};
  rs->eng = sim_engine_create(&eo);
  if (!rs->eng) goto oom;
  rs->cl = sim_cluster_create(rs->eng, &o, err);
  if (!rs->cl) return -1;
  rs->r_arrival = sim_rng_stream_alloc(sim_rng_pcg64, seed, 0, SIM_RNG_ARRIVALS);
  rs->r_tokens = sim_rng_stream_alloc(sim_rng_pcg64, seed, 0, SIM_RNG_WORK);
  rs->r_purpose = sim_rng_stream_alloc(sim_rng_pcg64, seed, 0, SIM_RNG_CHOICE);
  if (!rs->r_arrival || !rs->r_tokens || !rs->r_purpose) goto oom;

  enum { NBINS = (WAIT_MAX_DECADE - WAIT_MIN_DECADE) * WAIT_BINS_PER_DECADE };
  double range[NBINS + 1];
  for (size_t i = 0; i <= NBINS; i++) range[i] = pow(10.0, WAIT_MIN_DECADE + (double)i / WAIT_BINS_PER_DECADE);
  for (int p = 0; p < SIM_PURPOSES && with_waits; p++) {
    rs->waits[p] = gsl_histogram_alloc(NBINS);
    if (!rs->waits[p]) goto oom;
    gsl_histogram_set_ranges(rs->waits[p], range, NBINS + 1); /* also zeroes the bins */
  }

  const scn_workload *w = &s->workload;
  rs->tokens = (dist_cfg){.kind = w->tokens_dist == SCN_TOKENS_LOGNORMAL ? DIST_LOGNORMAL : DIST_FIXED,
                          .mean = w->tokens_mean,
                          .cv = w->tokens_cv,
                          .min = 0,
                          .max = INFINITY};
  rs->arrival_rate = arrival_rate(s, o.slots, o.replica_tokens_per_hour);
  rs->mean_interarrival = 1.0 / rs->arrival_rate;

  if (sim_engine_on(rs->eng, SIM_EV_ARRIVAL, on_arrival, rs) != 0 ||
      sim_engine_on(rs->eng, SIM_EV_DAY_END, on_day_end, rs) != 0 ||
      sim_engine_on(rs->eng, SIM_EV_WARMUP_END, on_warmup_end, rs) != 0)
    goto oom;
  int ok = 1;
  if (rs->arrival_rate > 0)
    ok &= sim_engine_schedule(rs->eng, SIM_EV_ARRIVAL, sim_draw_exponential(rs->r_arrival, rs->mean_interarrival),
                              0, 0) != NULL;
  double stats_from = s->warmup_days * 24.0;
  rs->first_day = (int64_t)floor(s->warmup_days);
  if (stats_from > 0) ok &= sim_engine_schedule(rs->eng, SIM_EV_WARMUP_END, stats_from, 0, 0) != NULL;
  ok &= sim_engine_schedule(rs->eng, SIM_EV_DAY_END, fmin(24.0, rs->horizon), 0, 0) != NULL;
  if (!ok) goto oom;
  if (with_org) {
    rs->org = org_model_create(s, seed, rs->eng, rs->cl, &rs->cost, out, err);
    if (!rs->org) return -1;
  }
  return 0;
oom:
  fprintf(err, "burnsim: out of memory while setting up the run\n");
  return -1;
}

static void summarise(run_state *rs, sim_summary *sum) {
  const scenario *s = rs->s;
  const scn_workload *w = &s->workload;
  sim_cluster_stats st;
  sim_cluster_stats_get(rs->cl, rs->horizon, &st);
  memset(sum, 0, sizeof *sum);
  sum->slots = sim_cluster_slots(rs->cl);
  double tph = sim_cluster_replica_tokens_per_hour(rs->cl);
  sum->window_hours = st.time - rs->warm.time;
  sum->arrival_rate = rs->arrival_rate;
  sum->stream_hours = w->tokens_mean / ((double)w->fan_out * tph);
  sum->offered_load = rs->arrival_rate * w->tokens_mean / tph / (double)sum->slots;
  sim_cluster_outstanding(rs->cl, sum->tokens_queued, sum->tokens_in_service);
  double wait_all = 0, started_all = 0, waited_all = 0, submitted_all = 0, rejected_all = 0;
  double slot_hours = 0, served = 0;
  for (int p = 0; p < SIM_PURPOSES; p++) {
    sum->jobs_submitted[p] = st.submitted[p];
    sum->jobs_rejected[p] = st.rejected[p];
    sum->jobs_held[p] = st.held[p];
    sum->jobs_mistagged[p] = st.mistagged[p];
    sum->jobs_started[p] = st.started[p];
    sum->jobs_completed[p] = st.completed[p];
    sum->tokens_submitted[p] = st.tokens_submitted[p];
    sum->tokens_served[p] = st.tokens_served[p];
    sum->tokens_rejected[p] = st.tokens_rejected[p];
    sum->mean_wait[p] = ratio(st.wait_hours[p], (double)st.started[p]);
    sum->price[p] = price_of(rs, st.slot_hours[p], st.tokens_served[p]);
    wait_all += st.wait_hours[p];
    started_all += (double)st.started[p];
    waited_all += (double)st.waited[p];
    submitted_all += (double)st.submitted[p];
    rejected_all += (double)st.rejected[p];
    slot_hours += st.slot_hours[p];
    served += st.tokens_served[p];
  }
  sum->price_total = price_of(rs, slot_hours, served);
  sum->mean_wait_all = ratio(wait_all, started_all);
  sum->p_wait = ratio(waited_all, started_all);
  sum->utilisation = ratio(st.busy_slot_hours - rs->warm.busy_slot_hours, sum->window_hours * (double)sum->slots);
  sum->mean_queue = ratio(st.waiting_job_hours - rs->warm.waiting_job_hours, sum->window_hours);
  sum->measured_rate = ratio(submitted_all, sum->window_hours);
  sum->admitted_rate = ratio(submitted_all - rejected_all, sum->window_hours);
  /* M/M/c: Poisson arrivals, exponential service, one stream per job, FIFO. */
  int mmc = w->tokens_dist == SCN_TOKENS_EXPONENTIAL && w->fan_out == 1 && rs->arrival_rate > 0 &&
            sim_cluster_scheduler(rs->cl) == &scheduler_fifo;
  sum->erlang_p_wait = mmc ? sim_erlang_c(rs->arrival_rate, 1.0 / sum->stream_hours, (unsigned)sum->slots) : NAN;
  sum->erlang_wait = mmc ? sim_erlang_c_wait(rs->arrival_rate, 1.0 / sum->stream_hours, (unsigned)sum->slots) : NAN;
}

static const char *const cluster_summary_columns[] = {
    "days", "warmup_days", "window_hours", "gpus", "slots", "scheduler", "arrival_rate_per_h",
    "measured_rate_per_h", "stream_hours", "offered_load", "utilisation",
    "jobs_submitted_useful", "jobs_submitted_burn", "jobs_rejected_useful", "jobs_rejected_burn",
    "jobs_throttled_useful", "jobs_throttled_burn", "jobs_mistagged_useful", "jobs_mistagged_burn",
    "jobs_started_useful", "jobs_started_burn", "jobs_completed_useful", "jobs_completed_burn",
    "tokens_submitted_useful", "tokens_submitted_burn", "tokens_served_useful", "tokens_served_burn",
    "tokens_rejected_useful", "tokens_rejected_burn", "tokens_queued_useful", "tokens_queued_burn",
    "tokens_in_service_useful", "tokens_in_service_burn", "tokens_unaccounted",
    "mean_wait_useful_h", "mean_wait_burn_h", "mean_wait_h", "p_wait", "mean_queue_jobs",
    "admitted_rate_x_wait", "erlang_c_p_wait", "erlang_c_wait_h", "wait_rel_error",
    "usd_useful", "usd_burn", "usd_total", "kwh_useful", "kwh_burn", "kwh_total",
    "kg_co2_useful", "kg_co2_burn", "kg_co2_total", NULL};

static int write_summary(const run_state *rs, const sim_summary *sum, const char *name, sim_output *out,
                         FILE *err) {
  const scenario *s = rs->s;
  sim_csv *c = sim_output_csv(out, name, cluster_summary_columns, err);
  if (!c) return -1;
  sim_csv_float(c, s->days);
  sim_csv_float(c, s->warmup_days);
  sim_csv_float(c, sum->window_hours);
  sim_csv_int(c, s->cluster.gpus);
  sim_csv_uint(c, sum->slots);
  sim_csv_str(c, sim_cluster_scheduler(rs->cl)->name);
  sim_csv_float(c, sum->arrival_rate);
  sim_csv_float(c, sum->measured_rate);
  sim_csv_float(c, sum->stream_hours);
  sim_csv_float(c, sum->offered_load);
  sim_csv_float(c, sum->utilisation);
#define PAIR(put, field) \
  for (int p = 0; p < SIM_PURPOSES; p++) put(c, sum->field[p]);
  PAIR(sim_csv_uint, jobs_submitted)
  PAIR(sim_csv_uint, jobs_rejected)
  PAIR(sim_csv_uint, jobs_held)
  PAIR(sim_csv_uint, jobs_mistagged)
  PAIR(sim_csv_uint, jobs_started)
  PAIR(sim_csv_uint, jobs_completed)
  PAIR(sim_csv_float, tokens_submitted)
  PAIR(sim_csv_float, tokens_served)
  PAIR(sim_csv_float, tokens_rejected)
  PAIR(sim_csv_float, tokens_queued)
  PAIR(sim_csv_float, tokens_in_service)
#undef PAIR
  double unaccounted = 0;
  for (int p = 0; p < SIM_PURPOSES; p++)
    unaccounted += sum->tokens_submitted[p] - sum->tokens_served[p] - sum->tokens_rejected[p] -
                   sum->tokens_queued[p] - sum->tokens_in_service[p];
  sim_csv_float(c, unaccounted);
  sim_csv_float(c, sum->mean_wait[SIM_USEFUL]);
  sim_csv_float(c, sum->mean_wait[SIM_BURN]);
  sim_csv_float(c, sum->mean_wait_all);
  sim_csv_float(c, sum->p_wait);
  sim_csv_float(c, sum->mean_queue);
  sim_csv_float(c, sum->admitted_rate * sum->mean_wait_all);
  sim_csv_float(c, sum->erlang_p_wait);
  sim_csv_float(c, sum->erlang_wait);
  sim_csv_float(c, sum->mean_wait_all / sum->erlang_wait - 1.0);
  sim_csv_float(c, sum->price[SIM_USEFUL].usd);
  sim_csv_float(c, sum->price[SIM_BURN].usd);
  sim_csv_float(c, sum->price_total.usd);
  sim_csv_float(c, sum->price[SIM_USEFUL].kwh);
  sim_csv_float(c, sum->price[SIM_BURN].kwh);
  sim_csv_float(c, sum->price_total.kwh);
  sim_csv_float(c, sum->price[SIM_USEFUL].kg_co2);
  sim_csv_float(c, sum->price[SIM_BURN].kg_co2);
  sim_csv_float(c, sum->price_total.kg_co2);
  sim_csv_end_row(c);
  return sim_csv_close(c);
}

static const char *const waits_columns[] = {"wait_from_h", "wait_to_h", "jobs_useful", "jobs_burn", NULL};

static void waits_row(sim_csv *c, double lo, double hi, const uint64_t n[SIM_PURPOSES]) {
  sim_csv_float(c, lo);
  sim_csv_float(c, hi);
  for (int p = 0; p < SIM_PURPOSES; p++) sim_csv_uint(c, n[p]);
  sim_csv_end_row(c);
}

/* One row per bin: zero waits, waits below the first bin, the log-spaced
 * bins [from, to), and waits beyond the last bin (to = inf). */
static int write_waits(const run_state *rs, sim_output *out, FILE *err) {
  sim_csv *c = sim_output_csv(out, "waits.csv", waits_columns, err);
  if (!c) return -1;
  const gsl_histogram *h = rs->waits[SIM_USEFUL];
  waits_row(c, 0, 0, rs->zero_waits);
  waits_row(c, 0, gsl_histogram_min(h), rs->short_waits);
  for (size_t i = 0; i < gsl_histogram_bins(h); i++) {
    double lo, hi;
    gsl_histogram_get_range(h, i, &lo, &hi);
    uint64_t n[SIM_PURPOSES];
    for (int p = 0; p < SIM_PURPOSES; p++) n[p] = (uint64_t)gsl_histogram_get(rs->waits[p], i);
    waits_row(c, lo, hi, n);
  }
  waits_row(c, gsl_histogram_max(h), INFINITY, rs->long_waits);
  return sim_csv_close(c);
}

static int run(const scenario *s, uint64_t seed, sim_output *out, const volatile sig_atomic_t *cancel,
               sim_summary *sum, org_summary *org_sum, FILE *err) {
  run_state rs;
  memset(&rs, 0, sizeof rs);
  rs.cancel = cancel;
  int rc = setup(&rs, s, seed, out, err);
  /* With an organisation, daily.csv and summary.csv are its own; the
   * cluster's tables keep their columns under other names. */
  const char *daily_name = rs.org ? "cluster_daily.csv" : "daily.csv";
  const char *summary_name = rs.org ? "cluster_summary.csv" : "summary.csv";
  if (rc == 0 && out) {
    rs.daily = sim_output_csv(out, daily_name, daily_columns, err);
    if (!rs.daily) rc = -1;
  }
  if (rc == 0) {
    sim_run_status status = sim_engine_run(rs.eng, rs.horizon);
    if (rs.overflow) {
      fprintf(err,
              "burnsim: more than %zu jobs are in the cluster at once: it cannot keep up with the "
              "offered load (%.3g of its capacity); lower workload.utilisation or "
              "workload.jobs_per_hour, or add GPUs\n",
              MAX_JOBS_IN_SYSTEM,
              rs.arrival_rate * s->workload.tokens_mean / sim_cluster_replica_tokens_per_hour(rs.cl) /
                  (double)sim_cluster_slots(rs.cl));
      rc = -1;
    } else if (rs.org && org_model_failed(rs.org) == ORG_FAILED_REPORTED) {
      rc = -1; /* the organisation said what failed */
    } else if (rs.no_memory || sim_cluster_failed(rs.cl) || (rs.org && org_model_failed(rs.org))) {
      fprintf(err, "burnsim: out of memory for events\n");
      rc = -1;
    } else if (status == SIM_RUN_STOPPED) {
      rc = -1; /* cancelled: the caller asked for it and says so */
    }
  }
  sim_summary local, *res = sum ? sum : &local;
  if (rc == 0) summarise(&rs, res);
  if (rs.daily && sim_csv_close(rs.daily) != 0 && rc == 0) {
    fprintf(err, "burnsim: writing daily.csv failed\n");
    rc = -1;
  }
  if (rc == 0 && rs.org) {
    if (org_sum) org_model_summary(rs.org, org_sum);
    if (out && org_model_finish(rs.org, err) != 0) rc = -1;
  }
  if (rc == 0 && out) {
    if (write_summary(&rs, res, summary_name, out, err) != 0 || write_waits(&rs, out, err) != 0) {
      fprintf(err, "burnsim: writing the summary files failed\n");
      rc = -1;
    }
  }
  free_state(&rs);
  return rc;
}

const char *const *sim_run_summary_columns(const scenario *s) {
  if (s->analytic.function != SCN_ANALYTIC_NONE) return sim_analytic_summary_columns;
  return s->org.agents > 0 ? org_summary_columns : cluster_summary_columns;
}

int sim_run(const scenario *s, uint64_t seed, sim_output *out, const volatile sig_atomic_t *cancel,
            FILE *err) {
  if (s->analytic.function != SCN_ANALYTIC_NONE) {
    int rc = sim_analytic_run(s, seed, out, err);
    return rc == 0 && out ? sim_summary_json_write(sim_output_staging_dir(out), err) : rc;
  }
  int rc = run(s, seed, out, cancel, NULL, NULL, err);
  return rc == 0 && out ? sim_summary_json_write(sim_output_staging_dir(out), err) : rc;
}

int sim_run_summary(const scenario *s, uint64_t seed, sim_summary *sum, FILE *err) {
  return run(s, seed, NULL, NULL, sum, NULL, err);
}

int sim_run_org_summary(const scenario *s, uint64_t seed, sim_summary *cluster, org_summary *sum,
                        FILE *err) {
  return run(s, seed, NULL, NULL, cluster, sum, err);
}
