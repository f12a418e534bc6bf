/* sim/org/behaviour.c - the behaviour models (logit, learning, imitation)
 * and their registry. */
#include "behaviour.h"

#include "registry.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void behaviour_logit_probabilities(const double *v, int n, double tau, double *p) {
  double top = v[0];
  for (int i = 1; i < n; i++)
    if (v[i] > top) top = v[i];
  double sum = 0;
  for (int i = 0; i < n; i++) sum += p[i] = exp((v[i] - top) / tau);
  for (int i = 0; i < n; i++) p[i] /= sum;
}

int behaviour_logit_pick(const double *v, int n, double tau, double u01) {
  double p[ORG_OPTIONS * 2];
  behaviour_logit_probabilities(v, n, tau, p);
  double cum = 0;
  for (int i = 0; i < n - 1; i++) {
    cum += p[i];
    if (u01 < cum) return i;
  }
  return n - 1;
}

static int choose_logit(org *o, uint32_t agent, const double *utility, double u01) {
  (void)agent;
  return behaviour_logit_pick(utility, ORG_OPTIONS, o->s->org.temperature, u01);
}

/* Attractions start at the first expected utilities an agent sees, then
 * follow experience: a = (1 - rate) a + rate payoff. */
static int choose_learning(org *o, uint32_t agent, const double *utility, double u01) {
  float *a = o->agents.attraction + (size_t)agent * ORG_OPTIONS;
  double v[ORG_OPTIONS];
  for (int i = 0; i < ORG_OPTIONS; i++) {
    if (isnan(a[i])) a[i] = (float)utility[i];
    v[i] = a[i];
  }
  return behaviour_logit_pick(v, ORG_OPTIONS, o->s->org.temperature, u01);
}

static void experience_learning(org *o, uint32_t agent, int option, double payoff) {
  float *a = o->agents.attraction + (size_t)agent * ORG_OPTIONS + option;
  double rate = o->s->org.learning_rate;
  *a = (float)((1 - rate) * *a + rate * payoff);
}

/* Each agent, with probability imitation_rate, looks at one random peer and
 * copies the peer's burn propensity if the peer's review went better.
 * Draws are a fixed three per agent so streams stay aligned across arms;
 * decisions use the payoffs before anyone copies. */
static void review_imitation(org *o, const double *review_payoff, gsl_rng *r) {
  org_agents *ag = &o->agents;
  size_t n = ag->n;
  if (n < 2) return;
  float *next = malloc(n * sizeof *next);
  if (!next) return; /* nobody imitates this review */
  for (size_t i = 0; i < n; i++) {
    double u = gsl_rng_uniform(r);
    size_t peer = (size_t)gsl_rng_uniform_int(r, n - 1);
    double noise = gsl_ran_gaussian_ziggurat(r, o->s->org.imitation_noise);
    if (peer >= i) peer++; /* anyone but i */
    next[i] = ag->burn_propensity[i];
    if (u < o->s->org.imitation_rate && review_payoff[peer] > review_payoff[i])
      next[i] = (float)(ag->burn_propensity[peer] + noise);
  }
  memcpy(ag->burn_propensity, next, n * sizeof *next);
  free(next);
}

const behaviour_type behaviour_logit = {
    .name = "logit",
    .doc = "myopic expected utility with logit noise",
    .choose = choose_logit,
};

const behaviour_type behaviour_learning = {
    .name = "learning",
    .doc = "logit over attractions that follow experienced payoffs",
    .needs_attractions = 1,
    .choose = choose_learning,
    .experience = experience_learning,
};

const behaviour_type behaviour_imitation = {
    .name = "imitation",
    .doc = "logit; at review end, copy a better-rewarded peer's burn propensity",
    .choose = choose_logit,
    .review_end = review_imitation,
};

static const behaviour_type *const registry[] = {&behaviour_logit, &behaviour_learning,
                                                 &behaviour_imitation};

REGISTRY_LOOKUPS(behaviour, behaviour_type, registry)
