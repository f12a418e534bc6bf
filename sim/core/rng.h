/* sim/core/rng.h - PCG random number generators, as raw generators and as GSL types.
 *
 * pcg32 is PCG-XSH-RR 64/32 and pcg64 is PCG-XSL-RR 128/64, both with a
 * settable stream ("setseq"), reproducing the reference vectors of the PCG
 * family bit for bit.  Both are also offered as gsl_rng_type, so every
 * gsl_ran_* distribution can draw from them.
 *
 * The simulator draws every random quantity from a stream named by
 * (run seed, entity, purpose): see sim_rng_stream_seed() and docs/rng.md.
 */
#ifndef BURNSIM_RNG_H
#define BURNSIM_RNG_H

#include <math.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

typedef unsigned __int128 pcg128_t;

typedef struct pcg32 {
  uint64_t state;
  uint64_t inc; /* always odd */
} pcg32_t;

typedef struct pcg64 {
  pcg128_t state;
  pcg128_t inc; /* always odd */
} pcg64_t;

/* Seeding as the PCG reference does it: inc = (initseq << 1) | 1, step,
 * add initstate, step. */
void pcg32_seed(pcg32_t *rng, uint64_t initstate, uint64_t initseq);
void pcg64_seed(pcg64_t *rng, pcg128_t initstate, pcg128_t initseq);

/* Next raw output: pcg32 outputs the state before the step, pcg64 after. */
uint32_t pcg32_next(pcg32_t *rng);
uint64_t pcg64_next(pcg64_t *rng);

/* Unbiased integer in [0, bound) by rejection of the lowest 2^W mod bound
 * raw values (the reference method).  bound must be > 0. */
uint32_t pcg32_bounded(pcg32_t *rng, uint32_t bound);
uint64_t pcg64_bounded(pcg64_t *rng, uint64_t bound);

/* Jump by delta steps in O(log delta); a "negative" delta (2^N - k, what
 * passing -k gives) goes back k steps. */
void pcg32_advance(pcg32_t *rng, uint64_t delta);
void pcg64_advance(pcg64_t *rng, pcg128_t delta);

/* Uniform double in [0, 1), never 1.0: pcg32 gives 32 random bits,
 * pcg64 the top 53 bits of its output. */
double pcg32_double(pcg32_t *rng);
double pcg64_double(pcg64_t *rng);

/* GSL generator types.  gsl_rng_set(r, s) seeds with initstate = s and a
 * fixed project stream (see docs/rng.md); use sim_rng_seed_pcg* or
 * sim_rng_stream_seed to choose a stream. */
extern const gsl_rng_type *sim_rng_pcg32;
extern const gsl_rng_type *sim_rng_pcg64;

/* Seeds a GSL generator of type sim_rng_pcg32 or sim_rng_pcg64 with an
 * explicit (initstate, initseq).  Returns 0, or -1 if r is of another type. */
int sim_rng_seed_pcg32(gsl_rng *r, uint64_t initstate, uint64_t initseq);
int sim_rng_seed_pcg64(gsl_rng *r, pcg128_t initstate, pcg128_t initseq);

/* What a stream is drawn for.  A purpose keeps its number forever: changing
 * one would change every published result.  Add new purposes at the end. */
enum sim_rng_purpose {
  SIM_RNG_TRAITS = 1,     /* an agent's traits, drawn once */
  SIM_RNG_WORK = 2,       /* work-block timing and task sizes */
  SIM_RNG_CHOICE = 3,     /* behavioural choices */
  SIM_RNG_ARRIVALS = 4,   /* exogenous job arrivals */
  SIM_RNG_SERVICE = 5,    /* service-time noise */
  SIM_RNG_AUDIT = 6,      /* audits and detection */
  SIM_RNG_MEASURE = 7,    /* measurement noise in KPIs */
  SIM_RNG_ORG = 8,        /* organisation structure: team sizes */
  SIM_RNG_EXPERIMENT = 9, /* experiment design: seeds, sampling */
  SIM_RNG_IMITATION = 10  /* peers compared at review ends */
};

/* Seeds r (pcg32 or pcg64 type) with the stream for (seed, entity,
 * purpose).  The same triple always gives the same stream; distinct triples
 * give distinct streams.  Returns 0, or -1 if r is not a PCG type. */
int sim_rng_stream_seed(gsl_rng *r, uint64_t seed, uint64_t entity, uint32_t purpose);

/* Allocates a generator of type T seeded with sim_rng_stream_seed.
 * Returns NULL on allocation failure or if T is not a PCG type. */
gsl_rng *sim_rng_stream_alloc(const gsl_rng_type *T, uint64_t seed, uint64_t entity,
                              uint32_t purpose);

/* Exponential variate of the given mean from r, which must be of type
 * sim_rng_pcg64: -mean * ln(1 - u) with u = gsl_rng_uniform(r), the variate
 * gsl_ran_exponential makes from the same u (it takes log1p(-u) of the same
 * exact 1 - u, so the two agree to a few units in the last place).  Drawn
 * on the pcg64 state directly and with log rather than log1p because the
 * two draws per job are otherwise a fifth of a run's time. */
static inline double sim_draw_exponential(gsl_rng *r, double mean) {
  return -mean * log(1.0 - pcg64_double((pcg64_t *)r->state));
}

/* A well-mixed 64-bit hash (the SplitMix64 finaliser): used to derive
 * seeds, exposed so experiment code derives run seeds the same way. */
uint64_t sim_rng_mix64(uint64_t x);

#endif
