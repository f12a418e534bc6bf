/* sim/core/engine.h - the discrete-event engine: clock, event pool, dispatch.
 *
 * Events come from a pool that grows in chunks (events never move, so
 * pointers to them stay valid) up to an optional limit; handlers are
 * registered per event kind; the run loop pops the earliest event, advances
 * the clock and calls the kind's handler, until the queue is empty, the
 * horizon is passed or a handler asks to stop.  One engine is
 * single-threaded and deterministic: same events in, same order out.
 */
#ifndef BURNSIM_ENGINE_H
#define BURNSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/event_queue.h"

typedef struct sim_engine sim_engine;

/* Called with the event being processed; the engine's clock already equals
 * ev->time.  The handler may reschedule ev (sim_engine_schedule_event) or
 * let the engine recycle it on return. */
typedef void (*sim_handler)(sim_engine *eng, sim_event *ev, void *ctx);

typedef struct sim_engine_options {
  size_t initial_events; /* events preallocated up front (0: a default) */
  size_t max_events;     /* pool limit; 0 means unbounded */
  uint32_t num_kinds;    /* handler slots: kinds are 0..num_kinds-1 */
} sim_engine_options;

sim_engine *sim_engine_create(const sim_engine_options *opts);
void sim_engine_free(sim_engine *eng);

/* Registers fn for kind; returns 0, or -1 if kind >= num_kinds. */
int sim_engine_on(sim_engine *eng, uint32_t kind, sim_handler fn, void *ctx);

/* Declares that events of kind carry in arg the address of memory their
 * handler reads, so the engine prefetches it while the event before is
 * handled.  A hint only: arg need not be valid memory.  Returns 0, or -1
 * if kind >= num_kinds. */
int sim_engine_prefetch_arg(sim_engine *eng, uint32_t kind);

/* Takes an event from the pool and schedules it.  time must be >= now and
 * finite.  Returns the event (so it can be cancelled), or NULL when the pool
 * is at max_events or memory is out, or time is invalid, or kind >=
 * num_kinds.  The event being handled counts against max_events until its
 * handler returns. */
sim_event *sim_engine_schedule(sim_engine *eng, uint32_t kind, double time, uint64_t subject,
                               uint64_t arg);
/* Re-schedules the event being handled (or any idle event from this engine's
 * pool) at a new time, keeping its kind, subject and arg.  Returns 0 or -1
 * (invalid time, memory out, or ev already pending or back in the pool). */
int sim_engine_schedule_event(sim_engine *eng, sim_event *ev, double time);
/* Cancels a pending event and returns it to the pool.  Returns 0, or -1 if
 * it was not pending. */
int sim_engine_cancel(sim_engine *eng, sim_event *ev);

/* Result of a run. */
typedef enum sim_run_status {
  SIM_RUN_EMPTY = 0,   /* no events left */
  SIM_RUN_HORIZON = 1, /* next event lies beyond the horizon */
  SIM_RUN_STOPPED = 2  /* a handler called sim_engine_stop, or a stop was requested (cancel.h) */
} sim_run_status;

/* Processes events with time <= horizon in (time, insertion) order.  On
 * SIM_RUN_HORIZON and SIM_RUN_EMPTY the clock ends at the horizon (when it
 * is finite); events beyond it stay pending, so a later call with a larger
 * horizon continues the same run.  On SIM_RUN_STOPPED the clock stays at
 * the last event handled.  An event of a kind with no handler is a
 * programming error: the engine reports it on stderr and aborts.  Not
 * reentrant: a handler must not call sim_engine_run. */
sim_run_status sim_engine_run(sim_engine *eng, double horizon);
/* Asks the running loop to return after the current handler. */
void sim_engine_stop(sim_engine *eng);

double sim_engine_now(const sim_engine *eng);
size_t sim_engine_pending(const sim_engine *eng);
/* Events handled since creation. */
uint64_t sim_engine_processed(const sim_engine *eng);
/* Events currently allocated in the pool (pending, in a handler or free). */
size_t sim_engine_pool_capacity(const sim_engine *eng);

#endif
