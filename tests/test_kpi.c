/* tests/test_kpi.c - every KPI's reward and gain on small hand-built organisations.
 *
 * Known answers for each KPI, the threshold gain against hand-computed
 * normal probabilities, the leaderboard's tie-breaking and tournament
 * margin, the $500k/$250k spend target, the sign of efficiency gains and
 * the mean of noisy output measurement, and what pay on measured output
 * does to the work (improvement and gaming).
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "policies/kpi.h"
#include "core/rng.h"
#include "config/scenario.h"
#include "helpers/org_fixture.h"

#define REVIEW_HOURS (30.0 * 24.0)

/* A scenario with the schema's defaults. */
static void defaults(scenario *s) { fixture_defaults(s); }

/* An organisation of n agents with zeroed ledgers, at the start of a
 * 30-day review. */
static void org_make(org *o, const scenario *s, size_t n) {
  *o = fixture_org(s, n, 0);
  o->review_hours = REVIEW_HOURS;
  o->review_start = 0.0;
}

static void org_drop(org *o) { fixture_org_free(o); }

/* A KPI instance: zeroed state of the type's size, initialised. */
typedef struct instance {
  const kpi_type *t;
  void *state;
} instance;

static instance make(const kpi_type *t, const org *o, double visibility) {
  instance k = {t, calloc(1, t->state_size ? t->state_size : 1)};
  kpi_params p = {.cfg = &o->s->kpi, .visibility_spread = visibility};
  if (t->init) gsl_test(t->init(k.state, o, &p, stderr), "%s: init", t->name);
  return k;
}

static void drop(instance *k) {
  if (k->t->free) k->t->free(k->state);
  free(k->state);
}

static double gain(const instance *k, const org *o, uint32_t a, double tokens, double usd,
                   double value, double now) {
  return k->t->gain(k->state, o, a, tokens, usd, value, now);
}

static double *review(instance *k, org *o, uint64_t seed) {
  double *reward = calloc(o->agents.n, sizeof *reward);
  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  gsl_rng_set(r, seed);
  k->t->review_end(k->state, o, reward, r);
  gsl_rng_free(r);
  return reward;
}

/* The registry's contract (names, look-ups, lifetimes, empty orgs,
 * determinism) is checked for every KPI in tests/test_levers.c. */
static void test_default(void) {
  scenario s;
  defaults(&s);
  gsl_test(kpi_at((size_t)s.kpi.type) != &kpi_none, "the default kpi.type is none");
}

static void test_threshold_gain(void) {
  /* Phi(1) - Phi(-1), Phi(1) - Phi(0), Q(10) - Q(11), from erfc. */
  gsl_test_rel(kpi_threshold_gain(90, 20, 100, 10, 1000), 1000 * 0.6826894921370859, 1e-12,
               "threshold gain: 90 + 20 past 100, sd 10");
  gsl_test_rel(kpi_threshold_gain(100, 10, 100, 10, 1000), 1000 * 0.3413447460685429, 1e-12,
               "threshold gain: 100 + 10 past 100, sd 10");
  gsl_test_rel(kpi_threshold_gain(200, 10, 100, 10, 1000), 1000 * 7.619661958203143e-24, 1e-9,
               "threshold gain: far above keeps tail precision");
  gsl_test_rel(kpi_threshold_gain(-200, 100, 100, 100, 2), 2 * 0.021400233916549122, 1e-12,
               "threshold gain: -200 + 100, threshold 100, sd 100");
  gsl_test_abs(kpi_threshold_gain(97, 0, 100, 10, 1000), 0, 0, "threshold gain: 0 when add = 0");
  gsl_test_abs(kpi_threshold_gain(97, 5, INFINITY, 10, 1000), 0, 0, "threshold gain: 0, infinite threshold");
  gsl_test_abs(kpi_threshold_gain(97, 5, NAN, 10, 1000), 0, 0, "threshold gain: 0, unknown threshold");
  gsl_test_abs(kpi_threshold_gain(97, 5, 100, INFINITY, 1000), 0, 0, "threshold gain: 0, infinite spread");
  /* A known score: a step, reaching the threshold counts. */
  gsl_test_abs(kpi_threshold_gain(95, 5, 100, 0, 1000), 1000, 0, "threshold gain: step reached");
  gsl_test_abs(kpi_threshold_gain(95, 4, 100, 0, 1000), 0, 0, "threshold gain: step missed");
  gsl_test_abs(kpi_threshold_gain(100, 4, 100, 0, 1000), 0, 0, "threshold gain: step already reached");
  gsl_test_abs(kpi_threshold_gain(95, 5, 100, -1, 1000), 1000, 0, "threshold gain: negative spread is a step");

  int monotone = 1, bounded = 1;
  double last = 0.0;
  for (int i = 1; i <= 400; i++) {
    double g = kpi_threshold_gain(60, 0.5 * i, 100, 15, 1000);
    if (g < last) monotone = 0;
    if (g < 0 || g > 1000) bounded = 0;
    last = g;
  }
  gsl_test(!monotone, "threshold gain: monotone in add");
  gsl_test(!bounded, "threshold gain: within [0, prize]");
  gsl_test_rel(last, 1000 * (1 - gsl_cdf_ugaussian_P(-40.0 / 15)), 1e-12,
               "threshold gain: a large add wins almost surely");
}

