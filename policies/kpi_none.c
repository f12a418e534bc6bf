/* policies/kpi_none.c - no KPI: nobody is rewarded for anything measured.
 *
 * The control arm: agents weigh only output, their team's budget, effort
 * and risk.
 */
#include "policies/kpi.h"

static double none_gain(const void *state, const org *o, uint32_t agent, double tokens,
                        double usd, double value, double now) {
  (void)state, (void)o, (void)agent, (void)tokens, (void)usd, (void)value, (void)now;
  return 0.0;
}

static void none_review_end(void *state, org *o, double *reward, gsl_rng *r) {
  (void)state, (void)o, (void)reward, (void)r; /* rewards stay at the caller's zero */
}

const kpi_type kpi_none = {
    .name = "none",
    .doc = "no individual reward",
    .state_size = 0,
    .init = NULL,
    .free = NULL,
    .gain = none_gain,
    .day_end = NULL,
    .review_end = none_review_end,
};
