/* tests/test_experiment.c - campaigns: interval coverage, replication
 * counts, designs (grid, Latin hypercube, Sobol), seeds shared by arms,
 * paired against unpaired comparisons, and the CSV reader. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_test.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_read.h"
#include "experiment/design.h"
#include "core/rng.h"
#include "run.h"
#include "config/scenario.h"
#include "experiment/stats.h"

static void set(scenario *s, const char *text) {
  if (scenario_apply(s, text, stderr) != 0) {
    fprintf(stderr, "test_experiment: bad override %s\n", text);
    exit(1);
  }
}

static scenario *defaults(void) {
  scenario *s = calloc(1, sizeof *s);
  if (!s || simc_defaults(&scenario_schema, s, stderr) != 0) exit(1);
  strcpy(s->name, "test");
  strcpy(s->description, "test");
  set(s, "org.agents=100"); /* an organisation: its summary has the default objective */
  return s;
}

/* Known quantiles: t(9) 0.975 = 2.262157, t(1) 0.975 = 12.7062. */
static void test_interval_known_answers(void) {
  gsl_test_rel(exp_ci_half_width(10, 1.0, 0.95), 2.262157163 / sqrt(10.0), 1e-8, "half-width n=10 sd=1");
  gsl_test_rel(exp_ci_half_width(2, 3.0, 0.95), 12.70620474 * 3.0 / sqrt(2.0), 1e-8, "half-width n=2 sd=3");
  gsl_test(!isnan(exp_ci_half_width(1, 1.0, 0.95)), "half-width of one value is undefined");
  exp_moments m = {0};
  const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
  for (size_t i = 0; i < 8; i++) exp_moments_add(&m, x[i]);
  gsl_test_rel(m.mean, 5.0, 1e-15, "Welford mean");
  gsl_test_rel(exp_moments_sd(&m), sqrt(32.0 / 7.0), 1e-14, "Welford sd");
  /* Welch with equal sizes and sds: df = 2(n-1). */
  gsl_test_rel(exp_welch_half_width(10, 2.0, 10, 2.0, 0.95), 2.100922040 * sqrt(0.8), 1e-8, "Welch df 18");
  /* Spreads so small that their squares underflow give df = inf or nan
   * (0/0): the interval is then the normal one, not an abort in GSL's t
   * quantile. */
  double tiny = exp_welch_half_width(3, 1e-160, 3, 1e-170, 0.95);
  gsl_test(!(tiny > 0 && tiny < 1e-158), "Welch half-width of tiny spreads is finite (%g)", tiny);
}

/* The least n with t(n-1) sd / sqrt(n) <= target, against a linear scan. */
static void test_reps_needed(void) {
  const double sds[] = {0.5, 1.0, 3.0, 10.0};
  for (size_t i = 0; i < 4; i++) {
    double target = 0.4;
    size_t n = exp_reps_needed(sds[i], target, 0.95, 1000000);
    size_t scan = 2;
    while (exp_ci_half_width(scan, sds[i], 0.95) > target) scan++;
    gsl_test_int((int)n, (int)scan, "replications needed for sd %g, half-width 0.4", sds[i]);
  }
  gsl_test_int((int)exp_reps_needed(1.0, 1e-9, 0.95, 1000), 1000, "capped when out of reach");
  gsl_test_int((int)exp_reps_needed(NAN, 1.0, 0.95, 1000), 0, "undefined sd needs no answer");
}

/* Intervals of the mean of 10 normal draws cover the true mean in close
 * to 95% of 4,000 experiments (binomial sd 0.34%: tolerance 4 sd), and
 * of 5 skewed (exponential) draws somewhat less, as t intervals do. */