static void test_none(void) {
  scenario s;
  defaults(&s);
  org o;
  org_make(&o, &s, 3);
  for (size_t i = 0; i < 3; i++) o.agents.review_tokens[i] = o.agents.review_value[i] = 1e9;
  instance k = make(&kpi_none, &o, 1.0);
  gsl_test_abs(gain(&k, &o, 1, 1e9, 1e3, 1e3, 10), 0, 0, "none: no gain");
  double *r = review(&k, &o, 1);
  gsl_test(r[0] != 0 || r[1] != 0 || r[2] != 0, "none: no reward");
  free(r);
  drop(&k);
  org_drop(&o);
}

static void test_tokens_linear(void) {
  scenario s;
  defaults(&s);
  s.kpi.token_mode = SCN_TOKENS_LINEAR;
  s.kpi.usd_per_mtok = 2.5;
  org o;
  org_make(&o, &s, 2);
  o.agents.review_tokens[0] = 4e6;
  o.agents.review_tokens[1] = 3e9;
  instance k = make(&kpi_tokens, &o, 1.0);
  k.t->day_end(k.state, &o, 240);
  gsl_test_rel(gain(&k, &o, 0, 2e6, 1, 0, 300), 5.0, 1e-15, "tokens linear: gain $2.50 per 1M");
  double *r = review(&k, &o, 1);
  gsl_test_rel(r[0], 10.0, 1e-15, "tokens linear: 4M tokens pay $10");
  gsl_test_rel(r[1], 7500.0, 1e-15, "tokens linear: 3B tokens pay $7500");
  gsl_test(o.agents.badges[1] != 0, "tokens linear: no badges");
  free(r);
  drop(&k);
  org_drop(&o);
}

/* Agents placed by (tokens descending, id ascending), the board's order. */
static const double *cmp_tokens;
static int by_board(const void *a, const void *b) {
  size_t i = *(const size_t *)a, j = *(const size_t *)b;
  if (cmp_tokens[i] != cmp_tokens[j]) return cmp_tokens[i] > cmp_tokens[j] ? -1 : 1;
  return i < j ? -1 : (i > j);
}

