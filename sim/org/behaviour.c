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

/* Attractions start at the first expected utilities an agent sees (its
 * prior); from then on they follow realised payoffs (review_learning). */
static int choose_learning(org *o, uint32_t agent, const double *utility, double u01) {
  float *a = o->agents.learner[agent].attraction;
  double v[ORG_OPTIONS];
  for (int i = 0; i < ORG_OPTIONS; i++) {
    if (isnan(a[i])) a[i] = (float)utility[i];
    v[i] = a[i];
  }
  return behaviour_logit_pick(v, ORG_OPTIONS, o->s->org.temperature, u01);
}

static void chosen_learning(org *o, uint32_t agent, int option, double payoff, double kpi_gain) {
  org_learner *l = &o->agents.learner[agent];
  l->blocks[option]++;
  l->payoff[option] += (float)payoff;
  if (kpi_gain > 0) l->kpi_claim[option] += (float)kpi_gain;
}

static void realised_learning(org *o, uint32_t agent, int option, double payoff) {
  o->agents.learner[agent].payoff[option] += (float)payoff;
}

/* At a review end every option chosen in the review moves toward what it
 * realised per block: its own payoffs so far, its share of the KPI reward
 * (weighted by the agent's status weight, as in its utility) in proportion
 * to the KPI gain its blocks were expected to bring (to blocks when none
 * was), less its share of the audit penalties, which fall on burn blocks.
 * Each block weighs learning_rate: an option chosen n times keeps
 * (1 - rate)^n of its old attraction.  Output of an option not chosen in
 * the review (a job that ended late) waits in its tally for the next. */
static void review_learning(org *o, const behaviour_review *review, gsl_rng *r) {
  (void)r;
  org_agents *a = &o->agents;
  double keep_per_block = 1.0 - o->s->org.learning_rate;
  for (size_t i = 0; i < a->n; i++) {
    org_learner *l = &a->learner[i];
    double claims = 0, blocks = 0, burn_blocks = 0;
    for (int k = 0; k < ORG_OPTIONS; k++) {
      claims += l->kpi_claim[k];
      blocks += l->blocks[k];
      if (org_option_burns(k)) burn_blocks += l->blocks[k];
    }
    double reward = a->status_weight[i] * review->reward[i];
    for (int k = 0; k < ORG_OPTIONS; k++) {
      if (l->blocks[k] == 0) continue;
      double n = l->blocks[k];
      double share = claims > 0 ? l->kpi_claim[k] / claims : n / blocks;
      double total = l->payoff[k] + reward * share;
      if (org_option_burns(k)) total -= review->penalty[i] * n / burn_blocks;
      double keep = pow(keep_per_block, n);
      l->attraction[k] = (float)(keep * l->attraction[k] + (1 - keep) * total / n);
      l->payoff[k] = l->kpi_claim[k] = 0;
      l->blocks[k] = 0;
    }
  }
}

/* Each agent, with probability imitation_rate, looks at one random peer and
 * copies the peer's burn propensity if the peer's review went better.
 * Draws are a fixed three per agent so streams stay aligned across arms;
 * decisions use the payoffs before anyone copies. */
static void review_imitation(org *o, const behaviour_review *review, gsl_rng *r) {
  const double *payoff = review->payoff;
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
    if (u < o->s->org.imitation_rate && payoff[peer] > payoff[i])
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
    .doc = "logit over attractions learnt from realised payoffs, updated at each review end",
    .learns = 1,
    .choose = choose_learning,
    .chosen = chosen_learning,
    .realised = realised_learning,
    .review_end = review_learning,
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
