/* policies/scheduler.h - the scheduler lever: which queued job gets the next free slot.
 *
 * A scheduler is a type object in the manner of GSL's gsl_rng_type: a const
 * table of a name, a state size and function pointers.  The cluster
 * allocates state_size zeroed bytes, calls init, and from then on talks to
 * the policy only through the table.  Every type is listed once in
 * policies/scheduler_registry.c; adding a policy is one file and one line
 * there.
 *
 * Contract with the cluster:
 * - enqueue takes a submitted job (all of its streams unstarted).  It may
 *   queue it, hold it (the job waits but may not start before a later tick)
 *   or refuse it (the cluster then rejects the job).  It sets job->tag, the
 *   purpose the policy believes the job has.
 * - next is called when a slot is free.  It returns the job one of whose
 *   streams starts on that slot now, or NULL when nothing may start.  The
 *   policy removes a job from its queues when it hands out the job's last
 *   unstarted stream (sim_job_queue_take_stream does exactly that); the
 *   cluster decrements job->streams_unstarted after next returns.
 * - stream_end (optional) is told when a stream of job releases its slot.
 * - next_tick (optional) names the time of the next period boundary the
 *   policy needs to hear about (INFINITY for none); the cluster then calls
 *   tick at that time and offers any free slots again.
 */
#ifndef BURNSIM_SCHEDULER_H
#define BURNSIM_SCHEDULER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cluster/job.h"
#include "config/scenario.h"

/* What a scheduler is configured with. */
typedef struct scheduler_params {
  const scn_scheduler *cfg; /* the scenario's cluster.scheduler group */
  size_t teams;             /* jobs carry team ids in [0, teams) */
  size_t agents;            /* and agent ids in [0, agents) */
  uint64_t seed;            /* run seed, for policies that draw (tag errors) */
} scheduler_params;

/* What enqueue did with a job. */
typedef enum scheduler_admit {
  SCHED_QUEUED = 0,  /* may start as soon as it is picked */
  SCHED_HELD = 1,    /* accepted, but may not start before a later tick */
  SCHED_REFUSED = 2  /* not accepted: the cluster rejects the job */
} scheduler_admit;

typedef struct scheduler_type {
  const char *name;  /* the value of cluster.scheduler.type */
  const char *doc;   /* one line: the rule */
  size_t state_size; /* bytes the cluster allocates (zeroed) for the state */
  /* Returns 0, or -1 with a message on err (having released what it took).
   * May be NULL when the zeroed state is ready to use. */
  int (*init)(void *state, const scheduler_params *p, FILE *err);
  /* Releases what init allocated (not the state block itself); may be NULL. */
  void (*free)(void *state);
  scheduler_admit (*enqueue)(void *state, sim_job *job, double now);
  sim_job *(*next)(void *state, double now);
  void (*stream_end)(void *state, const sim_job *job, double now); /* may be NULL */
  /* Jobs waiting in the policy (queued or held). */
  size_t (*queued)(const void *state);
  /* Calls fn on every waiting job, in no particular order. */
  void (*visit)(const void *state, void (*fn)(const sim_job *job, void *ctx), void *ctx);
  double (*next_tick)(const void *state, double now); /* may be NULL */
  void (*tick)(void *state, double now);             /* may be NULL */
} scheduler_type;

/* Calls fn on every job of q: the visit method of queue-based policies. */
static inline void scheduler_visit_queue(const sim_job_queue *q,
                                         void (*fn)(const sim_job *job, void *ctx), void *ctx) {
  for (const sim_job *j = q->head; j; j = j->next) fn(j, ctx);
}

/* The registered types, by name; NULL when there is no such type. */
const scheduler_type *scheduler_find(const char *name);
/* The i-th registered type and its name; NULL past the end.  The name
 * function is the registry the scenario schema validates against. */
const scheduler_type *scheduler_at(size_t i);
const char *scheduler_name_at(size_t i);

/* The members, for code that names one directly. */
/* The schedulers, in registry order: a loaded scenario stores a type's position
 * (scheduler.type is its index); scenario files refer to the names.  Adding one
 * is its file and one line here. */
#define SCHEDULER_TYPES(X) \
  X(scheduler_fifo) \
  X(scheduler_fair_share) \
  X(scheduler_value_priority) \
  X(scheduler_quota)
#define SCHEDULER_DECLARE(t) extern const scheduler_type t;
SCHEDULER_TYPES(SCHEDULER_DECLARE)
#undef SCHEDULER_DECLARE

#endif
