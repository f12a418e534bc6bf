/* tests/test_validate.c - the pieces of burnsim validate on known cases: the
 * verdict of an interval against a band (closed and open), the estimate and
 * its Student-t interval, and the check language's arithmetic and errors.
 * tests/validate_test.sh runs the command itself end to end. */
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "validate/expr.h"
#include "experiment/stats.h"
#include "validate/verdict.h"

static val_estimate interval(double mean, double half, size_t n) {
  return (val_estimate){.n = n, .mean = mean, .sd = 1, .lo = mean - half, .hi = mean + half};
}

static void test_verdicts(void) {
  val_estimate inside = interval(1.0, 0.01, 10), straddle = interval(1.015, 0.01, 10), outside = interval(1.05, 0.01, 10);
  gsl_test(val_decide(&inside, 0.98, 1.02, 0, 0.95, 1000, NULL) != VAL_PASS, "an interval inside the band passes");
  gsl_test(val_decide(&straddle, 0.98, 1.02, 0, 0.95, 1000, NULL) != VAL_INCONCLUSIVE,
           "an interval across an edge is inconclusive");
  gsl_test(val_decide(&outside, 0.98, 1.02, 0, 0.95, 1000, NULL) != VAL_FAIL, "an interval outside the band fails");
  size_t need = 0;
  val_decide(&straddle, 0.98, 1.02, 0, 0.95, 1000000, &need);
  /* the mean sits 0.005 inside the edge with sd 1: t(n-1) / sqrt(n) <= 0.005 needs about 153,700 */
  gsl_test(!(need > 100000 && need < 200000), "replications that would decide (%zu)", need);
  gsl_test(val_decide(&inside, 0.98, 1.02, 0, 0.95, 1000, &need) != VAL_PASS || need != 0,
           "no replications asked for when decided");
  /* One replication of a random quantity is no interval: never a verdict. */
  val_estimate one = {.n = 1, .mean = 1.0, .sd = NAN, .lo = NAN, .hi = NAN};
  gsl_test(val_decide(&one, 0.98, 1.02, 0, 0.95, 1000, NULL) != VAL_INCONCLUSIVE, "one seed is inconclusive");
  /* A closed form is its own interval; a band of one value takes it exactly. */
  double x = 25;
  val_estimate exact = val_estimate_of(&x, 0, 0.95);
  gsl_test(val_decide(&exact, 25, 25, 0, 0.95, 1000, NULL) != VAL_PASS, "an exact value on a point band passes");
  x = 24;
  exact = val_estimate_of(&x, 0, 0.95);
  gsl_test(val_decide(&exact, 25, 25, 0, 0.95, 1000, NULL) != VAL_FAIL, "an exact value off a point band fails");
  /* A sign excludes 0: no change is not a fall. */
  val_estimate zero = interval(0, 0, 10);
  gsl_test(val_decide(&zero, -INFINITY, 0, 1, 0.95, 1000, NULL) != VAL_FAIL, "a zero difference does not fall");
  val_estimate falls = interval(-2, 1, 10), unsure = interval(-0.5, 1, 10);
  gsl_test(val_decide(&falls, -INFINITY, 0, 1, 0.95, 1000, NULL) != VAL_PASS, "a difference below 0 falls");
  gsl_test(val_decide(&unsure, -INFINITY, 0, 1, 0.95, 1000, NULL) != VAL_INCONCLUSIVE,
           "a difference whose interval holds 0 is undecided");
  val_estimate nan = interval(NAN, 1, 10);
  gsl_test(val_decide(&nan, 0.98, 1.02, 0, 0.95, 1000, NULL) != VAL_FAIL, "no estimate fails");
}

static void test_estimate(void) {
  const double x[] = {1.0, 2.0, 3.0, 4.0};
  val_estimate e = val_estimate_of(x, 4, 0.95);
  double sd = sqrt(5.0 / 3.0), half = exp_ci_half_width(4, sd, 0.95);
  gsl_test_rel(e.mean, 2.5, 1e-15, "estimate: the mean");
  gsl_test_rel(e.sd, sd, 1e-14, "estimate: the sd");
  gsl_test_rel(e.hi - e.mean, half, 1e-14, "estimate: the campaigns' t interval");
  gsl_test_rel(half, 3.182446305 * sd / 2, 1e-8, "t(3) at 95%% is 3.1824");
}

static double eval(const char *text, int *ok) {
  char why[256];
  val_expr *e = val_expr_parse(text, why, sizeof why);
  double v = NAN;
  val_expr_env env = {0};
  *ok = e && val_expr_eval(e, &env, &v, why, sizeof why) == 0;
  val_expr_free(e);
  return v;
}

static void test_expressions(void) {
  int ok;
  gsl_test_rel(eval("2 * (3 + 4) - 10 / 4", &ok), 11.5, 1e-15, "arithmetic and precedence");
  gsl_test(!ok, "arithmetic evaluates");
  gsl_test_rel(eval("-1e12 * -2", &ok), 2e12, 1e-15, "unary minus and exponents");
  const char *bad[] = {"1 +", "(1", "1 2", "", "f(", "\"s\" + 1", NULL};
  for (int i = 0; bad[i]; i++) {
    char why[256] = "";
    val_expr *e = val_expr_parse(bad[i], why, sizeof why);
    double v;
    val_expr_env env = {0};
    int fails = !e || val_expr_eval(e, &env, &v, why, sizeof why) != 0;
    gsl_test(!fails || !*why, "'%s' is refused with a reason (%s)", bad[i], why);
    val_expr_free(e);
  }
}

int main(void) {
  test_verdicts();
  test_estimate();
  test_expressions();
  return gsl_test_summary();
}
