/* sim/cluster/cost.c - pricing GPU time in dollars, energy and carbon. */
#include "cluster/cost.h"

double sim_cost_energy_kwh(double gpu_hours, double watts, double load_factor, double pue) {
  return gpu_hours * watts / 1000.0 * load_factor * pue;
}

double sim_cost_carbon_kg(double kwh, double grid_g_per_kwh) {
  return kwh * grid_g_per_kwh / 1000.0;
}

double sim_cost_rental_usd(double gpu_hours, double usd_per_gpu_hour) {
  return gpu_hours * usd_per_gpu_hour;
}

double sim_cost_tco_usd_per_gpu_hour(double purchase_price, double depreciation_years,
                                     double kwh_per_gpu_hour, double usd_per_kwh) {
  return purchase_price / (depreciation_years * SIM_HOURS_PER_YEAR) + kwh_per_gpu_hour * usd_per_kwh;
}

double sim_cost_per_token_usd(double tokens, double usd_per_mtok) {
  return tokens / 1e6 * usd_per_mtok;
}

double sim_cost_replica_tokens_per_hour(const scn_model *m, const scn_gpu_kind *g) {
  return m->tokens_per_s_per_gpu * (double)m->gpus_per_replica * g->relative_speed * 3600.0;
}

double sim_cost_rental_usd_per_mtok(const scn_model *m, const scn_gpu_kind *g) {
  double gpu_hours = 1e6 / sim_cost_replica_tokens_per_hour(m, g) * (double)m->gpus_per_replica;
  return sim_cost_rental_usd(gpu_hours, g->rental_per_hour);
}

int sim_cost_model_init(sim_cost_model *cm, const scenario *s, FILE *err) {
  const scn_gpu_kind *g = scenario_gpu_kind(s, s->cluster.gpu);
  const scn_model *m = scenario_model(s, s->cluster.model);
  if (!g || !m) {
    fprintf(err, "burnsim: the cluster's %s \"%s\" is not in the catalogue\n", g ? "model" : "GPU kind",
            g ? s->cluster.model : s->cluster.gpu);
    return -1;
  }
  const scn_datacenter *dc = &s->datacenter;
  cm->mode = s->pricing.mode;
  cm->kwh_per_gpu_hour = sim_cost_energy_kwh(1.0, g->watts, dc->load_factor, dc->pue);
  cm->grid_g_per_kwh = dc->grid_g_per_kwh;
  cm->usd_per_mtok = m->price_per_mtok;
  switch (cm->mode) {
  case SCN_PRICING_RENTAL: cm->usd_per_gpu_hour = g->rental_per_hour; break;
  case SCN_PRICING_TCO:
    cm->usd_per_gpu_hour = sim_cost_tco_usd_per_gpu_hour(
        g->purchase_price, s->pricing.depreciation_years, cm->kwh_per_gpu_hour, dc->electricity_per_kwh);
    break;
  default: cm->usd_per_gpu_hour = 0; break;
  }
  return 0;
}

sim_price sim_cost_price(const sim_cost_model *cm, double gpu_hours, double tokens) {
  sim_price p;
  p.kwh = gpu_hours * cm->kwh_per_gpu_hour;
  p.kg_co2 = sim_cost_carbon_kg(p.kwh, cm->grid_g_per_kwh);
  p.usd = cm->mode == SCN_PRICING_PER_TOKEN ? sim_cost_per_token_usd(tokens, cm->usd_per_mtok)
                                            : sim_cost_rental_usd(gpu_hours, cm->usd_per_gpu_hour);
  return p;
}

sim_price sim_cost_price_job(const sim_cost_model *cm, const sim_job *job,
                             double replica_tokens_per_hour, double gpus_per_replica) {
  double gpu_hours = job->tokens / replica_tokens_per_hour * gpus_per_replica;
  return sim_cost_price(cm, gpu_hours, job->tokens);
}

void sim_price_add(sim_price *acc, sim_price p) {
  acc->usd += p.usd;
  acc->kwh += p.kwh;
  acc->kg_co2 += p.kg_co2;
}

sim_price sim_cost_totals_sum(const sim_cost_totals *t) {
  sim_price sum = {0, 0, 0};
  for (int p = 0; p < SIM_PURPOSES; p++) sim_price_add(&sum, t->by_purpose[p]);
  return sum;
}
