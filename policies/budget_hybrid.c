/* policies/budget_hybrid.c - a per-head platform fee plus project grants by output.
 *
 * The common shape of internal AI platforms: every head brings a flat
 * platform allowance, and a share of the money is granted to projects
 * by what they delivered.
 *
 *     next[j] = fee * size[j] + grant_share * total * w[j]
 *
 *     total = sum_k allocation[k]              (this cycle's allocations)
 *     fee   = per_head_fee                     if per_head_fee > 0
 *           = (1 - grant_share) * total / sum_k size[k]   otherwise
 *     w[j]  = value[j] / sum_k value[k]        (allocation[j] / total when
 *                                               no team produced anything)
 *
 * With the fee taken from the pool (per_head_fee = 0) the allocations add
 * up to total: (1 - grant_share) of it per head, grant_share of it by
 * output.  A configured fee is paid on top of the grants, and a fixed pool
 * (the org model's scaling) then makes it zero-sum.  grant_share = 1 is
 * outcome_based; grant_share = 0 with the fee from the pool shares the
 * total per head.  Neither part depends on what a team spends, so
 * spend_sensitivity is 0.
 */
#include "policies/budget.h"

static void hybrid_allocate(void *state, const org *o, double *next) {
  (void)state;
  const org_teams *t = &o->teams;
  const scn_budget *b = &o->s->budget;
  double total = 0.0, value = 0.0, heads = 0.0;
  for (size_t j = 0; j < t->n; j++) {
    total += t->allocation[j];
    value += t->value[j];
    heads += t->size[j];
  }
  double fee = b->per_head_fee;
  if (!(fee > 0.0)) fee = heads > 0.0 ? (1.0 - b->grant_share) * total / heads : 0.0;
  double grants = b->grant_share * total;
  /* Without output, grants follow the current allocations, as in
   * outcome_based, so the total is still conserved. */
  int by_value = value > 0.0;
  double weight_sum = by_value ? value : total;
  for (size_t j = 0; j < t->n; j++) {
    double w = 0.0;
    if (weight_sum > 0.0) w = (by_value ? t->value[j] : t->allocation[j]) / weight_sum;
    next[j] = fee * t->size[j] + grants * w;
  }
}

static double hybrid_spend_sensitivity(const void *state, const org *o, uint32_t team) {
  (void)state;
  (void)o;
  (void)team;
  return 0.0;
}

const budget_type budget_hybrid = {
    .name = "hybrid",
    .doc = "per-head platform fee plus grants shared by output",
    .state_size = 0, /* stateless */
    .init = NULL,
    .free = NULL,
    .allocate = hybrid_allocate,
    .spend_sensitivity = hybrid_spend_sensitivity,
};
