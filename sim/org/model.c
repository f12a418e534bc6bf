/* sim/org/model.c - the organisation at work (see model.h and docs/model.md). */
#include "org/model.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "org/behaviour.h"
#include "policies/budget.h"
#include "policies/enforcement.h"
#include "core/event_kinds.h"
#include "policies/kpi.h"

/* What one day adds up to (daily.csv). */
typedef struct day_totals {
  double tokens[SIM_PURPOSES];
  double usd[SIM_PURPOSES];
  double value;
  double value_lost;
  double effort; /* $ of effort agents spent */
  double wait_hours; /* of useful jobs started today */
  uint64_t waits;
  uint64_t useful_rejected;
  uint64_t burners; /* agents who started loops today */
} day_totals;

/* The output of a useful job that ended, waiting to be credited. */
typedef struct pending_credit {
  double value; /* discounted by the job's wait, $ */
  double time;  /* when the job ended */
  uint32_t agent, team;
  uint8_t option;
  float discount; /* the wait's discount of the output */
} pending_credit;

/* Job ends credit their output in batches of up to this many (see settle). */
#define ORG_PENDING_CREDITS 2048
/* Credits ahead of the one being applied whose ledgers are prefetched. */
#define ORG_CREDIT_PREFETCH 8

struct org_model {
  org org;
  scenario current; /* the scenario as switched so far; org.s points here */
  sim_engine *eng;
  sim_cluster *cl;
  double kwh_per_token, kg_co2_per_token;

  const kpi_type *kpi;
  void *kpi_state;
  const budget_type *budget;
  void *budget_state;
  const enforcement_type *enforcement;
  void *enforcement_state;
  const behaviour_type *behaviour;

  double *team_gain;      /* per team: utility of one more $ spent now, per $ */
  double *reward;         /* per agent, scratch for review ends */
  double *review_penalty; /* per agent, scratch for review ends: penalties of the review */
  double *penalty_mark;   /* per agent: penalties when the review began */
  double *scratch;        /* per agent, for sorting */
  uint32_t *burn_day;     /* per agent: 1 + the last day it started loops */
  sim_job_queue *held;    /* per team: jobs held to the next cycle */
  double first_pool;      /* the first cycle's total allocation (fixed pool) */

  int blocks_per_day;
  /* Agents act in cohorts of consecutive indices, one event per cohort and
   * block: at most ORG_COHORTS events wait in the queue for blocks however
   * large the organisation, and a cohort spans a negligible slice of the
   * block (half an hour / ORG_COHORTS at most). */
  uint32_t cohort_size;
  double perceived_wait; /* hours: what agents expect a useful job to wait */
  /* Set while a job is handed to the cluster, and whether the scheduler
   * refused it there and then (org_model_done). */
  int submitting, refused_now;
  int started; /* the behaviour model has started (start_behaviour) */
  int64_t day;           /* the day in progress */
  day_totals today;
  org_summary total;
  double cycle_weeks[ORG_MAX_WEEKS]; /* org spending by week, this cycle */
  /* Statistics cover [window_start, horizon] (warmup_days); the run itself
   * starts at 0.  Periods (days, weeks, reviews, cycles) count when they end
   * after window_start, events (charges, output, blocks) when they happen
   * at or after it. */
  double window_start;
  double spent_closed;               /* team spending in cycles that ended in the window */
  double warmup_spent; /* spent before the window in the cycle running when it opened */
  /* The ledgers the levers write at review ends, per agent, as they stood
   * when the window opened (NULL without warm-up): the files report what
   * was added since, and the ledgers themselves stay as the levers left
   * them. */
  double *penalties_at_window;
  uint32_t *caught_at_window, *badges_at_window;
  double drift_sum, wait_sum;
  uint64_t drift_n, wait_n;

  sim_csv *daily, *teams_csv, *weeks_csv;
  sim_output *out;
  FILE *err; /* the caller's error stream, for failures during the run */
  org_failure failed;

  /* Job ends in a large organisation come in no useful order of agents,
   * and crediting each at once stalls on the agent's ledgers; instead they
   * queue here and are applied in a batch, in the order they happened,
   * before anything reads those ledgers (every org event, the summary and
   * the files), so the result is exactly that of crediting at once. */
  size_t n_pending;
  pending_credit pending[ORG_PENDING_CREDITS];
};

#define ORG_COHORTS 1024

/* ---- levers ----------------------------------------------------------------- */

static void *new_state(size_t size) {
  return calloc(1, size ? size : 1);
}

/* Releases a lever's state (its own free first, if it has one). */
static void release_state(void (*free_fn)(void *), void **state) {
  if (*state && free_fn) free_fn(*state);
  free(*state);
  *state = NULL;
}

static int out_of_memory(FILE *err, const char *what) {
  fprintf(err, "burnsim: out of memory for %s\n", what);
  return -1;
}

/* Each lever: its type from the scenario, a fresh state, init. */
static int restart_enforcement(org_model *m, FILE *err) {
  if (m->enforcement) release_state(m->enforcement->free, &m->enforcement_state);
  m->enforcement = enforcement_at((size_t)m->current.enforcement.type);
  if (!(m->enforcement_state = new_state(m->enforcement->state_size)))
    return out_of_memory(err, "the enforcement lever");
  return m->enforcement->init ? m->enforcement->init(m->enforcement_state, &m->org, err) : 0;
}

static int restart_kpi(org_model *m, FILE *err) {
  if (m->kpi) release_state(m->kpi->free, &m->kpi_state);
  m->kpi = kpi_at((size_t)m->current.kpi.type);
  if (!(m->kpi_state = new_state(m->kpi->state_size))) return out_of_memory(err, "the KPI lever");
  kpi_params kp = {.cfg = &m->current.kpi,
                   .visibility_spread = m->enforcement->visibility_spread(m->enforcement_state, &m->org)};
  return m->kpi->init ? m->kpi->init(m->kpi_state, &m->org, &kp, err) : 0;
}

static int restart_budget(org_model *m, FILE *err) {
  if (m->budget) release_state(m->budget->free, &m->budget_state);
  m->budget = budget_at((size_t)m->current.budget.type);
  if (!(m->budget_state = new_state(m->budget->state_size))) return out_of_memory(err, "the budget lever");
  return m->budget->init ? m->budget->init(m->budget_state, &m->org, err) : 0;
}

/* The behaviour model of the scenario, with the records it keeps. */
static int set_behaviour(org_model *m, FILE *err) {
  m->behaviour = behaviour_at((size_t)m->current.org.behaviour);
  if (m->behaviour->learns && !m->org.agents.learner && org_enable_learning(&m->org) != 0)
    return out_of_memory(err, "learning");
  if (m->behaviour->imitates && !m->org.agents.imitator && org_enable_imitation(&m->org) != 0)
    return out_of_memory(err, "imitation");
  return 0;
}

static int start_levers(org_model *m, FILE *err) {
  if (restart_enforcement(m, err) != 0 || restart_kpi(m, err) != 0 || restart_budget(m, err) != 0) return -1;
  return set_behaviour(m, err);
}

static void stop_levers(org_model *m) {
  if (m->kpi) release_state(m->kpi->free, &m->kpi_state);
  if (m->budget) release_state(m->budget->free, &m->budget_state);
  if (m->enforcement) release_state(m->enforcement->free, &m->enforcement_state);
}

