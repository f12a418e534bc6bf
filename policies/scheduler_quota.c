/* policies/scheduler_quota.c - per-agent token quotas per period, FIFO otherwise.
 *
 * Time is cut into quota periods of quota_period_hours.  A job is charged
 * its whole token count to its agent's quota of the period in which it is
 * admitted.  A job that would take the agent past quota_tokens is over
 * quota:
 * - over_quota = "reject": the job is refused;
 * - over_quota = "throttle": the job is held, and at each period boundary
 *   held jobs are admitted, oldest first, while they fit in their agent's
 *   fresh quota.  An agent with held jobs has its new jobs held behind
 *   them, so its jobs keep their order.
 * A job larger than a whole period's quota can never fit and is refused in
 * both modes.  Admitted jobs are served first come, first served.
 * quota_tokens = 0 means no quota (plain FIFO).
 */
#include <math.h>
#include <stdlib.h>

#include "policies/scheduler.h"

typedef struct agent_quota {
  double used;      /* tokens charged in period `period` */
  int64_t period;   /* the period `used` belongs to */
  uint32_t held;    /* jobs of this agent being held */
  uint32_t blocked; /* release pass in which this agent's next job did not fit */
} agent_quota;

typedef struct quota_state {
  sim_job_queue ready;
  sim_job_queue held;
  agent_quota *agents;
  size_t n_agents;
  double quota;
  double period;
  int reject;
  int64_t cur;    /* current period index */
  double cur_end; /* when it ends: (cur + 1) * period */
  uint32_t pass;  /* release passes so far */
} quota_state;

static int quota_init(void *state, const scheduler_params *p, FILE *err) {
  quota_state *st = state;
  st->quota = p->cfg->quota_tokens;
  st->period = p->cfg->quota_period_hours;
  st->reject = p->cfg->over_quota == SCN_OVER_QUOTA_REJECT;
  st->cur_end = st->period;
  st->n_agents = p->agents ? p->agents : 1;
  if (st->quota > 0) {
    st->agents = calloc(st->n_agents, sizeof *st->agents);
    if (!st->agents) {
      fprintf(err, "burnsim: out of memory for the quotas of %zu agents\n", st->n_agents);
      return -1;
    }
  }
  return 0;
}

static void quota_free(void *state) {
  quota_state *st = state;
  free(st->agents);
}

/* Moves the current period forward to the one containing now.  Period
 * ends are computed as (cur + 1) * period and compared, never derived by
 * dividing, so a tick scheduled at cur_end always lands in the next one. */
static void advance(quota_state *st, double now) {
  if (now < st->cur_end) return;
  int64_t k = (int64_t)floor(now / st->period);
  st->cur = k > st->cur ? k : st->cur + 1;
  st->cur_end = (double)(st->cur + 1) * st->period;
  while (now >= st->cur_end) {
    st->cur++;
    st->cur_end = (double)(st->cur + 1) * st->period;
  }
}

/* Charges tokens to agent a's quota of the current period if they fit. */
static int charge(quota_state *st, agent_quota *a, double tokens) {
  if (a->period != st->cur) {
    a->period = st->cur;
    a->used = 0;
  }
  if (a->used + tokens > st->quota) return 0;
  a->used += tokens;
  return 1;
}

static agent_quota *agent_of(quota_state *st, const sim_job *job) {
  return &st->agents[job->agent < st->n_agents ? job->agent : job->agent % st->n_agents];
}

static scheduler_admit quota_enqueue(void *state, sim_job *job, double now) {
  quota_state *st = state;
  job->tag = job->purpose;
  if (st->quota <= 0) {
    sim_job_queue_push(&st->ready, job);
    return SCHED_QUEUED;
  }
  if (job->tokens > st->quota) return SCHED_REFUSED;
  advance(st, now);
  agent_quota *a = agent_of(st, job);
  if (a->held == 0 && charge(st, a, job->tokens)) {
    sim_job_queue_push(&st->ready, job);
    return SCHED_QUEUED;
  }
  if (st->reject) return SCHED_REFUSED;
  a->held++;
  sim_job_queue_push(&st->held, job);
  return SCHED_HELD;
}

static sim_job *quota_next(void *state, double now) {
  (void)now;
  quota_state *st = state;
  return sim_job_queue_take_stream(&st->ready);
}

static size_t quota_queued(const void *state) {
  const quota_state *st = state;
  return st->ready.n + st->held.n;
}

static void quota_visit(const void *state, void (*fn)(const sim_job *, void *), void *ctx) {
  const quota_state *st = state;
  scheduler_visit_queue(&st->ready, fn, ctx);
  scheduler_visit_queue(&st->held, fn, ctx);
}

static double quota_next_tick(const void *state, double now) {
  (void)now;
  const quota_state *st = state;
  return st->held.head ? st->cur_end : INFINITY;
}

/* A new period: admit held jobs, oldest first, while they fit. */
static void quota_tick(void *state, double now) {
  quota_state *st = state;
  advance(st, now);
  st->pass++;
  sim_job_queue still = {0};
  sim_job *job;
  while ((job = sim_job_queue_pop(&st->held))) {
    agent_quota *a = agent_of(st, job);
    if (a->blocked != st->pass && charge(st, a, job->tokens)) {
      a->held--;
      sim_job_queue_push(&st->ready, job);
    } else {
      a->blocked = st->pass; /* later jobs of this agent stay behind this one */
      sim_job_queue_push(&still, job);
    }
  }
  st->held = still;
}

const scheduler_type scheduler_quota = {
    .name = "quota",
    .doc = "per-agent token quota per period (over quota: throttle to the next period, or reject); "
           "FIFO otherwise",
    .state_size = sizeof(quota_state),
    .init = quota_init,
    .free = quota_free,
    .enqueue = quota_enqueue,
    .next = quota_next,
    .stream_end = NULL,
    .queued = quota_queued,
    .visit = quota_visit,
    .next_tick = quota_next_tick,
    .tick = quota_tick,
};
