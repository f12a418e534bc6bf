/* policies/budget_registry.c - the one list of budget rules.
 *
 * A type's position here is the index stored in a loaded scenario; the
 * names, not the positions, are what scenario files refer to.  The first
 * entry is the default (budget.type = "fixed").
 */
#include <string.h>

#include "budget.h"

static const budget_type *const registry[] = {
    &budget_fixed,
    &budget_usage_based,
    &budget_outcome_based,
    &budget_hybrid,
};

#define REGISTRY_SIZE (sizeof registry / sizeof registry[0])

const budget_type *budget_at(size_t i) {
  return i < REGISTRY_SIZE ? registry[i] : NULL;
}

const char *budget_name_at(size_t i) {
  return i < REGISTRY_SIZE ? registry[i]->name : NULL;
}

const budget_type *budget_find(const char *name) {
  for (size_t i = 0; i < REGISTRY_SIZE; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}
