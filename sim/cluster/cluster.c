/* sim/cluster/cluster.c - a GPU cluster serving jobs in replica slots under a scheduler.
 *
 * Hot path (one job, one stream): submit -> enqueue -> next -> one
 * JOB_END event; at the end the same event is rescheduled for the stream
 * that takes the freed slot, so a busy cluster schedules no new events.
 * Job records come from a chunked pool and are recycled; queues are
 * intrusive.  Nothing is allocated per job once the pool has grown to the
 * number of jobs in the system.
 *
 * The pool hands records out in submission order where it can: chunks are
 * filled front to back, and a chunk is filled again once all its records
 * are back, so a burst of submissions (an organisation's block) lies
 * contiguous in memory and the FIFO queue, the job starts and the pool
 * itself walk it sequentially instead of chasing a free list scattered by
 * earlier completions.  A job that waits long keeps its chunk from being
 * refilled; so that such jobs cannot make the pool grow without bound, a
 * new chunk is allocated only while the pool holds fewer than twice the
 * records in use plus a chunk, and otherwise the emptiest chunk is
 * refilled from its free records.
 */
#include "cluster/cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/cost.h"
#include "core/event_kinds.h"

/* A chunk of job records: a header line, then the records.  Chunks are
 * aligned to their size, so a record finds its chunk from its address. */
#define POOL_CHUNK_BYTES ((size_t)1 << 18)

typedef struct pool_chunk {
  _Alignas(64) sim_job *free; /* released records, to hand out again */
  struct pool_chunk *next;    /* on the stack of empty chunks */
  uint32_t live;              /* records in use */
  uint32_t fresh;             /* records handed out front to back since the chunk was empty */
} pool_chunk;

struct sim_cluster {
  sim_engine *eng;
  const scheduler_type *sched;
  void *sched_state;
  int sched_ready; /* init succeeded: free must be called */
  sim_cluster_hooks hooks;

  size_t slots;
  double gpus_per_replica;
  double tph; /* replica tokens per hour */
  uint16_t model;
  double stats_from;

  sim_job **slot_job;   /* the job whose stream holds each slot, or NULL */
  uint32_t *free_slots; /* stack of free slot indices */
  size_t n_free;

  pool_chunk *pool_cur;   /* the chunk being filled */
  pool_chunk *pool_empty; /* stack of the other chunks with no record in use */
  pool_chunk **chunks;    /* all of them */
  size_t n_chunks, cap_chunks;
  size_t jobs_live, max_jobs;
  uint64_t next_id;

  sim_event *tick_ev; /* pending scheduler tick, or NULL */
  int failed;

  /* state of the time integrals */
  double last;
  size_t busy;
  size_t waiting;
  sim_cluster_stats st;
};

/* One cache line per record, lines aligned: a run passes millions of jobs
 * through, and at scale the records in flight outgrow the caches. */
_Static_assert(sizeof(sim_job) == 64, "a job record is one cache line");
_Static_assert(sizeof(pool_chunk) == sizeof(sim_job), "a chunk's header is one record's line");
_Static_assert((SIM_POOL_CHUNK_JOBS + 1) * sizeof(sim_job) == POOL_CHUNK_BYTES, "a chunk is a header and its records");

static void on_job_end(sim_engine *eng, sim_event *ev, void *ctx);
static void on_tick(sim_engine *eng, sim_event *ev, void *ctx);

