/* sim/cluster/cluster.h - a GPU cluster serving jobs in replica slots under a scheduler.
 *
 * G GPUs of one kind serve one model; a serving replica occupies
 * gpus_per_replica GPUs, so the cluster has G / gpus_per_replica slots (the
 * remainder idles).  A job of T tokens with fan-out f runs as f streams of
 * T / f tokens, each on one slot for (T / f) / replica throughput hours.
 * Jobs wait under the scheduler policy; when a slot frees the policy picks
 * the stream that takes it.  A job completes when its last stream ends.
 *
 * The owner (the workload generator, the agent model) takes job records
 * from the cluster's pool, fills them in, submits them, and hears back
 * through hooks; after the done hook returns the record goes back to the
 * pool.  Records taken one after another lie one after another in memory
 * where the pool can arrange it (see sim_cluster_job_alloc).  The cluster
 * handles SIM_EV_JOB_END (arg: the job record) and SIM_EV_SCHED_TICK events
 * on the engine it is given.
 *
 * Measured (sim_cluster_stats): per true purpose, jobs submitted, rejected,
 * held, started, completed; tokens submitted, rejected, served; busy slot
 * hours; queue waits (submit to first stream start).  Job counts cover
 * jobs submitted at or after stats_from; the time integrals (busy slots,
 * waiting jobs) run from time 0 so that callers can difference them over
 * any interval (a day, the statistics window).
 */
#ifndef BURNSIM_CLUSTER_H
#define BURNSIM_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/engine.h"
#include "cluster/job.h"
#include "config/scenario.h"
#include "policies/scheduler.h"

typedef struct sim_cluster sim_cluster;

/* How a job left the cluster. */
typedef enum sim_job_status { SIM_JOB_COMPLETED = 0, SIM_JOB_REJECTED = 1 } sim_job_status;

/* The owner's callbacks; any may be NULL. */
typedef struct sim_cluster_hooks {
  /* The first stream of job has just started (its queue wait is over). */
  void (*started)(sim_job *job, double now, void *ctx);
  /* job completed or was rejected; it is recycled when this returns. */
  void (*done)(sim_job *job, sim_job_status status, double now, void *ctx);
  void *ctx;
} sim_cluster_hooks;

typedef struct sim_cluster_options {
  size_t slots;                   /* replica slots: GPUs / gpus_per_replica */
  int64_t gpus_per_replica;       /* GPU-hours = slot-hours * gpus_per_replica */
  double replica_tokens_per_hour; /* throughput of one slot */
  uint16_t model;                 /* catalogue index stamped on new jobs */
  const scheduler_type *scheduler;
  scheduler_params sched; /* read during sim_cluster_create only */
  double stats_from;      /* jobs submitted before this time are not counted */
  size_t max_jobs;        /* jobs in the cluster at once (pool limit); 0: no limit */
  sim_cluster_hooks hooks;
} sim_cluster_options;

/* Fills o from s's cluster, workload and warm-up (the scheduler's teams and
 * agents cover both the workload's owners and the organisation's; hooks
 * empty; max_jobs 0).  Returns 0, or -1 with a message on
 * err if the GPU kind, model or scheduler does not exist or the cluster
 * has no slot. */
int sim_cluster_options_from_scenario(sim_cluster_options *o, const scenario *s, uint64_t seed,
                                      FILE *err);

/* Creates the cluster and registers its event handlers on eng, which must
 * have at least SIM_EV_KINDS kinds.  Returns NULL with a message on err. */
sim_cluster *sim_cluster_create(sim_engine *eng, const sim_cluster_options *o, FILE *err);
void sim_cluster_free(sim_cluster *cl);

/* A zeroed job record from the pool (model set, fan_out 1), or NULL when
 * max_jobs records are in use or memory is out.  Records come in chunks of
 * SIM_POOL_CHUNK_JOBS, handed out front to back, and a chunk is reused once
 * all its records are back; the pool grows only while it holds fewer than
 * twice the records in use plus a chunk (else it reuses the free records
 * of its emptiest chunk), so it never exceeds twice the peak in use plus
 * two chunks. */
sim_job *sim_cluster_job_alloc(sim_cluster *cl);
#define SIM_POOL_CHUNK_JOBS 4095
/* Job records the pool holds, in use or free. */
size_t sim_cluster_pool_records(const sim_cluster *cl);

/* Submits job (tokens > 0, purpose, agent, team, fan_out >= 1 filled in) at
 * time now, which must be the engine's clock.  A refused job is reported
 * through the done hook before this returns.  Returns what the scheduler
 * did with the job. */
scheduler_admit sim_cluster_submit(sim_cluster *cl, sim_job *job, double now);

/* Non-zero once the cluster failed to schedule an event (out of memory);
 * the engine has then been asked to stop. */
int sim_cluster_failed(const sim_cluster *cl);

typedef struct sim_cluster_stats {
  /* jobs submitted at or after stats_from, by true purpose */
  uint64_t submitted[SIM_PURPOSES];
  uint64_t rejected[SIM_PURPOSES];  /* refused by the scheduler */
  uint64_t held[SIM_PURPOSES];      /* throttled at submission */
  uint64_t mistagged[SIM_PURPOSES]; /* the scheduler's tag differed from the purpose */
  uint64_t started[SIM_PURPOSES];   /* first stream started */
  uint64_t waited[SIM_PURPOSES];    /* started after a positive wait */
  uint64_t completed[SIM_PURPOSES];
  double tokens_submitted[SIM_PURPOSES];
  double tokens_rejected[SIM_PURPOSES];
  double tokens_served[SIM_PURPOSES]; /* tokens of streams that ended */
  double slot_hours[SIM_PURPOSES];    /* busy slot-hours of streams that ended */
  double wait_hours[SIM_PURPOSES];    /* sum of queue waits of started jobs */
  /* integrals over [0, time], all jobs */
  double time;
  double busy_slot_hours;   /* integral of busy slots */
  double waiting_job_hours; /* integral of jobs waiting for their first stream */
} sim_cluster_stats;

/* The counters, with the integrals brought up to now (>= the last event). */
void sim_cluster_stats_get(sim_cluster *cl, double now, sim_cluster_stats *out);

/* Tokens of counted jobs still in the cluster, by true purpose: in streams
 * not yet started (queued or held) and in streams holding a slot. */
void sim_cluster_outstanding(const sim_cluster *cl, double queued[SIM_PURPOSES],
                             double in_service[SIM_PURPOSES]);

size_t sim_cluster_slots(const sim_cluster *cl);
size_t sim_cluster_busy(const sim_cluster *cl);
/* Jobs accepted but not yet started (queued or held). */
size_t sim_cluster_waiting(const sim_cluster *cl);
/* Jobs the scheduler holds: those waiting, plus fanned-out jobs with some
 * streams still to start. */
size_t sim_cluster_queued(const sim_cluster *cl);
/* Hours one stream of job holds a slot. */
double sim_cluster_stream_hours(const sim_cluster *cl, const sim_job *job);
double sim_cluster_gpus_per_replica(const sim_cluster *cl);
double sim_cluster_replica_tokens_per_hour(const sim_cluster *cl);
const scheduler_type *sim_cluster_scheduler(const sim_cluster *cl);

#endif
