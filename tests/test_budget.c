/* tests/test_budget.c - budget rules: known allocations, sensitivities, conservation.
 *
 * Each rule runs on small organisations built by hand (only the team
 * ledgers a rule reads), with the scenario's defaults and a few fields set.
 */
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_test.h>
#include <stdlib.h>
#include <string.h>

#include "policies/budget.h"
#include "config/config.h"
#include "core/rng.h"
#include "config/scenario.h"
#include "helpers/org_fixture.h"

#define MAX_TEAMS 16

static scenario scn;

/* An org of n teams with every team array allocated and zeroed. */
static org make_org(size_t n) { return fixture_org(&scn, 0, n); }

static void set3(double *a, double x, double y, double z) {
  a[0] = x;
  a[1] = y;
  a[2] = z;
}

/* What the org does with a rule: zeroed state, init, allocate, free. */
static void *start(const budget_type *t, const org *o) {
  void *st = calloc(1, t->state_size ? t->state_size : 1);
  if (t->init) gsl_test(t->init(st, o, stderr), "%s: init succeeds", t->name);
  return st;
}

static void stop(const budget_type *t, void *st) {
  if (t->free) t->free(st);
  free(st);
}

static void expect3(const double *next, double x, double y, double z, const char *what) {
  gsl_test_rel(next[0], x, 1e-14, "%s: team 0", what);
  gsl_test_rel(next[1], y, 1e-14, "%s: team 1", what);
  gsl_test_rel(next[2], z, 1e-14, "%s: team 2", what);
}

static double sum(const double *a, size_t n) {
  double s = 0.0;
  for (size_t j = 0; j < n; j++) s += a[j];
  return s;
}

/* The registry's contract (names, look-ups, lifetimes, empty orgs,
 * determinism) is checked for every rule in tests/test_levers.c. */
static void test_default(void) {
  gsl_test(budget_at((size_t)scn.budget.type) != &budget_fixed, "the scenario's default rule is fixed");
}

static void test_fixed(void) {
  org o = make_org(3);
  set3(o.teams.allocation, 100, 200, 300);
  void *st = start(&budget_fixed, &o);
  /* A cycle later: the org has moved allocations, teams spent and produced. */
  set3(o.teams.allocation, 150, 50, 0);
  set3(o.teams.spent, 500, 0, 10);
  set3(o.teams.value, 1, 2, 3);
  double next[3];
  budget_fixed.allocate(st, &o, next);
  expect3(next, 100, 200, 300, "fixed gives the first allocation");
  set3(o.teams.allocation, next[0], next[1], next[2]);
  budget_fixed.allocate(st, &o, next);
  expect3(next, 100, 200, 300, "fixed, a cycle later");
  for (uint32_t j = 0; j < 3; j++)
    gsl_test_abs(budget_fixed.spend_sensitivity(st, &o, j), 0.0, 0.0, "fixed: sensitivity of team %u", j);
  stop(&budget_fixed, st);
  fixture_org_free(&o);
}

static void test_usage_based(void) {
  org o = make_org(3);
  set3(o.teams.allocation, 100, 200, 300);
  set3(o.teams.spent, 50, 0, 400);
  set3(o.teams.value, 9, 9, 9);
  scn.budget.growth = 0.1;
  void *st = start(&budget_usage_based, &o);
  double next[3];
  budget_usage_based.allocate(st, &o, next);
  expect3(next, 55, 0, 440, "usage_based, growth 0.1");
  gsl_test_rel(budget_usage_based.spend_sensitivity(st, &o, 2), 1.1, 1e-15,
               "usage_based: sensitivity 1 + growth");
  scn.budget.growth = -0.5;
  budget_usage_based.allocate(st, &o, next);
  expect3(next, 25, 0, 200, "usage_based, growth -0.5");
  gsl_test_rel(budget_usage_based.spend_sensitivity(st, &o, 0), 0.5, 1e-15,
               "usage_based: sensitivity follows a switched growth");
  scn.budget.growth = 0.1;
  stop(&budget_usage_based, st);
  fixture_org_free(&o);
}

