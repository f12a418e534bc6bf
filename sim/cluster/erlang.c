/* sim/cluster/erlang.c - the M/M/c queue in closed form (Erlang C).
 *
 * With a = lambda / mu and rho = a / c,
 *   C(c, a) = T / (S + T),  S = P(N <= c - 1),  T = P(N = c) / (1 - rho),
 * N ~ Poisson(a): the textbook sum a^k / k! and a^c / c! scaled by e^-a.
 * S is GSL's regularised upper incomplete gamma Q(c, a) and P(N = c) is
 * exp(c ln a - a - ln c!), both free of overflow at any c.
 */
#include "cluster/erlang.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>

double sim_erlang_c(double lambda, double mu, unsigned c) {
  if (!(lambda > 0) || !(mu > 0) || c == 0) return NAN;
  double a = lambda / mu;
  double rho = a / c;
  if (rho >= 1) return 1.0;
  double s = gsl_sf_gamma_inc_Q((double)c, a);
  double t = exp(c * log(a) - a - gsl_sf_lnfact(c)) / (1.0 - rho);
  return t / (s + t);
}

double sim_erlang_c_wait(double lambda, double mu, unsigned c) {
  double pw = sim_erlang_c(lambda, mu, c);
  if (isnan(pw)) return NAN;
  if (lambda >= c * mu) return INFINITY;
  return pw / (c * mu - lambda);
}
