/* sim/core/pcg_vectors.h - the PCG reference test procedure and its vector files.
 *
 * tests/data/pcg32_vectors.txt and pcg64_vectors.txt hold the output of the
 * PCG reference implementation's test harness as "<round> <kind> <values>"
 * records: for each of 5 rounds, 6 raw outputs ("raw"), the same 6 again
 * after advancing by -6 ("again"), 65 coin flips ("coins"), 33 die rolls
 * ("rolls") and a shuffled deck ("cards"), from a generator seeded with
 * initstate 42 and initseq 54.  Records are compared in a canonical text
 * form (hex values at full width, tokens joined by single spaces), so the
 * comparison does not depend on incidental formatting of the file.
 * tests/test_rng.c and burnsim validate's pcg target both use it.
 */
#ifndef BURNSIM_PCG_VECTORS_H
#define BURNSIM_PCG_VECTORS_H

#include <stdint.h>

#include "core/rng.h"

enum { PCG_VECTOR_ROUNDS = 5, PCG_VECTOR_KINDS = 5, PCG_VECTOR_LEN = 2048 };

/* "raw", "again", "coins", "rolls", "cards" */
extern const char *const pcg_vector_kinds[PCG_VECTOR_KINDS];

/* Canonical records, [round][kind]; "" for a record not there. */
typedef char pcg_vector_records[PCG_VECTOR_ROUNDS][PCG_VECTOR_KINDS][PCG_VECTOR_LEN];

/* A generator as the procedure sees it: its output width (32 or 64), its
 * next output, a bounded draw in [0, bound) and an advance by -6. */
typedef struct pcg_vector_gen {
  int width;
  void *ctx;
  uint64_t (*next)(void *ctx);
  uint64_t (*bounded)(void *ctx, uint64_t bound);
  void (*back6)(void *ctx);
} pcg_vector_gen;

/* The raw pcg32 / pcg64 API over state, seeded as the procedure wants. */
pcg_vector_gen pcg_vector_gen_pcg32(pcg32_t *state);
pcg_vector_gen pcg_vector_gen_pcg64(pcg64_t *state);

/* Runs the procedure on g and writes every record.  Returns 0, or -1 when
 * a record did not fit PCG_VECTOR_LEN. */
int pcg_vectors_make(const pcg_vector_gen *g, pcg_vector_records out);

/* Reads a vector file of width-bit values, skipping '#' comments and blank
 * lines.  Each malformed or duplicated record is passed to problem (its
 * line and what is wrong) and skipped.  Returns the number of records read,
 * or -1 when the file cannot be opened or read (errno set). */
int pcg_vectors_read(const char *path, int width, pcg_vector_records out,
                     void (*problem)(void *ctx, int line, const char *what), void *ctx);

#endif
