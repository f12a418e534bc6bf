/* policies/budget.h - the budget lever: next cycle's team allocations.
 *
 * A budget rule decides only how much each team is allocated for the next
 * cycle, from the ledgers of the cycle that ends (org_teams: allocation,
 * spent, spent_useful, need, value, size).  The organisation model does the
 * rest, the same for every rule: charging jobs, refusing or holding jobs a
 * team cannot pay for, what happens to unspent money (budget.unspent: lost
 * or rolled over), and scaling allocations to a fixed pool (budget.pool).
 *
 * spend_sensitivity tells agents how one more $ spent now changes their
 * team's next allocation (1 + growth under a usage-based rule, 0 under a
 * fixed one); together with the unspent rule this is E[team budget gain]
 * in an agent's utility, and what makes expiring budgets spike at cycle end.
 *
 * Types are listed once in policies/budget_registry.c.
 */
#ifndef BURNSIM_BUDGET_H
#define BURNSIM_BUDGET_H

#include <stddef.h>
#include <stdio.h>

#include "org/org.h"

typedef struct budget_type {
  const char *name;
  const char *doc;
  size_t state_size; /* zeroed bytes the org allocates; 0: stateless */
  int (*init)(void *state, const org *o, FILE *err); /* may be NULL */
  void (*free)(void *state);                         /* may be NULL */
  /* next[j]: team j's allocation for the next cycle, before pool scaling. */
  void (*allocate)(void *state, const org *o, double *next);
  /* d(next allocation) / d($ spent now) for team. */
  double (*spend_sensitivity)(const void *state, const org *o, uint32_t team);
} budget_type;

const budget_type *budget_find(const char *name);
const budget_type *budget_at(size_t i);
const char *budget_name_at(size_t i);

/* The budget rules, in registry order: a loaded scenario stores a type's position
 * (budget.type is its index); scenario files refer to the names.  Adding one
 * is its file and one line here. */
#define BUDGET_TYPES(X) \
  X(budget_fixed) \
  X(budget_usage_based) \
  X(budget_outcome_based) \
  X(budget_hybrid)
#define BUDGET_DECLARE(t) extern const budget_type t;
BUDGET_TYPES(BUDGET_DECLARE)
#undef BUDGET_DECLARE

#endif
