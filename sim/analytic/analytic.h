/* sim/analytic/analytic.h - analytic test functions in place of the simulation.
 *
 * A scenario with analytic.function set runs no cluster and no
 * organisation: each run evaluates the function at analytic.x1..x8, adds
 * Gaussian noise of analytic.noise_sd (from the run's seed and its inputs,
 * so independent between design points), and writes
 * summary.csv with one row (y, then x1..x8).  The functions have published
 * sensitivity indices, so a sensitivity analysis (sensitivity.h) can be
 * checked through the same campaign, files and estimators as a simulation:
 *   ishigami    y = sin x1 + 7 sin^2 x2 + 0.1 x3^4 sin x1, x on [-pi, pi]^3
 *               (Ishigami & Homma 1990; S1 = 0.314, 0.442, 0; ST = 0.558,
 *               0.442, 0.244)
 *   g_function  Sobol's g: y = prod_i (|4 x_i - 2| + a_i) / (1 + a_i) on
 *               [0, 1]^8 with a = 0, 1, 4.5, 9, 99, 99, 99, 99 (Saltelli &
 *               Sobol 1995), indices in closed form
 *   linear      y = x1 + 2 x2 + ... + 8 x8: Morris mu* of x_i is i times
 *               its range, sigma 0
 */
#ifndef BURNSIM_ANALYTIC_H
#define BURNSIM_ANALYTIC_H

#include <stdint.h>
#include <stdio.h>

#include "io/output.h"
#include "config/scenario.h"

#define SIM_ANALYTIC_INPUTS 8

/* The g-function's coefficients a_1..a_8. */
extern const double sim_analytic_g_coefficients[SIM_ANALYTIC_INPUTS];

/* The columns of an analytic run's summary.csv, NULL-terminated. */
extern const char *const sim_analytic_summary_columns[];

/* The function of s at its inputs, without noise. */
double sim_analytic_value(const scn_analytic *a);

/* One run: writes summary.csv into out.  Returns 0, or -1 with a message on err. */
int sim_analytic_run(const scenario *s, uint64_t seed, sim_output *out, FILE *err);

#endif