static void test_coverage(void) {
  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  sim_rng_stream_seed(r, 20261123, 0, SIM_RNG_EXPERIMENT);
  const size_t experiments = 4000;
  size_t covered = 0;
  for (size_t e = 0; e < experiments; e++) {
    exp_moments m = {0};
    for (int i = 0; i < 10; i++) exp_moments_add(&m, 3.0 + gsl_ran_gaussian_ziggurat(r, 2.0));
    double half = exp_ci_half_width(m.n, exp_moments_sd(&m), 0.95);
    covered += fabs(m.mean - 3.0) <= half;
  }
  double coverage = (double)covered / (double)experiments;
  gsl_test_abs(coverage, 0.95, 4 * sqrt(0.95 * 0.05 / (double)experiments), "coverage of 95%% intervals, normal");
  covered = 0;
  for (size_t e = 0; e < experiments; e++) {
    exp_moments m = {0};
    for (int i = 0; i < 10; i++) exp_moments_add(&m, 3.0 + gsl_ran_gaussian_ziggurat(r, 2.0));
    double half = exp_ci_half_width(m.n, exp_moments_sd(&m), 0.80);
    covered += fabs(m.mean - 3.0) <= half;
  }
  coverage = (double)covered / (double)experiments;
  gsl_test_abs(coverage, 0.80, 4 * sqrt(0.80 * 0.20 / (double)experiments), "coverage of 80%% intervals, normal");
  gsl_rng_free(r);
}

/* Coverage of the interval of a mean that cannot be negative over
 * `experiments` samples of n draws; counts in *below the intervals that
 * reach below 0 and in *t_below the t intervals of the same samples that do. */
typedef double (*draw_fn)(gsl_rng *r);
static double nonnegative_coverage(gsl_rng *r, draw_fn draw, double mean, size_t n, size_t experiments,
                                   size_t *below, size_t *t_below, double *t_coverage) {
  double x[64];
  size_t covered = 0, t_covered = 0;
  *below = *t_below = 0;
  for (size_t e = 0; e < experiments; e++) {
    exp_moments m = {0};
    for (size_t i = 0; i < n; i++) exp_moments_add(&m, x[i] = draw(r));
    double lo, hi, half = exp_ci_half_width(m.n, exp_moments_sd(&m), 0.95);
    if (exp_nonnegative_interval(x, n, 0.95, 20261202, e, &lo, &hi) != 0) exit(1);
    covered += lo <= mean && mean <= hi;
    *below += lo < 0;
    t_covered += fabs(m.mean - mean) <= half;
    *t_below += m.mean - half < 0;
  }
  *t_coverage = (double)t_covered / (double)experiments;
  return (double)covered / (double)experiments;
}

static double draw_exponential(gsl_rng *r) {
  return gsl_ran_exponential(r, 1.0);
}

/* Like value_lost: most runs lose nothing, a few lose a great deal. */
static double draw_rare_losses(gsl_rng *r) {
  return gsl_rng_uniform(r) < 0.7 ? 0.0 : gsl_ran_lognormal(r, 10.0, 1.5);
}

/* The interval of a non-negative mean: the bootstrap (BCa, expanded) from
 * 10 values, the t interval raised to 0 below that.  It never reaches below
 * 0, and its coverage of 95% intervals on skewed (exponential) data is
 * measured over 2,000 samples (binomial sd about 0.5%).  Means of few skewed
 * values are covered less often by any interval: the t interval covers about
 * 88% at n = 5 and 90-91% at n = 10 and 20, this one 88%, 92% and 92-93%
 * (measured).  Tolerance: at least 85% at n = 5 and 90% from n = 10, at most
 * 98%, and never 2 points below the t interval of the same samples. */
