/* tests/test_enforcement.c - enforcement: audit odds, penalties, clawback, risk, secrecy.
 *
 * Agents are built by hand (only the ledgers enforcement reads and writes),
 * with the scenario's defaults and a few fields set.
 */
#include <gsl/gsl_rng.h>
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "policies/enforcement.h"
#include "core/rng.h"
#include "config/scenario.h"
#include "helpers/org_fixture.h"

#define SEED 4242u

static scenario scn;

static org make_org(size_t n) { return fixture_org(&scn, n, 0); }

static gsl_rng *seeded(void) {
  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  gsl_rng_set(r, SEED);
  return r;
}

static void audit_params(double rate, double detect, double penalty, int clawback) {
  scn.enforcement.audit_rate = rate;
  scn.enforcement.detection_prob = detect;
  scn.enforcement.penalty = penalty;
  scn.enforcement.clawback = clawback;
}

/* The registry's contract (names, look-ups, lifetimes, empty orgs,
 * determinism) is checked for every policy in tests/test_levers.c. */
static void test_default(void) {
  gsl_test(enforcement_at((size_t)scn.enforcement.type) != &enforcement_none,
           "the scenario's default enforcement is none");
  gsl_test(enforcement_none.review_end != NULL || enforcement_secrecy.review_end != NULL,
           "none and secrecy do not audit");
}

static void test_none_and_secrecy(void) {
  org o = make_org(1);
  static const double gains[] = {-50.0, 0.0, 1.0, 1e6};
  for (size_t k = 0; k < 4; k++) {
    gsl_test_abs(enforcement_none.risk(NULL, &o, 0, gains[k]), 0.0, 0.0, "none: risk 0 at gain %g", gains[k]);
    gsl_test_abs(enforcement_secrecy.risk(NULL, &o, 0, gains[k]), 0.0, 0.0, "secrecy: risk 0 at gain %g",
                 gains[k]);
  }
  gsl_test_abs(enforcement_none.visibility_spread(NULL, &o), 1.0, 0.0, "none: standings are public");
  gsl_test_abs(enforcement_audits.visibility_spread(NULL, &o), 1.0, 0.0, "audits: standings are public");
  gsl_test_rel(enforcement_secrecy.visibility_spread(NULL, &o), scn.enforcement.secrecy_spread, 0.0,
               "secrecy: spread is secrecy_spread (default %g)", scn.enforcement.secrecy_spread);
  gsl_test(!(scn.enforcement.secrecy_spread > 1.0), "secrecy widens by default");
  double saved = scn.enforcement.secrecy_spread;
  scn.enforcement.secrecy_spread = 7.5;
  gsl_test_rel(enforcement_secrecy.visibility_spread(NULL, &o), 7.5, 0.0, "secrecy: a switched spread");
  scn.enforcement.secrecy_spread = saved;
  fixture_org_free(&o);
}

/* risk = audit_rate * detection_prob * (penalty + clawback * max(kpi_gain, 0)). */
static void test_risk(void) {
  org o = make_org(1);
  audit_params(0.05, 0.8, 500.0, 1);
  gsl_test_rel(enforcement_audits.risk(NULL, &o, 0, 200.0), 0.04 * 700.0, 1e-14, "audits: risk with clawback");
  gsl_test_rel(enforcement_audits.risk(NULL, &o, 0, 0.0), 0.04 * 500.0, 1e-14, "audits: risk without gain");
  gsl_test_rel(enforcement_audits.risk(NULL, &o, 0, -300.0), 0.04 * 500.0, 1e-14,
               "audits: a negative gain is nothing to claw back");
  audit_params(0.05, 0.8, 500.0, 0);
  gsl_test_rel(enforcement_audits.risk(NULL, &o, 0, 200.0), 0.04 * 500.0, 1e-14, "audits: risk, no clawback");
  audit_params(0.2, 0.5, 0.0, 1);
  gsl_test_rel(enforcement_audits.risk(NULL, &o, 0, 1000.0), 100.0, 1e-14, "audits: clawback alone");
  audit_params(0.0, 0.8, 500.0, 1);
  gsl_test_abs(enforcement_audits.risk(NULL, &o, 0, 1000.0), 0.0, 0.0, "audits: no audits, no risk");
  audit_params(0.05, 0.8, 500.0, 1);
  fixture_org_free(&o);
}

