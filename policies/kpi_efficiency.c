/* policies/kpi_efficiency.c - rewards for output per $ or per token, relative to the organisation.
 *
 * Agent i's efficiency over a review is r_i = V_i / D_i, V_i its output
 * and D_i its spend in $ (efficiency_basis "usd") or its tokens in
 * millions ("tokens").  An agent with output but no spend is as efficient
 * as can be (r = infinity); one with neither has nothing to measure and
 * counts as average.  The reference is the organisation's ratio,
 * ref = sum V / sum D over all agents, and the review pays
 *     reward_i = efficiency_rate * min(r_i, 2 ref)
 *              = efficiency_rate * ref * clamp(r_i / ref, 0, 2),
 * efficiency_rate $ per $ of output per $ (or per 1M tokens), capped at
 * twice the organisation's ratio so that a sliver of spend cannot make a
 * fortune.  With no spend in the whole review there is no reference and
 * no reward.
 *
 * Gain: the change in that reward from adding the block's (value, spend)
 * to the agent's projected review ledger: its ledger so far plus, for the
 * rest of the review, the average agent's (the organisation's means per
 * agent over a whole review, refreshed daily; the last review's under a
 * day in).  Burning adds cost without output and so has a negative gain;
 * work whose output per $ beats the agent's own ratio has a positive one.
 * Until the organisation has spent anything the reference is unknown and
 * the gain is 0.
 */
#include <math.h>

#include "policies/kpi.h"

typedef struct efficiency_state {
  double ref;         /* the organisation's output per unit of D; NAN when unknown */
  double mean_value;  /* output per agent over a whole review, projected */
  double mean_denom;  /* D per agent over a whole review, projected */
  double last_ref, last_mean_value, last_mean_denom; /* the last review's finals */
} efficiency_state;

static int efficiency_init(void *state, const org *o, const kpi_params *p, FILE *err) {
  (void)o, (void)p, (void)err;
  efficiency_state *st = state;
  st->ref = st->last_ref = NAN;
  return 0;
}

static double denominator(const scn_kpi *c, double tokens, double usd) {
  return c->efficiency_basis == SCN_EFFICIENCY_TOKENS ? tokens / 1e6 : usd;
}

/* efficiency_rate * min(V / D, 2 ref), with the conventions for D = 0. */
static double reward_of(double rate, double ref, double v, double d) {
  double cap = 2.0 * ref;
  if (d <= 0.0) return rate * (v > 0.0 ? cap : ref);
  return rate * fmin(v / d, cap);
}

/* Sums of output and D over all agents' review ledgers. */
static void sums(const org *o, double *v, double *d) {
  const scn_kpi *c = &o->s->kpi;
  double sv = 0.0, sd = 0.0;
  for (size_t i = 0; i < o->agents.n; i++) {
    sv += o->agents.review_value[i];
    sd += denominator(c, o->agents.review_tokens[i], o->agents.review_usd[i]);
  }
  *v = sv;
  *d = sd;
}

static double efficiency_gain(const void *state, const org *o, uint32_t agent, double tokens,
                              double usd, double value, double now) {
  const efficiency_state *st = state;
  const scn_kpi *c = &o->s->kpi;
  if (isnan(st->ref)) return 0.0;
  double rest = 1.0 - org_review_progress(o, now);
  double v = o->agents.review_value[agent] + rest * st->mean_value;
  double d = denominator(c, o->agents.review_tokens[agent], o->agents.review_usd[agent]) +
             rest * st->mean_denom;
  double dd = denominator(c, tokens, usd);
  return reward_of(c->efficiency_rate, st->ref, v + value, d + dd) -
         reward_of(c->efficiency_rate, st->ref, v, d);
}

static void efficiency_day_end(void *state, const org *o, double now) {
  efficiency_state *st = state;
  double p = org_review_progress(o, now);
  double min_p = o->review_hours > 24.0 ? 24.0 / o->review_hours : 1.0;
  double sv, sd;
  sums(o, &sv, &sd);
  if (p + 1e-12 < min_p || sd <= 0.0 || o->agents.n == 0) {
    st->ref = st->last_ref;
    st->mean_value = st->last_mean_value;
    st->mean_denom = st->last_mean_denom;
    return;
  }
  double n = (double)o->agents.n;
  st->ref = sv / sd;
  st->mean_value = sv / (n * p);
  st->mean_denom = sd / (n * p);
}

static void efficiency_review_end(void *state, org *o, double *reward, gsl_rng *r) {
  (void)r;
  efficiency_state *st = state;
  const scn_kpi *c = &o->s->kpi;
  if (o->agents.n == 0) return;
  double sv, sd;
  sums(o, &sv, &sd);
  if (sd > 0.0) {
    double ref = sv / sd;
    for (size_t i = 0; i < o->agents.n; i++)
      reward[i] += reward_of(c->efficiency_rate, ref, o->agents.review_value[i],
                             denominator(c, o->agents.review_tokens[i], o->agents.review_usd[i]));
    double n = (double)o->agents.n;
    st->last_ref = ref;
    st->last_mean_value = sv / n;
    st->last_mean_denom = sd / n;
  }
  st->ref = st->last_ref;
  st->mean_value = st->last_mean_value;
  st->mean_denom = st->last_mean_denom;
}

const kpi_type kpi_efficiency = {
    .name = "efficiency",
    .doc = "reward per $ of output per $ (or per 1M tokens), capped at twice the org's ratio",
    .state_size = sizeof(efficiency_state),
    .init = efficiency_init,
    .free = NULL,
    .gain = efficiency_gain,
    .day_end = efficiency_day_end,
    .review_end = efficiency_review_end,
};