/* ---- what an option is worth ------------------------------------------------- */

/* How much of the forecast error of a cycle's need is still unresolved, as
 * a share of the cycle's need, with `left` of the cycle to run.  By default
 * it resolves evenly over the whole cycle (the share is `left`); with a
 * forecast horizon of H days the forecast stays as uncertain as at planning
 * until the last H days and resolves evenly over them, so a team learns its
 * surplus only near the end.  A horizon of the cycle or longer is the
 * default. */
static double forecast_unresolved(const scn_budget *b, const org *o, double left) {
  double horizon = 24.0 * b->forecast_horizon_days / o->cycle_hours; /* share of the cycle */
  if (horizon <= 0 || horizon >= 1) return left;
  return fmin(1.0, left / horizon);
}

/* The utility of one more $ of team spending now, per $: how it moves the
 * next allocation, minus what it costs the team in money that would carry
 * over (rollover) or in useful work left unfunded if the money runs short.
 * Members forecast the rest of the cycle's need with an error proportional
 * to the time left, or to the time left within the forecast horizon (the
 * unknown is the rate of need, not block-to-block noise), so whether there will be a surplus becomes clear only near the
 * end: that is what makes expiring budgets spike in the last week. */
static void refresh_team_gains(org_model *m, double now) {
  org *o = &m->org;
  const scn_budget *b = &m->current.budget;
  double left = 1.0 - org_cycle_progress(o, now);
  double unresolved = forecast_unresolved(b, o, left);
  for (size_t j = 0; j < o->teams.n; j++) {
    double need_left = o->teams.need[j] * left;
    double surplus = o->teams.budget[j] - o->teams.spent[j] - need_left;
    double spread = b->need_uncertainty * (o->teams.need[j] * unresolved) + 1e-9 * o->teams.need[j] + 1e-12;
    double p_surplus = gsl_cdf_gaussian_P(surplus, spread);
    /* A marginal $ carries over only while the surplus is within the cap;
     * beyond it the money expires as if there were no rollover. */
    double p_carry = 0;
    if (b->unspent == SCN_UNSPENT_ROLLOVER)
      p_carry = p_surplus - gsl_cdf_gaussian_P(surplus - b->rollover_cap * o->teams.allocation[j], spread);
    double shortfall = b->overdraft ? 0.0 : b->shortfall_cost;
    m->team_gain[j] = m->budget->spend_sensitivity(m->budget_state, o, (uint32_t)j) - p_carry -
                      (1 - p_surplus) * shortfall;
  }
}

/* The mean task size (of the task distribution as switched): learning and
 * the behaviours' priors take an option's worth for a task of this size. */
static double mean_task(const org_model *m) {
  const dist_cfg *d = &m->current.work.task_size;
  return fmin(fmax(d->mean, d->min), d->max);
}

/* What `hours` of waiting (for a GPU, or for money) leave of an output. */
static double wait_discount(const org_model *m, double hours) {
  return pow(0.5, hours / m->current.work.wait_half_life_hours);
}

/* The share of a block's output left after minding loops, if it burns. */
static double attention_left(const scn_work *w, int option) {
  return org_option_burns(option) ? 1 - w->burn_attention : 1;
}

/* The effort of a block that took the option as chosen. */
static double option_effort(const scn_work *w, int option) {
  return (org_option_uses_ai(option) ? w->ai_effort : w->manual_effort) +
         (org_option_burns(option) ? w->burn_effort : 0);
}

typedef struct option_terms {
  double value, tokens, usd, effort;
  double pressure_effort; /* the part of effort that pay on measured output adds */
  int burns;
  int loops_go; /* its loops would be charged or held, not refused */
} option_terms;

/* What agent i would expect of each option for a task of size z, knowing
 * its team's budget: a useful job the team cannot pay for is refused (the
 * task is then done by hand, after the effort of trying) or held to the
 * next cycle (its output discounted by the hold), and loops it cannot pay
 * for are refused.  Agents see their team's balance, so they do not keep
 * submitting into an empty budget. */
static void option_terms_of(const org_model *m, uint32_t i, double z, double now, option_terms t[ORG_OPTIONS]) {
  const org *o = &m->org;
  const scn_work *w = &m->current.work;
  const scn_budget *b = &m->current.budget;
  uint32_t team = o->agents.team[i];
  double balance = b->overdraft ? INFINITY : o->teams.budget[team] - o->teams.spent[team];
  int reject = b->on_exhausted == SCN_EXHAUSTED_REJECT;
  double manual = o->agents.skill[i] * z;
  double ai = manual * w->ai_speedup * wait_discount(m, m->perceived_wait);
  double ai_tokens = o->agents.leverage[i] * z;
  double burn_tokens = org_burn_tokens(o, i);
  double ai_usd = ai_tokens * o->usd_per_token, burn_usd = burn_tokens * o->usd_per_token;
  int ai_paid = balance >= ai_usd;
  int pressed = kpi_pressure_on(&m->current.kpi);
  kpi_pressure pressure = pressed ? kpi_pressure_of(o, i) : (kpi_pressure){1, 0, 1};
  double hold = 1;
  if (!ai_paid && !reject) {
    double to_cycle_end = o->cycle_start + o->cycle_hours - now;
    hold = wait_discount(m, fmax(0.0, to_cycle_end));
  }
  for (int k = 0; k < ORG_OPTIONS; k++) {
    int uses_ai = org_option_uses_ai(k), burns = org_option_burns(k);
    double attention = attention_left(w, k);
    int fallback = uses_ai && !ai_paid && reject; /* refused: done by hand */
    double left = balance - (uses_ai && ai_paid ? ai_usd : 0);
    t[k].burns = burns;
    t[k].loops_go = burns && (left >= burn_usd || !reject);
    t[k].value = attention * (!uses_ai || fallback ? manual : ai * (ai_paid ? 1 : hold));
    t[k].tokens = (uses_ai && !fallback ? ai_tokens : 0) + (t[k].loops_go ? burn_tokens : 0);
    t[k].usd = t[k].tokens * o->usd_per_token;
    t[k].effort = option_effort(w, k) + (fallback ? w->manual_effort : 0);
    t[k].pressure_effort = 0;
    if (pressed) {
      t[k].pressure_effort = pressure.effort * t[k].value;
      t[k].effort += t[k].pressure_effort;
      t[k].value *= pressure.real;
    }
  }
}

/* What agent i's loops are worth to it through its team's budget, $: the
 * team's gain per $ times the loops' cost, weighed by its loyalty.  The
 * budget weighs on discretionary spending, the loops; useful spending is
 * the need the budget exists for. */
static double loops_budget_term(const org_model *m, uint32_t i) {
  const org_agents *a = &m->org.agents;
  return a->loyalty_weight[i] * m->team_gain[a->team[i]] * (org_burn_tokens(&m->org, i) * m->org.usd_per_token);
}

