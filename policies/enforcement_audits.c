/* policies/enforcement_audits.c - random audits with penalties and clawback.
 *
 * At each review end every agent is audited with probability audit_rate.
 * An audit of an agent who burned in the review (review_burn_blocks > 0)
 * finds it with probability detection_prob; a finding costs
 * penalty * review_burn_blocks and, with clawback, the review's KPI reward.
 *
 * Each agent takes exactly two uniforms from r, in agent order, whether or
 * not it is audited or burned: the draws of agent i are then the same in
 * every policy arm, so arms that differ in audit_rate, detection_prob or in
 * who burned face the same luck (common random numbers), and a lower
 * detection_prob catches a subset of whom a higher one catches.
 *
 * Parameters are read from the scenario at each call, so a switch of
 * audit_rate or penalty mid-run takes effect at once.
 */
#include "policies/enforcement.h"

/* The expected $ cost of one more burn block: it adds penalty if found, and
 * under clawback puts the KPI gain it brings at risk.  A negative gain
 * (burning that lowers the KPI, e.g. under an efficiency KPI) is not money
 * a clawback can take, so it counts as zero rather than making audits
 * reward burning. */
static double audits_risk(const void *state, const org *o, uint32_t agent, double kpi_gain) {
  (void)state;
  (void)agent;
  const scn_enforcement *e = &o->s->enforcement;
  double at_stake = e->penalty;
  if (e->clawback && kpi_gain > 0.0) at_stake += kpi_gain;
  return e->audit_rate * e->detection_prob * at_stake;
}

static double audits_visibility_spread(const void *state, const org *o) {
  (void)state;
  (void)o;
  return 1.0;
}

static void audits_review_end(void *state, org *o, double *reward, gsl_rng *r) {
  (void)state;
  const scn_enforcement *e = &o->s->enforcement;
  org_agents *a = &o->agents;
  for (size_t i = 0; i < a->n; i++) {
    /* Both draws always, so streams stay aligned across arms. */
    double u_audit = gsl_rng_uniform(r);
    double u_detect = gsl_rng_uniform(r);
    uint32_t blocks = a->review_burn_blocks[i];
    if (blocks == 0 || !(u_audit < e->audit_rate) || !(u_detect < e->detection_prob)) continue;
    a->penalties[i] += e->penalty * (double)blocks;
    a->caught[i]++;
    if (e->clawback && reward) reward[i] = 0.0;
  }
}

const enforcement_type enforcement_audits = {
    .name = "audits",
    .doc = "random audits: rate, detection probability, penalty per burn block, clawback",
    .state_size = 0, /* stateless */
    .init = NULL,
    .free = NULL,
    .risk = audits_risk,
    .visibility_spread = audits_visibility_spread,
    .review_end = audits_review_end,
};
