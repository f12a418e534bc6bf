/* tests/helpers/org_fixture.h - the scenarios and organisations unit tests
 * build: the schema's defaults with overrides, and an organisation of
 * zeroed ledgers for calling a lever directly. */
#ifndef BURNSIM_TEST_ORG_FIXTURE_H
#define BURNSIM_TEST_ORG_FIXTURE_H

#include <stddef.h>

#include "config/scenario.h"
#include "org/org.h"

/* Fills s with the schema's defaults (a failed check when they do not load). */
void fixture_defaults(scenario *s);

/* Applies one "key=value" override to s; exits naming it when it does not apply. */
void fixture_set(scenario *s, const char *text);

/* A scenario of the schema's defaults named `name` with n overrides
 * applied in order; allocated, free() it.  Exits when one does not apply. */
scenario *fixture_scenario(const char *name, const char *const *overrides, size_t n);

/* An organisation on s of `agents` agents and `teams` teams, every ledger
 * a lever reads (review tokens, $, value, salary, badges, burn blocks,
 * penalties, caught; team sizes, needs, allocations, budgets, spending,
 * value) allocated and zeroed, everything else zero. */
org fixture_org(const scenario *s, size_t agents, size_t teams);
void fixture_org_free(org *o);

#endif
