/* sim/validate/logit.c - closed-form logit probabilities of a scenario, and its option counts. */
#include "validate/logit.h"

#include <math.h>
#include <string.h>

#include "org/behaviour.h"
#include "policies/kpi.h"
#include "run.h"

static int fixed(const dist_cfg *d, const char *key, int zero, FILE *err) {
  if (d->kind != DIST_FIXED || (zero && d->mean != 0)) {
    fprintf(err, "burnsim: the logit target needs %s fixed%s (kind = \"fixed\")\n", key, zero ? " at 0" : "");
    return -1;
  }
  return 0;
}

int val_logit_probabilities(const scenario *s, double p[ORG_OPTIONS], FILE *err) {
  const scn_traits *t = &s->traits;
  const scn_work *w = &s->work;
  int bad = fixed(&t->skill, "traits.skill", 0, err) | fixed(&t->intrinsic_weight, "traits.intrinsic_weight", 0, err) |
            fixed(&t->status_weight, "traits.status_weight", 1, err) |
            fixed(&t->loyalty_weight, "traits.loyalty_weight", 1, err) |
            fixed(&t->audit_fear, "traits.audit_fear", 1, err) |
            fixed(&t->burn_propensity, "traits.burn_propensity", 1, err) |
            fixed(&w->task_size, "work.task_size", 0, err);
  if (strcmp(kpi_at((size_t)s->kpi.type)->name, "none") != 0) {
    fprintf(err, "burnsim: the logit target needs kpi.type = \"none\"\n");
    bad = -1;
  }
  if (strcmp(behaviour_at((size_t)s->org.behaviour)->name, "logit") != 0) {
    fprintf(err, "burnsim: the logit target needs org.behaviour = \"logit\"\n");
    bad = -1;
  }
  if (!s->budget.overdraft) {
    fprintf(err, "burnsim: the logit target needs budget.overdraft = true, so no job is refused\n");
    bad = -1;
  }
  if (s->org.agents <= 0 || !(s->org.temperature > 0)) {
    fprintf(err, "burnsim: the logit target needs agents and a positive org.temperature\n");
    bad = -1;
  }
  if (bad) return -1;
  /* Draws are clamped to [min, max]; a fixed value is its clamped mean. */
  double skill = fmin(fmax(t->skill.mean, t->skill.min), t->skill.max);
  double eta = fmin(fmax(t->intrinsic_weight.mean, t->intrinsic_weight.min), t->intrinsic_weight.max);
  double z = fmin(fmax(w->task_size.mean, w->task_size.min), w->task_size.max);
  double manual = skill * z, ai = manual * w->ai_speedup, keep = 1 - w->burn_attention;
  double u[ORG_OPTIONS] = {eta * manual - w->manual_effort, eta * ai - w->ai_effort,
                           eta * keep * manual - w->manual_effort - w->burn_effort,
                           eta * keep * ai - w->ai_effort - w->burn_effort};
  behaviour_logit_probabilities(u, ORG_OPTIONS, s->org.temperature, p);
  return 0;
}

int val_logit_run(const scenario *s, uint64_t seed, uint64_t counts[ORG_OPTIONS], uint64_t *blocks, FILE *err) {
  org_summary sum;
  if (sim_run_org_summary(s, seed, NULL, &sum, err) != 0) return -1;
  for (int k = 0; k < ORG_OPTIONS; k++) counts[k] = sum.choices[k];
  *blocks = sum.blocks;
  return 0;
}
