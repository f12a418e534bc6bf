/* policies/kpi_registry.c - the lookups over KPI_TYPES, the one list of KPI types (policies/kpi.h). */
#include "policies/kpi.h"
#include "policies/registry.h"

#define KPI_ADDRESS(t) &t,
static const kpi_type *const registry[] = {KPI_TYPES(KPI_ADDRESS)};

REGISTRY_LOOKUPS(kpi, kpi_type, registry)