/* The utility of each option, and the KPI reward each is expected to bring. */
static void utilities(const org_model *m, uint32_t i, const option_terms t[ORG_OPTIONS], double now,
                      double u[ORG_OPTIONS], double kpi_gain[ORG_OPTIONS]) {
  const org *o = &m->org;
  const org_agents *a = &o->agents;
  double budget_term = loops_budget_term(m, i);
  for (int k = 0; k < ORG_OPTIONS; k++) {
    kpi_gain[k] = m->kpi->gain(m->kpi_state, o, i, t[k].tokens, t[k].usd, t[k].value, now);
    u[k] = a->intrinsic_weight[i] * t[k].value + a->status_weight[i] * kpi_gain[k] - t[k].effort;
    if (t[k].burns) u[k] += a->burn_propensity[i];
    /* Refused loops cost the team nothing and audits never see them. */
    if (t[k].loops_go)
      u[k] += budget_term - a->audit_fear[i] * m->enforcement->risk(m->enforcement_state, o, i, kpi_gain[k]);
  }
}

/* The behaviour model starts from every agent's expected utilities: those
 * of a task of mean size under the levers in force at time now. */
static void start_behaviour(org_model *m, double now) {
  if (!m->behaviour->start) return;
  for (uint32_t i = 0; i < m->org.agents.n; i++) {
    option_terms t[ORG_OPTIONS];
    double u[ORG_OPTIONS], kpi_gain[ORG_OPTIONS];
    option_terms_of(m, i, mean_task(m), now, t);
    utilities(m, i, t, now, u, kpi_gain);
    m->behaviour->start(&m->org, i, u);
  }
}

/* ---- money and jobs ----------------------------------------------------------- */

/* Whether an event at time now is counted. */
static int in_window(const org_model *m, double now) {
  return now >= m->window_start;
}

/* Whether a period (day, week, review, cycle) ending at now is counted. */
static int ends_in_window(const org_model *m, double now) {
  return now > m->window_start;
}

/* Books tokens and dollars to the agent, its team and the day (sign -1
 * takes back a refused job).  The review and team ledgers, which the levers
 * read, take every charge; the run's ledgers only those in the window. */
static void book(org_model *m, uint32_t i, int purpose, double tokens, double usd, double sign, double now) {
  org *o = &m->org;
  org_agents *a = &o->agents;
  uint32_t j = a->team[i];
  tokens *= sign;
  usd *= sign;
  a->review_tokens[i] += tokens;
  a->review_usd[i] += usd;
  o->teams.spent[j] += usd;
  o->teams.week_spent[j] += usd;
  if (purpose == SIM_USEFUL) o->teams.spent_useful[j] += usd;
  if (!in_window(m, now)) {
    m->warmup_spent += usd;
    return;
  }
  (purpose == SIM_USEFUL ? a->tokens_useful : a->tokens_burn)[i] += tokens;
  (purpose == SIM_USEFUL ? a->usd_useful : a->usd_burn)[i] += usd;
  double balance = o->teams.budget[j] - o->teams.spent[j];
  if (balance < m->total.min_balance) m->total.min_balance = balance;
  m->today.tokens[purpose] += tokens;
  m->today.usd[purpose] += usd;
  m->total.tokens[purpose] += tokens;
  m->total.usd[purpose] += usd;
}

/* Output realised by agent i of team `team` (passed in: a job end knows it,
 * and looking it up would touch one more line per job). */
static void realise_value(org_model *m, uint32_t i, uint32_t team, double value, double now) {
  org *o = &m->org;
  o->agents.review_value[i] += value;
  o->teams.value[team] += value;
  if (!in_window(m, now)) return;
  o->agents.value[i] += value;
  m->today.value += value;
  m->total.value += value;
}

/* Applies the queued credits in the order their jobs ended, fetching the
 * ledgers of a credit a few ahead so that the misses overlap. */
static void settle(org_model *m) {
  const org_agents *a = &m->org.agents;
  for (size_t k = 0; k < m->n_pending; k++) {
    if (k + ORG_CREDIT_PREFETCH < m->n_pending) {
      uint32_t ahead = m->pending[k + ORG_CREDIT_PREFETCH].agent;
      __builtin_prefetch(&a->review_value[ahead], 1);
      __builtin_prefetch(&a->value[ahead], 1);
      if (m->behaviour->realised) {
        __builtin_prefetch(&a->intrinsic_weight[ahead]);
        __builtin_prefetch(&a->skill[ahead]);
        __builtin_prefetch(&a->learner[ahead], 1);
      }
    }
    const pending_credit *c = &m->pending[k];
    realise_value(m, c->agent, c->team, c->value, c->time);
    if (in_window(m, c->time)) m->total.useful_jobs_credited++;
    if (m->behaviour->realised) {
      /* Learnt as for a task of mean size, so that one task's size does not
       * pass for the worth of the option. */
      const scn_work *w = &m->current.work;
      double typical =
          a->skill[c->agent] * mean_task(m) * w->ai_speedup * attention_left(w, c->option) * c->discount;
      m->behaviour->realised(&m->org, c->agent, c->option, a->intrinsic_weight[c->agent] * typical);
    }
  }
  m->n_pending = 0;
}

/* A useful job refused: its cost goes to the team's refused ledger, and
 * `lost` (what the organisation lost by it, $) to the totals. */
static void lose_useful(org_model *m, uint32_t team, double usd, double lost, double now) {
  m->org.teams.rejected_useful_usd[team] += usd;
  if (!in_window(m, now)) return;
  m->today.value_lost += lost;
  m->today.useful_rejected++;
  m->total.value_lost += lost;
  m->total.useful_jobs_rejected++;
}

static int can_pay(const org_model *m, uint32_t team, double usd) {
  const org_teams *t = &m->org.teams;
  return m->current.budget.overdraft || t->budget[team] - t->spent[team] >= usd;
}

/* Effort spent by agents, $ of utility (the net value counts it). */
static void book_effort(org_model *m, double effort, double now) {
  if (!in_window(m, now)) return;
  m->today.effort += effort;
  m->total.effort_usd += effort;
}

/* What became of a submitted job. */
typedef enum submit_result { SUBMIT_REFUSED = 0, SUBMIT_CHARGED = 1, SUBMIT_HELD = 2 } submit_result;

/* Charges and submits; SUBMIT_REFUSED when the scheduler refuses it at once
 * (org_model_done has then reversed the charge). */
static submit_result submit_charged(org_model *m, sim_job *job, double now) {
  book(m, job->agent, job->purpose, job->tokens, job->tokens * m->org.usd_per_token, 1, now);
  m->submitting = 1;
  m->refused_now = 0;
  sim_cluster_submit(m->cl, job, now); /* a refusal comes back through org_model_done */
  m->submitting = 0;
  return m->refused_now ? SUBMIT_REFUSED : SUBMIT_CHARGED;
}

/* Submits a job for agent i, if its team can pay; otherwise refuses it or
 * holds it to the next cycle (budget.on_exhausted).  The caller deals with a
 * refused useful job (the task is done by hand). */
static submit_result submit(org_model *m, uint32_t i, int purpose, double tokens, uint32_t fan_out,
                            double value, int option, double now) {
  if (tokens <= 0) return SUBMIT_REFUSED;
  uint32_t team = m->org.agents.team[i];
  double usd = tokens * m->org.usd_per_token;
  int pays = can_pay(m, team, usd);
  if (!pays && m->current.budget.on_exhausted == SCN_EXHAUSTED_REJECT) return SUBMIT_REFUSED;
  sim_job *job = sim_cluster_job_alloc(m->cl);
  if (!job) {
    m->failed = ORG_FAILED_MEMORY;
    sim_engine_stop(m->eng);
    return SUBMIT_REFUSED;
  }
  job->tokens = tokens;
  job->purpose = (uint8_t)purpose;
  job->agent = i;
  job->team = team;
  job->fan_out = fan_out;
  job->option = (uint8_t)option;
  job->value = (float)value;
  job->flags = SIM_JOB_AGENT;
  if (pays) return submit_charged(m, job, now);
  job->submit_time = now; /* when the hold began; the cluster resets it on release */
  sim_job_queue_push(&m->held[team], job);
  return SUBMIT_HELD;
}