int sim_cluster_options_from_scenario(sim_cluster_options *o, const scenario *s, uint64_t seed,
                                      FILE *err) {
  memset(o, 0, sizeof *o);
  const scn_model *m = scenario_model(s, s->cluster.model);
  const scn_gpu_kind *g = scenario_gpu_kind(s, s->cluster.gpu);
  if (!m || !g) {
    fprintf(err, "burnsim: the cluster's %s \"%s\" is not in the catalogue\n", m ? "GPU kind" : "model",
            m ? s->cluster.gpu : s->cluster.model);
    return -1;
  }
  o->scheduler = scheduler_at((size_t)s->cluster.scheduler.type);
  if (!o->scheduler) {
    fprintf(err, "burnsim: cluster.scheduler.type %d is not a registered scheduler\n",
            s->cluster.scheduler.type);
    return -1;
  }
  if (m->gpus_per_replica < 1 || s->cluster.gpus < m->gpus_per_replica) {
    fprintf(err, "burnsim: the model \"%s\" needs %lld GPUs per replica, but the cluster has %lld\n",
            m->name, (long long)m->gpus_per_replica, (long long)s->cluster.gpus);
    return -1;
  }
  o->slots = (size_t)(s->cluster.gpus / m->gpus_per_replica);
  o->gpus_per_replica = m->gpus_per_replica;
  o->replica_tokens_per_hour = sim_cost_replica_tokens_per_hour(m, g);
  o->model = (uint16_t)(m - s->models);
  o->sched.cfg = &s->cluster.scheduler;
  /* Jobs carry the ids of the workload's round-robin owners and of the
   * organisation's agents and teams: the scheduler must know them all. */
  int64_t org_teams = s->org.agents > 0 ? s->org.teams : 0;
  o->sched.teams = (size_t)(org_teams > s->workload.teams ? org_teams : s->workload.teams);
  o->sched.agents = (size_t)(s->org.agents > s->workload.agents ? s->org.agents : s->workload.agents);
  o->sched.seed = seed;
  o->stats_from = s->warmup_days * 24.0;
  return 0;
}

sim_cluster *sim_cluster_create(sim_engine *eng, const sim_cluster_options *o, FILE *err) {
  if (o->slots == 0 || o->slots >= UINT32_MAX || !(o->replica_tokens_per_hour > 0) || !o->scheduler) {
    fprintf(err, "burnsim: a cluster needs 1 to %u slots, a positive throughput and a scheduler\n",
            UINT32_MAX - 1);
    return NULL;
  }
  sim_cluster *cl = calloc(1, sizeof *cl);
  if (!cl) goto oom;
  cl->eng = eng;
  cl->sched = o->scheduler;
  cl->hooks = o->hooks;
  cl->slots = o->slots;
  cl->gpus_per_replica = (double)o->gpus_per_replica;
  cl->tph = o->replica_tokens_per_hour;
  cl->model = o->model;
  cl->stats_from = o->stats_from;
  cl->max_jobs = o->max_jobs;
  cl->slot_job = calloc(o->slots, sizeof *cl->slot_job);
  cl->free_slots = malloc(o->slots * sizeof *cl->free_slots);
  cl->sched_state = calloc(1, o->scheduler->state_size ? o->scheduler->state_size : 1);
  if (!cl->slot_job || !cl->free_slots || !cl->sched_state) goto oom;
  /* Stack order makes slot 0 the first one handed out. */
  for (size_t i = 0; i < o->slots; i++) cl->free_slots[i] = (uint32_t)(o->slots - 1 - i);
  cl->n_free = o->slots;
  if (cl->sched->init && cl->sched->init(cl->sched_state, &o->sched, err) != 0) {
    sim_cluster_free(cl);
    return NULL;
  }
  cl->sched_ready = 1;
  if (sim_engine_on(eng, SIM_EV_JOB_END, on_job_end, cl) != 0 ||
      sim_engine_prefetch_arg(eng, SIM_EV_JOB_END) != 0 ||
      sim_engine_on(eng, SIM_EV_SCHED_TICK, on_tick, cl) != 0) {
    fprintf(err, "burnsim: the engine has fewer than %d event kinds\n", SIM_EV_KINDS);
    sim_cluster_free(cl);
    return NULL;
  }
  return cl;
oom:
  fprintf(err, "burnsim: out of memory for a cluster of %zu slots\n", o->slots);
  sim_cluster_free(cl);
  return NULL;
}

