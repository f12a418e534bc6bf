/* policies/kpi_registry.c - the one list of KPI types.
 *
 * A type's position here is the index stored in a loaded scenario
 * (kpi.type); scenario files refer to the names.  Adding a KPI is one file
 * and one line here.
 */
#include "policies/kpi.h"
#include "policies/registry.h"

static const kpi_type *const registry[] = {
    &kpi_none,
    &kpi_tokens,
    &kpi_spend_target,
    &kpi_output,
    &kpi_efficiency,
    &kpi_blend,
};

REGISTRY_LOOKUPS(kpi, kpi_type, registry)