void org_model_started(org_model *m, sim_job *job, double now) {
  if (job->purpose != SIM_USEFUL) return;
  double wait = now - job->submit_time;
  /* Agents judge congestion by the useful jobs they see start. */
  m->perceived_wait += 0.01 * (wait - m->perceived_wait);
  if (!in_window(m, now)) return;
  m->today.wait_hours += wait;
  m->today.waits++;
  m->wait_sum += wait;
  m->wait_n++;
}

void org_model_done(org_model *m, sim_job *job, sim_job_status status, double now) {
  if (status == SIM_JOB_REJECTED) {
    double usd = job->tokens * m->org.usd_per_token;
    book(m, job->agent, job->purpose, job->tokens, usd, -1, now);
    /* Refused as it was submitted from a block: the block falls back to
     * work by hand (act).  Refused on release from a hold: the task waited
     * for money and is lost. */
    if (m->submitting)
      m->refused_now = 1;
    else if (job->purpose == SIM_USEFUL)
      lose_useful(m, job->team, usd, job->value, now);
    return;
  }
  if (job->purpose == SIM_USEFUL) {
    double wait = job->start_time - job->submit_time;
    if (m->n_pending == ORG_PENDING_CREDITS) settle(m);
    double discount = wait_discount(m, wait);
    m->pending[m->n_pending++] = (pending_credit){.value = job->value * discount,
                                                  .time = now,
                                                  .agent = job->agent,
                                                  .team = job->team,
                                                  .option = job->option,
                                                  .discount = (float)discount};
  }
}

/* ---- work blocks -------------------------------------------------------------- */

static int is_work_day(const scenario *s, int64_t day) {
  return day % 7 < s->calendar.work_days_per_week;
}

/* Start of agent i's block k on day `day`. */
static double block_time(const org_model *m, uint32_t i, int64_t day, int k) {
  const scn_calendar *c = &m->current.calendar;
  return 24.0 * (double)day + c->start_hour + k * c->block_hours + m->org.agents.block_offset[i];
}

static void schedule_block(org_model *m, sim_event *ev, uint32_t i, int64_t day, int k) {
  while (!is_work_day(&m->current, day)) day++;
  double t = block_time(m, i, day, k);
  ev->arg = (uint64_t)k;
  if (sim_engine_schedule_event(m->eng, ev, t) != 0) {
    m->failed = ORG_FAILED_MEMORY;
    sim_engine_stop(m->eng);
  }
}

/* Agent i's work block at time now. */
static void act(org_model *m, uint32_t i, double now) {
  org *o = &m->org;
  org_agents *a = &o->agents;

  /* Exactly two draws per block (task size, choice), whatever is chosen,
   * so policy arms stay on common random numbers. */
  gsl_rng work = {.type = sim_rng_pcg64, .state = &a->work_rng[i]};
  double z = dist_draw(&m->current.work.task_size, &work);
  double u01 = pcg64_double(&a->choice_rng[i]);

  option_terms t[ORG_OPTIONS];
  double u[ORG_OPTIONS], kpi_gain[ORG_OPTIONS];
  option_terms_of(m, i, z, now, t);
  utilities(m, i, t, now, u, kpi_gain);
  int choice = m->behaviour->choose(o, i, u, u01);
  int counted = in_window(m, now);
  if (counted) {
    m->total.choices[choice]++;
    m->total.blocks++;
  }

  /* What the block realises at once: its effort, output by hand, and for
   * loops the taste for them and, if they went ahead (charged, or held to
   * the next cycle), their worth to the team's budget.  A useful job's
   * output comes when it ends. */
  const scn_work *w = &m->current.work;
  double attention = attention_left(w, choice);
  double effort = option_effort(w, choice);
  /* Pay on measured output changes the work itself (kpi_pressure.c); the
   * agent's effort on it is the one it expected. */
  double skill = a->skill[i];
  if (kpi_pressure_on(&m->current.kpi)) {
    skill *= kpi_pressure_of(o, i).real;
    effort += t[choice].pressure_effort;
  }
  double hand = skill * z * attention; /* the block's output by hand */
  double payoff = 0;
  int by_hand = !org_option_uses_ai(choice);
  if (!by_hand) {
    double ai_tokens = a->leverage[i] * z;
    /* The job carries the undiscounted output; its wait discounts it. */
    double undiscounted = skill * z * w->ai_speedup * attention;
    if (submit(m, i, SIM_USEFUL, ai_tokens, 1, undiscounted, choice, now) == SUBMIT_REFUSED) {
      /* The task is done by hand after all: the organisation loses only
       * what AI would have added, as the agent expected it. */
      by_hand = 1;
      effort += w->manual_effort;
      double expected = undiscounted * wait_discount(m, m->perceived_wait);
      lose_useful(m, a->team[i], ai_tokens * o->usd_per_token, fmax(0.0, expected - hand), now);
    }
  }
  if (by_hand) {
    realise_value(m, i, a->team[i], hand, now);
    /* What the block taught: its output as for a task of mean size. */
    payoff += a->intrinsic_weight[i] * skill * mean_task(m) * attention;
  }
  payoff -= effort;
  book_effort(m, effort, now);
  if (t[choice].burns) {
    payoff += a->burn_propensity[i];
    /* Loops count (for audits and the share of agents burning) only when
     * their tokens were admitted: a team without money burns nothing. */
    if (submit(m, i, SIM_BURN, org_burn_tokens(o, i), (uint32_t)a->fan_out[i], 0, choice, now) !=
        SUBMIT_REFUSED) {
      payoff += loops_budget_term(m, i);
      a->review_burn_blocks[i]++;
      if (counted) {
        m->total.burn_blocks++;
        if (m->burn_day[i] != (uint32_t)(m->day + 1)) {
          m->burn_day[i] = (uint32_t)(m->day + 1);
          m->today.burners++;
        }
      }
    }
  }
  if (m->behaviour->chosen) m->behaviour->chosen(o, i, choice, payoff, kpi_gain[choice]);
}

/* A cohort's work block: its agents act in index order, each with its own
 * random streams, then the cohort's next block is scheduled. */
static void on_block(sim_engine *eng, sim_event *ev, void *ctx) {
  (void)eng;
  org_model *m = ctx;
  settle(m);
  uint32_t first = (uint32_t)ev->subject * m->cohort_size;
  uint32_t last = first + m->cohort_size;
  if (last > m->org.agents.n) last = (uint32_t)m->org.agents.n;
  double now = ev->time;
  for (uint32_t i = first; i < last; i++) act(m, i, now);
  int k = (int)ev->arg + 1;
  int64_t day = (int64_t)floor(now / 24.0);
  if (k >= m->blocks_per_day) {
    k = 0;
    day++;
  }
  schedule_block(m, ev, first, day, k);
}

/* ---- statistics ----------------------------------------------------------------- */

