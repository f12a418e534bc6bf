/* sim/org/behaviour.c - the behaviour models (logit, learning, imitation)
 * and their registry. */
#include "org/behaviour.h"

#include "policies/registry.h"

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

/* Attractions start at the agent's expected utilities (its prior): one
 * block's utilities would scale every prior by that block's random task
 * size, and options the agent then seldom tries would keep the inflated
 * value.  From then on they follow realised payoffs (review_learning). */
static void start_learning(org *o, uint32_t agent, const double *expected_utility) {
  org_learner *l = &o->agents.learner[agent];
  for (int k = 0; k < ORG_OPTIONS; k++) l->attraction[k] = (float)expected_utility[k];
}

static int choose_learning(org *o, uint32_t agent, const double *utility, double u01) {
  (void)utility;
  const float *a = o->agents.learner[agent].attraction;
  double v[ORG_OPTIONS];
  for (int i = 0; i < ORG_OPTIONS; i++) v[i] = a[i];
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

/* P(o) = (1 - w) logit(U)(o) + w habit(o), w = imitation_weight, picked by
 * inverting the mixture's cumulative distribution at u01 (one uniform per
 * block, as every model).  Until its first review an agent has no habit
 * (NaN) and chooses as logit does. */
static int choose_imitation(org *o, uint32_t agent, const double *utility, double u01) {
  const float *habit = o->agents.imitator[agent].habit;
  if (isnan(habit[0])) return choose_logit(o, agent, utility, u01);
  double p[ORG_OPTIONS];
  behaviour_logit_probabilities(utility, ORG_OPTIONS, o->s->org.temperature, p);
  double w = o->s->org.imitation_weight;
  double cum = 0;
  for (int k = 0; k < ORG_OPTIONS - 1; k++) {
    cum += (1 - w) * p[k] + w * habit[k];
    if (u01 < cum) return k;
  }
  return ORG_OPTIONS - 1;
}

static void chosen_imitation(org *o, uint32_t agent, int option, double payoff, double kpi_gain) {
  (void)payoff, (void)kpi_gain;
  o->agents.imitator[agent].blocks[option]++;
}

/* Agent i's option shares in the review into shares; 0 if it had no block. */
static int observed_shares(const org_imitator *im, float shares[ORG_OPTIONS]) {
  uint32_t n = 0;
  for (int k = 0; k < ORG_OPTIONS; k++) n += im->blocks[k];
  if (n == 0) return 0;
  for (int k = 0; k < ORG_OPTIONS; k++) shares[k] = (float)im->blocks[k] / (float)n;
  return 1;
}

/* Success-biased imitation within teams (the pairwise comparison, or
 * Fermi, rule of evolutionary game theory: Szabo and Toke 1998).  With
 * probability imitation_rate an agent looks at one random member of its own
 * team; it adopts the colleague's option shares of the review with
 * probability 1 / (1 + exp(-(payoff_peer - payoff_own) / K)), K =
 * imitation_noise ($; K = 0: exactly when the colleague did better).  Any
 * other agent keeps its own shares of the review as its habit.  Colleagues
 * see what one another did, not why: that is what spreads.  Draws are a
 * fixed three uniforms per agent, so streams stay aligned across arms; every
 * decision uses the shares and payoffs before anyone copies. */
static void review_imitation(org *o, const behaviour_review *review, gsl_rng *r) {
  const double *payoff = review->payoff;
  org_agents *ag = &o->agents;
  size_t n = ag->n;
  float (*next)[ORG_OPTIONS] = ag->next_habit; /* allocated with the imitator records */
  const double rate = o->s->org.imitation_rate, noise = o->s->org.imitation_noise;
  size_t first = 0; /* a team's members are consecutive agents */
  for (size_t j = 0; j < o->teams.n; j++) {
    size_t size = o->teams.size[j];
    for (size_t i = first; i < first + size; i++) {
      double u_compare = gsl_rng_uniform(r), u_peer = gsl_rng_uniform(r), u_adopt = gsl_rng_uniform(r);
      if (!observed_shares(&ag->imitator[i], next[i])) /* no block: the habit stays */
        memcpy(next[i], ag->imitator[i].habit, sizeof next[i]);
      if (size < 2 || !(u_compare < rate)) continue;
      size_t peer = first + (size_t)(u_peer * (double)(size - 1));
      if (peer >= i) peer++; /* anyone in the team but i */
      double gap = payoff[peer] - payoff[i];
      double p_adopt = noise > 0 ? 1 / (1 + exp(-gap / noise)) : (gap > 0);
      float shares[ORG_OPTIONS];
      if (u_adopt < p_adopt && observed_shares(&ag->imitator[peer], shares))
        memcpy(next[i], shares, sizeof shares);
    }
    first += size;
  }
  for (size_t i = 0; i < n; i++) {
    memcpy(ag->imitator[i].habit, next[i], sizeof next[i]);
    memset(ag->imitator[i].blocks, 0, sizeof ag->imitator[i].blocks);
  }
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
    .start = start_learning,
    .choose = choose_learning,
    .chosen = chosen_learning,
    .realised = realised_learning,
    .review_end = review_learning,
};

const behaviour_type behaviour_imitation = {
    .name = "imitation",
    .doc = "logit mixed with a habit; at review end, adopt a better-paid teammate's option shares",
    .imitates = 1,
    .choose = choose_imitation,
    .chosen = chosen_imitation,
    .review_end = review_imitation,
};

static const behaviour_type *const registry[] = {&behaviour_logit, &behaviour_learning,
                                                 &behaviour_imitation};

REGISTRY_LOOKUPS(behaviour, behaviour_type, registry)