void sim_cluster_free(sim_cluster *cl) {
  if (!cl) return;
  if (cl->sched_ready && cl->sched->free) cl->sched->free(cl->sched_state);
  free(cl->sched_state);
  for (size_t i = 0; i < cl->n_chunks; i++) free(cl->chunks[i]);
  free(cl->chunks);
  free(cl->slot_job);
  free(cl->free_slots);
  free(cl);
}

/* ---- job pool ------------------------------------------------------------ */

static sim_job *chunk_jobs(pool_chunk *c) {
  return (sim_job *)(c + 1);
}

static pool_chunk *chunk_of(const sim_job *job) {
  return (pool_chunk *)((uintptr_t)job & ~(uintptr_t)(POOL_CHUNK_BYTES - 1));
}

/* The chunk (other than the current one) with the fewest records in use. */
static pool_chunk *emptiest_chunk(const sim_cluster *cl) {
  pool_chunk *best = NULL;
  for (size_t i = 0; i < cl->n_chunks; i++) {
    pool_chunk *c = cl->chunks[i];
    if (c != cl->pool_cur && (!best || c->live < best->live)) best = c;
  }
  return best;
}

static pool_chunk *new_chunk(sim_cluster *cl) {
  if (cl->n_chunks == cl->cap_chunks) {
    size_t cap = cl->cap_chunks ? 2 * cl->cap_chunks : 16;
    pool_chunk **grown = realloc(cl->chunks, cap * sizeof *grown);
    if (!grown) return NULL;
    cl->chunks = grown;
    cl->cap_chunks = cap;
  }
  pool_chunk *c = aligned_alloc(POOL_CHUNK_BYTES, POOL_CHUNK_BYTES);
  if (!c) return NULL;
  memset(c, 0, sizeof *c);
  cl->chunks[cl->n_chunks++] = c;
  return c;
}

/* Makes the next chunk to fill current, the current one being full: an
 * empty chunk; else a new one while the pool holds fewer than twice the
 * records in use plus a chunk; else the emptiest, at most half in use by
 * then. */
static pool_chunk *pool_next_chunk(sim_cluster *cl) {
  pool_chunk *c = cl->pool_empty;
  if (c) {
    cl->pool_empty = c->next;
  } else if (cl->n_chunks * SIM_POOL_CHUNK_JOBS < 2 * cl->jobs_live + SIM_POOL_CHUNK_JOBS) {
    c = new_chunk(cl);
  } else {
    c = emptiest_chunk(cl);
  }
  if (!c) return NULL;
  if (c->live == 0) { /* a new or emptied chunk: front to back */
    c->free = NULL;
    c->fresh = 0;
  }
  cl->pool_cur = c;
  return c;
}

sim_job *sim_cluster_job_alloc(sim_cluster *cl) {
  if (cl->max_jobs && cl->jobs_live >= cl->max_jobs) return NULL;
  pool_chunk *c = cl->pool_cur;
  if ((!c || (c->fresh == SIM_POOL_CHUNK_JOBS && !c->free)) && !(c = pool_next_chunk(cl))) return NULL;
  sim_job *job;
  if (c->fresh < SIM_POOL_CHUNK_JOBS) {
    job = chunk_jobs(c) + c->fresh++;
  } else {
    job = c->free;
    c->free = job->next;
  }
  c->live++;
  cl->jobs_live++;
  memset(job, 0, sizeof *job);
  job->model = cl->model;
  job->fan_out = 1;
  return job;
}

static void job_release(sim_cluster *cl, sim_job *job) {
  pool_chunk *c = chunk_of(job);
  job->next = c->free;
  c->free = job;
  cl->jobs_live--;
  if (--c->live > 0) return;
  if (c == cl->pool_cur) { /* front to back again */
    c->free = NULL;
    c->fresh = 0;
  } else {
    c->next = cl->pool_empty;
    cl->pool_empty = c;
  }
}

/* ---- time integrals ------------------------------------------------------ */

/* Called before busy or waiting change at time now. */
static inline void integrate(sim_cluster *cl, double now) {
  double dt = now - cl->last;
  cl->st.busy_slot_hours += (double)cl->busy * dt;
  cl->st.waiting_job_hours += (double)cl->waiting * dt;
  cl->last = now;
}

