/* sim/core/event_kinds.h - every kind of event the simulator schedules, in one place.
 *
 * A kind is an index into the engine's handler table: create the engine
 * with num_kinds = SIM_EV_KINDS.  Whoever schedules a kind registers its
 * handler; the subject and arg of each kind are described here.
 */
#ifndef BURNSIM_EVENT_KINDS_H
#define BURNSIM_EVENT_KINDS_H

enum sim_event_kind {
  SIM_EV_JOB_END = 0,    /* a job stream ends; subject = replica slot, arg = the job record (cluster) */
  SIM_EV_SCHED_TICK = 1, /* the scheduler's period boundary, e.g. quota reset (cluster) */
  SIM_EV_ARRIVAL = 2,    /* next exogenous job arrives (workload) */
  SIM_EV_DAY_END = 3,    /* a day's metrics bucket closes; subject = day index (run) */
  SIM_EV_WARMUP_END = 4, /* the statistics window opens (run) */
  SIM_EV_WORK_BLOCK = 5, /* a cohort's work block starts; subject = cohort, arg = block of the day (org) */
  SIM_EV_ORG_DAY = 6,    /* the organisation's day closes; subject = day index (org) */
  SIM_EV_KINDS           /* number of kinds */
};

#endif
