/* sim/analytic/analytic.c - Ishigami, Sobol's g and a linear function, as runs. */
#include "analytic/analytic.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <string.h>

#include "core/rng.h"

const double sim_analytic_g_coefficients[SIM_ANALYTIC_INPUTS] = {0, 1, 4.5, 9, 99, 99, 99, 99};

const char *const sim_analytic_summary_columns[] = {"y",  "x1", "x2", "x3", "x4",
                                                    "x5", "x6", "x7", "x8", NULL};

static void inputs(const scn_analytic *a, double x[SIM_ANALYTIC_INPUTS]) {
  const double in[SIM_ANALYTIC_INPUTS] = {a->x1, a->x2, a->x3, a->x4, a->x5, a->x6, a->x7, a->x8};
  for (int i = 0; i < SIM_ANALYTIC_INPUTS; i++) x[i] = in[i];
}

double sim_analytic_value(const scn_analytic *a) {
  double x[SIM_ANALYTIC_INPUTS];
  inputs(a, x);
  switch (a->function) {
  case SCN_ANALYTIC_ISHIGAMI: {
    double s2 = sin(x[1]);
    return sin(x[0]) + 7.0 * s2 * s2 + 0.1 * pow(x[2], 4) * sin(x[0]);
  }
  case SCN_ANALYTIC_G_FUNCTION: {
    double y = 1;
    for (int i = 0; i < SIM_ANALYTIC_INPUTS; i++)
      y *= (fabs(4.0 * x[i] - 2.0) + sim_analytic_g_coefficients[i]) / (1.0 + sim_analytic_g_coefficients[i]);
    return y;
  }
  case SCN_ANALYTIC_LINEAR: {
    double y = 0;
    for (int i = 0; i < SIM_ANALYTIC_INPUTS; i++) y += (i + 1) * x[i];
    return y;
  }
  default: return NAN;
  }
}

/* The noise of a run comes from a stream of its seed and its inputs, so
 * it is independent between the points of a design even though they share
 * seeds: the case where common random numbers take none of it away. */
static uint64_t inputs_key(const double x[SIM_ANALYTIC_INPUTS]) {
  uint64_t key = 0;
  for (int i = 0; i < SIM_ANALYTIC_INPUTS; i++) {
    uint64_t bits;
    memcpy(&bits, &x[i], sizeof bits);
    key = sim_rng_mix64(key ^ bits);
  }
  return key >> 1;
}

int sim_analytic_run(const scenario *s, uint64_t seed, sim_output *out, FILE *err) {
  double y = sim_analytic_value(&s->analytic), x[SIM_ANALYTIC_INPUTS];
  inputs(&s->analytic, x);
  if (s->analytic.noise_sd > 0) {
    gsl_rng *r = sim_rng_stream_alloc(sim_rng_pcg64, seed, inputs_key(x), SIM_RNG_MEASURE);
    if (!r) {
      fprintf(err, "burnsim: out of memory\n");
      return -1;
    }
    y += gsl_ran_gaussian_ziggurat(r, s->analytic.noise_sd);
    gsl_rng_free(r);
  }
  if (!out) return 0;
  sim_csv *c = sim_output_csv(out, "summary.csv", sim_analytic_summary_columns, err);
  if (!c) return -1;
  sim_csv_float(c, y);
  for (int i = 0; i < SIM_ANALYTIC_INPUTS; i++) sim_csv_float(c, x[i]);
  sim_csv_end_row(c);
  return sim_csv_close(c);
}