/* 10^5 agents who all burned: the caught share is audit_rate * detection_prob
 * within 4 standard errors; penalty and clawback only for the caught. */
static void test_caught_share(void) {
  const size_t n = 100000;
  const double rate = 0.3, detect = 0.5, penalty = 250.0;
  org o = make_org(n);
  double *reward = malloc(n * sizeof *reward);
  for (size_t i = 0; i < n; i++) {
    o.agents.review_burn_blocks[i] = (uint32_t)(1 + i % 7);
    reward[i] = 100.0 + (double)i;
  }
  audit_params(rate, detect, penalty, 1);
  gsl_rng *r = seeded();
  enforcement_audits.review_end(NULL, &o, reward, r);
  size_t caught = 0;
  int bad_penalty = 0, bad_reward = 0, bad_count = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = o.agents.caught[i];
    if (c > 1) bad_count++;
    caught += c;
    if (o.agents.penalties[i] != (c ? penalty * o.agents.review_burn_blocks[i] : 0.0)) bad_penalty++;
    if (reward[i] != (c ? 0.0 : 100.0 + (double)i)) bad_reward++;
  }
  double p = rate * detect, share = (double)caught / (double)n;
  double se = sqrt(p * (1 - p) / (double)n);
  printf("  caught %zu of %zu: share %.5f, expected %.5f (z = %+.2f)\n", caught, n, share, p, (share - p) / se);
  gsl_test(fabs(share - p) > 4 * se, "caught share %.5f is %.3f within 4 se of %.3f", share, p, 4 * se);
  gsl_test(bad_count, "an agent is caught at most once per review: %d", bad_count);
  gsl_test(bad_penalty, "penalty = penalty * burn blocks for the caught, 0 otherwise: %d wrong", bad_penalty);
  gsl_test(bad_reward, "clawback zeroes the reward of exactly the caught: %d wrong", bad_reward);

  /* A second review adds to the run's ledgers. */
  double *before = malloc(n * sizeof *before);
  memcpy(before, o.agents.penalties, n * sizeof *before);
  size_t caught_before = caught;
  enforcement_audits.review_end(NULL, &o, reward, r);
  caught = 0;
  int shrunk = 0;
  for (size_t i = 0; i < n; i++) {
    caught += o.agents.caught[i];
    if (o.agents.penalties[i] < before[i]) shrunk++;
  }
  gsl_test(!(caught > caught_before) || shrunk, "a second review adds penalties and catches");
  free(before);
  gsl_rng_free(r);
  free(reward);
  fixture_org_free(&o);
}

/* Agents who did not burn are never penalised, even when every audit finds
 * everything; penalties scale with burn blocks; without clawback rewards
 * stand. */
static void test_who_pays(void) {
  const size_t n = 1000;
  org o = make_org(n);
  double *reward = malloc(n * sizeof *reward);
  for (size_t i = 0; i < n; i++) {
    o.agents.review_burn_blocks[i] = (uint32_t)(i % 5); /* a fifth did not burn */
    reward[i] = 40.0;
  }
  gsl_rng *r = seeded();
  audit_params(1.0, 1.0, 120.0, 1);
  enforcement_audits.review_end(NULL, &o, reward, r);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t b = o.agents.review_burn_blocks[i];
    if (b == 0 && (o.agents.caught[i] || o.agents.penalties[i] != 0.0 || reward[i] != 40.0)) bad++;
    if (b > 0 && (o.agents.caught[i] != 1 || o.agents.penalties[i] != 120.0 * b || reward[i] != 0.0)) bad++;
  }
  gsl_test(bad, "certain audits: every burner pays 120 per block and loses the reward, no one else: %d", bad);

  /* No clawback: penalties, but rewards stand. */
  memset(o.agents.penalties, 0, n * sizeof(double));
  memset(o.agents.caught, 0, n * sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) reward[i] = 40.0;
  audit_params(1.0, 1.0, 120.0, 0);
  enforcement_audits.review_end(NULL, &o, reward, r);
  bad = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t b = o.agents.review_burn_blocks[i];
    if (reward[i] != 40.0 || o.agents.penalties[i] != 120.0 * b || o.agents.caught[i] != (b > 0)) bad++;
  }
  gsl_test(bad, "without clawback rewards stand, penalties still scale with blocks: %d", bad);

  /* No one burned: random audits find nothing. */
  memset(o.agents.review_burn_blocks, 0, n * sizeof(uint32_t));
  memset(o.agents.penalties, 0, n * sizeof(double));
  memset(o.agents.caught, 0, n * sizeof(uint32_t));
  audit_params(0.5, 0.9, 120.0, 1);
  enforcement_audits.review_end(NULL, &o, reward, r);
  bad = 0;
  for (size_t i = 0; i < n; i++)
    if (o.agents.caught[i] || o.agents.penalties[i] != 0.0) bad++;
  gsl_test(bad, "agents who did not burn are never penalised: %d", bad);

  /* A NULL reward array is allowed (nothing to claw back). */
  for (size_t i = 0; i < n; i++) o.agents.review_burn_blocks[i] = 1;
  audit_params(1.0, 1.0, 1.0, 1);
  enforcement_audits.review_end(NULL, &o, NULL, r);
  gsl_test(o.agents.caught[n - 1] != 1, "review_end without rewards still audits");

  gsl_rng_free(r);
  free(reward);
  fixture_org_free(&o);
}

