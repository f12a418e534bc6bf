/* policies/scheduler_value_priority.c - useful-tagged jobs before burn-tagged jobs.
 *
 * The scheduler cannot see why a job was submitted, only a tag.  A job's
 * tag is its true purpose with probability tag_accuracy and the other
 * purpose otherwise (independently per job): a burn job may pass as useful
 * and a useful job may be mistaken for burn.  Useful-tagged jobs always go
 * first; within a tag, jobs are served in submission order.  With perfect
 * tags useful work never waits behind burn; at tag_accuracy 0.5 the tag is
 * noise and both purposes wait alike.  The tag draw comes from its own
 * random stream (seed, entity 0, SIM_RNG_MEASURE) and is made for every job
 * whatever the accuracy, so arms that differ only in accuracy see the same
 * jobs and the same uniform draws.
 */
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "policies/scheduler.h"

typedef struct value_state {
  sim_job_queue q[SIM_PURPOSES]; /* by tag */
  gsl_rng *rng;
  double accuracy;
} value_state;

static int value_init(void *state, const scheduler_params *p, FILE *err) {
  value_state *st = state;
  st->accuracy = p->cfg->tag_accuracy;
  st->rng = sim_rng_stream_alloc(sim_rng_pcg64, p->seed, 0, SIM_RNG_MEASURE);
  if (!st->rng) {
    fprintf(err, "burnsim: out of memory for the value_priority scheduler\n");
    return -1;
  }
  return 0;
}

static void value_free(void *state) {
  value_state *st = state;
  gsl_rng_free(st->rng);
}

static scheduler_admit value_enqueue(void *state, sim_job *job, double now) {
  (void)now;
  value_state *st = state;
  int right = gsl_rng_uniform(st->rng) < st->accuracy;
  job->tag = (uint8_t)(right ? job->purpose : 1 - job->purpose);
  sim_job_queue_push(&st->q[job->tag], job);
  return SCHED_QUEUED;
}

static sim_job *value_next(void *state, double now) {
  (void)now;
  value_state *st = state;
  if (st->q[SIM_USEFUL].head) return sim_job_queue_take_stream(&st->q[SIM_USEFUL]);
  return sim_job_queue_take_stream(&st->q[SIM_BURN]);
}

static size_t value_queued(const void *state) {
  const value_state *st = state;
  return st->q[SIM_USEFUL].n + st->q[SIM_BURN].n;
}

static void value_visit(const void *state, void (*fn)(const sim_job *, void *), void *ctx) {
  const value_state *st = state;
  scheduler_visit_queue(&st->q[SIM_USEFUL], fn, ctx);
  scheduler_visit_queue(&st->q[SIM_BURN], fn, ctx);
}

const scheduler_type scheduler_value_priority = {
    .name = "value_priority",
    .doc = "useful-tagged jobs before burn-tagged ones (tags right with probability tag_accuracy); "
           "FIFO within a tag",
    .state_size = sizeof(value_state),
    .init = value_init,
    .free = value_free,
    .enqueue = value_enqueue,
    .next = value_next,
    .stream_end = NULL,
    .queued = value_queued,
    .visit = value_visit,
    .next_tick = NULL,
    .tick = NULL,
};
