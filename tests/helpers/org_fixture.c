/* tests/helpers/org_fixture.c - see org_fixture.h. */
#include "org_fixture.h"

#include <gsl/gsl_test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

void fixture_defaults(scenario *s) {
  memset(s, 0, sizeof *s);
  if (simc_defaults(&scenario_schema, s, stderr) != 0) gsl_test(1, "scenario defaults load");
}

void fixture_set(scenario *s, const char *text) {
  if (scenario_apply(s, text, stderr) != 0) {
    fprintf(stderr, "cannot apply the override %s\n", text);
    exit(1);
  }
}

scenario *fixture_scenario(const char *name, const char *const *overrides, size_t n) {
  scenario *s = calloc(1, sizeof *s);
  if (!s || simc_defaults(&scenario_schema, s, stderr) != 0) {
    fprintf(stderr, "cannot load the scenario defaults\n");
    exit(1);
  }
  snprintf(s->name, sizeof s->name, "%s", name);
  snprintf(s->description, sizeof s->description, "%s", name);
  for (size_t k = 0; k < n; k++) fixture_set(s, overrides[k]);
  return s;
}

#define ZEROED(p, n) ((p) = calloc((n) ? (n) : 1, sizeof *(p)))

org fixture_org(const scenario *s, size_t agents, size_t teams) {
  org o;
  memset(&o, 0, sizeof o);
  o.s = s;
  o.agents.n = agents;
  ZEROED(o.agents.review_tokens, agents);
  ZEROED(o.agents.review_usd, agents);
  ZEROED(o.agents.review_value, agents);
  ZEROED(o.agents.salary, agents);
  ZEROED(o.agents.badges, agents);
  ZEROED(o.agents.review_burn_blocks, agents);
  ZEROED(o.agents.penalties, agents);
  ZEROED(o.agents.caught, agents);
  o.teams.n = teams;
  ZEROED(o.teams.size, teams);
  ZEROED(o.teams.need, teams);
  ZEROED(o.teams.allocation, teams);
  ZEROED(o.teams.budget, teams);
  ZEROED(o.teams.spent, teams);
  ZEROED(o.teams.spent_useful, teams);
  ZEROED(o.teams.value, teams);
  return o;
}

void fixture_org_free(org *o) {
  free(o->agents.review_tokens);
  free(o->agents.review_usd);
  free(o->agents.review_value);
  free(o->agents.salary);
  free(o->agents.badges);
  free(o->agents.review_burn_blocks);
  free(o->agents.penalties);
  free(o->agents.caught);
  free(o->teams.size);
  free(o->teams.need);
  free(o->teams.allocation);
  free(o->teams.budget);
  free(o->teams.spent);
  free(o->teams.spent_useful);
  free(o->teams.value);
}