static void test_leaderboard_review(void) {
  scenario s;
  defaults(&s);
  s.kpi.token_mode = SCN_TOKENS_LEADERBOARD;
  s.kpi.top_k = 3;
  s.kpi.prize = 1000;
  s.kpi.badge_tokens = 2e9;
  s.kpi.badge_prize = 10;
  org o;
  org_make(&o, &s, 10);
  static const double t[10] = {5, 9, 7, 9, 3, 7, 7, 0, 1, 2};
  for (size_t i = 0; i < 10; i++) o.agents.review_tokens[i] = t[i] * 1e9;
  o.agents.badges[0] = 5;
  instance k = make(&kpi_tokens, &o, 1.0);
  double *r = review(&k, &o, 1);
  /* Top 3: agents 1 and 3 (9B), then agent 2 of the three tied at 7B. */
  static const uint32_t badges[10] = {2 + 5, 4, 3, 4, 1, 3, 3, 0, 0, 1};
  static const double prize[10] = {0, 1000, 1000, 1000, 0, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < 10; i++) {
    gsl_test_int((int)o.agents.badges[i], (int)badges[i], "leaderboard: agent %zu's badges", i);
    double own = badges[i] - (i == 0 ? 5 : 0);
    gsl_test_rel(r[i], prize[i] + 10 * own, 1e-15, "leaderboard: agent %zu's reward", i);
  }
  free(r);
  drop(&k);
  org_drop(&o);

  /* Fewer agents with tokens than places: an agent without tokens is not
   * on the board. */
  org_make(&o, &s, 4);
  o.agents.review_tokens[1] = 5.0;
  k = make(&kpi_tokens, &o, 1.0);
  r = review(&k, &o, 1);
  gsl_test(r[0] != 0 || r[1] != 1000 || r[2] != 0 || r[3] != 0,
           "leaderboard: only agents with tokens place");
  free(r);
  drop(&k);
  org_drop(&o);

  /* Many ties, against a full sort; inputs ascending, descending, random. */
  size_t n = 1000;
  s.kpi.top_k = 50;
  s.kpi.badge_prize = 0;
  size_t *idx = malloc(n * sizeof *idx);
  gsl_rng *g = gsl_rng_alloc(sim_rng_pcg64);
  gsl_rng_set(g, 7);
  for (int order = 0; order < 4; order++) {
    org_make(&o, &s, n);
    for (size_t i = 0; i < n; i++) {
      double v = order == 0 ? (double)gsl_rng_uniform_int(g, 21)
                 : order == 1 ? (double)(i / 3)
                 : order == 2 ? (double)((n - i) / 3)
                              : 4.0;
      o.agents.review_tokens[i] = v;
      idx[i] = i;
    }
    cmp_tokens = o.agents.review_tokens;
    qsort(idx, n, sizeof *idx, by_board);
    k = make(&kpi_tokens, &o, 1.0);
    r = review(&k, &o, 1);
    int ok = 1;
    for (size_t rank = 0; rank < n; rank++)
      if (r[idx[rank]] != (rank < 50 ? 1000.0 : 0.0)) ok = 0;
    gsl_test(!ok, "leaderboard: top 50 as a full sort gives them (input order %d)", order);
    free(r);
    drop(&k);
    org_drop(&o);
  }
  gsl_rng_free(g);
  free(idx);
}

static void test_leaderboard_gain(void) {
  scenario s;
  defaults(&s);
  s.kpi.token_mode = SCN_TOKENS_LEADERBOARD;
  s.kpi.top_k = 250;
  s.kpi.prize = 5000;
  s.kpi.badge_tokens = 1e9;
  s.kpi.badge_prize = 200;
  s.kpi.rank_noise = 0.3;
  org o;
  org_make(&o, &s, 1000);
  for (size_t i = 0; i < 1000; i++) o.agents.review_tokens[i] = (double)i * 1e8;
  o.agents.review_tokens[999] = 3000e8; /* far above */
  instance k = make(&kpi_tokens, &o, 1.0);

  double add = 1e10, badge = 200 * add / 1e9;
  gsl_test_rel(gain(&k, &o, 700, add, 0, 0, 360), badge, 1e-15,
               "leaderboard gain: before any data only badges pay");

  /* Halfway: the 250th largest is agent 750's 75B, projected to 150B. */
  double now = 0.5 * REVIEW_HOURS, thr = 750e8 / 0.5, sd = 0.3 * thr;
  k.t->day_end(k.state, &o, now);
  double near = gain(&k, &o, 700, add, 0, 0, now);
  double below = gain(&k, &o, 100, add, 0, 0, now);
  double above = gain(&k, &o, 999, add, 0, 0, now);
  gsl_test_rel(near,
               5000 * (gsl_cdf_ugaussian_P((1400e8 + add - thr) / sd) -
                       gsl_cdf_ugaussian_P((1400e8 - thr) / sd)) + badge,
               1e-12, "leaderboard gain: known answer just below the threshold");
  gsl_test(!(near > below && near > above),
           "leaderboard gain: largest near the margin (%g) than far below (%g) or above (%g)", near,
           below, above);
  gsl_test(!(near - badge > 20 * (below - badge) && near - badge > 1e6 * (above - badge)),
           "leaderboard gain: far from the margin, next to nothing");

  double last = INFINITY;
  for (double vis = 1; vis <= 8; vis *= 2) {
    instance kv = make(&kpi_tokens, &o, vis);
    kv.t->day_end(kv.state, &o, now);
    double g = gain(&kv, &o, 700, add, 0, 0, now);
    gsl_test(!(g < last), "leaderboard gain: shrinks as visibility spread grows (%g at %g)", g, vis);
    last = g;
    drop(&kv);
  }

  /* At the review end the final threshold (75B) carries into the next
   * review while it is under a day old. */
  double *r = review(&k, &o, 1);
  free(r);
  memset(o.agents.review_tokens, 0, 1000 * sizeof(double));
  o.agents.review_tokens[5] = 1e9;
  o.review_start = REVIEW_HOURS;
  k.t->day_end(k.state, &o, REVIEW_HOURS + 1.0);
  double p_min = 24.0 / REVIEW_HOURS, own = 1e9 / p_min;
  gsl_test_rel(gain(&k, &o, 5, add, 0, 0, REVIEW_HOURS + 2.0),
               5000 * (gsl_cdf_ugaussian_P((own + add - 750e8) / (0.3 * 750e8)) -
                       gsl_cdf_ugaussian_P((own - 750e8) / (0.3 * 750e8))) + badge,
               1e-12, "leaderboard gain: last review's threshold stands in early on");
  drop(&k);
  org_drop(&o);
}

