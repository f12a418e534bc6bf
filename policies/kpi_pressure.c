/* policies/kpi_pressure.c - what pay on measured output does to the work itself.
 *
 * Off by default (kpi.improve_cost = kpi.gaming_yield = 0): measured output
 * is the real output, and the KPI changes only which option is chosen.
 * The pressure on agent i is what a $ of measured output is worth to it,
 *     pi_i = status_weight_i * (output_rate, or output_weight * output_rate
 *            under blend; 0 under the other KPIs, which do not measure output).
 * Genuine improvement (improve_cost kappa > 0): the agent raises a block's
 * real output by a share q at an effort of kappa q^2 / 2 per $ of output,
 * and chooses q = pi_i / kappa, where the marginal effort equals the
 * marginal reward.  Its own taste for output is already in what it produces
 * unpressured, so only the pressure buys improvement.
 * Gaming (gaming_yield gamma > 0): a share h of the block's output is
 * replaced by padding that the measure counts gamma $ for each $ of real
 * output it displaces.  Padding instead of real work is worth
 * pi_i (gamma - 1) - intrinsic_i per $ to the agent, and the share padded
 * follows the logit of that worth over a block of mean output (the
 * temperature of org.temperature), so it grows smoothly with the pressure:
 *     x = (pi_i (gamma - 1) - intrinsic_i) * skill_i * mean task / tau,
 *     h = 1 / (1 + e^-x),   real output * (1 - h) = 1 / (1 + e^x),
 *     measured / real = 1 + gamma h / (1 - h) = 1 + gamma e^x,
 * with x at most 50 (h within 2e-22 of 1) so that both stay finite.
 */
#include <math.h>

#include "policies/kpi.h"

int kpi_pressure_on(const scn_kpi *c) {
  return c->improve_cost > 0.0 || c->gaming_yield > 0.0;
}

/* The KPI's reward per $ of measured output, before the agent's weight. */
static double measured_output_rate(const scn_kpi *c) {
  const kpi_type *k = kpi_at((size_t)c->type);
  if (k == &kpi_output) return c->output_rate;
  if (k == &kpi_blend) return c->output_weight * c->output_rate;
  return 0.0;
}

kpi_pressure kpi_pressure_of(const org *o, uint32_t i) {
  const scn_kpi *c = &o->s->kpi;
  kpi_pressure p = {.real = 1.0, .effort = 0.0, .measured = 1.0};
  double pi = o->agents.status_weight[i] * measured_output_rate(c);
  if (!(pi > 0.0)) return p;
  if (c->improve_cost > 0.0) {
    double q = pi / c->improve_cost;
    p.real = 1.0 + q;
    p.effort = c->improve_cost * q * q / 2.0;
  }
  if (c->gaming_yield > 0.0) {
    const dist_cfg *task = &o->s->work.task_size;
    double mean_task = fmin(fmax(task->mean, task->min), task->max);
    double worth = pi * (c->gaming_yield - 1.0) - o->agents.intrinsic_weight[i];
    double x = fmin(50.0, worth * o->agents.skill[i] * mean_task / o->s->org.temperature);
    p.real /= 1.0 + exp(x);
    p.measured = 1.0 + c->gaming_yield * exp(x);
  }
  return p;
}
