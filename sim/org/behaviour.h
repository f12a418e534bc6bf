/* sim/org/behaviour.h - how agents turn option utilities into choices.
 *
 * Behaviour models are type objects listed once in sim/org/behaviour.c, so
 * a result can be checked for robustness to the behavioural assumption:
 * - logit: myopic expected utility with logit noise,
 *     P(o) = exp(U(o)/tau) / sum exp(U(o')/tau);
 * - learning: agents choose by logit over attractions.  An option's
 *   attraction starts at its first expected utility and then moves, only
 *   when the option is chosen, toward the utility it offered that block
 *   (with the congestion, team budget and standings of that moment); options
 *   not chosen keep stale values, so habits form;
 * - imitation: logit, and at each review end some agents compare their
 *   review payoff with a random peer's and copy a better peer's burn
 *   propensity (with noise).
 */
#ifndef BURNSIM_BEHAVIOUR_H
#define BURNSIM_BEHAVIOUR_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "org.h"

typedef struct behaviour_type {
  const char *name;
  const char *doc;
  int needs_attractions; /* the org keeps ORG_OPTIONS attractions per agent */
  /* Picks an option given the utilities of this block; u01 is uniform [0,1). */
  int (*choose)(org *o, uint32_t agent, const double *utility, double u01);
  /* The payoff an option turned out to give (may be NULL). */
  void (*experience)(org *o, uint32_t agent, int option, double payoff);
  /* Review end; review_payoff[i] is agent i's payoff of the review (may be NULL). */
  void (*review_end)(org *o, const double *review_payoff, gsl_rng *r);
} behaviour_type;

const behaviour_type *behaviour_find(const char *name);
const behaviour_type *behaviour_at(size_t i);
const char *behaviour_name_at(size_t i);

/* Logit choice: the option i with probability exp(v[i]/tau) / sum, picked
 * by inverting the cumulative distribution at u01 (numerically stable for
 * any scale of v). */
int behaviour_logit_pick(const double *v, int n, double tau, double u01);
/* The logit probabilities themselves. */
void behaviour_logit_probabilities(const double *v, int n, double tau, double *p);

extern const behaviour_type behaviour_logit;
extern const behaviour_type behaviour_learning;
extern const behaviour_type behaviour_imitation;

#endif