/* Meta's scale: 85,000 agents, top 250, the board against a full sort on
 * heavy-tailed totals in random order and on ascending totals (the worst
 * case of insertion-based top-K, and a hard one for a selection's pivots):
 * the daily threshold and the winners.  How long they take is for
 * bench/bench_kpi to measure, not for a test. */
static void test_leaderboard_large(void) {
  scenario s;
  defaults(&s);
  s.kpi.token_mode = SCN_TOKENS_LEADERBOARD;
  s.kpi.top_k = 250;
  s.kpi.badge_prize = 0;
  size_t n = 85000;
  size_t *idx = malloc(n * sizeof *idx);
  gsl_rng *g = gsl_rng_alloc(sim_rng_pcg64);
  gsl_rng_set(g, 3);
  static const char *const orders[] = {"random", "ascending"};
  for (int order = 0; order < 2; order++) {
    org o;
    org_make(&o, &s, n);
    for (size_t i = 0; i < n; i++) {
      o.agents.review_tokens[i] = order == 0 ? gsl_ran_lognormal(g, 20.0, 2.0) : (double)i;
      idx[i] = i;
    }
    cmp_tokens = o.agents.review_tokens;
    qsort(idx, n, sizeof *idx, by_board);
    instance k = make(&kpi_tokens, &o, 1.0);
    /* A third of the way in, the threshold is the 250th largest total
     * projected: 3 times it.  An agent 50 places below gains the chance of
     * reaching it. */
    double now = REVIEW_HOURS / 3, thr = 3 * o.agents.review_tokens[idx[249]];
    double own = 3 * o.agents.review_tokens[idx[299]], add = thr - own;
    k.t->day_end(k.state, &o, now);
    gsl_test_rel(gain(&k, &o, (uint32_t)idx[299], add, 0, 0, now),
                 kpi_threshold_gain(own, add, thr, s.kpi.rank_noise * thr, s.kpi.prize), 1e-12,
                 "leaderboard at 85,000 agents, %s totals: day_end's threshold is the 250th of a full sort",
                 orders[order]);
    double *r = review(&k, &o, 1);
    size_t winners = 0, misplaced = 0;
    for (size_t rank = 0; rank < n; rank++) {
      winners += r[idx[rank]] >= s.kpi.prize;
      misplaced += r[idx[rank]] != (rank < 250 ? s.kpi.prize : 0.0);
    }
    gsl_test_int((int)winners, 250, "leaderboard at 85,000 agents, %s totals: 250 winners", orders[order]);
    gsl_test(misplaced != 0, "leaderboard at 85,000 agents, %s totals: the top 250 of a full sort (%zu misplaced)",
             orders[order], misplaced);
    free(r);
    drop(&k);
    org_drop(&o);
  }
  gsl_rng_free(g);
  free(idx);
}

