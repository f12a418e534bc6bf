/* policies/enforcement_registry.c - the one list of enforcement policies.
 *
 * A type's position here is the index stored in a loaded scenario; the
 * names, not the positions, are what scenario files refer to.  The first
 * entry is the default (enforcement.type = "none").
 */
#include "policies/enforcement.h"
#include "policies/registry.h"

static const enforcement_type *const registry[] = {
    &enforcement_none,
    &enforcement_audits,
    &enforcement_secrecy,
};

REGISTRY_LOOKUPS(enforcement, enforcement_type, registry)
