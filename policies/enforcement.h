/* policies/enforcement.h - the enforcement lever: detection and penalties.
 *
 * - risk: before a work block, the expected cost ($, before the agent's
 *   audit fear) of burning in this block, given the KPI gain burning would
 *   bring (a clawback puts that gain at risk).  Cheap, no random draws.
 * - visibility_spread: how much wider than the KPI's own rank noise agents'
 *   guess of the standings is (1: standings are public; secrecy widens it).
 * - review_end: audits; adds penalties and caught counts to the agents'
 *   ledgers and may claw back reward[i].  r is one stream per review,
 *   consumed in agent order with a fixed number of draws per agent, so
 *   arms compare like for like.
 *
 * Types are listed once in policies/enforcement_registry.c.
 */
#ifndef BURNSIM_ENFORCEMENT_H
#define BURNSIM_ENFORCEMENT_H

#include <stddef.h>
#include <stdio.h>

#include <gsl/gsl_rng.h>

#include "org/org.h"

typedef struct enforcement_type {
  const char *name;
  const char *doc;
  size_t state_size; /* zeroed bytes the org allocates; 0: stateless */
  int (*init)(void *state, const org *o, FILE *err); /* may be NULL */
  void (*free)(void *state);                         /* may be NULL */
  double (*risk)(const void *state, const org *o, uint32_t agent, double kpi_gain);
  double (*visibility_spread)(const void *state, const org *o);
  void (*review_end)(void *state, org *o, double *reward, gsl_rng *r); /* may be NULL */
} enforcement_type;

const enforcement_type *enforcement_find(const char *name);
const enforcement_type *enforcement_at(size_t i);
const char *enforcement_name_at(size_t i);

/* The enforcement policies, in registry order: a loaded scenario stores a type's position
 * (enforcement.type is its index); scenario files refer to the names.  Adding one
 * is its file and one line here. */
#define ENFORCEMENT_TYPES(X) \
  X(enforcement_none) \
  X(enforcement_audits) \
  X(enforcement_secrecy)
#define ENFORCEMENT_DECLARE(t) extern const enforcement_type t;
ENFORCEMENT_TYPES(ENFORCEMENT_DECLARE)
#undef ENFORCEMENT_DECLARE

#endif