static void test_spend_target(void) {
  scenario s;
  defaults(&s);
  s.kpi.spend_target_share = 0.5;
  s.kpi.prize = 10000;
  s.kpi.rank_noise = 0.3;
  s.kpi.target_credit = SCN_TARGET_THRESHOLD;
  org o;
  org_make(&o, &s, 3);
  o.review_hours = 365.25 * 24; /* a year: the target is $250,000 */
  for (size_t i = 0; i < 3; i++) o.agents.salary[i] = 500000.0f;
  o.agents.review_usd[0] = 250000.0;
  o.agents.review_usd[1] = 249999.0;
  o.agents.review_usd[2] = 100000.0;
  instance k = make(&kpi_spend_target, &o, 1.0);
  double *r = review(&k, &o, 1);
  gsl_test(r[0] != 10000 || r[1] != 0 || r[2] != 0,
           "spend target: $250,000 reaches a $500k engineer's yearly target, $249,999 does not");
  free(r);
  /* Halfway with $100k spent: projected $200k; $30k more against the
   * $250k target, sd 0.3 * $250k: Phi(-0.2667) - Phi(-0.6667). */
  double now = 0.5 * o.review_hours;
  gsl_test_rel(gain(&k, &o, 2, 0, 30000, 0, now), 10000 * 0.14237037291710225, 1e-12,
               "spend target: gain halfway, known answer");
  double past = gain(&k, &o, 0, 0, 30000, 0, now);
  gsl_test(!(past >= 0 && past < 0.001 * 10000),
           "spend target: next to nothing to gain well past the target (%g)", past);
  /* Metric secrecy widens the guess. */
  instance wide = make(&kpi_spend_target, &o, 3.0);
  gsl_test(!(gain(&wide, &o, 2, 0, 30000, 0, now) < gain(&k, &o, 2, 0, 30000, 0, now)),
           "spend target: a vaguer guess, a smaller gain near the target");
  drop(&wide);
  drop(&k);
  org_drop(&o);
}

/* Credit for the share of the target reached, and a penalty for the
 * share missed: both count every $ below the target. */
static void test_spend_target_share(void) {
  scenario s;
  defaults(&s);
  s.kpi.spend_target_share = 0.5;
  s.kpi.prize = 10000;
  s.kpi.rank_noise = 0.3;
  s.kpi.target_credit = SCN_TARGET_PARTIAL;
  s.kpi.shortfall_penalty = 2000;
  org o;
  org_make(&o, &s, 3);
  o.review_hours = 365.25 * 24; /* a year: the target is $250,000 */
  for (size_t i = 0; i < 3; i++) o.agents.salary[i] = 500000.0f;
  o.agents.review_usd[0] = 300000.0;
  o.agents.review_usd[1] = 125000.0;
  o.agents.review_usd[2] = 0.0;
  instance k = make(&kpi_spend_target, &o, 1.0);
  double *r = review(&k, &o, 1);
  gsl_test(r[0] != 10000 || r[1] != 5000 - 1000 || r[2] != -2000,
           "spend target, partial credit and penalty: past it $10,000, halfway $4,000, nothing -$2,000 "
           "(%g, %g, %g)", r[0], r[1], r[2]);
  free(r);
  /* Halfway with $100k spent: projected P = $200k, $30k more, T = $250k,
   * sd = 0.3 T: (prize + penalty) (E min(X + 30k, T) - E min(X, T)) / T with
   * E min(X, T) = P - (P - T) Phi(d) - sd phi(d), d = (P - T) / sd; the
   * ratio 0.0814228646056389 computed independently with Python's math.erf. */
  o.agents.review_usd[2] = 100000.0;
  double now = 0.5 * o.review_hours;
  gsl_test_rel(gain(&k, &o, 2, 0, 30000, 0, now), 12000 * 0.0814228646056389, 1e-12,
               "spend target, partial credit: gain halfway, known answer");
  /* Far below the target, where a threshold pays nothing at the margin,
   * each $ still earns (prize + penalty) / T, less the sliver of a chance
   * of passing the target anyway (Phi(-3.3) = 0.04%). */
  o.agents.review_usd[2] = 100.0;
  gsl_test_rel(gain(&k, &o, 2, 0, 1000, 0, now), 12000 * 1000 / 250000.0, 1e-3,
               "spend target, partial credit: far below it, (prize + penalty) / target per $");
  drop(&k);
  org_drop(&o);
}

