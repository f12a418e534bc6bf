/* policies/budget_registry.c - the one list of budget rules.
 *
 * A type's position here is the index stored in a loaded scenario; the
 * names, not the positions, are what scenario files refer to.  The first
 * entry is the default (budget.type = "fixed").
 */
#include "policies/budget.h"
#include "policies/registry.h"

static const budget_type *const registry[] = {
    &budget_fixed,
    &budget_usage_based,
    &budget_outcome_based,
    &budget_hybrid,
};

REGISTRY_LOOKUPS(budget, budget_type, registry)
