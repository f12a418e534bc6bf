/* policies/kpi_spend_target.c - a prize for spending at least a share of one's salary on tokens.
 *
 * The rule "a $500k engineer should consume at least $250k of tokens a
 * year": agent i's target for a review is
 *     target_i = spend_target_share * salary_i * review_hours / 8766
 * (8766 hours in a 365.25-day year), and the review pays `prize` to each
 * agent whose review spend reached it.  Before a block, an agent projects
 * its spend to the review's end at its pace so far (spend / share of the
 * review elapsed, at least a day's share) and values extra spend by the
 * rise in its chance of reaching the target, the final spend taken as normal
 * around the projection with sd = rank_noise * visibility_spread * target.
 * Like any target, it pays nothing at the margin to those far below it and
 * to those already past it, and a lot to those just short of it.
 */
#include <math.h>

#include "kpi.h"

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

static double target_gain(const void *state, const org *o, uint32_t agent, double tokens,
                          double usd, double value, double now) {
  (void)tokens, (void)value;
  const target_state *st = state;
  const scn_kpi *c = &o->s->kpi;
  double min_p = o->review_hours > 24.0 ? 24.0 / o->review_hours : 1.0;
  double p = fmax(org_review_progress(o, now), min_p);
  double projected = o->agents.review_usd[agent] / p;
  double target = target_usd(o, agent);
  return kpi_threshold_gain(projected, usd, target, c->rank_noise * st->visibility * target,
                            c->prize);
}

static void target_review_end(void *state, org *o, double *reward, gsl_rng *r) {
  (void)state, (void)r;
  double prize = o->s->kpi.prize;
  for (size_t i = 0; i < o->agents.n; i++)
    if (o->agents.review_usd[i] >= target_usd(o, (uint32_t)i)) reward[i] += prize;
}

const kpi_type kpi_spend_target = {
    .name = "spend_target",
    .doc = "a prize for spending at least a share of salary on tokens",
    .state_size = sizeof(target_state),
    .init = target_init,
    .free = NULL,
    .gain = target_gain,
    .day_end = NULL,
    .review_end = target_review_end,
};
