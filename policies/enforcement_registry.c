/* policies/enforcement_registry.c - the one list of enforcement policies.
 *
 * A type's position here is the index stored in a loaded scenario; the
 * names, not the positions, are what scenario files refer to.  The first
 * entry is the default (enforcement.type = "none").
 */
#include <string.h>

#include "enforcement.h"

static const enforcement_type *const registry[] = {
    &enforcement_none,
    &enforcement_audits,
    &enforcement_secrecy,
};

#define REGISTRY_SIZE (sizeof registry / sizeof registry[0])

const enforcement_type *enforcement_at(size_t i) {
  return i < REGISTRY_SIZE ? registry[i] : NULL;
}

const char *enforcement_name_at(size_t i) {
  return i < REGISTRY_SIZE ? registry[i]->name : NULL;
}

const enforcement_type *enforcement_find(const char *name) {
  for (size_t i = 0; i < REGISTRY_SIZE; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}
