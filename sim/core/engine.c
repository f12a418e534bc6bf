/* sim/core/engine.c - the discrete-event engine: event pool, clock, dispatch, run loop.
 *
 * Events live in chunks that are never moved or resized, so a pointer to an
 * event stays valid for the engine's lifetime.  Chunks grow geometrically
 * (each new chunk is as large as the pool so far) up to max_events; events
 * are handed out from the newest chunk in address order and, once
 * recycled, from an intrusive LIFO free list, so a steady-state simulation
 * never calls malloc.  A free event is marked by kind == KIND_FREE; that
 * mark is what lets the run loop tell "the handler cancelled this event"
 * (already back in the pool) from "the handler let it be" (recycle it now).
 */
#include "core/engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/cancel.h"
#include "core/progress.h"

/* kind of an event sitting in the free list: never a valid kind, since
 * kinds are below num_kinds <= UINT32_MAX. */
#define KIND_FREE UINT32_MAX

#define DEFAULT_INITIAL_EVENTS 1024
#define MIN_CHUNK_EVENTS 16

typedef struct handler_slot {
  sim_handler fn;
  void *ctx;
  bool prefetch_arg; /* the handler reads memory at arg: load it one event early */
} handler_slot;

struct sim_engine {
  sim_event_queue *queue;
  double now;
  uint64_t next_seq;
  uint64_t processed;
  bool stop;
  bool running;

  handler_slot *handlers;
  uint32_t num_kinds;

  /* Pool. */
  sim_event **chunks;
  size_t nchunks, chunks_cap;
  size_t capacity;   /* events in all chunks */
  size_t max_events; /* 0: unbounded */
  size_t fresh_next; /* next never-used event in the newest chunk ... */
  size_t fresh_end;  /* ... and the end of that chunk */
  sim_event *free_list; /* linked through subject */
};

/* A broken invariant inside the event loop: report where and stop, since
 * carrying on would silently drop or misroute events. */
