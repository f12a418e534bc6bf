/* policies/kpi_blend.c - a weighted blend of a token commission and measured output.
 *
 *     reward = token_weight * usd_per_mtok * review_tokens / 1e6
 *            + output_weight * output_rate * review_value * max(0, 1 + e),
 * e ~ N(0, output_noise_cv) drawn once per agent, in agent order (as in
 * kpi_output.c), and the expected gain of a block is the same blend of the
 * two margins.  This is Holmstrom and Milgrom's multitask contract: tokens
 * are measured cheaply and precisely, output poorly, and when tokens can
 * be had without output (burning), weight on tokens buys tokens, not work.
 * Raising token_weight should raise the burn share and lower output per $.
 * With kpi.gaming_yield the measured output also counts padding
 * (kpi_pressure.c).
 */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "policies/kpi.h"

static double blend_gain(const void *state, const org *o, uint32_t agent, double tokens,
                         double usd, double value, double now) {
  (void)state, (void)usd, (void)now;
  const scn_kpi *c = &o->s->kpi;
  if (kpi_pressure_on(c)) value *= kpi_pressure_of(o, agent).measured;
  return c->token_weight * c->usd_per_mtok * tokens / 1e6 +
         c->output_weight * c->output_rate * value;
}

static void blend_review_end(void *state, org *o, double *reward, gsl_rng *r) {
  (void)state;
  const scn_kpi *c = &o->s->kpi;
  for (size_t i = 0; i < o->agents.n; i++) {
    /* Drawn for every agent whatever the weights, so arms of a weight
     * sweep see the same measurement errors. */
    double e = gsl_ran_gaussian(r, c->output_noise_cv);
    double measured = o->agents.review_value[i];
    if (kpi_pressure_on(c)) measured *= kpi_pressure_of(o, (uint32_t)i).measured;
    reward[i] += c->token_weight * c->usd_per_mtok * o->agents.review_tokens[i] / 1e6 +
                 c->output_weight * c->output_rate * measured * fmax(0.0, 1.0 + e);
  }
}

const kpi_type kpi_blend = {
    .name = "blend",
    .doc = "weights on a token commission and on measured output",
    .state_size = 0,
    .init = NULL,
    .free = NULL,
    .gain = blend_gain,
    .day_end = NULL,
    .review_end = blend_review_end,
};