static double ratio(double num, double den) {
  return den > 0 ? num / den : NAN;
}

/* Gini coefficient of x[0..n) (sorted in place), from the ordered sum:
 * G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n, i = 1..n. */
static double gini(double *x, size_t n) {
  if (n == 0) return NAN;
  gsl_sort(x, 1, n);
  double sum = 0, weighted = 0;
  for (size_t i = 0; i < n; i++) {
    sum += x[i];
    weighted += (double)(i + 1) * x[i];
  }
  if (sum <= 0) return 0;
  return 2 * weighted / ((double)n * sum) - ((double)n + 1) / (double)n;
}

static double max_of(const double *x, size_t n) {
  double top = 0;
  for (size_t i = 0; i < n; i++)
    if (x[i] > top) top = x[i];
  return top;
}

/* Budget drift: allocation over need, mean and sd over teams. */
static void drift(const org *o, double *mean, double *sd) {
  size_t m = o->teams.n;
  double sum = 0, sum2 = 0;
  for (size_t j = 0; j < m; j++) {
    double d = ratio(o->teams.allocation[j], o->teams.need[j]);
    sum += d;
    sum2 += d * d;
  }
  *mean = sum / (double)m;
  *sd = m > 1 ? sqrt(fmax(0.0, (sum2 - sum * sum / (double)m) / (double)(m - 1))) : 0;
}

/* ---- files ------------------------------------------------------------------------ */

static const char *const daily_columns[] = {
    "day", "kpi", "budget", "enforcement", "tokens_useful", "tokens_burn", "burn_share",
    "usd_useful", "usd_burn", "kwh", "kg_co2", "value", "value_per_usd", "effort_usd", "net_value",
    "mean_wait_useful_h",
    "useful_jobs_rejected", "value_lost", "share_agents_burning", "top_agent_tokens",
    "gini_tokens", "budget_drift_mean", "budget_drift_sd", NULL};

static void write_daily(org_model *m) {
  org *o = &m->org;
  const day_totals *d = &m->today;
  sim_csv *c = m->daily;
  double tokens = d->tokens[SIM_USEFUL] + d->tokens[SIM_BURN];
  double usd = d->usd[SIM_USEFUL] + d->usd[SIM_BURN];
  memcpy(m->scratch, o->agents.review_tokens, o->agents.n * sizeof *m->scratch);
  double top = max_of(m->scratch, o->agents.n);
  double g = gini(m->scratch, o->agents.n);
  double dm, ds;
  drift(o, &dm, &ds);
  sim_csv_int(c, m->day);
  sim_csv_str(c, m->kpi->name);
  sim_csv_str(c, m->budget->name);
  sim_csv_str(c, m->enforcement->name);
  sim_csv_float(c, d->tokens[SIM_USEFUL]);
  sim_csv_float(c, d->tokens[SIM_BURN]);
  sim_csv_float(c, ratio(d->tokens[SIM_BURN], tokens));
  sim_csv_float(c, d->usd[SIM_USEFUL]);
  sim_csv_float(c, d->usd[SIM_BURN]);
  sim_csv_float(c, tokens * m->kwh_per_token);
  sim_csv_float(c, tokens * m->kg_co2_per_token);
  sim_csv_float(c, d->value);
  sim_csv_float(c, ratio(d->value, usd));
  sim_csv_float(c, d->effort);
  sim_csv_float(c, d->value - usd - d->effort);
  sim_csv_float(c, ratio(d->wait_hours, (double)d->waits));
  sim_csv_uint(c, d->useful_rejected);
  sim_csv_float(c, d->value_lost);
  sim_csv_float(c, (double)d->burners / (double)o->agents.n);
  sim_csv_float(c, top);
  sim_csv_float(c, g);
  sim_csv_float(c, dm);
  sim_csv_float(c, ds);
  sim_csv_end_row(c);
}

static const char *const teams_columns[] = {
    "cycle", "team", "agents", "need", "allocation", "budget", "spent", "spent_useful",
    "spent_burn", "unspent", "drift", "value", "rejected_useful_usd", NULL};

static void write_team_cycle(org_model *m, size_t j) {
  const org_teams *t = &m->org.teams;
  sim_csv *c = m->teams_csv;
  if (!c) return;
  sim_csv_uint(c, m->org.cycle_index);
  sim_csv_uint(c, j);
  sim_csv_uint(c, t->size[j]);
  sim_csv_float(c, t->need[j]);
  sim_csv_float(c, t->allocation[j]);
  sim_csv_float(c, t->budget[j]);
  sim_csv_float(c, t->spent[j]);
  sim_csv_float(c, t->spent_useful[j]);
  sim_csv_float(c, t->spent[j] - t->spent_useful[j]);
  sim_csv_float(c, t->budget[j] - t->spent[j]);
  sim_csv_float(c, ratio(t->allocation[j], t->need[j]));
  sim_csv_float(c, t->value[j]);
  sim_csv_float(c, t->rejected_useful_usd[j]);
  sim_csv_end_row(c);
}

static const char *const weeks_columns[] = {"cycle", "week", "team", "spent", NULL};

static const char *const agents_columns[] = {
    "agent", "team", "skill", "leverage", "salary", "status_weight", "intrinsic_weight",
    "loyalty_weight", "burn_rate", "fan_out", "audit_fear", "burn_propensity", "tokens_useful",
    "tokens_burn", "usd_useful", "usd_burn", "value", "kpi_reward", "penalties", "badges",
    "caught", NULL};

/* Agent i's audit penalties in the statistics window. */
static double window_penalties(const org_model *m, size_t i) {
  return m->org.agents.penalties[i] - (m->penalties_at_window ? m->penalties_at_window[i] : 0);
}

static int write_agents(org_model *m, FILE *err) {
  const org_agents *a = &m->org.agents;
  sim_csv *c = sim_output_csv(m->out, "agents.csv", agents_columns, err);
  if (!c) return -1;
  for (size_t i = 0; i < a->n; i++) {
    sim_csv_uint(c, i);
    sim_csv_uint(c, a->team[i]);
    const float *traits[] = {a->skill,     a->leverage, a->salary,     a->status_weight,
                             a->intrinsic_weight, a->loyalty_weight, a->burn_rate, a->fan_out,
                             a->audit_fear, a->burn_propensity};
    for (size_t k = 0; k < sizeof traits / sizeof traits[0]; k++) sim_csv_float(c, traits[k][i]);
    sim_csv_float(c, a->tokens_useful[i]);
    sim_csv_float(c, a->tokens_burn[i]);
    sim_csv_float(c, a->usd_useful[i]);
    sim_csv_float(c, a->usd_burn[i]);
    sim_csv_float(c, a->value[i]);
    sim_csv_float(c, a->kpi_reward[i]);
    sim_csv_float(c, window_penalties(m, i));
    sim_csv_uint(c, a->badges[i] - (m->badges_at_window ? m->badges_at_window[i] : 0));
    sim_csv_uint(c, a->caught[i] - (m->caught_at_window ? m->caught_at_window[i] : 0));
    sim_csv_end_row(c);
  }
  return sim_csv_close(c);
}

/* ---- reviews, cycles, days ----------------------------------------------------------- */

