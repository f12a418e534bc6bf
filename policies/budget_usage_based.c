/* policies/budget_usage_based.c - next cycle's budget follows this cycle's spending.
 *
 *     next[j] = spent[j] * (1 + growth)
 *
 * The common practice of budgeting from last year's actuals.  Every $ a
 * team spends now adds 1 + growth $ to its next allocation, which is what
 * makes spending look free (or profitable) to its members; combined with
 * use-it-or-lose-it it drives the end-of-cycle spike.  growth is read from
 * the scenario at each call, so a switched growth takes effect at once.
 */
#include "budget.h"

static void usage_allocate(void *state, const org *o, double *next) {
  (void)state;
  double factor = 1.0 + o->s->budget.growth;
  for (size_t j = 0; j < o->teams.n; j++) next[j] = o->teams.spent[j] * factor;
}

static double usage_spend_sensitivity(const void *state, const org *o, uint32_t team) {
  (void)state;
  (void)team;
  return 1.0 + o->s->budget.growth;
}

const budget_type budget_usage_based = {
    .name = "usage_based",
    .doc = "next = spent * (1 + growth): the budget follows past consumption",
    .state_size = 0, /* stateless */
    .init = NULL,
    .free = NULL,
    .allocate = usage_allocate,
    .spend_sensitivity = usage_spend_sensitivity,
};
