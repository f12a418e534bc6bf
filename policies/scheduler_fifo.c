/* policies/scheduler_fifo.c - first come, first served.
 *
 * Jobs start in submission order; a fanned-out job takes the next free
 * slots until all its streams run.  With Poisson arrivals, exponential
 * service and one stream per job this is the M/M/c queue of the Erlang C
 * formula, which the validation tests check the cluster against.
 */
#include "policies/scheduler.h"

typedef struct fifo_state {
  sim_job_queue q;
} fifo_state;

static scheduler_admit fifo_enqueue(void *state, sim_job *job, double now) {
  (void)now;
  fifo_state *st = state;
  job->tag = job->purpose;
  sim_job_queue_push(&st->q, job);
  return SCHED_QUEUED;
}

static sim_job *fifo_next(void *state, double now) {
  (void)now;
  fifo_state *st = state;
  return sim_job_queue_take_stream(&st->q);
}

static size_t fifo_queued(const void *state) {
  const fifo_state *st = state;
  return st->q.n;
}

static void fifo_visit(const void *state, void (*fn)(const sim_job *, void *), void *ctx) {
  const fifo_state *st = state;
  scheduler_visit_queue(&st->q, fn, ctx);
}

const scheduler_type scheduler_fifo = {
    .name = "fifo",
    .doc = "first come, first served",
    .state_size = sizeof(fifo_state),
    .init = NULL, /* an empty queue is all zeroes */
    .free = NULL,
    .enqueue = fifo_enqueue,
    .next = fifo_next,
    .stream_end = NULL,
    .queued = fifo_queued,
    .visit = fifo_visit,
    .next_tick = NULL,
    .tick = NULL,
};