static void review_end(org_model *m, double now) {
  org *o = &m->org;
  org_agents *a = &o->agents;
  size_t n = a->n;
  memset(m->reward, 0, n * sizeof *m->reward);
  pcg64_t measure, audit, peers;
  gsl_rng r_measure = {.type = sim_rng_pcg64, .state = &measure};
  gsl_rng r_audit = {.type = sim_rng_pcg64, .state = &audit};
  gsl_rng r_peers = {.type = sim_rng_pcg64, .state = &peers};
  sim_rng_stream_seed(&r_measure, o->seed, o->review_index, SIM_RNG_MEASURE);
  sim_rng_stream_seed(&r_audit, o->seed, o->review_index, SIM_RNG_AUDIT);
  sim_rng_stream_seed(&r_peers, o->seed, o->review_index, SIM_RNG_IMITATION);

  int counted = ends_in_window(m, now);
  m->kpi->review_end(m->kpi_state, o, m->reward, &r_measure);
  if (m->enforcement->review_end) m->enforcement->review_end(m->enforcement_state, o, m->reward, &r_audit);
  if (counted) {
    double top = max_of(a->review_tokens, n);
    if (top > m->total.top_agent_tokens) m->total.top_agent_tokens = top;
  } else if (m->penalties_at_window) {
    memcpy(m->penalties_at_window, a->penalties, n * sizeof *a->penalties);
    memcpy(m->caught_at_window, a->caught, n * sizeof *a->caught);
    memcpy(m->badges_at_window, a->badges, n * sizeof *a->badges);
  }
  /* A review's payoff in money: reward and output, less penalties. */
  for (size_t i = 0; i < n; i++) {
    if (counted) {
      a->kpi_reward[i] += m->reward[i];
      m->total.kpi_rewards += m->reward[i];
    }
    m->review_penalty[i] = a->penalties[i] - m->penalty_mark[i];
    m->penalty_mark[i] = a->penalties[i];
    m->scratch[i] = m->reward[i] + a->review_value[i] - m->review_penalty[i];
  }
  behaviour_review review = {.reward = m->reward, .penalty = m->review_penalty, .payoff = m->scratch};
  if (m->behaviour->review_end) m->behaviour->review_end(o, &review, &r_peers);
  for (size_t i = 0; i < n; i++) {
    a->review_tokens[i] = a->review_usd[i] = a->review_value[i] = 0;
    a->review_burn_blocks[i] = 0;
  }
  o->review_index++;
  o->review_start = now;
}

static void submit_held(org_model *m, double now) {
  for (size_t j = 0; j < m->org.teams.n; j++) {
    sim_job_queue *q = &m->held[j];
    while (q->head && can_pay(m, (uint32_t)j, q->head->tokens * m->org.usd_per_token)) {
      sim_job *job = sim_job_queue_pop(q);
      /* Waiting for money delays the output like waiting for a GPU does. */
      double held = now - job->submit_time;
      job->value = (float)(job->value * wait_discount(m, held));
      /* The job is gone once refused: keep what its loss needs. */
      int useful = job->purpose == SIM_USEFUL;
      double usd = job->tokens * m->org.usd_per_token, value = job->value;
      if (submit_charged(m, job, now) == SUBMIT_REFUSED && useful) lose_useful(m, (uint32_t)j, usd, value, now);
    }
  }
}

static void cycle_end(org_model *m, double now) {
  org *o = &m->org;
  org_teams *t = &o->teams;
  size_t n = t->n;
  int counted = ends_in_window(m, now);
  if (counted) {
    for (size_t j = 0; j < n; j++) {
      m->spent_closed += t->spent[j];
      write_team_cycle(m, j);
      m->drift_sum += ratio(t->allocation[j], t->need[j]);
      m->drift_n++;
    }
  } else {
    m->warmup_spent = 0; /* that spending closed with its cycle */
  }
  double *next = m->scratch; /* at least as long as teams: agents >= teams */
  m->budget->allocate(m->budget_state, o, next);
  double sum = 0;
  for (size_t j = 0; j < n; j++) sum += next[j];
  double scale = (m->current.budget.pool == SCN_POOL_FIXED && sum > 0) ? m->first_pool / sum : 1.0;
  const scn_budget *b = &m->current.budget;
  for (size_t j = 0; j < n; j++) {
    double unspent = fmax(0.0, t->budget[j] - t->spent[j]);
    double carry = b->unspent == SCN_UNSPENT_ROLLOVER ? fmin(unspent, b->rollover_cap * t->allocation[j]) : 0;
    t->allocation[j] = next[j] * scale;
    t->budget[j] = t->allocation[j] + carry;
    t->spent[j] = t->spent_useful[j] = t->value[j] = t->rejected_useful_usd[j] = 0;
  }
  /* Only whole cycles enter the week-by-week profile. */
  size_t weeks = (size_t)((m->current.calendar.budget_cycle_days + 6) / 7);
  if (weeks > ORG_MAX_WEEKS) weeks = ORG_MAX_WEEKS;
  if (counted) {
    for (size_t w = 0; w < weeks; w++) m->total.week_spend[w] += m->cycle_weeks[w];
    m->total.weeks_per_cycle = weeks;
    m->total.cycles++;
  }
  memset(m->cycle_weeks, 0, sizeof m->cycle_weeks);
  o->cycle_index++;
  o->cycle_start = now;
  submit_held(m, now);
}

/* Closes week `week` of the cycle at time now (its rows are written when it
 * ends in the window). */
static void write_weeks(org_model *m, int64_t week, double now) {
  org_teams *t = &m->org.teams;
  if (week < ORG_MAX_WEEKS)
    for (size_t j = 0; j < t->n; j++) m->cycle_weeks[week] += t->week_spent[j];
  int counted = ends_in_window(m, now);
  for (size_t j = 0; j < t->n; j++) {
    if (m->weeks_csv && counted) {
      sim_csv_uint(m->weeks_csv, m->org.cycle_index);
      sim_csv_int(m->weeks_csv, week);
      sim_csv_uint(m->weeks_csv, j);
      sim_csv_float(m->weeks_csv, t->week_spent[j]);
      sim_csv_end_row(m->weeks_csv);
    }
    t->week_spent[j] = 0;
  }
}

/* Reports on err which switch of `day` failed: its index, day and change. */
static int switch_failed(FILE *err, const scenario *s, size_t k, const char *what) {
  fprintf(err, "burnsim: switches.[%zu] on day %lld (set = \"%s\"): %s\n", k, (long long)s->switches[k].day,
          s->switches[k].set, what);
  return -1;
}

/* Reports on err that restarting `lever` for the switches of `day` failed,
 * naming each of them. */
static int restart_failed(FILE *err, const scenario *s, int64_t day, const char *lever) {
  for (size_t k = 0; k < s->n_switches; k++)
    if (s->switches[k].day == day) switch_failed(err, s, k, lever);
  return -1;
}

/* Switches due at the start of `day`: each override is applied to the
 * running scenario (all were checked when the scenario loaded, but a
 * scenario built in code skips the loader).  A lever whose settings changed
 * restarts under them (the KPI also when the enforcement changed, since
 * secrecy shapes what agents see); the others keep their state.  Ledgers,
 * budgets and standings carry on.  Returns 0, or -1 with a message on err
 * naming the switch. */
