/* sim/core/rng.c - PCG generators (pcg32, pcg64), their GSL types, and the
 * derivation of the simulator's per-(seed, entity, purpose) streams.
 *
 * The algorithms follow the PCG reference family bit for bit (seeding,
 * output order, XSH-RR / XSL-RR permutations, modulo-rejection bounded
 * draws, Brown's jump-ahead), so the published PCG test vectors reproduce.
 * The stream mapping is described in docs/rng.md; it is part of the
 * simulator's reproducibility contract and must not change.
 */
#include "core/rng.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/* A GSL generator's get() returns unsigned long; pcg64 hands out its whole
 * 64-bit output through it, which needs an LP64 target. */
_Static_assert(ULONG_MAX == UINT64_MAX, "burnsim requires a 64-bit unsigned long (LP64)");

/* ---- constants ---------------------------------------------------------- */

#define PCG32_MULT UINT64_C(0x5851f42d4c957f2d)
#define PCG64_MULT (((pcg128_t)UINT64_C(0x2360ed051fc65da4) << 64) | UINT64_C(0x4385df649fccf645))

/* Stream used by gsl_rng_set(r, s): the ASCII bytes of "brnsim".  Any fixed
 * value would do; it is fixed so that gsl_rng_set stays reproducible. */
#define SIM_RNG_SET_STREAM UINT64_C(0x62726e73696d)

/* SplitMix64's increment (2^64 / golden ratio, odd). */
#define SPLITMIX_GAMMA UINT64_C(0x9e3779b97f4a7c15)

/* ---- helpers ------------------------------------------------------------ */

/* Rotations written so that a rotation by 0 never shifts by the full width,
 * which would be undefined behaviour. */
static inline uint32_t rotr32(uint32_t v, unsigned r)
{
  return (v >> r) | (v << ((0u - r) & 31u));
}

static inline uint64_t rotr64(uint64_t v, unsigned r)
{
  return (v >> r) | (v << ((0u - r) & 63u));
}

static inline void pcg32_step(pcg32_t *rng)
{
  rng->state = rng->state * PCG32_MULT + rng->inc;
}

static inline void pcg64_step(pcg64_t *rng)
{
  rng->state = rng->state * PCG64_MULT + rng->inc;
}

/* XSH-RR 64 -> 32: top 5 bits choose the rotation of a xorshifted slice. */
static inline uint32_t pcg32_output(uint64_t s)
{
  uint32_t x = (uint32_t)(((s >> 18) ^ s) >> 27);
  unsigned rot = (unsigned)(s >> 59);
  return rotr32(x, rot);
}

/* XSL-RR 128 -> 64: fold the halves, rotate by the top 6 bits. */
static inline uint64_t pcg64_output(pcg128_t s)
{
  uint64_t x = (uint64_t)(s >> 64) ^ (uint64_t)s;
  unsigned rot = (unsigned)(s >> 122);
  return rotr64(x, rot);
}

/* ---- raw generators ----------------------------------------------------- */

void pcg32_seed(pcg32_t *rng, uint64_t initstate, uint64_t initseq)
{
  rng->state = 0;
  rng->inc = (initseq << 1) | 1u;
  pcg32_step(rng);
  rng->state += initstate;
  pcg32_step(rng);
}

void pcg64_seed(pcg64_t *rng, pcg128_t initstate, pcg128_t initseq)
{
  rng->state = 0;
  rng->inc = (initseq << 1) | 1u;
  pcg64_step(rng);
  rng->state += initstate;
  pcg64_step(rng);
}

/* pcg32 outputs the state before the step (lets the multiply overlap the
 * permutation); pcg64 steps first.  Both as in the reference. */
uint32_t pcg32_next(pcg32_t *rng)
{
  uint64_t old = rng->state;
  pcg32_step(rng);
  return pcg32_output(old);
}

uint64_t pcg64_next(pcg64_t *rng)
{
  pcg64_step(rng);
  return pcg64_output(rng->state);
}

