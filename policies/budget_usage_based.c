/* policies/budget_usage_based.c - next cycle's budget follows this cycle's spending.
 *
 *     next[j] = base[j] * (1 + growth)
 *     base[j] = memory * allocation[j] + (1 - memory) * spent[j]
 *
 * The common practice of budgeting from last year's actuals.  With
 * allocation_memory (memory) 0, the default, the base is the spending
 * alone; a larger memory keeps part of the allocation in force whatever
 * was spent (an incremental budget), so money that expires cuts the next
 * allocation by only 1 - memory $ per $.  Every $ a team spends now adds
 * (1 - memory) * (1 + growth) $ to its next allocation, which is what
 * makes spending look free (or profitable) to its members; combined with
 * use-it-or-lose-it it drives the end-of-cycle spike.  growth and memory
 * are read from the scenario at each call, so a switch takes effect at
 * once.
 */
#include "policies/budget.h"

static void usage_allocate(void *state, const org *o, double *next) {
  (void)state;
  const scn_budget *b = &o->s->budget;
  double factor = 1.0 + b->growth, memory = b->allocation_memory;
  for (size_t j = 0; j < o->teams.n; j++) {
    /* memory 0 is the spending itself, bit for bit. */
    double base = memory > 0 ? memory * o->teams.allocation[j] + (1 - memory) * o->teams.spent[j]
                             : o->teams.spent[j];
    next[j] = base * factor;
  }
}

static double usage_spend_sensitivity(const void *state, const org *o, uint32_t team) {
  (void)state;
  (void)team;
  const scn_budget *b = &o->s->budget;
  return (1.0 - b->allocation_memory) * (1.0 + b->growth);
}

const budget_type budget_usage_based = {
    .name = "usage_based",
    .doc = "next = spent * (1 + growth), or partly the allocation (allocation_memory): budgets follow past use",
    .state_size = 0, /* stateless */
    .init = NULL,
    .free = NULL,
    .allocate = usage_allocate,
    .spend_sensitivity = usage_spend_sensitivity,
};
