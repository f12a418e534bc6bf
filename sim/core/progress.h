/* sim/core/progress.h - how far a long run has got, for a progress line.
 *
 * The event loop reports the simulated time it has reached every few
 * thousand events to the function given to sim_progress_watch; nothing is
 * reported until one is given (campaigns, tests and benchmarks give none).
 * Reporting reads the clock of the simulation only: results do not depend
 * on it.
 */
#ifndef BURNSIM_PROGRESS_H
#define BURNSIM_PROGRESS_H

/* now and horizon in simulated hours. */
typedef void (*sim_progress_fn)(double now, double horizon, void *ctx);

/* Reports to fn from now on (NULL: to nobody). */
void sim_progress_watch(sim_progress_fn fn, void *ctx);

/* Called by the event loop. */
void sim_progress_report(double now, double horizon);

#endif
