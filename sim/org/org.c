/* sim/org/org.c - building the organisation: arrays, traits, teams.
 *
 * Random streams (docs/rng.md): agent i's traits come from stream
 * (seed, i, SIM_RNG_TRAITS), its block offsets and task sizes from
 * (seed, i, SIM_RNG_WORK), its choices from (seed, i, SIM_RNG_CHOICE); team
 * sizes from (seed, 0, SIM_RNG_ORG).  No policy lever draws from these, so
 * two arms of a comparison see the same people doing the same tasks.
 */
#include "org/org.h"

#include <gsl/gsl_math.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/cancel.h"
#include "core/distribution.h"
#include "cluster/job.h"

/* Every per-agent array, for allocation, freeing and the memory figure. */
#define AGENT_ARRAYS(X)                                                                           \
  X(team, 1) X(skill, 1) X(leverage, 1) X(salary, 1) X(status_weight, 1) X(intrinsic_weight, 1) \
  X(loyalty_weight, 1) X(burn_rate, 1) X(fan_out, 1) X(audit_fear, 1) X(burn_propensity, 1)     \
  X(review_tokens, 1) X(review_usd, 1) X(review_value, 1) X(review_burn_blocks, 1)              \
  X(tokens_useful, 1) X(tokens_burn, 1) X(usd_useful, 1) X(usd_burn, 1) X(value, 1)             \
  X(kpi_reward, 1) X(penalties, 1) X(badges, 1) X(caught, 1) X(work_rng, 1) X(choice_rng, 1)    \
  X(block_offset, 1)

#define TEAM_ARRAYS(X)                                                                         \
  X(size) X(need) X(allocation) X(budget) X(spent) X(spent_useful) X(value) X(week_spent) \
  X(rejected_useful_usd)

static void free_arrays(org *o) {
#define FREE_AGENT(name, k) free(o->agents.name);
  AGENT_ARRAYS(FREE_AGENT)
#undef FREE_AGENT
  free(o->agents.learner);
  free(o->agents.imitator);
  free(o->agents.next_habit);
#define FREE_TEAM(name) free(o->teams.name);
  TEAM_ARRAYS(FREE_TEAM)
#undef FREE_TEAM
}

void org_free(org *o) {
  free_arrays(o);
  memset(o, 0, sizeof *o);
}

size_t org_bytes_per_agent(const org *o) {
  size_t bytes = 0;
#define SIZE_AGENT(name, k) bytes += k * sizeof *o->agents.name;
  AGENT_ARRAYS(SIZE_AGENT)
#undef SIZE_AGENT
  if (o->agents.learner) bytes += sizeof *o->agents.learner;
  if (o->agents.imitator) bytes += sizeof *o->agents.imitator;
  return bytes;
}

/* A view of a raw PCG stream as a gsl_rng, so gsl_ran_* can draw from it
 * without an allocation per agent. */
static gsl_rng stream_view(pcg64_t *state) {
  return (gsl_rng){.type = sim_rng_pcg64, .state = state};
}

static void seed_stream(pcg64_t *state, uint64_t seed, uint64_t entity, uint32_t purpose) {
  gsl_rng view = stream_view(state);
  sim_rng_stream_seed(&view, seed, entity, purpose);
}

/* Team sizes in proportion to draws from org.team_size, each team at least
 * one agent, summing to n (largest remainders get the leftovers). */
