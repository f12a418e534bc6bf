/* sim/cluster/cost.h - pricing GPU time in dollars, energy and carbon.
 *
 * Formulas (docs/cluster.md has the derivations and calibration):
 *   energy kWh   = GPU-hours * watts / 1000 * load_factor * PUE
 *   carbon kg    = kWh * grid gCO2/kWh / 1000
 *   rental $     = GPU-hours * $/GPU-hour
 *   tco $        = GPU-hours * (purchase / (depreciation years * 8766 h))
 *                  + kWh * $/kWh
 *   per-token $  = tokens / 1e6 * $/1M tokens
 * The scalar functions are pure so that tests can check the arithmetic
 * exactly; sim_cost_model bundles the rates of one scenario's cluster.
 */
#ifndef BURNSIM_COST_H
#define BURNSIM_COST_H

#include <stdio.h>

#include "cluster/job.h"
#include "config/scenario.h"

/* Hours in an average (Julian) year: the depreciation clock. */
#define SIM_HOURS_PER_YEAR 8766.0

/* What some GPU work costs. */
typedef struct sim_price {
  double usd;
  double kwh;
  double kg_co2;
} sim_price;

double sim_cost_energy_kwh(double gpu_hours, double watts, double load_factor, double pue);
double sim_cost_carbon_kg(double kwh, double grid_g_per_kwh);
double sim_cost_rental_usd(double gpu_hours, double usd_per_gpu_hour);
/* TCO rate per GPU-hour: straight-line depreciation plus the electricity
 * one busy GPU-hour draws (kwh_per_gpu_hour, PUE included). */
double sim_cost_tco_usd_per_gpu_hour(double purchase_price, double depreciation_years,
                                     double kwh_per_gpu_hour, double usd_per_kwh);
double sim_cost_per_token_usd(double tokens, double usd_per_mtok);

/* Tokens per hour of one serving replica of model m on GPUs of kind g:
 * tokens/s per GPU * GPUs per replica * relative speed * 3600. */
double sim_cost_replica_tokens_per_hour(const scn_model *m, const scn_gpu_kind *g);
/* $ per 1M output tokens of model m on GPUs of kind g at full load under
 * rental pricing: the derived cost that CALIBRATION brackets. */
double sim_cost_rental_usd_per_mtok(const scn_model *m, const scn_gpu_kind *g);

/* The rates of one cluster: its GPU kind, model, datacenter and pricing. */
typedef struct sim_cost_model {
  int mode;                /* enum scn_pricing */
  double usd_per_gpu_hour; /* rental or TCO rate; 0 under per-token pricing */
  double usd_per_mtok;     /* per-token pricing */
  double kwh_per_gpu_hour; /* watts / 1000 * load_factor * PUE */
  double grid_g_per_kwh;
} sim_cost_model;

/* Resolves the rates for s's cluster.  Returns 0, or -1 with a message on
 * err when the cluster's GPU kind or model is not in the catalogues. */
int sim_cost_model_init(sim_cost_model *cm, const scenario *s, FILE *err);

/* Price of gpu_hours of busy GPU time that served tokens. */
sim_price sim_cost_price(const sim_cost_model *cm, double gpu_hours, double tokens);

/* Price of a whole job: its streams take tokens / replica_tokens_per_hour
 * hours each on gpus_per_replica GPUs, fan_out streams in all. */
sim_price sim_cost_price_job(const sim_cost_model *cm, const sim_job *job,
                             double replica_tokens_per_hour, double gpus_per_replica);

/* Totals split by true purpose. */
typedef struct sim_cost_totals {
  sim_price by_purpose[SIM_PURPOSES];
} sim_cost_totals;

void sim_price_add(sim_price *acc, sim_price p);
/* Sum over purposes. */
sim_price sim_cost_totals_sum(const sim_cost_totals *t);

#endif
