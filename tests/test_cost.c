/* tests/test_cost.c - cost model arithmetic against the calibration figures. */
#include <gsl/gsl_test.h>
#include <string.h>

#include "cluster/cost.h"
#include "cluster/job.h"
#include "config/scenario.h"

static void defaults(scenario *s) {
  memset(s, 0, sizeof *s);
  if (simc_defaults(&scenario_schema, s, stderr) != 0) gsl_test(1, "scenario defaults load");
  strcpy(s->name, "test_cost");
  strcpy(s->description, "cost arithmetic");
}

/* 1T tokens a day at $0.50 and $2.00 per 1M tokens (CALIBRATION: Meta's
 * estimated internal cost). */
static void test_per_token(void) {
  double tokens_per_day = 1e12;
  double low = sim_cost_per_token_usd(tokens_per_day, 0.50);
  double high = sim_cost_per_token_usd(tokens_per_day, 2.00);
  gsl_test_rel(low, 0.5e6, 1e-15, "1T tokens/day at $0.50/1M = $0.5M/day");
  gsl_test_rel(high, 2.0e6, 1e-15, "1T tokens/day at $2.00/1M = $2M/day");
  gsl_test_rel(low * 365, 182.5e6, 1e-15, "... = $182.5M/year");
  gsl_test_rel(high * 365, 730e6, 1e-15, "... = $730M/year");

  /* The same through a cost model in per-token mode. */
  scenario s;
  defaults(&s);
  s.pricing.mode = SCN_PRICING_PER_TOKEN;
  s.models[0].price_per_mtok = 0.50;
  sim_cost_model cm;
  gsl_test(sim_cost_model_init(&cm, &s, stderr), "per-token cost model builds");
  sim_price p = sim_cost_price(&cm, 123.0, tokens_per_day);
  gsl_test_rel(p.usd, 0.5e6, 1e-15, "per-token model: $0.5M for 1T tokens");
  gsl_test_rel(p.kwh, 123.0 * 0.7 * 1.56, 1e-14, "per-token model: energy still from GPU-hours");
}

/* Derived $ per 1M output tokens at full load, rental pricing, and the
 * energy and carbon per 1M tokens (CALIBRATION.md, "Derived at full load"). */
static void test_derived_per_mtok(void) {
  scenario s;
  defaults(&s);
  const scn_gpu_kind *h100 = scenario_gpu_kind(&s, "h100-sxm");
  static const struct {
    const char *model;
    double lo, hi;   /* $ per 1M tokens over $2.69 - $6.88 per GPU-hour */
    double kwh, g;   /* per 1M tokens, rounded as published */
    double kwh_tol, g_tol;
  } rows[] = {
      {"llama-8b", 0.05, 0.13, 0.02, 7, 0.005, 0.5},
      {"llama-70b", 0.34, 0.87, 0.14, 50, 0.005, 0.5},
      {"llama-405b", 2.05, 5.24, 0.83, 305, 0.005, 0.5},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const scn_model *m = scenario_model(&s, rows[i].model);
    gsl_test(m == NULL, "%s is in the default catalogue", rows[i].model);
    if (!m) continue;
    double def = sim_cost_rental_usd_per_mtok(m, h100);
    printf("  %-10s $%.4f per 1M tokens at $%.2f/GPU-hour (range $%.2f-$%.2f)\n", rows[i].model, def,
           h100->rental_per_hour, rows[i].lo, rows[i].hi);
    gsl_test(!(def >= rows[i].lo && def <= rows[i].hi), "%s default $%.4f/1M within [%.2f, %.2f]",
             rows[i].model, def, rows[i].lo, rows[i].hi);
    /* The range ends, from the ends of the H100 rental range; the published
     * figures are rounded to cents. */
    scn_gpu_kind g = *h100;
    g.rental_per_hour = 2.69;
    gsl_test_abs(sim_cost_rental_usd_per_mtok(m, &g), rows[i].lo, 0.005, "%s at $2.69/GPU-hour",
                 rows[i].model);
    g.rental_per_hour = 6.88;
    gsl_test_abs(sim_cost_rental_usd_per_mtok(m, &g), rows[i].hi, 0.005, "%s at $6.88/GPU-hour",
                 rows[i].model);
    double gpu_hours = 1e6 / sim_cost_replica_tokens_per_hour(m, h100) * (double)m->gpus_per_replica;
    double kwh = sim_cost_energy_kwh(gpu_hours, h100->watts, 1.0, s.datacenter.pue);
    gsl_test_abs(kwh, rows[i].kwh, rows[i].kwh_tol, "%s kWh per 1M tokens", rows[i].model);
    gsl_test_abs(sim_cost_carbon_kg(kwh, s.datacenter.grid_g_per_kwh) * 1000, rows[i].g, rows[i].g_tol,
                 "%s g CO2 per 1M tokens", rows[i].model);
  }
}