static void test_nonnegative_intervals(void) {
  const double same[] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4};
  double lo, hi;
  exp_bootstrap_interval(same, 12, 0.95, 500, 1, 0, &lo, &hi);
  gsl_test(lo != 4 || hi != 4, "bootstrap of identical values is that value (%g to %g)", lo, hi);
  const double x[] = {0, 0, 0, 0, 0, 0, 0, 0, 9000, 0, 0, 120000};
  double lo2, hi2, lo3, hi3;
  exp_bootstrap_interval(x, 12, 0.95, 2000, 7, 3, &lo, &hi);
  exp_bootstrap_interval(x, 12, 0.95, 2000, 7, 3, &lo2, &hi2);
  exp_bootstrap_interval(x, 12, 0.95, 2000, 7, 4, &lo3, &hi3);
  gsl_test(lo != lo2 || hi != hi2, "same seed and stream: the same interval");
  gsl_test(lo == lo3 && hi == hi3, "another stream: other resamples");
  gsl_test(!(lo >= 0 && hi <= 120000 && lo < hi), "bootstrap interval within the data (%g to %g)", lo, hi);
  exp_moments m = {0};
  for (size_t i = 0; i < 12; i++) exp_moments_add(&m, x[i]);
  gsl_test(!(m.mean - exp_ci_half_width(12, exp_moments_sd(&m), 0.95) < 0),
           "the t interval of these values reaches below 0 (the case to fix)");
  exp_nonnegative_interval(x, 1, 0.95, 7, 3, &lo, &hi);
  gsl_test(!isnan(lo) || !isnan(hi), "no interval from one value");

  gsl_rng *r = gsl_rng_alloc(sim_rng_pcg64);
  sim_rng_stream_seed(r, 20261202, 1, SIM_RNG_EXPERIMENT);
  const size_t experiments = 2000;
  const size_t sizes[] = {5, 10, 20};
  const double least[] = {0.85, 0.90, 0.90};
  for (size_t k = 0; k < 3; k++) {
    size_t below, t_below;
    double t_cov, cov = nonnegative_coverage(r, draw_exponential, 1.0, sizes[k], experiments, &below, &t_below, &t_cov);
    printf("exponential, n=%zu: coverage %.4f (t interval %.4f); below 0: %zu (t interval %zu) of %zu\n", sizes[k],
           cov, t_cov, below, t_below, experiments);
    gsl_test(cov < least[k] || cov > 0.98, "coverage of 95%% intervals, exponential, n=%zu: %g", sizes[k], cov);
    gsl_test(cov < t_cov - 0.02, "no worse than the t interval, n=%zu: %g against %g", sizes[k], cov, t_cov);
    gsl_test_int((int)below, 0, "never below 0, exponential, n=%zu", sizes[k]);
  }
  /* Rare large losses: the t interval often reaches below 0, this never. */
  size_t below, t_below;
  double t_cov, cov = nonnegative_coverage(r, draw_rare_losses, 0.3 * exp(10.0 + 1.5 * 1.5 / 2), 20, experiments,
                                           &below, &t_below, &t_cov);
  printf("rare losses, n=20: coverage %.4f (t interval %.4f); below 0: %zu (t interval %zu) of %zu\n", cov, t_cov,
         below, t_below, experiments);
  gsl_test(t_below < experiments / 10, "the t interval reaches below 0 in many samples (%zu)", t_below);
  gsl_test_int((int)below, 0, "never below 0, rare losses, n=20");
  gsl_rng_free(r);
}

static scenario *sweep_scenario(const char *method) {
  scenario *s = defaults();
  char text[128];
  snprintf(text, sizeof text, "experiment.sweep.method=%s", method);
  set(s, text);
  set(s, "experiment.sweep.points=20");
  set(s, "experiment.sweep.factors=( { key = \"kpi.token_weight\"; values = [0.0, 0.5, 1.0]; min = 0.0; "
         "max = 2.0; }, { key = \"cluster.gpus\"; values = [64.0, 128.0]; min = 10.0; max = 1000.0; "
         "scale = \"log\"; } )");
  set(s, "experiment.arms=( { name = \"no_kpi\"; set = \"kpi.type=none\"; } )");
  return s;
}