/* Rejecting the lowest 2^W mod bound values leaves a multiple of bound
 * equally likely values, so r % bound is unbiased.  (-bound) % bound is
 * 2^W mod bound in W-bit unsigned arithmetic. */
uint32_t pcg32_bounded(pcg32_t *rng, uint32_t bound)
{
  uint32_t threshold = (uint32_t)(0u - bound) % bound;
  for (;;) {
    uint32_t r = pcg32_next(rng);
    if (r >= threshold)
      return r % bound;
  }
}

uint64_t pcg64_bounded(pcg64_t *rng, uint64_t bound)
{
  uint64_t threshold = (UINT64_C(0) - bound) % bound;
  for (;;) {
    uint64_t r = pcg64_next(rng);
    if (r >= threshold)
      return r % bound;
  }
}

/* Brown (1994): the delta-fold step s -> M*s + C is affine again; build its
 * (M, C) by squaring the one-step map over the bits of delta. */
void pcg32_advance(pcg32_t *rng, uint64_t delta)
{
  uint64_t cur_mult = PCG32_MULT, cur_plus = rng->inc;
  uint64_t acc_mult = 1, acc_plus = 0;
  while (delta > 0) {
    if (delta & 1u) {
      acc_mult *= cur_mult;
      acc_plus = acc_plus * cur_mult + cur_plus;
    }
    cur_plus = (cur_mult + 1) * cur_plus;
    cur_mult *= cur_mult;
    delta >>= 1;
  }
  rng->state = acc_mult * rng->state + acc_plus;
}

void pcg64_advance(pcg64_t *rng, pcg128_t delta)
{
  pcg128_t cur_mult = PCG64_MULT, cur_plus = rng->inc;
  pcg128_t acc_mult = 1, acc_plus = 0;
  while (delta > 0) {
    if (delta & 1u) {
      acc_mult *= cur_mult;
      acc_plus = acc_plus * cur_mult + cur_plus;
    }
    cur_plus = (cur_mult + 1) * cur_plus;
    cur_mult *= cur_mult;
    delta >>= 1;
  }
  rng->state = acc_mult * rng->state + acc_plus;
}

/* Scaling by a power of two is exact, and the largest input maps strictly
 * below 1; dividing by UINT*_MAX instead could round up to 1.0. */
double pcg32_double(pcg32_t *rng)
{
  return pcg32_next(rng) * 0x1p-32;
}

double pcg64_double(pcg64_t *rng)
{
  return (double)(pcg64_next(rng) >> 11) * 0x1p-53;
}

/* ---- GSL types ---------------------------------------------------------- */

static void gsl_pcg32_set(void *state, unsigned long seed)
{
  pcg32_seed(state, (uint64_t)seed, SIM_RNG_SET_STREAM);
}

static unsigned long gsl_pcg32_get(void *state)
{
  return pcg32_next(state);
}

static double gsl_pcg32_get_double(void *state)
{
  return pcg32_double(state);
}

static void gsl_pcg64_set(void *state, unsigned long seed)
{
  pcg64_seed(state, (pcg128_t)seed, (pcg128_t)SIM_RNG_SET_STREAM);
}

static unsigned long gsl_pcg64_get(void *state)
{
  return pcg64_next(state);
}

static double gsl_pcg64_get_double(void *state)
{
  return pcg64_double(state);
}

/* The state structs are plain data, as GSL copies them with memcpy
 * (gsl_rng_clone) and dumps them raw (gsl_rng_fwrite). */
static const gsl_rng_type pcg32_type = {
  "pcg32", 0xffffffffUL, 0, sizeof(pcg32_t),
  gsl_pcg32_set, gsl_pcg32_get, gsl_pcg32_get_double
};

static const gsl_rng_type pcg64_type = {
  "pcg64", ULONG_MAX, 0, sizeof(pcg64_t),
  gsl_pcg64_set, gsl_pcg64_get, gsl_pcg64_get_double
};

