/* policies/enforcement_secrecy.c - metric secrecy: the leaderboard is hidden.
 *
 * Nothing is audited, so burning carries no penalty risk; but agents no
 * longer see the standings and must guess them.  Their uncertainty about
 * final ranks is secrecy_spread times the KPI's own rank noise, which
 * flattens the expected gain from one more block's tokens near a prize
 * threshold: a rank reward works through knowing how close one is.
 */
#include "policies/enforcement.h"

static double secrecy_risk(const void *state, const org *o, uint32_t agent, double kpi_gain) {
  (void)state;
  (void)o;
  (void)agent;
  (void)kpi_gain;
  return 0.0;
}

static double secrecy_visibility_spread(const void *state, const org *o) {
  (void)state;
  return o->s->enforcement.secrecy_spread;
}

const enforcement_type enforcement_secrecy = {
    .name = "secrecy",
    .doc = "metric secrecy: standings hidden, agents' guesses secrecy_spread times wider",
    .state_size = 0, /* stateless */
    .init = NULL,
    .free = NULL,
    .risk = secrecy_risk,
    .visibility_spread = secrecy_visibility_spread,
    .review_end = NULL,
};