static void test_grid(void) {
  scenario *s = sweep_scenario("grid");
  exp_design d;
  gsl_test(exp_design_init(&d, s, EXP_SWEEP, 3, stderr), "grid design");
  gsl_test_int((int)d.points, 6, "grid of 3 x 2 values");
  gsl_test_int((int)exp_design_runs(&d), 6 * 3 * 2, "runs = points x replications x arms");
  /* The first factor varies slowest. */
  gsl_test_abs(exp_design_value(&d, 0, 0), 0.0, 0, "point 0, factor 0");
  gsl_test_abs(exp_design_value(&d, 1, 1), 128.0, 0, "point 1, factor 1");
  gsl_test_abs(exp_design_value(&d, 2, 0), 0.5, 0, "point 2, factor 0");
  gsl_test_abs(exp_design_value(&d, 5, 0), 1.0, 0, "point 5, factor 0");
  int inverse = 1;
  for (size_t run = 0; run < exp_design_runs(&d); run++) {
    size_t p, r, a;
    exp_design_locate(&d, run, &p, &r, &a);
    inverse &= exp_design_run(&d, p, r, a) == run;
  }
  gsl_test(!inverse, "run numbers and (point, replication, arm) are inverse");
  /* A run's scenario carries its point's values, its arm's changes and
   * its replication's seed. */
  scenario *one = malloc(sizeof *one);
  size_t run = exp_design_run(&d, 3, 2, 1);
  gsl_test(exp_design_scenario(&d, s, run, one, stderr), "scenario of run %zu", run);
  gsl_test_abs(one->kpi.token_weight, 0.5, 0, "run's token weight");
  gsl_test_int((int)one->cluster.gpus, 128, "run's GPUs");
  gsl_test_int(one->kpi.type, 0, "run's arm sets kpi.type=none (registry index 0)");
  gsl_test((uint64_t)one->seed != exp_design_seed(&d, 2), "run's seed is its replication's");
  gsl_test(one->experiment.n_arms != 0, "a run's scenario is a single run");
  free(one);
  exp_design_free(&d);
  free(s);
}

/* Latin hypercube: every factor's range has exactly one point in each
 * of its `points` strata (in the factor's own scale). */
static void test_latin_hypercube(void) {
  scenario *s = sweep_scenario("lhs");
  exp_design d;
  gsl_test(exp_design_init(&d, s, EXP_SWEEP, 1, stderr), "lhs design");
  gsl_test_int((int)d.points, 20, "lhs points");
  int strata_ok = 1;
  int hits[20] = {0};
  for (size_t p = 0; p < d.points; p++) {
    double u = exp_design_value(&d, p, 0) / 2.0;
    hits[(int)(u * 20)]++;
  }
  for (int i = 0; i < 20; i++) strata_ok &= hits[i] == 1;
  gsl_test(!strata_ok, "lhs: one point per stratum of kpi.token_weight");
  /* cluster.gpus is an integer key on a log scale: rounded values, in range. */
  int integer_ok = 1;
  for (size_t p = 0; p < d.points; p++) {
    double v = exp_design_value(&d, p, 1);
    integer_ok &= v == round(v) && v >= 10 && v <= 1000;
  }
  gsl_test(!integer_ok, "lhs: integer factor rounded and in range");
  exp_design d2;
  exp_design_init(&d2, s, EXP_SWEEP, 1, stderr);
  gsl_test(memcmp(d.values, d2.values, d.points * d.factors * sizeof *d.values) != 0,
           "lhs: the same master seed gives the same design");
  set(s, "experiment.master_seed=77L");
  exp_design d3;
  exp_design_init(&d3, s, EXP_SWEEP, 1, stderr);
  gsl_test(memcmp(d.values, d3.values, d.points * d.factors * sizeof *d.values) == 0,
           "lhs: another master seed gives another design");
  exp_design_free(&d);
  exp_design_free(&d2);
  exp_design_free(&d3);
  free(s);
}

/* Sobol: GSL's sequence starts at the centre; 16 points put 8 in each
 * half of every factor's range (a (0,m,s)-net property). */
