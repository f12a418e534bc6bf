/* sim/core/cancel.h - a request to stop, for work too long to wait for.
 *
 * burnsim's command line turns SIGINT and SIGTERM into a flag; the loops that
 * can run for long (the event loop, setting up a large organisation, waiting
 * for gnuplot) poll it through sim_cancelled and stop soon after it is set.
 * Until sim_cancel_watch is called nothing cancels (tests, benchmarks).
 */
#ifndef BURNSIM_CANCEL_H
#define BURNSIM_CANCEL_H

#include <signal.h>

/* Polls *flag from now on (NULL: nothing cancels). */
void sim_cancel_watch(const volatile sig_atomic_t *flag);

/* Whether a stop was requested. */
int sim_cancelled(void);

#endif