static void test_output(void) {
  scenario s;
  defaults(&s);
  s.kpi.output_rate = 0.1;
  s.kpi.output_noise_cv = 0.0;
  org o;
  org_make(&o, &s, 3);
  o.agents.review_value[0] = 1000;
  o.agents.review_value[2] = 50;
  o.agents.review_tokens[1] = 1e12;
  instance k = make(&kpi_output, &o, 1.0);
  gsl_test_rel(gain(&k, &o, 0, 1e9, 100, 300, 10), 30, 1e-15, "output: gain 0.1 per $ of output");
  gsl_test_abs(gain(&k, &o, 0, 1e9, 100, 0, 10), 0, 0, "output: burning gains nothing");
  double *r = review(&k, &o, 1);
  gsl_test(r[0] != 100 || r[1] != 0 || r[2] != 5, "output: exact without noise");
  free(r);
  org_drop(&o);

  /* With noise: one draw per agent, in order; the mean is unbiased. */
  size_t n = 100000;
  s.kpi.output_noise_cv = 0.3;
  org_make(&o, &s, n);
  for (size_t i = 0; i < n; i++) o.agents.review_value[i] = 200;
  r = review(&k, &o, 42);
  gsl_rng *g = gsl_rng_alloc(sim_rng_pcg64);
  gsl_rng_set(g, 42);
  double sum = 0;
  int order = 1;
  for (size_t i = 0; i < n; i++) {
    double e = gsl_ran_gaussian(g, 0.3);
    if (fabs(r[i] - 0.1 * 200 * GSL_MAX(0.0, 1 + e)) > 1e-12) order = 0;
    sum += r[i];
  }
  gsl_test(!order, "output: agent i gets the i-th draw of the stream");
  gsl_test_rel(sum / (double)n, 0.1 * 200, 0.01, "output: mean over 1e5 agents within 1%%");
  gsl_rng_free(g);
  free(r);
  drop(&k);
  org_drop(&o);
}

static void test_efficiency(void) {
  scenario s;
  defaults(&s);
  s.kpi.efficiency_basis = SCN_EFFICIENCY_USD;
  s.kpi.efficiency_rate = 2.0;
  org o;
  org_make(&o, &s, 5);
  /* Output and spend: ratios 10, 5, 0 (burning), infinite (by hand),
   * none; the organisation's 180 / 30 = 6. */
  static const double v[5] = {100, 50, 0, 30, 0}, u[5] = {10, 10, 10, 0, 0};
  for (size_t i = 0; i < 5; i++) {
    o.agents.review_value[i] = v[i];
    o.agents.review_usd[i] = u[i];
    o.agents.review_tokens[i] = u[i] * 1e6; /* $1 per 1M tokens */
  }
  instance k = make(&kpi_efficiency, &o, 1.0);
  double now = 0.5 * REVIEW_HOURS;
  gsl_test_abs(gain(&k, &o, 1, 1e6, 4, 0, now), 0, 0, "efficiency: no reference, no gain");
  k.t->day_end(k.state, &o, now);
  /* Agent 1 projected: 50 + 0.5 * 72 = 86 of output on 10 + 0.5 * 12 =
   * $16: ratio 5.375. */
  double burn = gain(&k, &o, 1, 4e6, 4, 0, now);
  double work = gain(&k, &o, 1, 4e6, 4, 80, now);
  double manual = gain(&k, &o, 1, 0, 0, 20, now);
  gsl_test_rel(burn, 2 * (86.0 / 20 - 86.0 / 16), 1e-12, "efficiency: burning's gain, known answer");
  gsl_test_rel(work, 2 * (166.0 / 20 - 86.0 / 16), 1e-12, "efficiency: useful work's gain, known answer");
  gsl_test(!(burn < 0), "efficiency: burning has a negative gain (%g)", burn);
  gsl_test(!(work > 0), "efficiency: work above the average ratio has a positive gain (%g)", work);
  gsl_test(!(manual > 0), "efficiency: output without spend has a positive gain (%g)", manual);

  double *r = review(&k, &o, 1);
  static const double want[5] = {2 * 10, 2 * 5, 0, 2 * 12, 2 * 6};
  for (size_t i = 0; i < 5; i++) gsl_test_rel(r[i], want[i], 1e-15, "efficiency: agent %zu's reward", i);
  free(r);

  /* Per 1M tokens: the same ledgers at $1 per 1M, the same rewards. */
  s.kpi.efficiency_basis = SCN_EFFICIENCY_TOKENS;
  r = review(&k, &o, 1);
  for (size_t i = 0; i < 5; i++)
    gsl_test_rel(r[i], want[i], 1e-15, "efficiency per 1M tokens: agent %zu's reward", i);
  free(r);

  /* Nobody spent: no reference, no reward. */
  memset(o.agents.review_usd, 0, 5 * sizeof(double));
  memset(o.agents.review_tokens, 0, 5 * sizeof(double));
  r = review(&k, &o, 1);
  gsl_test(r[0] != 0 || r[3] != 0, "efficiency: no spend anywhere, no reward");
  free(r);
  drop(&k);
  org_drop(&o);
}