static int apply_switches(org_model *m, int64_t day, double now, FILE *err) {
  /* Most days have no switch: look before copying the whole scenario. */
  size_t due = 0;
  while (due < m->current.n_switches && m->current.switches[due].day != day) due++;
  if (due == m->current.n_switches) return 0;
  scenario before = m->current;
  int applied = 0;
  for (size_t k = due; k < m->current.n_switches; k++) {
    if (m->current.switches[k].day != day) continue;
    char text[SCN_SWITCH_LEN];
    memcpy(text, m->current.switches[k].set, sizeof text);
    if (scenario_apply(&m->current, text, err) != 0)
      return switch_failed(err, &m->current, k, "the change could not be applied");
    applied = 1;
  }
  if (!applied) return 0;
  const scenario *s = &m->current;
  int enforcement = memcmp(&before.enforcement, &s->enforcement, sizeof s->enforcement) != 0;
  int kpi = enforcement || memcmp(&before.kpi, &s->kpi, sizeof s->kpi) != 0;
  int budget = memcmp(&before.budget, &s->budget, sizeof s->budget) != 0;
  if (enforcement && restart_enforcement(m, err) != 0)
    return restart_failed(err, s, day, "restarting the enforcement lever failed");
  if (kpi && restart_kpi(m, err) != 0) return restart_failed(err, s, day, "restarting the KPI lever failed");
  if (budget && restart_budget(m, err) != 0)
    return restart_failed(err, s, day, "restarting the budget lever failed");
  const behaviour_type *was = m->behaviour;
  if (set_behaviour(m, err) != 0) return restart_failed(err, s, day, "setting up the behaviour model failed");
  refresh_team_gains(m, now);
  if (m->behaviour != was && m->started) start_behaviour(m, now);
  return 0;
}

static void on_day(sim_engine *eng, sim_event *ev, void *ctx) {
  org_model *m = ctx;
  settle(m);
  org *o = &m->org;
  const scn_calendar *c = &m->current.calendar;
  double now = ev->time;
  int64_t day_in_cycle = m->day - (int64_t)llround(o->cycle_start / 24.0);
  int cycle_ends = (m->day + 1) % c->budget_cycle_days == 0;

  if (m->daily && ends_in_window(m, now)) write_daily(m);
  /* What happens from here on, at midnight (jobs released at a cycle's
   * start, say), belongs to the new day. */
  memset(&m->today, 0, sizeof m->today);
  if (m->kpi->day_end) m->kpi->day_end(m->kpi_state, o, now);
  if (day_in_cycle % 7 == 6 || cycle_ends) write_weeks(m, day_in_cycle / 7, now);
  if ((m->day + 1) % c->review_days == 0) review_end(m, now);
  if (cycle_ends) cycle_end(m, now);
  refresh_team_gains(m, now);
  m->day++;
  if (apply_switches(m, m->day, now, m->err) != 0) {
    m->failed = ORG_FAILED_REPORTED;
    sim_engine_stop(eng);
    return;
  }
  if (sim_engine_schedule_event(eng, ev, now + 24.0) != 0) {
    m->failed = ORG_FAILED_MEMORY;
    sim_engine_stop(eng);
  }
}

/* ---- life cycle ------------------------------------------------------------------------- */

static void free_model(org_model *m) {
  stop_levers(m);
  org_free(&m->org);
  free(m->team_gain);
  free(m->reward);
  free(m->review_penalty);
  free(m->penalty_mark);
  free(m->penalties_at_window);
  free(m->caught_at_window);
  free(m->badges_at_window);
  free(m->scratch);
  free(m->burn_day);
  free(m->held);
  free(m);
}

void org_model_free(org_model *m) {
  if (!m) return;
  if (m->daily) sim_csv_close(m->daily);
  if (m->teams_csv) sim_csv_close(m->teams_csv);
  if (m->weeks_csv) sim_csv_close(m->weeks_csv);
  free_model(m);
}

org_model *org_model_create(const scenario *s, uint64_t seed, sim_engine *eng, sim_cluster *cl,
                            const sim_cost_model *cost, sim_output *out, FILE *err) {
  org_model *m = calloc(1, sizeof *m);
  if (!m) goto oom;
  m->current = *s;
  m->total.min_balance = INFINITY;
  m->window_start = s->warmup_days * 24.0;
  m->eng = eng;
  m->cl = cl;
  m->out = out;
  m->err = err;
  /* Cost, energy and carbon are linear in tokens: price a million once. */
  sim_job probe = {.tokens = 1e6, .fan_out = 1};
  sim_price unit = sim_cost_price_job(cost, &probe, sim_cluster_replica_tokens_per_hour(cl),
                                      sim_cluster_gpus_per_replica(cl));
  m->kwh_per_token = unit.kwh / 1e6;
  m->kg_co2_per_token = unit.kg_co2 / 1e6;
  if (org_init(&m->org, &m->current, seed, unit.usd / 1e6, err) != 0) {
    free(m);
    return NULL;
  }
  size_t n = m->org.agents.n, teams = m->org.teams.n;
  m->team_gain = calloc(teams, sizeof *m->team_gain);
  m->reward = calloc(n, sizeof *m->reward);
  m->review_penalty = calloc(n, sizeof *m->review_penalty);
  m->penalty_mark = calloc(n, sizeof *m->penalty_mark);
  m->scratch = calloc(n, sizeof *m->scratch);
  m->burn_day = calloc(n, sizeof *m->burn_day);
  m->held = calloc(teams, sizeof *m->held);
  if (!m->team_gain || !m->reward || !m->review_penalty || !m->penalty_mark || !m->scratch || !m->burn_day ||
      !m->held)
    goto oom_free;
  if (m->window_start > 0) {
    m->penalties_at_window = calloc(n, sizeof *m->penalties_at_window);
    m->caught_at_window = calloc(n, sizeof *m->caught_at_window);
    m->badges_at_window = calloc(n, sizeof *m->badges_at_window);
    if (!m->penalties_at_window || !m->caught_at_window || !m->badges_at_window) goto oom_free;
  }
  if (start_levers(m, err) != 0) {
    free_model(m);
    return NULL;
  }
  for (size_t j = 0; j < teams; j++) m->first_pool += m->org.teams.allocation[j];
  const scn_calendar *c = &s->calendar;
  m->blocks_per_day = (int)floor(c->hours_per_day / c->block_hours + 1e-9);
  refresh_team_gains(m, 0);

  if (out) {
    m->daily = sim_output_csv(out, "daily.csv", daily_columns, err);
    m->teams_csv = sim_output_csv(out, "teams.csv", teams_columns, err);
    m->weeks_csv = sim_output_csv(out, "team_weeks.csv", weeks_columns, err);
    if (!m->daily || !m->teams_csv || !m->weeks_csv) {
      org_model_free(m);
      return NULL;
    }
  }
  if (apply_switches(m, 0, 0, err) != 0) {
    org_model_free(m);
    return NULL;
  }
  start_behaviour(m, 0);
  m->started = 1;
  if (sim_engine_on(eng, SIM_EV_WORK_BLOCK, on_block, m) != 0 ||
      sim_engine_on(eng, SIM_EV_ORG_DAY, on_day, m) != 0)
    goto oom_free;
  int ok = sim_engine_schedule(eng, SIM_EV_ORG_DAY, 24.0, 0, 0) != NULL;
  /* Day 0 is a work day (a week has at least one). */
  m->cohort_size = (uint32_t)((n + ORG_COHORTS - 1) / ORG_COHORTS);
  for (uint32_t c = 0; (size_t)c * m->cohort_size < n && ok; c++)
    ok = sim_engine_schedule(eng, SIM_EV_WORK_BLOCK, block_time(m, c * m->cohort_size, 0, 0), c, 0) != NULL;
  if (!ok) goto oom_free;
  return m;
oom_free:
  org_model_free(m);
oom:
  fprintf(err, "burnsim: out of memory for the organisation\n");
  return NULL;
}

