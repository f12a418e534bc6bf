/* policies/enforcement_registry.c - the lookups over ENFORCEMENT_TYPES, the one list of enforcement policies (policies/enforcement.h). */
#include "policies/enforcement.h"
#include "policies/registry.h"

#define ENFORCEMENT_ADDRESS(t) &t,
static const enforcement_type *const registry[] = {ENFORCEMENT_TYPES(ENFORCEMENT_ADDRESS)};

REGISTRY_LOOKUPS(enforcement, enforcement_type, registry)
