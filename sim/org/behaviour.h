/* sim/org/behaviour.h - how agents turn option utilities into choices.
 *
 * Behaviour models are type objects listed once in sim/org/behaviour.c, so
 * a result can be checked for robustness to the behavioural assumption:
 * - logit: myopic expected utility with logit noise,
 *     P(o) = exp(U(o)/tau) / sum exp(U(o')/tau);
 * - learning: logit over attractions learnt from realised payoffs.  An
 *   option's attraction starts at the agent's expected utility of it (at
 *   the mean task size, when the model starts); the payoffs its blocks
 *   actually brought (effort, output when it was realised, discounted by
 *   the real wait, or the work done by hand when the job was refused,
 *   taste, the budget worth of loops that went ahead, and at the review
 *   end the KPI reward and audit penalties actually received) are tallied
 *   per option, and at each review end the attraction of every option
 *   chosen moves toward its realised payoff per block.  Options not chosen
 *   keep their values, so habits form;
 * - imitation: success-biased copying of a colleague's way of working.  An
 *   agent chooses from a mix of its logit probabilities and its habit (the
 *   option shares it carries from the last review); at each review end
 *   some agents compare their review payoff with a random member of their
 *   team and adopt that colleague's observed option shares by the Fermi
 *   rule, the others keep their own as their habit.
 */
#ifndef BURNSIM_BEHAVIOUR_H
#define BURNSIM_BEHAVIOUR_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "org/org.h"

/* What each agent received at a review end, $ per agent. */
typedef struct behaviour_review {
  const double *reward;  /* KPI reward, after any clawback */
  const double *penalty; /* audit penalties */
  const double *payoff;  /* reward + output realised in the review - penalty */
} behaviour_review;

typedef struct behaviour_type {
  const char *name;
  const char *doc;
  int learns;   /* the org keeps an org_learner per agent */
  int imitates; /* the org keeps an org_imitator per agent */
  /* The model starts (at the run's start, or when a switch brings it in):
   * expected_utility is agent's utility of each option at the mean task
   * size under the levers in force.  May be NULL. */
  void (*start)(org *o, uint32_t agent, const double *expected_utility);
  /* Picks an option given the utilities of this block; u01 is uniform [0,1). */
  int (*choose)(org *o, uint32_t agent, const double *utility, double u01);
  /* The block chose option: payoff is what it realised at once ($), kpi_gain
   * the KPI reward it was expected to bring ($).  May be NULL. */
  void (*chosen)(org *o, uint32_t agent, int option, double payoff, double kpi_gain);
  /* Payoff realised later by a block that chose option (a useful job's
   * output, when the job ends).  May be NULL. */
  void (*realised)(org *o, uint32_t agent, int option, double payoff);
  /* Review end; r is the review's imitation stream.  May be NULL. */
  void (*review_end)(org *o, const behaviour_review *review, gsl_rng *r);
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