static _Noreturn void engine_fatal(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  fprintf(stderr, "burnsim: fatal engine error at %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

/* ---- pool -------------------------------------------------------------- */

/* Adds a chunk of n events (never moved, never resized). */
static bool pool_add_chunk(sim_engine *eng, size_t n) {
  if (n == 0 || n > SIZE_MAX / sizeof(sim_event)) return false;
  if (eng->nchunks == eng->chunks_cap) {
    size_t cap = eng->chunks_cap ? 2 * eng->chunks_cap : 8;
    sim_event **c = realloc(eng->chunks, cap * sizeof *c);
    if (!c) return false;
    eng->chunks = c;
    eng->chunks_cap = cap;
  }
  sim_event *chunk = malloc(n * sizeof *chunk);
  if (!chunk) return false;
  eng->chunks[eng->nchunks++] = chunk;
  eng->capacity += n;
  eng->fresh_next = 0;
  eng->fresh_end = n;
  return true;
}

/* Doubles the pool (within max_events); false at the limit or when memory
 * is out. */
static bool pool_grow(sim_engine *eng) {
  size_t n = eng->capacity < MIN_CHUNK_EVENTS ? MIN_CHUNK_EVENTS : eng->capacity;
  if (eng->max_events) {
    if (eng->capacity >= eng->max_events) return false;
    if (n > eng->max_events - eng->capacity) n = eng->max_events - eng->capacity;
  }
  return pool_add_chunk(eng, n);
}

static inline sim_event *pool_take(sim_engine *eng) {
  sim_event *ev = eng->free_list;
  if (ev) {
    eng->free_list = (sim_event *)(uintptr_t)ev->subject;
    return ev;
  }
  if (eng->fresh_next == eng->fresh_end && !pool_grow(eng)) return NULL;
  return &eng->chunks[eng->nchunks - 1][eng->fresh_next++];
}

static inline void pool_put(sim_engine *eng, sim_event *ev) {
  ev->kind = KIND_FREE;
  ev->pos = SIM_EVENT_NOT_QUEUED;
  ev->subject = (uint64_t)(uintptr_t)eng->free_list;
  eng->free_list = ev;
}

/* ---- life cycle -------------------------------------------------------- */

sim_engine *sim_engine_create(const sim_engine_options *opts) {
  sim_engine_options o = {0};
  if (opts) o = *opts;
  size_t initial = o.initial_events ? o.initial_events : DEFAULT_INITIAL_EVENTS;
  if (o.max_events && initial > o.max_events) initial = o.max_events;

  sim_engine *eng = calloc(1, sizeof *eng);
  if (!eng) return NULL;
  eng->num_kinds = o.num_kinds;
  eng->max_events = o.max_events;
  eng->handlers = calloc(o.num_kinds ? o.num_kinds : 1, sizeof *eng->handlers);
  eng->queue = sim_event_queue_create(initial);
  if (!eng->handlers || !eng->queue) goto fail;
  if (!pool_add_chunk(eng, initial)) goto fail;
  return eng;
fail:
  sim_engine_free(eng);
  return NULL;
}

void sim_engine_free(sim_engine *eng) {
  if (!eng) return;
  for (size_t i = 0; i < eng->nchunks; i++) free(eng->chunks[i]);
  free(eng->chunks);
  free(eng->handlers);
  sim_event_queue_free(eng->queue);
  free(eng);
}

int sim_engine_on(sim_engine *eng, uint32_t kind, sim_handler fn, void *ctx) {
  if (kind >= eng->num_kinds) return -1;
  eng->handlers[kind].fn = fn;
  eng->handlers[kind].ctx = ctx;
  return 0;
}

int sim_engine_prefetch_arg(sim_engine *eng, uint32_t kind) {
  if (kind >= eng->num_kinds) return -1;
  eng->handlers[kind].prefetch_arg = true;
  return 0;
}

/* ---- scheduling -------------------------------------------------------- */

static inline bool time_ok(const sim_engine *eng, double time) {
  return time >= eng->now && time < INFINITY; /* false for NaN too */
}

sim_event *sim_engine_schedule(sim_engine *eng, uint32_t kind, double time, uint64_t subject,
                               uint64_t arg) {
  if (!time_ok(eng, time) || kind >= eng->num_kinds) return NULL;
  sim_event *ev = pool_take(eng);
  if (!ev) return NULL;
  ev->time = time;
  ev->seq = eng->next_seq++;
  ev->kind = kind;
  ev->pos = SIM_EVENT_NOT_QUEUED;
  ev->subject = subject;
  ev->arg = arg;
  if (sim_event_queue_push(eng->queue, ev) != 0) {
    pool_put(eng, ev);
    return NULL;
  }
  return ev;
}

int sim_engine_schedule_event(sim_engine *eng, sim_event *ev, double time) {
  /* Only an idle event can be scheduled: not one already pending, and not
   * one back in the pool (cancelled or recycled). */
  if (!time_ok(eng, time) || ev->pos != SIM_EVENT_NOT_QUEUED || ev->kind >= eng->num_kinds)
    return -1;
  ev->time = time;
  ev->seq = eng->next_seq++;
  return sim_event_queue_push(eng->queue, ev) == 0 ? 0 : -1;
}

int sim_engine_cancel(sim_engine *eng, sim_event *ev) {
  if (ev->kind == KIND_FREE || sim_event_queue_remove(eng->queue, ev) != 0) return -1;
  pool_put(eng, ev);
  return 0;
}

/* ---- running ----------------------------------------------------------- */

sim_run_status sim_engine_run(sim_engine *eng, double horizon) {
  sim_run_status status;
  if (eng->running) engine_fatal(__FILE__, __LINE__, "sim_engine_run called from inside a handler");
  eng->running = true;
  eng->stop = false;
  for (;;) {
    sim_event *ev = sim_event_queue_peek_min(eng->queue);
    if (!ev) {
      status = SIM_RUN_EMPTY;
      break;
    }
    if (!(ev->time <= horizon)) {
      status = SIM_RUN_HORIZON;
      break;
    }
    sim_event_queue_pop_min(eng->queue);
    /* While this event is handled, bring in what the next one will read
     * (in big models its record is rarely in cache). */
    const sim_event *next = sim_event_queue_peek_min(eng->queue);
    if (next && next->kind < eng->num_kinds && eng->handlers[next->kind].prefetch_arg)
      __builtin_prefetch((const void *)(uintptr_t)next->arg);
    eng->now = ev->time;
    uint32_t kind = ev->kind;
    if (kind >= eng->num_kinds || !eng->handlers[kind].fn)
      engine_fatal(__FILE__, __LINE__,
                   "no handler registered for event kind %u (num_kinds %u; time %.17g, subject %llu, arg %llu)",
                   (unsigned)kind, (unsigned)eng->num_kinds, ev->time, (unsigned long long)ev->subject,
                   (unsigned long long)ev->arg);
    eng->handlers[kind].fn(eng, ev, eng->handlers[kind].ctx);
    eng->processed++;
    /* Recycle unless the handler rescheduled the event (pending again) or
     * cancelled it after rescheduling (already back in the pool). */
    if (ev->pos == SIM_EVENT_NOT_QUEUED && ev->kind != KIND_FREE) pool_put(eng, ev);
    /* A stop request (a signal) is seen within a few events whatever the
     * handlers check: one event can be thousands of agents' blocks. */
    if (eng->stop || ((eng->processed & 15) == 0 && sim_cancelled())) {
      status = SIM_RUN_STOPPED;
      break;
    }
    if ((eng->processed & 63) == 0) sim_progress_report(eng->now, horizon);
  }
  eng->running = false;
  if (status != SIM_RUN_STOPPED && isfinite(horizon) && horizon > eng->now) eng->now = horizon;
  return status;
}

void sim_engine_stop(sim_engine *eng) { eng->stop = true; }

double sim_engine_now(const sim_engine *eng) { return eng->now; }

size_t sim_engine_pending(const sim_engine *eng) { return sim_event_queue_size(eng->queue); }

uint64_t sim_engine_processed(const sim_engine *eng) { return eng->processed; }

size_t sim_engine_pool_capacity(const sim_engine *eng) { return eng->capacity; }
