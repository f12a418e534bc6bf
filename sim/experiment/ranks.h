/* sim/experiment/ranks.h - MPI ranks, when there are any.
 *
 * burnsim built with MPI and started by mpirun spreads a campaign's runs
 * over the ranks; otherwise (no MPI in the build, or started directly)
 * there is one rank and these calls cost nothing.  MPI is initialised only
 * under a launcher, so a plain `burnsim run` never touches it.
 */
#ifndef BURNSIM_EXPERIMENT_RANKS_H
#define BURNSIM_EXPERIMENT_RANKS_H

#include <stddef.h>

/* "MPI 3.1" or "no MPI", for burnsim version. */
const char *exp_ranks_library(void);

void exp_ranks_init(int *argc, char ***argv);
void exp_ranks_finalize(void);
int exp_ranks_rank(void);
int exp_ranks_size(void);
/* Waits for every rank; returns the smallest ok any rank passed, so all
 * ranks agree whether everyone succeeded. */
int exp_ranks_agree(int ok);
/* Waits for every rank; then buf (n bytes) holds rank 0's text on every rank. */
void exp_ranks_share(char *buf, size_t n);

#endif
