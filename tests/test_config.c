/* tests/test_config.c - scenario loading: the broken-config corpus with its
 * exact messages, inheritance, overrides, defaults and round trips. */
#include <gsl/gsl_test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "scenario.h"

/* Loads path with overrides; returns the error count, messages in *text. */
static int load_capture(scenario *s, const char *path, const char *const *sets, size_t n_sets,
                        char **text) {
  simc_override ovr[16];
  for (size_t i = 0; i < n_sets; i++) ovr[i].text = sets[i];
  size_t len;
  FILE *err = open_memstream(text, &len);
  int n = scenario_load(s, path, ovr, n_sets, err);
  fclose(err);
  return n;
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *buf = malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  buf[got] = '\0';
  fclose(f);
  return buf;
}

/* Every broken config in tests/configs has a .err file with the exact
 * messages it must produce. */
static const char *const corpus[] = {
    "syntax_error",    "wrong_type",      "out_of_range",   "unknown_key",   "misplaced_key",
    "misspelled_enum", "missing_include", "empty",          "binary_garbage", "missing_required",
    "big_integer",     "unknown_model",   "model_too_big",  "negative_price", "several_errors",
    "duplicate_model", "bad_switch",      "unsafe_name",    NULL};

static void test_corpus(void) {
  scenario *s = malloc(sizeof *s);
  for (size_t i = 0; corpus[i]; i++) {
    char cfg[256], err[256];
    snprintf(cfg, sizeof cfg, "%s.cfg", corpus[i]);
    snprintf(err, sizeof err, "%s.err", corpus[i]);
    char *expected = slurp(err);
    char *got = NULL;
    int n = load_capture(s, cfg, NULL, 0, &got);
    gsl_test(n == 0, "%s: rejected (%d errors)", corpus[i], n);
    gsl_test(!expected, "%s: expected messages file exists", corpus[i]);
    if (expected) gsl_test_str(got, expected, "%s: exact messages", corpus[i]);
    free(expected);
    free(got);
  }
  free(s);
}

static void test_inheritance(void) {
  scenario *s = malloc(sizeof *s);
  char *msgs = NULL;
  int n = load_capture(s, "inherit_grandchild.cfg", NULL, 0, &msgs);
  gsl_test_int(n, 0, "grandchild loads (%s)", msgs);
  gsl_test_str(s->name, "inherit_grandchild", "name from the grandchild");
  gsl_test_str(s->description, "grandchild", "description overridden by the grandchild");
  gsl_test_int((int)s->seed, 7, "seed from the grandchild");
  gsl_test_int((int)s->cluster.gpus, 32, "gpus from the child overrides the base's 16");
  gsl_test_abs(s->days, 10.0, 0, "days inherited from the base");
  gsl_test_str(scenario_schema.members[5].name, "cluster", "schema order");
  gsl_test_int(s->cluster.scheduler.type, 1, "scheduler type inherited from the base (fair_share)");
  gsl_test_int((int)s->n_models, 4, "catalogue defaults survive inheritance");
  free(msgs);
  free(s);
}