/* ---- streams ------------------------------------------------------------- */

double sim_cluster_stream_hours(const sim_cluster *cl, const sim_job *job) {
  return job->tokens / ((double)job->fan_out * cl->tph);
}

static void fail(sim_cluster *cl) {
  cl->failed = 1;
  sim_engine_stop(cl->eng);
}

/* Starts one stream of job on slot at now.  ev, when given, is the JOB_END
 * event of the stream that just released the slot: it is reused. */
static void start_stream(sim_cluster *cl, sim_job *job, uint32_t slot, double now, sim_event *ev) {
  if (job->streams_running == 0 && job->streams_unstarted == job->fan_out) {
    job->start_time = now;
    cl->waiting--;
    if (job->flags & SIM_JOB_COUNTED) {
      double wait = now - job->submit_time;
      cl->st.started[job->purpose]++;
      cl->st.waited[job->purpose] += wait > 0;
      cl->st.wait_hours[job->purpose] += wait;
    }
    if (cl->hooks.started) cl->hooks.started(job, now, cl->hooks.ctx);
  }
  job->streams_unstarted--;
  job->streams_running++;
  cl->busy++;
  cl->slot_job[slot] = job;
  double end = now + sim_cluster_stream_hours(cl, job);
  /* The event carries the job too, so that its end need not look it up. */
  if (ev) {
    ev->arg = (uintptr_t)job;
    if (sim_engine_schedule_event(cl->eng, ev, end) != 0) fail(cl);
  } else if (!sim_engine_schedule(cl->eng, SIM_EV_JOB_END, end, slot, (uintptr_t)job)) {
    fail(cl);
  }
}

/* Offers every free slot to the scheduler. */
static void dispatch(sim_cluster *cl, double now) {
  while (cl->n_free > 0) {
    sim_job *job = cl->sched->next(cl->sched_state, now);
    if (!job) break;
    start_stream(cl, job, cl->free_slots[--cl->n_free], now, NULL);
  }
}

/* Makes sure a tick is pending for the scheduler's next period boundary. */
static void arm_tick(sim_cluster *cl, double now) {
  if (!cl->sched->next_tick) return;
  double t = cl->sched->next_tick(cl->sched_state, now);
  if (!isfinite(t)) return;
  if (t < now) t = now;
  if (cl->tick_ev) {
    if (cl->tick_ev->time <= t) return;
    sim_engine_cancel(cl->eng, cl->tick_ev);
  }
  cl->tick_ev = sim_engine_schedule(cl->eng, SIM_EV_SCHED_TICK, t, 0, 0);
  if (!cl->tick_ev) fail(cl);
}

scheduler_admit sim_cluster_submit(sim_cluster *cl, sim_job *job, double now) {
  integrate(cl, now);
  int p = job->purpose;
  job->id = cl->next_id++;
  job->submit_time = now;
  if (job->fan_out == 0) job->fan_out = 1;
  job->streams_unstarted = job->fan_out;
  job->streams_running = 0;
  job->flags = (uint8_t)((job->flags & ~SIM_JOB_COUNTED) | (now >= cl->stats_from ? SIM_JOB_COUNTED : 0));
  int counted = job->flags & SIM_JOB_COUNTED;
  if (counted) {
    cl->st.submitted[p]++;
    cl->st.tokens_submitted[p] += job->tokens;
  }
  scheduler_admit adm = cl->sched->enqueue(cl->sched_state, job, now);
  if (counted && job->tag != job->purpose) cl->st.mistagged[p]++;
  if (adm == SCHED_REFUSED) {
    if (counted) {
      cl->st.rejected[p]++;
      cl->st.tokens_rejected[p] += job->tokens;
    }
    if (cl->hooks.done) cl->hooks.done(job, SIM_JOB_REJECTED, now, cl->hooks.ctx);
    job_release(cl, job);
    return adm;
  }
  cl->waiting++;
  if (adm == SCHED_HELD) {
    if (counted) cl->st.held[p]++;
    arm_tick(cl, now);
  } else {
    dispatch(cl, now);
  }
  return adm;
}

