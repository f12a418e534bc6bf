/* policies/scheduler_registry.c - the one list of scheduler types.
 *
 * A type's position here is the index stored in a loaded scenario; the
 * names, not the positions, are what scenario files refer to.
 */
#include "policies/scheduler.h"
#include "policies/registry.h"

static const scheduler_type *const registry[] = {
    &scheduler_fifo,
    &scheduler_fair_share,
    &scheduler_value_priority,
    &scheduler_quota,
};

REGISTRY_LOOKUPS(scheduler, scheduler_type, registry)
