/* policies/kpi_registry.c - the one list of KPI types.
 *
 * A type's position here is the index stored in a loaded scenario
 * (kpi.type); scenario files refer to the names.  Adding a KPI is one file
 * and one line here.
 */
#include <string.h>

#include "kpi.h"

static const kpi_type *const registry[] = {
    &kpi_none,
    &kpi_tokens,
    &kpi_spend_target,
    &kpi_output,
    &kpi_efficiency,
    &kpi_blend,
};

#define REGISTRY_SIZE (sizeof registry / sizeof registry[0])

const kpi_type *kpi_at(size_t i) {
  return i < REGISTRY_SIZE ? registry[i] : NULL;
}

const char *kpi_name_at(size_t i) {
  return i < REGISTRY_SIZE ? registry[i]->name : NULL;
}

const kpi_type *kpi_find(const char *name) {
  for (size_t i = 0; i < REGISTRY_SIZE; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}