/* Exactly two uniforms per agent, whatever the parameters and whoever
 * burned: the generator ends where a copy advanced by 2n draws ends. */
static void test_draw_count(void) {
  const size_t n = 1234;
  org o = make_org(n);
  double *reward = calloc(n, sizeof *reward);
  static const struct {
    double rate, detect;
    int burners; /* 0 none, 1 every other agent, 2 all */
  } arms[] = {{0.0, 0.0, 0}, {1.0, 1.0, 2}, {0.05, 0.8, 1}, {0.5, 0.0, 2}, {1.0, 0.3, 0}};
  for (size_t k = 0; k < sizeof arms / sizeof arms[0]; k++) {
    for (size_t i = 0; i < n; i++)
      o.agents.review_burn_blocks[i] = arms[k].burners == 2 ? 3u : arms[k].burners == 1 ? (uint32_t)(i % 2) : 0u;
    audit_params(arms[k].rate, arms[k].detect, 10.0, 1);
    gsl_rng *r = seeded();
    gsl_rng *copy = gsl_rng_clone(r);
    enforcement_audits.review_end(NULL, &o, reward, r);
    for (size_t d = 0; d < 2 * n; d++) gsl_rng_get(copy);
    gsl_test(memcmp(r->state, copy->state, gsl_rng_size(r)) != 0,
             "rate %g, detection %g, burners %d: exactly 2 draws per agent", arms[k].rate, arms[k].detect,
             arms[k].burners);
    gsl_rng_free(copy);
    gsl_rng_free(r);
  }
  free(reward);
  fixture_org_free(&o);
}

/* Common random numbers: with the same stream, a lower detection
 * probability catches a subset of whom a higher one catches. */
static void test_arms_aligned(void) {
  const size_t n = 20000;
  org lo = make_org(n), hi = make_org(n);
  for (size_t i = 0; i < n; i++) lo.agents.review_burn_blocks[i] = hi.agents.review_burn_blocks[i] = 2;
  gsl_rng *r = seeded();
  audit_params(0.4, 0.3, 1.0, 0);
  enforcement_audits.review_end(NULL, &lo, NULL, r);
  gsl_rng_set(r, SEED);
  audit_params(0.4, 0.9, 1.0, 0);
  enforcement_audits.review_end(NULL, &hi, NULL, r);
  int outside = 0;
  size_t n_lo = 0, n_hi = 0;
  for (size_t i = 0; i < n; i++) {
    n_lo += lo.agents.caught[i];
    n_hi += hi.agents.caught[i];
    if (lo.agents.caught[i] && !hi.agents.caught[i]) outside++;
  }
  gsl_test(outside, "arms share draws: the low-detection catch is within the high one (%d outside)", outside);
  gsl_test(!(n_lo < n_hi), "higher detection catches more (%zu vs %zu)", n_lo, n_hi);
  gsl_rng_free(r);
  fixture_org_free(&lo);
  fixture_org_free(&hi);
  audit_params(0.05, 0.8, 500.0, 1);
}

int main(void) {
  fixture_defaults(&scn);
  test_default();
  test_none_and_secrecy();
  test_risk();
  test_caught_share();
  test_who_pays();
  test_draw_count();
  test_arms_aligned();
  return gsl_test_summary();
}
