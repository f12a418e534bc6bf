/* policies/kpi_spend_target.c - spending at least a share of one's salary on tokens, as a norm.
 *
 * The rule "a $500k engineer should consume at least $250k of tokens a
 * year": agent i's target for a review is
 *     target_i = spend_target_share * salary_i * review_hours / 8766
 * (8766 hours in a 365.25-day year).  A review counts the share of it
 * reached, q = min(1, spend / target), and pays
 *     prize * [spend >= target]   (target_credit = "threshold"), or
 *     prize * q                   (target_credit = "partial", the default),
 * less shortfall_penalty * (1 - q).  A target is a norm enforced in
 * reviews: with partial credit or a penalty, each $ short of it counts
 * whatever the price of a token, so the KPI bites even where nobody can
 * reach the target (at internal prices, half a salary is more than anyone
 * spends); a bare threshold bites only those near it.
 *
 * Before a block, an agent projects its spend to the review's end at its
 * pace so far (spend / share of the review elapsed, at least a day's
 * share), takes the final spend X as normal around the projection with sd
 * = rank_noise * visibility_spread * target, and values extra spend a by
 * the rise in the expected reward: for the threshold, the rise in
 * P(X > target); for the share reached, (E min(X + a, T) - E min(X, T)) / T,
 * with E min(X, T) = P - (P - T) Phi(d) - sd phi(d), d = (P - T) / sd.
 */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>

#include "policies/kpi.h"

#define HOURS_PER_YEAR 8766.0

typedef struct target_state {
  double visibility; /* kpi_params.visibility_spread */
} target_state;

static int target_init(void *state, const org *o, const kpi_params *p, FILE *err) {
  (void)o;
  target_state *st = state;
  if (!(p->visibility_spread > 0.0) || !isfinite(p->visibility_spread)) {
    fprintf(err,
            "burnsim: kpi spend_target: visibility spread must be positive and finite, got %g\n",
            p->visibility_spread);
    return -1;
  }
  st->visibility = p->visibility_spread;
  return 0;
}

static double target_usd(const org *o, uint32_t agent) {
  return o->s->kpi.spend_target_share * (double)o->agents.salary[agent] * o->review_hours /
         HOURS_PER_YEAR;
}

/* E min(X, t) for X normal with mean p and sd sd. */
static double expected_capped(double p, double t, double sd) {
  double d = (p - t) / sd;
  return p - (p - t) * gsl_cdf_ugaussian_P(d) - sd * gsl_ran_ugaussian_pdf(d);
}

static double target_gain(const void *state, const org *o, uint32_t agent, double tokens,
                          double usd, double value, double now) {
  (void)tokens, (void)value;
  const target_state *st = state;
  const scn_kpi *c = &o->s->kpi;
  double target = target_usd(o, agent);
  if (!(target > 0)) return 0;
  double min_p = o->review_hours > 24.0 ? 24.0 / o->review_hours : 1.0;
  double p = fmax(org_review_progress(o, now), min_p);
  double projected = o->agents.review_usd[agent] / p;
  double sd = c->rank_noise * st->visibility * target;
  double per_share = c->shortfall_penalty + (c->target_credit == SCN_TARGET_PARTIAL ? c->prize : 0);
  double gain = 0;
  if (per_share > 0)
    gain = per_share * (expected_capped(projected + usd, target, sd) - expected_capped(projected, target, sd)) /
           target;
  if (c->target_credit == SCN_TARGET_THRESHOLD) gain += kpi_threshold_gain(projected, usd, target, sd, c->prize);
  return gain;
}

static void target_review_end(void *state, org *o, double *reward, gsl_rng *r) {
  (void)state, (void)r;
  const scn_kpi *c = &o->s->kpi;
  for (size_t i = 0; i < o->agents.n; i++) {
    double target = target_usd(o, (uint32_t)i), spend = o->agents.review_usd[i];
    double reached = target > 0 ? fmin(1.0, spend / target) : 1.0;
    reward[i] += (c->target_credit == SCN_TARGET_PARTIAL ? c->prize * reached : (reached >= 1 ? c->prize : 0)) -
                 c->shortfall_penalty * (1 - reached);
  }
}

const kpi_type kpi_spend_target = {
    .name = "spend_target",
    .doc = "a norm of spending a share of salary on tokens: a prize for reaching it, or credit for the share reached",
    .state_size = sizeof(target_state),
    .init = target_init,
    .free = NULL,
    .gain = target_gain,
    .day_end = NULL,
    .review_end = target_review_end,
};