static void on_job_end(sim_engine *eng, sim_event *ev, void *ctx) {
  (void)eng;
  sim_cluster *cl = ctx;
  double now = ev->time;
  uint32_t slot = (uint32_t)ev->subject;
  sim_job *job = (sim_job *)(uintptr_t)ev->arg;
  integrate(cl, now);
  cl->busy--;
  job->streams_running--;
  if (job->flags & SIM_JOB_COUNTED) {
    cl->st.tokens_served[job->purpose] += job->tokens / job->fan_out;
    cl->st.slot_hours[job->purpose] += sim_cluster_stream_hours(cl, job);
  }
  if (cl->sched->stream_end) cl->sched->stream_end(cl->sched_state, job, now);
  if (job->streams_running == 0 && job->streams_unstarted == 0) {
    if (job->flags & SIM_JOB_COUNTED) cl->st.completed[job->purpose]++;
    if (cl->hooks.done) cl->hooks.done(job, SIM_JOB_COMPLETED, now, cl->hooks.ctx);
    job_release(cl, job);
  }
  /* Only this slot is free: every other free slot was already refused by
   * the scheduler, and a stream end does not make held jobs ready. */
  sim_job *next = cl->sched->next(cl->sched_state, now);
  if (next) {
    start_stream(cl, next, slot, now, ev);
  } else {
    cl->slot_job[slot] = NULL;
    cl->free_slots[cl->n_free++] = slot;
  }
}

static void on_tick(sim_engine *eng, sim_event *ev, void *ctx) {
  (void)eng;
  sim_cluster *cl = ctx;
  double now = ev->time;
  cl->tick_ev = NULL;
  integrate(cl, now);
  cl->sched->tick(cl->sched_state, now);
  dispatch(cl, now);
  arm_tick(cl, now);
}

/* ---- queries ------------------------------------------------------------- */

int sim_cluster_failed(const sim_cluster *cl) {
  return cl->failed;
}

void sim_cluster_stats_get(sim_cluster *cl, double now, sim_cluster_stats *out) {
  if (now > cl->last) integrate(cl, now);
  cl->st.time = cl->last;
  *out = cl->st;
}

static void add_queued(const sim_job *job, void *ctx) {
  double *queued = ctx;
  if (job->flags & SIM_JOB_COUNTED)
    queued[job->purpose] += job->tokens / job->fan_out * job->streams_unstarted;
}

void sim_cluster_outstanding(const sim_cluster *cl, double queued[SIM_PURPOSES],
                             double in_service[SIM_PURPOSES]) {
  for (int p = 0; p < SIM_PURPOSES; p++) queued[p] = in_service[p] = 0;
  cl->sched->visit(cl->sched_state, add_queued, queued);
  for (size_t i = 0; i < cl->slots; i++) {
    const sim_job *job = cl->slot_job[i];
    if (job && (job->flags & SIM_JOB_COUNTED)) in_service[job->purpose] += job->tokens / job->fan_out;
  }
}

size_t sim_cluster_pool_records(const sim_cluster *cl) {
  return cl->n_chunks * SIM_POOL_CHUNK_JOBS;
}

size_t sim_cluster_slots(const sim_cluster *cl) {
  return cl->slots;
}

size_t sim_cluster_busy(const sim_cluster *cl) {
  return cl->busy;
}

size_t sim_cluster_waiting(const sim_cluster *cl) {
  return cl->waiting;
}

size_t sim_cluster_queued(const sim_cluster *cl) {
  return cl->sched->queued(cl->sched_state);
}

double sim_cluster_gpus_per_replica(const sim_cluster *cl) {
  return cl->gpus_per_replica;
}

double sim_cluster_replica_tokens_per_hour(const sim_cluster *cl) {
  return cl->tph;
}

const scheduler_type *sim_cluster_scheduler(const sim_cluster *cl) {
  return cl->sched;
}