static int draw_team_sizes(org *o, uint64_t seed) {
  size_t m = o->teams.n, n = o->agents.n;
  double *w = malloc(m * sizeof *w);
  if (!w) return -1;
  pcg64_t state;
  seed_stream(&state, seed, 0, SIM_RNG_ORG);
  gsl_rng r = stream_view(&state);
  double total = 0;
  for (size_t j = 0; j < m; j++) total += w[j] = fmax(dist_draw(&o->s->org.team_size, &r), 1e-12);
  size_t assigned = 0;
  for (size_t j = 0; j < m; j++) {
    double share = w[j] / total * (double)(n - m); /* one each is given below */
    o->teams.size[j] = 1 + (uint32_t)floor(share);
    w[j] = share - floor(share);
    assigned += o->teams.size[j];
  }
  while (assigned < n) { /* hand the remainder to the largest fractions */
    size_t best = 0;
    for (size_t j = 1; j < m; j++)
      if (w[j] > w[best]) best = j;
    o->teams.size[best]++;
    w[best] = -1;
    assigned++;
  }
  free(w);
  return 0;
}

/* Returns -1 if a stop was requested meanwhile (cancel.h): for millions of
 * agents this takes seconds. */
static int draw_traits(org *o, uint64_t seed) {
  const scn_traits *t = &o->s->traits;
  org_agents *a = &o->agents;
  for (size_t i = 0; i < a->n; i++) {
    if ((i & 0xffff) == 0 && sim_cancelled()) return -1;
    pcg64_t state;
    seed_stream(&state, seed, i, SIM_RNG_TRAITS);
    gsl_rng r = stream_view(&state);
    a->skill[i] = (float)dist_draw(&t->skill, &r);
    a->leverage[i] = (float)dist_draw(&t->leverage, &r);
    a->salary[i] = (float)dist_draw(&t->salary, &r);
    a->status_weight[i] = (float)dist_draw(&t->status_weight, &r);
    a->intrinsic_weight[i] = (float)dist_draw(&t->intrinsic_weight, &r);
    a->loyalty_weight[i] = (float)dist_draw(&t->loyalty_weight, &r);
    a->burn_rate[i] = (float)dist_draw(&t->burn_rate, &r);
    /* A whole number of loops, within what one job can run as. */
    a->fan_out[i] = (float)fmin(SIM_MAX_FAN_OUT, fmax(1.0, round(dist_draw(&t->fan_out, &r))));
    a->audit_fear[i] = (float)dist_draw(&t->audit_fear, &r);
    a->burn_propensity[i] = (float)dist_draw(&t->burn_propensity, &r);

    seed_stream(&a->work_rng[i], seed, i, SIM_RNG_WORK);
    seed_stream(&a->choice_rng[i], seed, i, SIM_RNG_CHOICE);
    /* Spread block starts over the first part of the block, so that
     * thousands of agents do not submit at the same instant.  Offsets grow
     * with the agent's index (with jitter inside its own slice), so agents
     * act in index order and the per-agent arrays are read sequentially. */
    double slice = fmin(o->s->calendar.block_hours, 1.0) * 0.5 / (double)a->n;
    a->block_offset[i] = (float)(slice * ((double)i + pcg64_double(&a->work_rng[i])));
  }
  return 0;
}

double org_blocks_per_review(const org *o) {
  const scn_calendar *c = &o->s->calendar;
  double blocks_per_day = floor(c->hours_per_day / c->block_hours + 1e-9);
  return blocks_per_day * (double)c->review_days * (double)c->work_days_per_week / 7.0;
}

double org_expected_ai_tokens(const org *o, uint32_t agent) {
  return o->agents.leverage[agent] * o->s->work.task_size.mean;
}

double org_burn_tokens(const org *o, uint32_t agent) {
  const org_agents *a = &o->agents;
  return (double)a->burn_rate[agent] * o->s->work.burn_loop_hours * a->fan_out[agent];
}

double org_review_progress(const org *o, double now) {
  return GSL_MIN(1.0, GSL_MAX(0.0, (now - o->review_start) / o->review_hours));
}

double org_cycle_progress(const org *o, double now) {
  return GSL_MIN(1.0, GSL_MAX(0.0, (now - o->cycle_start) / o->cycle_hours));
}