const char *const org_summary_columns[] = {
    "agents", "teams", "days", "kpi", "budget", "unspent", "enforcement", "behaviour",
    "tokens_useful", "tokens_burn", "burn_share", "usd_useful", "usd_burn", "kwh", "kg_co2",
    "value", "value_per_usd", "effort_usd", "net_value", "value_lost", "value_held", "useful_jobs_rejected",
    "mean_wait_useful_h",
    "blocks", "burn_blocks", "kpi_rewards", "penalties", "top_agent_tokens", "gini_tokens",
    "budget_drift_mean", "bytes_per_agent", NULL};

static int write_summary(org_model *m, FILE *err) {
  org_summary sum;
  org_model_summary(m, &sum);
  sim_csv *c = sim_output_csv(m->out, "summary.csv", org_summary_columns, err);
  if (!c) return -1;
  const scenario *s = &m->current;
  sim_csv_uint(c, sum.agents);
  sim_csv_uint(c, sum.teams);
  sim_csv_float(c, s->days);
  sim_csv_str(c, m->kpi->name);
  sim_csv_str(c, m->budget->name);
  sim_csv_str(c, s->budget.unspent == SCN_UNSPENT_ROLLOVER ? "rollover" : "use_it_or_lose_it");
  sim_csv_str(c, m->enforcement->name);
  sim_csv_str(c, m->behaviour->name);
  sim_csv_float(c, sum.tokens[SIM_USEFUL]);
  sim_csv_float(c, sum.tokens[SIM_BURN]);
  sim_csv_float(c, sum.burn_share);
  sim_csv_float(c, sum.usd[SIM_USEFUL]);
  sim_csv_float(c, sum.usd[SIM_BURN]);
  sim_csv_float(c, sum.kwh[SIM_USEFUL] + sum.kwh[SIM_BURN]);
  sim_csv_float(c, sum.kg_co2[SIM_USEFUL] + sum.kg_co2[SIM_BURN]);
  sim_csv_float(c, sum.value);
  sim_csv_float(c, sum.value_per_usd);
  sim_csv_float(c, sum.effort_usd);
  sim_csv_float(c, sum.net_value);
  sim_csv_float(c, sum.value_lost);
  sim_csv_float(c, sum.value_held);
  sim_csv_uint(c, sum.useful_jobs_rejected);
  sim_csv_float(c, sum.mean_wait_useful_h);
  sim_csv_uint(c, sum.blocks);
  sim_csv_uint(c, sum.burn_blocks);
  sim_csv_float(c, sum.kpi_rewards);
  sim_csv_float(c, sum.penalties);
  sim_csv_float(c, sum.top_agent_tokens);
  sim_csv_float(c, sum.gini_tokens);
  sim_csv_float(c, sum.budget_drift_mean);
  sim_csv_float(c, sum.bytes_per_agent);
  sim_csv_end_row(c);
  return sim_csv_close(c);
}

org_failure org_model_failed(const org_model *m) {
  return m->failed;
}

int org_model_finish(org_model *m, FILE *err) {
  settle(m);
  int rc = 0;
  sim_csv **files[] = {&m->daily, &m->teams_csv, &m->weeks_csv};
  for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
    if (*files[k] && sim_csv_close(*files[k]) != 0) rc = -1;
    *files[k] = NULL;
  }
  if (m->out && (write_agents(m, err) != 0 || write_summary(m, err) != 0)) rc = -1;
  if (rc != 0) fprintf(err, "burnsim: writing the organisation's files failed\n");
  return rc;
}

void org_model_summary(org_model *m, org_summary *sum) {
  settle(m);
  const org *o = &m->org;
  *sum = m->total;
  sum->agents = o->agents.n;
  sum->teams = o->teams.n;
  double tokens = sum->tokens[SIM_USEFUL] + sum->tokens[SIM_BURN];
  double usd = sum->usd[SIM_USEFUL] + sum->usd[SIM_BURN];
  for (int p = 0; p < SIM_PURPOSES; p++) {
    sum->kwh[p] = sum->tokens[p] * m->kwh_per_token;
    sum->kg_co2[p] = sum->tokens[p] * m->kg_co2_per_token;
  }
  sum->burn_share = ratio(sum->tokens[SIM_BURN], tokens);
  sum->value_per_usd = ratio(sum->value, usd);
  sum->net_value = sum->value - usd - sum->effort_usd;
  sum->mean_wait_useful_h = ratio(m->wait_sum, (double)m->wait_n);
  double top = max_of(o->agents.review_tokens, o->agents.n);
  if (top > sum->top_agent_tokens) sum->top_agent_tokens = top;
  /* Useful work still held for lack of money at the horizon never ran. */
  sum->value_held = 0;
  for (size_t j = 0; j < o->teams.n; j++)
    for (const sim_job *job = m->held[j].head; job; job = job->next)
      if (job->purpose == SIM_USEFUL) sum->value_held += job->value;
  double *x = m->scratch;
  for (size_t i = 0; i < o->agents.n; i++) x[i] = o->agents.tokens_useful[i] + o->agents.tokens_burn[i];
  sum->gini_tokens = gini(x, o->agents.n);
  double now_mean, now_sd;
  drift(o, &now_mean, &now_sd);
  /* Over the cycles that ended; the current one when none has. */
  sum->budget_drift_mean = m->drift_n ? m->drift_sum / (double)m->drift_n : now_mean;
  sum->penalties = sum->agents_spent = sum->agents_value = 0;
  for (size_t i = 0; i < o->agents.n; i++) {
    sum->penalties += window_penalties(m, i);
    sum->agents_spent += o->agents.usd_useful[i] + o->agents.usd_burn[i];
    sum->agents_value += o->agents.value[i];
  }
  sum->teams_spent = m->spent_closed - m->warmup_spent;
  for (size_t j = 0; j < o->teams.n; j++) sum->teams_spent += o->teams.spent[j];
  sum->usd_per_token = o->usd_per_token;
  sum->bytes_per_agent = (double)org_bytes_per_agent(o);
  sum->traits_digest = sum->work_digest = 0;
  const org_agents *a = &o->agents;
  for (size_t i = 0; i < a->n; i++) {
    const float t[] = {a->skill[i],     a->leverage[i],  a->salary[i],          a->status_weight[i],
                       a->intrinsic_weight[i], a->loyalty_weight[i], a->burn_rate[i], a->fan_out[i],
                       a->audit_fear[i], a->team[i]};
    for (size_t k = 0; k < sizeof t / sizeof t[0]; k++) {
      uint32_t bits;
      memcpy(&bits, &t[k], sizeof bits);
      sum->traits_digest = sim_rng_mix64(sum->traits_digest ^ bits);
    }
    sum->work_digest = sim_rng_mix64(sum->work_digest ^ (uint64_t)a->work_rng[i].state ^
                                     (uint64_t)(a->work_rng[i].state >> 64));
  }
}
