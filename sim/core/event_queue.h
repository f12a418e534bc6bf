/* sim/core/event_queue.h - the pending-event set: events ordered by (time, seq).
 *
 * Intrusive: the queue stores pointers to caller-owned events and records
 * each event's position in the event itself, so push, pop and remove never
 * allocate (the position array grows only when the queue outgrows it).
 * Ties in time are broken by seq, which the engine assigns in insertion
 * order, so simultaneous events leave in a defined order.
 */
#ifndef BURNSIM_EVENT_QUEUE_H
#define BURNSIM_EVENT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

/* Position value of an event that is not in any queue. */
#define SIM_EVENT_NOT_QUEUED UINT32_MAX

typedef struct sim_event {
  double time;      /* when it happens, in simulated hours */
  uint64_t seq;     /* tie-breaker: insertion order */
  uint32_t kind;    /* handler index */
  uint32_t pos;     /* managed by the queue; SIM_EVENT_NOT_QUEUED when idle */
  uint64_t subject; /* the entity it concerns: agent, job, team... */
  uint64_t arg;     /* kind-specific extra datum */
} sim_event;

typedef struct sim_event_queue sim_event_queue;

/* capacity_hint: expected number of pending events (0 for a default). */
sim_event_queue *sim_event_queue_create(size_t capacity_hint);
void sim_event_queue_free(sim_event_queue *q);

/* Inserts ev (which must not be queued).  Returns 0, or -1 when memory for a
 * larger queue cannot be had (ev is then left unqueued).  An ev whose pos is
 * not SIM_EVENT_NOT_QUEUED is refused with -1, so set pos to
 * SIM_EVENT_NOT_QUEUED once when an event is first made.  ev->time must not
 * be NaN, and ev->time and ev->seq must not change while ev is queued. */
int sim_event_queue_push(sim_event_queue *q, sim_event *ev);
/* Removes and returns the earliest event by (time, seq), or NULL when
 * empty.  Events with equal keys leave in an unspecified order. */
sim_event *sim_event_queue_pop_min(sim_event_queue *q);
/* The earliest event without removing it, or NULL when empty. */
sim_event *sim_event_queue_peek_min(const sim_event_queue *q);
/* Removes a queued event (cancellation).  Returns 0, or -1 if not queued. */
int sim_event_queue_remove(sim_event_queue *q, sim_event *ev);
size_t sim_event_queue_size(const sim_event_queue *q);

#endif