int org_init(org *o, const scenario *s, uint64_t seed, double usd_per_token, FILE *err) {
  memset(o, 0, sizeof *o);
  o->s = s;
  o->seed = seed;
  o->usd_per_token = usd_per_token;
  o->review_hours = 24.0 * (double)s->calendar.review_days;
  o->cycle_hours = 24.0 * (double)s->calendar.budget_cycle_days;
  size_t n = (size_t)s->org.agents, m = (size_t)s->org.teams;
  if (m > n) m = n; /* every team has a member (the scenario checks it when there are agents) */
  o->agents.n = n;
  o->teams.n = m;
  int ok = 1;
#define ALLOC_AGENT(name, k) ok &= (o->agents.name = calloc(k * n, sizeof *o->agents.name)) != NULL;
  AGENT_ARRAYS(ALLOC_AGENT)
#undef ALLOC_AGENT
#define ALLOC_TEAM(name) ok &= (o->teams.name = calloc(m, sizeof *o->teams.name)) != NULL;
  TEAM_ARRAYS(ALLOC_TEAM)
#undef ALLOC_TEAM
  if (ok && draw_team_sizes(o, seed) != 0) ok = 0;
  if (!ok) {
    fprintf(err, "burnsim: out of memory for %zu agents in %zu teams\n", n, m);
    org_free(o);
    return -1;
  }
  for (size_t j = 0, i = 0; j < m; j++)
    for (uint32_t k = 0; k < o->teams.size[j]; k++) o->agents.team[i++] = (uint32_t)j;
  if (draw_traits(o, seed) != 0) { /* stopped: the caller says so */
    org_free(o);
    return -1;
  }

  /* A team's need: what its members' AI-assisted work costs in a cycle if
   * every block were AI-assisted; the first allocation covers it with a
   * margin (budget.initial_ratio). */
  double blocks_per_cycle = org_blocks_per_review(o) * (double)s->calendar.budget_cycle_days /
                            (double)s->calendar.review_days;
  for (size_t i = 0; i < n; i++)
    o->teams.need[o->agents.team[i]] += org_expected_ai_tokens(o, (uint32_t)i) * usd_per_token * blocks_per_cycle;
  for (size_t j = 0; j < m; j++) {
    o->teams.allocation[j] = o->teams.need[j] * s->budget.initial_ratio;
    o->teams.budget[j] = o->teams.allocation[j];
  }
  return 0;
}

/* A learner is read and written at every block of its agent: one aligned
 * cache line keeps that to one line per agent. */
_Static_assert(sizeof(org_learner) == 64, "a learner record is one cache line");

int org_enable_learning(org *o) {
  size_t n = o->agents.n;
  o->agents.learner = aligned_alloc(64, (n ? n : 1) * sizeof *o->agents.learner);
  if (!o->agents.learner) return -1;
  memset(o->agents.learner, 0, n * sizeof *o->agents.learner);
  for (size_t i = 0; i < n; i++)
    for (int k = 0; k < ORG_OPTIONS; k++) o->agents.learner[i].attraction[k] = NAN;
  return 0;
}

_Static_assert(sizeof(org_imitator) == 32, "two imitator records share a cache line");

int org_enable_imitation(org *o) {
  size_t n = o->agents.n;
  o->agents.imitator = aligned_alloc(32, (n ? n : 1) * sizeof *o->agents.imitator);
  o->agents.next_habit = malloc((n ? n : 1) * sizeof *o->agents.next_habit);
  if (!o->agents.imitator || !o->agents.next_habit) {
    free(o->agents.imitator);
    free(o->agents.next_habit);
    o->agents.imitator = NULL;
    o->agents.next_habit = NULL;
    return -1;
  }
  memset(o->agents.imitator, 0, (n ? n : 1) * sizeof *o->agents.imitator);
  for (size_t i = 0; i < n; i++)
    for (int k = 0; k < ORG_OPTIONS; k++) o->agents.imitator[i].habit[k] = NAN;
  return 0;
}
