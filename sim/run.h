/* sim/run.h - one simulation run: a scenario and a seed in, result files out. */
#ifndef BURNSIM_RUN_H
#define BURNSIM_RUN_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "output.h"
#include "scenario.h"

/* Runs s with the given seed and writes its CSV files into out's staging
 * folder.  Stops early, returning non-zero, when *cancel becomes set (a
 * signal handler sets it).  Returns 0, or non-zero with a message on err. */
int sim_run(const scenario *s, uint64_t seed, sim_output *out, const volatile sig_atomic_t *cancel,
            FILE *err);

#endif