const gsl_rng_type *sim_rng_pcg32 = &pcg32_type;
const gsl_rng_type *sim_rng_pcg64 = &pcg64_type;

int sim_rng_seed_pcg32(gsl_rng *r, uint64_t initstate, uint64_t initseq)
{
  if (r == NULL || r->type != &pcg32_type)
    return -1;
  pcg32_seed(gsl_rng_state(r), initstate, initseq);
  return 0;
}

int sim_rng_seed_pcg64(gsl_rng *r, pcg128_t initstate, pcg128_t initseq)
{
  if (r == NULL || r->type != &pcg64_type)
    return -1;
  pcg64_seed(gsl_rng_state(r), initstate, initseq);
  return 0;
}

/* ---- stream derivation -------------------------------------------------- */

uint64_t sim_rng_mix64(uint64_t x)
{
  x ^= x >> 30;
  x *= UINT64_C(0xbf58476d1ce4e5b9);
  x ^= x >> 27;
  x *= UINT64_C(0x94d049bb133111eb);
  x ^= x >> 31;
  return x;
}

/* One SplitMix64 draw: advance the Weyl sequence, then finalise. */
static uint64_t splitmix64_next(uint64_t *s)
{
  *s += SPLITMIX_GAMMA;
  return sim_rng_mix64(*s);
}

/* The 128-bit initstate of the stream (seed, entity, purpose): a SplitMix64
 * chain that starts from seed and absorbs entity, then purpose, by XOR into
 * its state.  Each absorption is a bijection of the absorbed value, so with
 * the seed and one of (entity, purpose) fixed, the other never collides.
 * Randomising the state per stream, not just the increment, avoids the
 * known correlation of PCG streams that start from one state with related
 * increments.  Frozen: see docs/rng.md. */
static void stream_state(uint64_t seed, uint64_t entity, uint32_t purpose, uint64_t *lo,
                         uint64_t *hi)
{
  uint64_t s = seed;
  uint64_t a = splitmix64_next(&s); /* mix64(seed + G) */
  s = a ^ entity;
  uint64_t b = splitmix64_next(&s); /* mix64((a ^ entity) + G) */
  s = b ^ purpose;
  *lo = splitmix64_next(&s); /* mix64((b ^ purpose) + G) */
  *hi = splitmix64_next(&s); /* mix64((b ^ purpose) + 2G) */
}

int sim_rng_stream_seed(gsl_rng *r, uint64_t seed, uint64_t entity, uint32_t purpose)
{
  uint64_t lo, hi;

  if (r == NULL)
    return -1;
  if (r->type == &pcg64_type) {
    /* 96 bits placed below bit 96: injective, and clear of the top bit
     * that inc = (initseq << 1) | 1 discards. */
    pcg128_t initseq = ((pcg128_t)entity << 32) | purpose;
    stream_state(seed, entity, purpose, &lo, &hi);
    pcg64_seed(gsl_rng_state(r), ((pcg128_t)hi << 64) | lo, initseq);
    return 0;
  }
  if (r->type == &pcg32_type) {
    /* pcg32 has only 63 stream bits, too few for 96 bits of (entity,
     * purpose): hash them instead, with the chain above run from a = 0
     * in place of the seed's draw, so the stream ignores the seed. */
    uint64_t initseq = sim_rng_mix64((sim_rng_mix64(entity + SPLITMIX_GAMMA) ^ purpose)
                                     + SPLITMIX_GAMMA);
    stream_state(seed, entity, purpose, &lo, &hi);
    pcg32_seed(gsl_rng_state(r), lo, initseq);
    return 0;
  }
  return -1;
}

gsl_rng *sim_rng_stream_alloc(const gsl_rng_type *T, uint64_t seed, uint64_t entity,
                              uint32_t purpose)
{
  gsl_rng *r;

  if (T != &pcg32_type && T != &pcg64_type)
    return NULL;
  r = gsl_rng_alloc(T);
  if (r == NULL)
    return NULL;
  sim_rng_stream_seed(r, seed, entity, purpose);
  return r;
}
