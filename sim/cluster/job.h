/* sim/cluster/job.h - a job on the GPU cluster, and the intrusive FIFO that queues it.
 *
 * A job is a number of tokens run on one model as fan_out parallel streams.
 * Records are one cache line (64 bytes) and recycled by the cluster's pool, because a
 * run may pass millions of them through the cluster; the queue link lives in
 * the record so that queueing never allocates.
 */
#ifndef BURNSIM_JOB_H
#define BURNSIM_JOB_H

#include <stddef.h>
#include <stdint.h>

/* Why a job was really submitted.  Used as an array index (by-purpose
 * statistics), so the values are 0 and 1. */
typedef enum sim_purpose { SIM_USEFUL = 0, SIM_BURN = 1 } sim_purpose;
#define SIM_PURPOSES 2

/* Most streams one job may run as (the width of the stream counters). */
#define SIM_MAX_FAN_OUT 65535

/* Job flags. */
enum {
  SIM_JOB_COUNTED = 1u, /* submitted inside the statistics window (after warm-up); set by the cluster */
  SIM_JOB_AGENT = 2u    /* submitted by an agent of the organisation (not the exogenous workload) */
};

typedef struct sim_job {
  struct sim_job *next;       /* queue link (scheduler queue or the pool's free list) */
  uint64_t id;                /* submission order, from 0; FIFO tie-breaker */
  double tokens;              /* output tokens, all streams together */
  double submit_time;         /* hours */
  double start_time;          /* first stream start, hours (valid once started) */
  uint32_t agent;             /* owner */
  uint32_t team;              /* owner's team */
  uint16_t fan_out;           /* parallel streams, each of tokens / fan_out tokens */
  uint16_t streams_unstarted; /* streams still waiting for a slot */
  uint16_t streams_running;   /* streams holding a slot */
  uint16_t model;             /* index in the scenario's model catalogue */
  uint8_t purpose;            /* true purpose: sim_purpose */
  uint8_t tag;                /* the purpose the scheduler believes (set at enqueue) */
  uint8_t flags;              /* SIM_JOB_* */
  uint8_t option;             /* owner's datum: the choice that submitted the job */
  float value;                /* owner's datum: output the job realises on completion */
} sim_job;

/* A FIFO of jobs linked through sim_job.next. */
typedef struct sim_job_queue {
  sim_job *head;
  sim_job *tail;
  size_t n;
} sim_job_queue;

static inline void sim_job_queue_push(sim_job_queue *q, sim_job *job) {
  job->next = NULL;
  if (q->tail)
    q->tail->next = job;
  else
    q->head = job;
  q->tail = job;
  q->n++;
}

static inline sim_job *sim_job_queue_pop(sim_job_queue *q) {
  sim_job *job = q->head;
  if (job) {
    q->head = job->next;
    if (!q->head) q->tail = NULL;
    job->next = NULL;
    q->n--;
  }
  return job;
}

/* The head job, which is about to start one stream.  A job with several
 * unstarted streams keeps its place at the head until its last stream is
 * handed out, so a fanned-out job is never overtaken within its queue. */
static inline sim_job *sim_job_queue_take_stream(sim_job_queue *q) {
  sim_job *job = q->head;
  if (job && job->streams_unstarted <= 1) sim_job_queue_pop(q);
  return job;
}

#endif