static void test_blend(void) {
  scenario s;
  defaults(&s);
  s.kpi.usd_per_mtok = 2.0;
  s.kpi.output_rate = 0.1;
  s.kpi.output_noise_cv = 0.0;
  s.kpi.token_weight = 0.5;
  s.kpi.output_weight = 1.5;
  org o;
  org_make(&o, &s, 2);
  o.agents.review_tokens[0] = 10e6;
  o.agents.review_value[0] = 100;
  o.agents.review_tokens[1] = 3e6;
  instance k = make(&kpi_blend, &o, 1.0);
  gsl_test_rel(gain(&k, &o, 0, 4e6, 3, 40, 10), 0.5 * 2 * 4 + 1.5 * 0.1 * 40, 1e-15,
               "blend: gain, known answer");
  double *r = review(&k, &o, 1);
  gsl_test_rel(r[0], 0.5 * 2 * 10 + 1.5 * 0.1 * 100, 1e-15, "blend: reward, known answer");
  gsl_test_rel(r[1], 0.5 * 2 * 3, 1e-15, "blend: tokens alone, known answer");
  free(r);

  double last = -1;
  for (int w = 0; w <= 5; w++) {
    s.kpi.token_weight = 0.2 * w;
    double g = gain(&k, &o, 0, 1e7, 10, 0, 10);
    gsl_test(!(g > last), "blend: burning gains more as the token weight rises (%g)", g);
    last = g;
  }

  /* The measurement noise is output's: the same draws, in agent order. */
  s.kpi.token_weight = 0.0;
  s.kpi.output_weight = 1.0;
  s.kpi.output_noise_cv = 0.3;
  o.agents.review_value[1] = 70;
  instance out = make(&kpi_output, &o, 1.0);
  double *rb = review(&k, &o, 9), *ro = review(&out, &o, 9);
  gsl_test(rb[0] != ro[0] || rb[1] != ro[1], "blend: with weight on output only, output's rewards");
  free(rb);
  free(ro);
  drop(&out);
  drop(&k);
  org_drop(&o);
}

/* A KPI's position in the registry, as a loaded scenario stores it. */
static int registry_index(const kpi_type *t) {
  for (size_t i = 0; kpi_at(i); i++)
    if (kpi_at(i) == t) return (int)i;
  gsl_test(1, "%s is registered", t->name);
  return 0;
}

/* Pay on measured output: genuine improvement and gaming (kpi_pressure.c),
 * known answers for two agents whose pressure is 0.1 * status weight. */