static void test_overrides(void) {
  scenario *s = malloc(sizeof *s);
  char *msgs = NULL;
  const char *good[] = {"cluster.gpus=128", "cluster.scheduler.type=quota",
                        "description=\"from the command line\"", "days=2.5", "seed=99999999999L",
                        "pricing.mode=tco"};
  int n = load_capture(s, "inherit_child.cfg", good, 6, &msgs);
  gsl_test_int(n, 0, "valid overrides accepted (%s)", msgs);
  gsl_test_int((int)s->cluster.gpus, 128, "--set cluster.gpus");
  gsl_test_int(s->cluster.scheduler.type, 3, "--set enum without quotes");
  gsl_test_str(s->description, "from the command line", "--set quoted string");
  gsl_test_abs(s->days, 2.5, 0, "--set float");
  gsl_test(s->seed != 99999999999LL, "--set 64-bit integer with L suffix");
  gsl_test_int(s->pricing.mode, 1, "--set pricing.mode");
  free(msgs);

  const char *bad[] = {"cluster.gpsu=3", "cluster.gpus=abc", "days", "cluster.gpus=0",
                       "cluster.scheduler.type=fast"};
  n = load_capture(s, "inherit_child.cfg", bad, 5, &msgs);
  gsl_test_int(n, 5, "each bad override is one error");
  gsl_test_str(msgs,
               "--set cluster.gpsu=3: cluster.gpsu: unknown key; did you mean 'cluster.gpus'?\n"
               "--set cluster.gpus=abc: cluster.gpus: expected an integer in [1, 16777216], found "
               "'abc', which is not a value\n"
               "--set days: expected key.path=value\n"
               "--set cluster.gpus=0: cluster.gpus: expected an integer in [1, 16777216], found the "
               "integer 0\n"
               "--set cluster.scheduler.type=fast: cluster.scheduler.type: expected one of "
               "\"fifo\", \"fair_share\", \"value_priority\", \"quota\", found \"fast\"\n",
               "override messages");
  free(msgs);

  /* A cross-key rule broken by an override is located at the override. */
  const char *cross[] = {"cluster.model=llama-405b", "cluster.gpus=4"};
  n = load_capture(s, "inherit_child.cfg", cross, 2, &msgs);
  gsl_test_int(n, 1, "cross-key rule checked after overrides");
  gsl_test_str(msgs,
               "--set cluster.gpus=4: cluster.gpus: the model \"llama-405b\" needs 8 GPUs per "
               "replica, but the cluster has 4\n",
               "cross-key message points at the override");
  free(msgs);
  free(s);
}

static void test_defaults_and_round_trip(void) {
  scenario *a = calloc(1, sizeof *a), *b = malloc(sizeof *b);
  char *msgs = NULL;
  size_t len;
  FILE *err = open_memstream(&msgs, &len);
  int n = simc_defaults(&scenario_schema, a, err);
  fclose(err);
  gsl_test_int(n, 0, "built-in defaults are valid (%s)", msgs);
  free(msgs);

  /* Resolve a scenario, write it, load it back: identical struct. */
  n = load_capture(a, "inherit_grandchild.cfg", (const char *[]){"datacenter.pue=1.1000000000000001",
                                                                  "workload.tokens_mean=3e-7"},
                   2, &msgs);
  gsl_test_int(n, 0, "load for round trip");
  free(msgs);
  char path[] = "/tmp/burnsim-roundtrip-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fdopen(fd, "w");
  scenario_write(a, f, 1);
  fclose(f);
  n = load_capture(b, path, NULL, 0, &msgs);
  gsl_test_int(n, 0, "written scenario loads (%s)", msgs);
  gsl_test(memcmp(a, b, sizeof *a) != 0, "write then load gives the identical scenario");
  free(msgs);
  unlink(path);
  free(a);
  free(b);
}

static void test_edit_distance(void) {
  gsl_test_int((int)simc_edit_distance("gpus", "gpus"), 0, "distance to itself");
  gsl_test_int((int)simc_edit_distance("gpsu", "gpus"), 1, "a transposition costs 1");
  gsl_test_int((int)simc_edit_distance("fifo", "fair_share"), 8, "distance fifo/fair_share");
  gsl_test_int((int)simc_edit_distance("", "abc"), 3, "distance from empty");
}

int main(void) {
  const char *src = getenv("BURNSIM_SOURCE_DIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/configs", src ? src : ".");
  if (chdir(dir) != 0) {
    fprintf(stderr, "test_config: cannot enter %s (set BURNSIM_SOURCE_DIR)\n", dir);
    return 1;
  }
  test_corpus();
  test_inheritance();
  test_overrides();
  test_defaults_and_round_trip();
  test_edit_distance();
  return gsl_test_summary();
}
