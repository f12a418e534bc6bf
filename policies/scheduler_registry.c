/* policies/scheduler_registry.c - the one list of scheduler types.
 *
 * A type's position here is the index stored in a loaded scenario; the
 * names, not the positions, are what scenario files refer to.
 */
#include <string.h>

#include "scheduler.h"

static const scheduler_type *const registry[] = {
    &scheduler_fifo,
    &scheduler_fair_share,
    &scheduler_value_priority,
    &scheduler_quota,
};

#define REGISTRY_SIZE (sizeof registry / sizeof registry[0])

const scheduler_type *scheduler_at(size_t i) {
  return i < REGISTRY_SIZE ? registry[i] : NULL;
}

const char *scheduler_name_at(size_t i) {
  return i < REGISTRY_SIZE ? registry[i]->name : NULL;
}

const scheduler_type *scheduler_find(const char *name) {
  for (size_t i = 0; i < REGISTRY_SIZE; i++)
    if (strcmp(registry[i]->name, name) == 0) return registry[i];
  return NULL;
}
