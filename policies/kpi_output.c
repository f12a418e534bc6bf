/* policies/kpi_output.c - rewards for measured output.
 *
 * Output is what the organisation wants, but it is measured with error:
 * the review pays output_rate * review_value * max(0, 1 + e), with
 * e ~ N(0, output_noise_cv) drawn once per agent, in agent order, from the
 * review's measurement stream (a measured output is never negative).  An
 * agent, not knowing e, expects output_rate per $ of output; the
 * truncation at zero adds a bias of under 1e-4 for cv <= 0.3.  Tokens and
 * spend earn nothing, so burning has no KPI gain.  With kpi.gaming_yield
 * the measure also counts padding (kpi_pressure.c).
 */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "policies/kpi.h"

static double output_gain(const void *state, const org *o, uint32_t agent, double tokens,
                          double usd, double value, double now) {
  (void)state, (void)tokens, (void)usd, (void)now;
  if (kpi_pressure_on(&o->s->kpi)) value *= kpi_pressure_of(o, agent).measured;
  return o->s->kpi.output_rate * value;
}

static void output_review_end(void *state, org *o, double *reward, gsl_rng *r) {
  (void)state;
  const scn_kpi *c = &o->s->kpi;
  for (size_t i = 0; i < o->agents.n; i++) {
    double e = gsl_ran_gaussian(r, c->output_noise_cv); /* drawn for every agent: fixed order */
    double measured = o->agents.review_value[i];
    if (kpi_pressure_on(c)) measured *= kpi_pressure_of(o, (uint32_t)i).measured;
    reward[i] += c->output_rate * measured * fmax(0.0, 1.0 + e);
  }
}

const kpi_type kpi_output = {
    .name = "output",
    .doc = "reward per $ of output, measured with noise",
    .state_size = 0,
    .init = NULL,
    .free = NULL,
    .gain = output_gain,
    .day_end = NULL,
    .review_end = output_review_end,
};
