/* policies/budget_registry.c - the lookups over BUDGET_TYPES, the one list of budget rules (policies/budget.h). */
#include "policies/budget.h"
#include "policies/registry.h"

#define BUDGET_ADDRESS(t) &t,
static const budget_type *const registry[] = {BUDGET_TYPES(BUDGET_ADDRESS)};

REGISTRY_LOOKUPS(budget, budget_type, registry)
