/* policies/kpi.h - the KPI lever: what individuals are rewarded for.
 *
 * A KPI is a type object like policies/scheduler.h's: a const table of a
 * name, a state size and function pointers, listed once in
 * policies/kpi_registry.c.  The organisation model asks it two things:
 * - gain: before a work block, the expected reward ($) that adding some
 *   tokens, dollars and output to an agent's ledger of the current review
 *   would bring.  This is E[KPI gain | option] in the agent's utility, so it
 *   must be cheap (it is called for every option of every block) and must
 *   not draw random numbers.
 * - review_end: when a review closes, each agent's reward from the review's
 *   ledgers (org_agents.review_*), and badges.
 * day_end lets a policy refresh what agents can see (e.g. the leaderboard's
 * prize threshold) once a day; visible says whether agents see standings
 * (metric secrecy makes them guess, widening their uncertainty).
 */
#ifndef BURNSIM_KPI_H
#define BURNSIM_KPI_H

#include <stddef.h>
#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "org/org.h"

typedef struct kpi_params {
  const scn_kpi *cfg;
  double visibility_spread; /* 1 when standings are visible; wider guesses when > 1 */
} kpi_params;

typedef struct kpi_type {
  const char *name;
  const char *doc;
  size_t state_size;
  /* Returns 0, or -1 with a message on err.  May be NULL. */
  int (*init)(void *state, const org *o, const kpi_params *p, FILE *err);
  void (*free)(void *state); /* may be NULL */
  /* Expected reward from adding tokens, usd and value (expected output) to
   * agent's review ledger at time now. */
  double (*gain)(const void *state, const org *o, uint32_t agent, double tokens, double usd,
                 double value, double now);
  /* Once a day, after the day's ledgers are in.  May be NULL. */
  void (*day_end)(void *state, const org *o, double now);
  /* Review end: reward[i] for each agent (zeroed by the caller); may add
   * to o->agents.badges.  r draws measurement noise: one stream per review,
   * consumed in agent order, so arms compare like for like. */
  void (*review_end)(void *state, org *o, double *reward, gsl_rng *r);
} kpi_type;

const kpi_type *kpi_find(const char *name);
const kpi_type *kpi_at(size_t i);
const char *kpi_name_at(size_t i);

/* Expected prize of ending a review above a threshold, when the final
 * score is uncertain: prize * P(score + add > threshold) - prize * P(score >
 * threshold), with the final score normal around the projection, sd =
 * spread.  Shared by rank and target rewards. */
double kpi_threshold_gain(double projected, double add, double threshold, double spread,
                          double prize);

/* What pay on measured output does to an agent's work (kpi_pressure.c):
 * its real output is multiplied by `real`, each $ of its unpressured output
 * costs `effort` $ more, and its measured output is `measured` times its
 * real output.  {1, 0, 1} unless kpi.improve_cost or kpi.gaming_yield is
 * set (kpi_pressure_on). */
typedef struct kpi_pressure {
  double real, effort, measured;
} kpi_pressure;
int kpi_pressure_on(const scn_kpi *c);
kpi_pressure kpi_pressure_of(const org *o, uint32_t i);

/* The KPI types, in registry order: a loaded scenario stores a type's position
 * (kpi.type is its index); scenario files refer to the names.  Adding one
 * is its file and one line here. */
#define KPI_TYPES(X) \
  X(kpi_none) \
  X(kpi_tokens) \
  X(kpi_spend_target) \
  X(kpi_output) \
  X(kpi_efficiency) \
  X(kpi_blend)
#define KPI_DECLARE(t) extern const kpi_type t;
KPI_TYPES(KPI_DECLARE)
#undef KPI_DECLARE

#endif
