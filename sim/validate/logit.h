/* sim/validate/logit.h - the logit model's choice frequencies against the closed form.
 *
 * The scenario must make every block the same choice problem: identical
 * agents (fixed skill and intrinsic weight; no status, loyalty, audit fear
 * or burn taste), fixed task sizes, no KPI, overdraft (nothing refused) and
 * the logit behaviour.  Then each option's utility is known in closed form,
 *     U(o) = eta * value(o) - effort(o),
 * value by hand skill * z, with AI skill * z * ai_speedup (no queue wait on
 * an ample cluster), times (1 - burn_attention) when the option burns, and
 * P(o) = exp(U(o) / tau) / sum exp(U / tau) (McFadden).  Each replication
 * is run in this process (the option counts are not in the run files).
 */
#ifndef BURNSIM_VALIDATE_LOGIT_H
#define BURNSIM_VALIDATE_LOGIT_H

#include <stdint.h>
#include <stdio.h>

#include "org/model.h"
#include "config/scenario.h"

/* The closed-form probabilities of the four options of s.  Returns 0, or -1
 * with the reason on err when s is not such a scenario. */
int val_logit_probabilities(const scenario *s, double p[ORG_OPTIONS], FILE *err);

/* The option counts and blocks of one run of s with seed.  Returns 0, or -1
 * with a message on err. */
int val_logit_run(const scenario *s, uint64_t seed, uint64_t counts[ORG_OPTIONS], uint64_t *blocks, FILE *err);

#endif
