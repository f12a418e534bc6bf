/* policies/scheduler_registry.c - the lookups over SCHEDULER_TYPES, the one list of schedulers (policies/scheduler.h). */
#include "policies/scheduler.h"
#include "policies/registry.h"

#define SCHEDULER_ADDRESS(t) &t,
static const scheduler_type *const registry[] = {SCHEDULER_TYPES(SCHEDULER_ADDRESS)};

REGISTRY_LOOKUPS(scheduler, scheduler_type, registry)
