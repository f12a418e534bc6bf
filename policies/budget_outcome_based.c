/* policies/budget_outcome_based.c - this cycle's total shared by output.
 *
 *     next[j] = total * value[j] / sum_k value[k],  total = sum_k allocation[k]
 *
 * Money follows what teams produced, not what they spent, so spending
 * buys no budget by itself (spend_sensitivity 0); spending that produces
 * output is rewarded through value.  The total is conserved.  When no team
 * produced anything there is nothing to share by, and each team keeps its
 * current allocation (which is the same rule with allocations as weights).
 */
#include "policies/budget.h"

static void outcome_allocate(void *state, const org *o, double *next) {
  (void)state;
  const org_teams *t = &o->teams;
  double total = 0.0, value = 0.0;
  for (size_t j = 0; j < t->n; j++) {
    total += t->allocation[j];
    value += t->value[j];
  }
  if (!(value > 0.0)) {
    for (size_t j = 0; j < t->n; j++) next[j] = t->allocation[j];
    return;
  }
  for (size_t j = 0; j < t->n; j++) next[j] = total * (t->value[j] / value);
}

static double outcome_spend_sensitivity(const void *state, const org *o, uint32_t team) {
  (void)state;
  (void)o;
  (void)team;
  return 0.0;
}

const budget_type budget_outcome_based = {
    .name = "outcome_based",
    .doc = "this cycle's total shared in proportion to each team's output",
    .state_size = 0, /* stateless */
    .init = NULL,
    .free = NULL,
    .allocate = outcome_allocate,
    .spend_sensitivity = outcome_spend_sensitivity,
};