/* An incremental budget: the base keeps a share of the allocation
 * whatever was spent, so a $ that expires cuts the next allocation by only
 * 1 - memory, and a $ spent adds only (1 - memory) * (1 + growth). */
static void test_allocation_memory(void) {
  org o = make_org(3);
  set3(o.teams.allocation, 100, 200, 300);
  set3(o.teams.spent, 50, 0, 400);
  scn.budget.growth = 0.1;
  scn.budget.allocation_memory = 0.75;
  void *st = start(&budget_usage_based, &o);
  double next[3];
  budget_usage_based.allocate(st, &o, next);
  /* (0.75 * allocation + 0.25 * spent) * 1.1 */
  expect3(next, 96.25, 165, 357.5, "usage_based, memory 0.75, growth 0.1");
  gsl_test_rel(budget_usage_based.spend_sensitivity(st, &o, 1), 0.275, 1e-15,
               "usage_based, memory 0.75: sensitivity (1 - memory) * (1 + growth)");
  scn.budget.allocation_memory = 1.0;
  budget_usage_based.allocate(st, &o, next);
  expect3(next, 110, 220, 330, "usage_based, memory 1: the allocation grows whatever was spent");
  gsl_test(budget_usage_based.spend_sensitivity(st, &o, 0) != 0.0, "usage_based, memory 1: spending buys nothing");
  scn.budget.allocation_memory = 0.0;
  stop(&budget_usage_based, st);
  fixture_org_free(&o);
}

static void test_outcome_based(void) {
  org o = make_org(3);
  set3(o.teams.allocation, 100, 200, 300);
  set3(o.teams.spent, 100, 1000, 0);
  set3(o.teams.value, 1, 1, 2);
  void *st = start(&budget_outcome_based, &o);
  double next[3];
  budget_outcome_based.allocate(st, &o, next);
  expect3(next, 150, 150, 300, "outcome_based shares 600 as 1:1:2");
  gsl_test_rel(sum(next, 3), 600, 1e-15, "outcome_based conserves the total");
  set3(o.teams.value, 0, 0, 7);
  budget_outcome_based.allocate(st, &o, next);
  expect3(next, 0, 0, 600, "outcome_based: one producer takes all");
  set3(o.teams.value, 0, 0, 0);
  budget_outcome_based.allocate(st, &o, next);
  expect3(next, 100, 200, 300, "outcome_based without output keeps allocations");
  for (uint32_t j = 0; j < 3; j++)
    gsl_test_abs(budget_outcome_based.spend_sensitivity(st, &o, j), 0.0, 0.0,
                 "outcome_based: sensitivity of team %u", j);
  stop(&budget_outcome_based, st);
  fixture_org_free(&o);
}