static void test_pressure(void) {
  scenario s;
  defaults(&s);
  s.kpi.type = registry_index(&kpi_output);
  s.kpi.output_rate = 0.1;
  s.kpi.output_noise_cv = 0.0;
  s.org.temperature = 20.0;
  s.work.task_size.mean = 1.0;
  s.work.task_size.min = 0.0;
  s.work.task_size.max = 1e300;
  org o;
  org_make(&o, &s, 2);
  float status[2] = {2.0f, 8.0f}, intrinsic[2] = {1.0f, 1.0f}, skill[2] = {200.0f, 200.0f};
  o.agents.status_weight = status;
  o.agents.intrinsic_weight = intrinsic;
  o.agents.skill = skill;

  kpi_pressure p = kpi_pressure_of(&o, 0);
  gsl_test(kpi_pressure_on(&s.kpi) || p.real != 1.0 || p.effort != 0.0 || p.measured != 1.0,
           "pressure: off by default, and then nothing changes");

  s.kpi.improve_cost = 0.5; /* q = 0.2 / 0.5 */
  p = kpi_pressure_of(&o, 0);
  gsl_test_rel(p.real, 1.4, 1e-15, "pressure: improvement q = weight * rate / improve_cost");
  gsl_test_rel(p.effort, 0.5 * 0.4 * 0.4 / 2, 1e-15, "pressure: its effort improve_cost q^2 / 2");
  gsl_test_abs(p.measured, 1.0, 0, "pressure: improvement is real, the measure counts it as it is");

  s.kpi.improve_cost = 0.0;
  s.kpi.gaming_yield = 4.0; /* x = (0.2 * 3 - 1) * 200 / 20 = -4; agent 1: (0.8 * 3 - 1) * 10 = 14 */
  p = kpi_pressure_of(&o, 0);
  kpi_pressure high = kpi_pressure_of(&o, 1);
  gsl_test_rel(p.real, 1 / (1 + exp(-4.0)), 1e-15, "pressure: real share left 1 / (1 + e^-4)");
  gsl_test_rel(p.measured, 1 + 4 * exp(-4.0), 1e-15, "pressure: measured / real 1 + 4 e^-4");
  gsl_test_rel(high.real, 1 / (1 + exp(14.0)), 1e-12, /* rounding of x times e^14 */ "pressure: high pressure pads almost all");
  gsl_test_rel(high.measured, 1 + 4 * exp(14.0), 1e-12, "pressure: and the measure shows it");
  gsl_test_abs(p.effort, 0, 0, "pressure: padding costs no extra effort");

  instance k = make(&kpi_output, &o, 1.0);
  gsl_test_rel(gain(&k, &o, 0, 0, 0, 300, 10), 0.1 * 300 * p.measured, 1e-15,
               "pressure: the gain counts the measured output");
  o.agents.review_value[0] = 1000;
  double *r = review(&k, &o, 1);
  gsl_test_rel(r[0], 0.1 * 1000 * p.measured, 1e-15, "pressure: the review pays the measured output");
  free(r);
  drop(&k);

  s.kpi.type = registry_index(&kpi_blend);
  s.kpi.output_weight = 0.5;
  s.kpi.improve_cost = 1.0;
  p = kpi_pressure_of(&o, 0); /* pressure 2 * 0.5 * 0.1 = 0.1 */
  double x = (0.1 * 3 - 1) * 10;
  gsl_test_rel(p.real, 1.1 / (1 + exp(x)), 1e-15, "pressure: blend weighs the output by output_weight");
  gsl_test_rel(p.measured, 1 + 4 * exp(x), 1e-15, "pressure: blend measured / real");

  s.kpi.type = registry_index(&kpi_tokens);
  p = kpi_pressure_of(&o, 0);
  gsl_test(p.real != 1.0 || p.effort != 0.0 || p.measured != 1.0,
           "pressure: a KPI that does not measure output leaves the work alone");
  o.agents.status_weight = NULL;
  o.agents.intrinsic_weight = NULL;
  o.agents.skill = NULL;
  org_drop(&o);
}

int main(void) {
  test_default();
  test_threshold_gain();
  test_none();
  test_tokens_linear();
  test_leaderboard_review();
  test_leaderboard_gain();
  test_leaderboard_large();
  test_spend_target();
  test_spend_target_share();
  test_output();
  test_efficiency();
  test_blend();
  test_pressure();
  return gsl_test_summary();
}