static void test_formulas(void) {
  /* 10 GPU-hours of a 700 W GPU at 80% load and PUE 1.5: 8.4 kWh. */
  gsl_test_rel(sim_cost_energy_kwh(10, 700, 0.8, 1.5), 8.4, 1e-15, "energy = GPU-h * kW * load * PUE");
  gsl_test_rel(sim_cost_carbon_kg(8.4, 367), 3.0828, 1e-15, "carbon = kWh * g/kWh / 1000");
  gsl_test_rel(sim_cost_rental_usd(10, 3.99), 39.9, 1e-15, "rental = GPU-h * $/GPU-h");
  /* $30,000 over 5.5 years of 8766 h, plus 1.092 kWh at $0.08. */
  double rate = sim_cost_tco_usd_per_gpu_hour(30000, 5.5, 1.092, 0.08);
  gsl_test_rel(rate, 30000 / (5.5 * 8766) + 1.092 * 0.08, 1e-15, "TCO rate");
  gsl_test_abs(rate, 0.7096, 1e-4, "TCO rate of the default H100: $0.71 per GPU-hour");
  /* Replica throughput: 2209 tokens/s/GPU * 2 GPUs * 3600 s. */
  scenario s;
  defaults(&s);
  gsl_test_rel(sim_cost_replica_tokens_per_hour(scenario_model(&s, "llama-70b"), &s.gpu_kinds[0]),
               2209.0 * 2 * 3600, 1e-15, "70B replica tokens per hour");
}

/* A cost model prices GPU-hours by the configured mode; a job is priced by
 * its GPU-hours; parts by purpose add up to the total. */
static void test_cost_model(void) {
  scenario s;
  defaults(&s);
  sim_cost_model cm;
  s.pricing.mode = SCN_PRICING_RENTAL;
  gsl_test(sim_cost_model_init(&cm, &s, stderr), "rental model builds");
  sim_price p = sim_cost_price(&cm, 2.0, 1e9);
  gsl_test_rel(p.usd, 2 * 3.99, 1e-15, "rental: 2 GPU-hours at $3.99");
  gsl_test_rel(p.kwh, 2 * 0.7 * 1.56, 1e-15, "rental: energy");
  gsl_test_rel(p.kg_co2, 2 * 0.7 * 1.56 * 0.367, 1e-15, "rental: carbon");

  s.pricing.mode = SCN_PRICING_TCO;
  gsl_test(sim_cost_model_init(&cm, &s, stderr), "tco model builds");
  p = sim_cost_price(&cm, 2.0, 1e9);
  gsl_test_rel(p.usd, 2 * (30000 / (5.5 * 8766) + 0.7 * 1.56 * 0.08), 1e-14,
               "tco: depreciation plus electricity");

  /* A job of 5.4796e7 tokens on the 8B model: one GPU-hour (15220 * 3600). */
  s.pricing.mode = SCN_PRICING_RENTAL;
  sim_cost_model_init(&cm, &s, stderr);
  sim_job job = {.tokens = 15220.0 * 3600, .fan_out = 4};
  sim_price pj = sim_cost_price_job(&cm, &job, 15220.0 * 3600, 1);
  gsl_test_rel(pj.usd, 3.99, 1e-15, "a job of one GPU-hour costs $3.99 whatever its fan-out");

  sim_cost_totals t = {{{1, 2, 3}, {10, 20, 30}}};
  sim_price sum = sim_cost_totals_sum(&t);
  gsl_test(sum.usd != 11 || sum.kwh != 22 || sum.kg_co2 != 33, "totals add over purposes");

  strcpy(s.cluster.model, "no-such-model");
  FILE *null = fopen("/dev/null", "w");
  gsl_test(sim_cost_model_init(&cm, &s, null) == 0, "unknown model is an error");
  fclose(null);
}

int main(void) {
  test_per_token();
  test_derived_per_mtok();
  test_formulas();
  test_cost_model();
  return gsl_test_summary();
}