static void test_hybrid(void) {
  org o = make_org(3);
  set3(o.teams.allocation, 100, 200, 300); /* total 600 */
  o.teams.size[0] = 2;
  o.teams.size[1] = 3;
  o.teams.size[2] = 5; /* 10 heads */
  set3(o.teams.value, 1, 1, 2);
  set3(o.teams.spent, 300, 0, 50);
  void *st = start(&budget_hybrid, &o);
  double next[3];

  /* Fee from the pool: 0.5 * 600 / 10 = 30 per head; grants 300 as 1:1:2. */
  scn.budget.grant_share = 0.5;
  scn.budget.per_head_fee = 0.0;
  budget_hybrid.allocate(st, &o, next);
  expect3(next, 60 + 75, 90 + 75, 150 + 150, "hybrid, fee from the pool");
  gsl_test_rel(sum(next, 3), 600, 1e-15, "hybrid with the fee from the pool conserves the total");

  /* A configured fee of 20 per head, paid on top of the same grants. */
  scn.budget.per_head_fee = 20.0;
  budget_hybrid.allocate(st, &o, next);
  expect3(next, 40 + 75, 60 + 75, 100 + 150, "hybrid, fee 20 per head");

  /* The two ends: all per head, all by output. */
  scn.budget.per_head_fee = 0.0;
  scn.budget.grant_share = 0.0;
  budget_hybrid.allocate(st, &o, next);
  expect3(next, 120, 180, 300, "hybrid, grant_share 0: per head");
  scn.budget.grant_share = 1.0;
  budget_hybrid.allocate(st, &o, next);
  expect3(next, 150, 150, 300, "hybrid, grant_share 1: outcome_based");

  /* Without output, grants follow the current allocations. */
  scn.budget.grant_share = 0.5;
  set3(o.teams.value, 0, 0, 0);
  budget_hybrid.allocate(st, &o, next);
  expect3(next, 60 + 50, 90 + 100, 150 + 150, "hybrid without output");
  gsl_test_rel(sum(next, 3), 600, 1e-15, "hybrid without output conserves the total");

  for (uint32_t j = 0; j < 3; j++)
    gsl_test_abs(budget_hybrid.spend_sensitivity(st, &o, j), 0.0, 0.0, "hybrid: sensitivity of team %u", j);
  scn.budget.grant_share = 0.5;
  stop(&budget_hybrid, st);
  fixture_org_free(&o);
}

/* Outcome-based, and hybrid with the fee from the pool, conserve the total
 * on random organisations, for any grant share; no rule touches the ledgers. */
static void test_conservation(void) {
  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  gsl_rng_set(r, 20240601);
  static const double shares[] = {0.0, 0.25, 0.5, 0.9, 1.0};
  int bad_total = 0, bad_sign = 0, touched = 0;
  for (int trial = 0; trial < 200; trial++) {
    size_t n = 1 + gsl_rng_uniform_int(r, MAX_TEAMS);
    org o = make_org(n);
    for (size_t j = 0; j < n; j++) {
      o.teams.allocation[j] = 1e4 * gsl_rng_uniform(r);
      o.teams.spent[j] = 1e4 * gsl_rng_uniform(r);
      o.teams.value[j] = gsl_rng_uniform(r) < 0.3 ? 0.0 : 1e5 * gsl_rng_uniform(r);
      o.teams.size[j] = (uint32_t)(1 + gsl_rng_uniform_int(r, 40));
    }
    double total = sum(o.teams.allocation, n);
    double copy[MAX_TEAMS], next[MAX_TEAMS];
    memcpy(copy, o.teams.allocation, n * sizeof(double));
    const budget_type *types[] = {&budget_outcome_based, &budget_hybrid};
    for (size_t k = 0; k < 2; k++) {
      for (size_t g = 0; g < sizeof shares / sizeof shares[0]; g++) {
        scn.budget.grant_share = shares[g];
        scn.budget.per_head_fee = 0.0;
        void *st = start(types[k], &o);
        types[k]->allocate(st, &o, next);
        stop(types[k], st);
        if (gsl_fcmp(sum(next, n), total, 1e-12) != 0) bad_total++;
        for (size_t j = 0; j < n; j++)
          if (next[j] < 0.0) bad_sign++;
        if (memcmp(copy, o.teams.allocation, n * sizeof(double)) != 0) touched++;
      }
    }
    fixture_org_free(&o);
  }
  scn.budget.grant_share = 0.5;
  gsl_test(bad_total, "outcome_based and hybrid (fee from the pool) conserve the total: %d misses", bad_total);
  gsl_test(bad_sign, "no allocation is negative: %d", bad_sign);
  gsl_test(touched, "allocate leaves the org's ledgers alone: %d", touched);
  gsl_rng_free(r);
}

int main(void) {
  fixture_defaults(&scn);
  test_default();
  test_fixed();
  test_usage_based();
  test_allocation_memory();
  test_outcome_based();
  test_hybrid();
  test_conservation();
  return gsl_test_summary();
}