static void test_sobol(void) {
  scenario *s = sweep_scenario("sobol");
  set(s, "experiment.sweep.points=16");
  exp_design d;
  gsl_test(exp_design_init(&d, s, EXP_SWEEP, 1, stderr), "sobol design");
  gsl_test_abs(exp_design_value(&d, 0, 0), 1.0, 1e-15, "sobol: first point at the centre");
  int low = 0;
  for (size_t p = 0; p < d.points; p++) low += exp_design_value(&d, p, 0) < 1.0;
  gsl_test_int(low, 8, "sobol: half the points in the lower half");
  exp_design_free(&d);
  free(s);
}

/* Seeds: one per replication, shared by every arm and point, distinct
 * across replications, and tied to the master seed. */
static void test_seeds(void) {
  scenario *s = sweep_scenario("grid");
  exp_design d;
  exp_design_init(&d, s, EXP_SWEEP, 50, stderr);
  int distinct = 1, valid = 1;
  for (size_t r = 0; r < 50; r++) {
    valid &= exp_design_seed(&d, r) <= (uint64_t)INT64_MAX;
    for (size_t q = 0; q < r; q++) distinct &= exp_design_seed(&d, r) != exp_design_seed(&d, q);
  }
  gsl_test(!distinct, "50 replications have 50 seeds");
  gsl_test(!valid, "seeds fit the seed key (63 bits)");
  scenario *a = malloc(sizeof *a), *b = malloc(sizeof *b);
  exp_design_scenario(&d, s, exp_design_run(&d, 0, 7, 0), a, stderr);
  exp_design_scenario(&d, s, exp_design_run(&d, 4, 7, 1), b, stderr);
  gsl_test(a->seed != b->seed, "arms and points of a replication share its seed");
  gsl_test((uint64_t)a->seed != exp_design_seed(&d, 7), "the seed is the replication's");
  free(a);
  free(b);
  exp_design_free(&d);
  free(s);
}

static void test_errors(void) {
  scenario *s = defaults();
  exp_design d;
  FILE *null = fopen("/dev/null", "w");
  gsl_test(exp_design_init(&d, s, EXP_COMPARE, 2, null) == 0, "compare needs arms");
  gsl_test(exp_design_init(&d, s, EXP_SWEEP, 2, null) == 0, "sweep needs factors");
  /* A cluster summary's column: refused as the scenario loads when the
   * runs have an organisation, accepted for a cluster run. */
  gsl_test(scenario_apply(s, "experiment.objective=utilisation", null) == 0,
           "the objective must be a column of the runs' summary");
  set(s, "org.agents=0");
  set(s, "experiment.objective=utilisation");
  gsl_test(exp_design_init(&d, s, EXP_REPLICATIONS, 2, null) != 0, "a cluster run's objective");
  exp_design_free(&d);
  /* An arm's change is checked like a --set, and may not touch the seed. */
  gsl_test(scenario_apply(s, "experiment.arms=( { name = \"x\"; set = \"kpi.typo=none\"; } )", null) == 0,
           "an arm with an unknown key is refused");
  gsl_test(scenario_apply(s, "experiment.arms=( { name = \"x\"; set = \"seed=3\"; } )", null) == 0,
           "an arm may not change the seed");
  gsl_test(scenario_apply(s, "experiment.arms=( { name = \"baseline\"; set = \"kpi.type=none\"; } )", null) == 0,
           "an arm may not take the baseline's name");
  gsl_test(scenario_apply(s, "experiment.sweep.factors=( { key = \"kpi.type\"; values = [1.0]; } )", null) == 0,
           "a factor must be a numeric key");
  gsl_test(scenario_apply(s, "experiment.sweep.factors=( { key = \"org.agents\"; values = [-5.0]; } )", null) == 0,
           "a factor's values must be values its key accepts");
  gsl_test(scenario_apply(s, "experiment.sweep={ method = \"lhs\"; factors = ( { key = \"days\"; min = 0.0; "
                             "max = 10.0; scale = \"log\"; } ); }", null) == 0,
           "a log scale needs min > 0");
  fclose(null);
  free(s);
}

