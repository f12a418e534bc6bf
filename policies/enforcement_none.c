/* policies/enforcement_none.c - no audits, public standings.
 *
 * The baseline: burning carries no risk of penalty, and agents see the
 * leaderboard as it is (visibility_spread 1).
 */
#include "policies/enforcement.h"

static double none_risk(const void *state, const org *o, uint32_t agent, double kpi_gain) {
  (void)state;
  (void)o;
  (void)agent;
  (void)kpi_gain;
  return 0.0;
}

static double none_visibility_spread(const void *state, const org *o) {
  (void)state;
  (void)o;
  return 1.0;
}

const enforcement_type enforcement_none = {
    .name = "none",
    .doc = "no audits; standings are public",
    .state_size = 0, /* stateless */
    .init = NULL,
    .free = NULL,
    .risk = none_risk,
    .visibility_spread = none_visibility_spread,
    .review_end = NULL,
};
