/* sim/cluster/erlang.h - the M/M/c queue in closed form (Erlang C).
 *
 * Poisson arrivals at rate lambda, c servers, exponential service at rate
 * mu per server, first come first served, offered load a = lambda / mu and
 * utilisation rho = a / c < 1.  Computed in probability space from GSL's
 * regularised incomplete gamma function and log-factorial, so it stays
 * accurate for hundreds of thousands of servers where a^c / c! overflows.
 */
#ifndef BURNSIM_ERLANG_H
#define BURNSIM_ERLANG_H

/* Probability that an arriving job has to wait (Erlang C), in [0, 1].
 * Returns 1 when rho >= 1 and NaN when an argument is not positive. */
double sim_erlang_c(double lambda, double mu, unsigned c);

/* Mean wait in queue Wq = C / (c mu - lambda), in the time unit of 1/mu.
 * Returns INFINITY when rho >= 1 and NaN when an argument is not positive. */
double sim_erlang_c_wait(double lambda, double mu, unsigned c);

#endif