/* Two arms run on the same seeds: the paired interval of their difference
 * is narrower than the unpaired (Welch) one, because each replication's
 * noise (traits, tasks) is common to both arms. */
static void test_pairing_narrows_intervals(void) {
  scenario *base = defaults();
  set(base, "org.agents=150");
  set(base, "org.teams=6");
  set(base, "days=21.0");
  set(base, "cluster.gpus=64");
  set(base, "experiment.arms=( { name = \"rollover\"; set = \"budget.unspent=rollover; budget.rollover_cap=0.5\"; } )");
  exp_design d;
  exp_design_init(&d, base, EXP_COMPARE, 8, stderr);
  exp_moments diff = {0}, arm = {0}, baseline = {0};
  scenario *one = malloc(sizeof *one);
  for (size_t rep = 0; rep < d.reps; rep++) {
    double v[2];
    for (size_t a = 0; a < 2; a++) {
      sim_summary cl;
      org_summary org;
      exp_design_scenario(&d, base, exp_design_run(&d, 0, rep, a), one, stderr);
      if (sim_run_org_summary(one, (uint64_t)one->seed, &cl, &org, stderr) != 0) exit(1);
      v[a] = org.value;
    }
    exp_moments_add(&diff, v[1] - v[0]);
    exp_moments_add(&baseline, v[0]);
    exp_moments_add(&arm, v[1]);
  }
  double paired = exp_ci_half_width(diff.n, exp_moments_sd(&diff), 0.95);
  double unpaired = exp_welch_half_width(arm.n, exp_moments_sd(&arm), baseline.n, exp_moments_sd(&baseline), 0.95);
  gsl_test(!(paired < 0.5 * unpaired), "paired half-width %g < half the unpaired %g (value)", paired, unpaired);
  free(one);
  exp_design_free(&d);
  free(base);
}

static void test_csv_reader(void) {
  char dir[] = "/tmp/burnsim-csv-XXXXXX";
  if (!mkdtemp(dir)) exit(1);
  char path[64];
  snprintf(path, sizeof path, "%s/t.csv", dir);
  FILE *f = fopen(path, "w");
  fputs("# provenance here\na,b,c\n1,\"x, \"\"y\"\"\",nan\n2,\"multi\nline\",-inf\n3,4\n", f);
  fclose(f);
  sim_csv_reader *r = sim_csv_reader_open(path, stderr);
  gsl_test(!r, "reader opens");
  gsl_test_str(sim_csv_reader_provenance(r), "provenance here", "provenance line");
  gsl_test_int((int)sim_csv_reader_columns(r), 3, "three columns");
  gsl_test_int((int)sim_csv_reader_find(r, "c"), 2, "column c found");
  gsl_test_int(sim_csv_reader_next(r, stderr), 1, "row 1");
  gsl_test_str(sim_csv_reader_field(r, 1), "x, \"y\"", "quoted field with comma and quotes");
  gsl_test(!isnan(sim_csv_reader_number(r, 2)), "nan reads as NaN");
  gsl_test_int(sim_csv_reader_next(r, stderr), 1, "row 2");
  gsl_test_str(sim_csv_reader_field(r, 1), "multi\nline", "quoted newline");
  gsl_test(!isinf(sim_csv_reader_number(r, 2)), "-inf reads");
  FILE *null = fopen("/dev/null", "w");
  gsl_test_int(sim_csv_reader_next(r, null), -1, "a short row is an error");
  fclose(null);
  sim_csv_reader_close(r);
  remove(path);
  remove(dir);
}

int main(void) {
  test_interval_known_answers();
  test_reps_needed();
  test_coverage();
  test_nonnegative_intervals();
  test_grid();
  test_latin_hypercube();
  test_sobol();
  test_seeds();
  test_errors();
  test_pairing_narrows_intervals();
  test_csv_reader();
  return gsl_test_summary();
}
