/* sim/experiment/ranks.c - MPI ranks, or a single rank without MPI. */
#include "experiment/ranks.h"

#include <stdlib.h>

#ifdef BURNSIM_HAVE_MPI
#include <mpi.h>

static int mpi_active; /* set once, before any thread starts */
static int rank_id, rank_count = 1;

/* Launchers export these; a process started directly has none of them. */
static int under_launcher(void) {
  return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

#define STRINGIFY(x) #x
#define VERSION_TEXT(major, minor) "MPI " STRINGIFY(major) "." STRINGIFY(minor)

const char *exp_ranks_library(void) {
  return VERSION_TEXT(MPI_VERSION, MPI_SUBVERSION);
}

void exp_ranks_init(int *argc, char ***argv) {
  if (!under_launcher()) return;
  MPI_Init(argc, argv);
  mpi_active = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_id);
  MPI_Comm_size(MPI_COMM_WORLD, &rank_count);
}

void exp_ranks_finalize(void) {
  if (mpi_active) MPI_Finalize();
  mpi_active = 0;
}

int exp_ranks_rank(void) {
  return rank_id;
}

int exp_ranks_size(void) {
  return rank_count;
}

int exp_ranks_agree(int ok) {
  if (!mpi_active) return ok;
  int all;
  MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all;
}

void exp_ranks_share(char *buf, size_t n) {
  if (mpi_active && n > 0) MPI_Bcast(buf, (int)n, MPI_CHAR, 0, MPI_COMM_WORLD);
}

#else

const char *exp_ranks_library(void) {
  return "no MPI";
}

void exp_ranks_init(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
}

void exp_ranks_finalize(void) {
}

int exp_ranks_rank(void) {
  return 0;
}

int exp_ranks_size(void) {
  return 1;
}

int exp_ranks_agree(int ok) {
  return ok;
}

void exp_ranks_share(char *buf, size_t n) {
  (void)buf;
  (void)n;
}

#endif
