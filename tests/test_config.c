/* tests/test_config.c - scenario loading: the broken-config corpus with its
 * exact messages, inheritance, overrides, defaults and round trips, files
 * that are not scenarios, the loader's bounds and integer literals. */
#include <gsl/gsl_test.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "config/scenario.h"

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

/* Loads in a child process, so that a load that hangs, exits or crashes
 * fails its own checks rather than the whole test.  Returns the error
 * count, or -1 if the child did not finish (after at most 20 s); the
 * messages, or what became of the child, in *text. */
static int load_isolated(const char *path, const char *const *sets, size_t n_sets, char **text) {
  int fd[2];
  if (pipe(fd) != 0) return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    alarm(20);
    scenario *s = malloc(sizeof *s);
    char *msgs = NULL;
    int n = load_capture(s, path, sets, n_sets, &msgs);
    FILE *out = fdopen(fd[1], "w");
    fprintf(out, "%d\n%s", n, msgs ? msgs : "");
    fclose(out);
    free(msgs);
    free(s);
    exit(0); /* not _exit: a leak checker, if there is one, runs */
  }
  close(fd[1]);
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  ssize_t got;
  while ((got = read(fd[0], buf + len, cap - len - 1)) > 0) {
    len += (size_t)got;
    if (cap - len < 2) buf = realloc(buf, cap *= 2);
  }
  buf[len] = '\0';
  close(fd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    free(buf);
    buf = malloc(64);
    if (WIFSIGNALED(status))
      snprintf(buf, 64, "the load died of signal %d\n", WTERMSIG(status));
    else
      snprintf(buf, 64, "the load exited with status %d\n", WEXITSTATUS(status));
    *text = buf;
    return -1;
  }
  int n = atoi(buf);
  char *body = strchr(buf, '\n');
  *text = strdup(body ? body + 1 : "");
  free(buf);
  return n;
}

/* Loads path (with sets) in a child process and compares its messages
 * with expected. */
static void expect_messages(const char *path, const char *const *sets, size_t n_sets,
                            const char *expected, const char *what) {
  char *got = NULL;
  int n = load_isolated(path, sets, n_sets, &got);
  gsl_test(n <= 0, "%s: rejected (%d errors)", what, n);
  gsl_test_str(got, expected, "%s: exact messages", what);
  free(got);
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
    "duplicate_model", "bad_switch",      "unsafe_name",
    /* files that are not scenarios, and includes that must be refused */
    "include_folder", "include_empty", "include_device", "include_proc", "include_self",
    "include_binary", "switch_include", "arm_include",
    /* integers beyond 32 bits wherever they are written */
    "big_integer_split", "big_integer_same_name", "big_integer_grid",
    /* the first twenty errors, and how many more */
    "too_many_errors",
    "objective_unknown", "grid_no_values", "empty_description",
    /* syntax errors with a hint */
    "unquoted_string", "unclosed_group", "unclosed_element", "float_for_integer", NULL};

static void test_corpus(void) {
  for (size_t i = 0; corpus[i]; i++) {
    char cfg[256], err[256];
    snprintf(cfg, sizeof cfg, "%s.cfg", corpus[i]);
    snprintf(err, sizeof err, "%s.err", corpus[i]);
    char *expected = slurp(err);
    gsl_test(!expected, "%s: expected messages file exists", corpus[i]);
    if (expected) expect_messages(cfg, NULL, 0, expected, corpus[i]);
    free(expected);
  }
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

/* ---- files that are not scenarios, and the loader's bounds -------------- */

static char tmp_dir[] = "/tmp/burnsim-test-config-XXXXXX";

/* tmp_dir/name, in a static buffer of four (enough for one message). */
static const char *tmp_path(const char *name) {
  static char bufs[4][512];
  static int next;
  char *b = bufs[next++ % 4];
  snprintf(b, sizeof bufs[0], "%s/%s", tmp_dir, name);
  return b;
}

static void write_text(const char *name, const char *fmt, ...) {
  FILE *f = fopen(tmp_path(name), "w");
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
  fclose(f);
}

/* A file of `bytes` bytes of comment lines. */
static void write_comments(const char *name, size_t bytes) {
  FILE *f = fopen(tmp_path(name), "w");
  for (size_t i = 0; i < bytes; i += 64) fprintf(f, "%.*s\n", (int)(bytes - i < 64 ? bytes - i - 1 : 63),
                                                 "# padding padding padding padding padding padding padding padding");
  fclose(f);
}

static void test_special_files(void) {
  char expected[4096];
  /* A FIFO or a device given as the scenario is refused before it is read. */
  mkfifo(tmp_path("fifo.cfg"), 0600);
  snprintf(expected, sizeof expected, "%s: is a FIFO, expected a scenario file (*.cfg)\n", tmp_path("fifo.cfg"));
  expect_messages(tmp_path("fifo.cfg"), NULL, 0, expected, "a FIFO as the scenario");
  expect_messages("/dev/zero", NULL, 0, "/dev/zero: is a character device, expected a scenario file (*.cfg)\n",
                  "/dev/zero as the scenario");
  expect_messages("/dev/urandom", NULL, 0,
                  "/dev/urandom: is a character device, expected a scenario file (*.cfg)\n",
                  "/dev/urandom as the scenario");

  /* ... and so is an @include of one. */
  write_text("inc_fifo.cfg", "base: {\n  @include \"fifo.cfg\"\n};\nname = \"x\";\n");
  snprintf(expected, sizeof expected, "%s:2: cannot include %s: it is a FIFO\n", tmp_path("inc_fifo.cfg"),
           tmp_path("fifo.cfg"));
  expect_messages(tmp_path("inc_fifo.cfg"), NULL, 0, expected, "an @include of a FIFO");
  write_text("inc_urandom.cfg", "base: {\n  @include \"/dev/urandom\"\n};\nname = \"x\";\n");
  snprintf(expected, sizeof expected, "%s:2: cannot include /dev/urandom: it is a character device\n",
           tmp_path("inc_urandom.cfg"));
  expect_messages(tmp_path("inc_urandom.cfg"), NULL, 0, expected, "an @include of /dev/urandom");
  /* An include of "" from a scenario in a folder names that folder. */
  write_text("inc_empty.cfg", "base: {\n  @include \"\"\n};\nname = \"x\";\n");
  snprintf(expected, sizeof expected, "%s:2: cannot include \"\": expected a file name, found an empty path\n",
           tmp_path("inc_empty.cfg"));
  expect_messages(tmp_path("inc_empty.cfg"), NULL, 0, expected, "an @include of \"\" from a folder");

  /* Through --set, a switch or an arm (paths relative to the current folder). */
  const char *set_fifo[1];
  char set_text[1024];
  snprintf(set_text, sizeof set_text, "models=(\n@include \"%s\"\n)", tmp_path("fifo.cfg"));
  set_fifo[0] = set_text;
  snprintf(expected, sizeof expected, "--set models=(\\n@include \"%s\"\\n): cannot include %s: it is a FIFO\n",
           tmp_path("fifo.cfg"), tmp_path("fifo.cfg"));
  expect_messages("inherit_child.cfg", set_fifo, 1, expected, "--set with an @include of a FIFO");
  const char *set_zero[] = {"cluster={\n@include \"/dev/zero\"\n}"};
  expect_messages("inherit_child.cfg", set_zero, 1,
                  "--set cluster={\\n@include \"/dev/zero\"\\n}: cannot include /dev/zero: it is a character device\n",
                  "--set with an @include of /dev/zero");
  const char *set_folder[] = {"cluster={\n@include \"a_folder\"\n}"};
  expect_messages("inherit_child.cfg", set_folder, 1,
                  "--set cluster={\\n@include \"a_folder\"\\n}: cannot include a_folder: it is a folder\n",
                  "--set with an @include of a folder");
  const char *set_switch[] = {"switches=( { day = 1; set = \"kpi.type=\\n@include \\\"/dev/zero\\\"\\n\"; } )"};
  expect_messages("inherit_child.cfg", set_switch, 1,
                  "--set switches=( { day = 1; set = \"kpi.type=\\n@include \\\"/dev/zero\\\"\\n\"; } ): "
                  "switches.[0].set: cannot include /dev/zero: it is a character device\n",
                  "--set of a switch whose change includes /dev/zero");

  /* Size: of the scenario, of an include, and of everything together. */
  write_comments("big.cfg", 2 << 20);
  snprintf(expected, sizeof expected,
           "%s: is 2097152 bytes, expected a scenario of at most 1048576 bytes (1 MiB) with the files it "
           "includes\n",
           tmp_path("big.cfg"));
  expect_messages(tmp_path("big.cfg"), NULL, 0, expected, "a 2 MiB scenario");
  write_text("inc_big.cfg", "base: {\n  @include \"big.cfg\"\n};\nname = \"x\";\n");
  snprintf(expected, sizeof expected,
           "%s:2: cannot include %s: it is 2097152 bytes, which would bring the scenario and the files it "
           "includes past 1048576 bytes (1 MiB)\n",
           tmp_path("inc_big.cfg"), tmp_path("big.cfg"));
  expect_messages(tmp_path("inc_big.cfg"), NULL, 0, expected, "an @include of a 2 MiB file");
  write_comments("part.cfg", 400000);
  write_text("parts.cfg", "@include \"part.cfg\"\n@include \"part.cfg\"\n@include \"part.cfg\"\n");
  snprintf(expected, sizeof expected,
           "%s:3: cannot include %s: it is 400000 bytes, which would bring the scenario and the files it "
           "includes past 1048576 bytes (1 MiB)\n",
           tmp_path("parts.cfg"), tmp_path("part.cfg"));
  expect_messages(tmp_path("parts.cfg"), NULL, 0, expected, "three includes of 400 kB each");

  /* Includes nest at most 10 deep (libconfig's own limit). */
  for (int i = 0; i <= 11; i++) {
    char name[32];
    snprintf(name, sizeof name, "d%d.cfg", i);
    write_text(name, "@include \"d%d.cfg\"\n", i + 1);
  }
  snprintf(expected, sizeof expected, "%s:1: cannot include %s: includes nest more than 10 deep\n",
           tmp_path("d10.cfg"), tmp_path("d11.cfg"));
  expect_messages(tmp_path("d0.cfg"), NULL, 0, expected, "includes nested 11 deep");
}

static void test_bounds(void) {
  char expected[1024];
  /* 200,000 keys: past the size bound, refused before anything is parsed. */
  FILE *f = fopen(tmp_path("keys200k.cfg"), "w");
  fputs("name = \"k\"; description = \"d\";\n", f);
  for (int i = 0; i < 200000; i++) fprintf(f, "k%d = 1;\n", i);
  long size = ftell(f);
  fclose(f);
  snprintf(expected, sizeof expected,
           "%s: is %ld bytes, expected a scenario of at most 1048576 bytes (1 MiB) with the files it includes\n",
           tmp_path("keys200k.cfg"), size);
  expect_messages(tmp_path("keys200k.cfg"), NULL, 0, expected, "200,000 keys");

  /* 20,000 keys in one group: the 1001st is refused. */
  f = fopen(tmp_path("keys20k.cfg"), "w");
  fputs("name = \"k\"; description = \"d\";\n", f);
  for (int i = 0; i < 20000; i++) fprintf(f, "k%d = 1;\n", i);
  fclose(f);
  snprintf(expected, sizeof expected,
           "%s:1000: k998: expected at most 1000 keys in one group, found more (a scenario has a few hundred "
           "keys in all)\n",
           tmp_path("keys20k.cfg"));
  expect_messages(tmp_path("keys20k.cfg"), NULL, 0, expected, "20,000 keys in one group");

  /* 200,000 list elements: the 10,001st setting is refused. */
  f = fopen(tmp_path("elems.cfg"), "w");
  fputs("name = \"k\"; description = \"d\";\nexperiment = { sweep = { factors = ( { key = \"kpi.token_weight\"; "
        "values = [",
        f);
  for (int i = 0; i < 200000; i++) fputs(i ? ",1.0" : "1.0", f);
  fputs("]; } ); }; };\n", f);
  fclose(f);
  snprintf(expected, sizeof expected,
           "%s:2: experiment.sweep.factors.[0].values.[9992]: expected at most 10000 settings in a scenario "
           "and the files it includes, found more\n",
           tmp_path("elems.cfg"));
  expect_messages(tmp_path("elems.cfg"), NULL, 0, expected, "200,000 list elements");

  /* Values nested 100,000 deep. */
  f = fopen(tmp_path("deep.cfg"), "w");
  fputs("name = \"k\"; description = \"d\";\nmodels = ", f);
  for (int i = 0; i < 100000; i++) fputc('(', f);
  fputc('\n', f);
  fclose(f);
  snprintf(expected, sizeof expected,
           "%s:2: models.[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0]."
           "[0].[0].[0].[0].[0].[0].[0].[0].[0].[0].[0]: expected values nested at most 32 deep, found deeper\n",
           tmp_path("deep.cfg"));
  expect_messages(tmp_path("deep.cfg"), NULL, 0, expected, "lists nested 100,000 deep");
}

/* ---- integer literals ----------------------------------------------------- */

static void test_integer_literals(void) {
  /* Integers on one line, and keys of one name on one line, load as written. */
  scenario *s = malloc(sizeof *s);
  char *msgs = NULL;
  int n = load_capture(s, "one_line_integers.cfg", NULL, 0, &msgs);
  gsl_test_int(n, 0, "integers on one line load (%s)", msgs);
  gsl_test_abs(s->warmup_days, 1, 0, "warmup_days = 1 beside days = 5");
  gsl_test_abs(s->days, 5, 0, "days = 5 beside warmup_days = 1");
  gsl_test_int((int)s->org.agents, 10, "org.agents beside workload.agents");
  gsl_test_int((int)s->workload.agents, 7, "workload.agents beside org.agents");
  gsl_test_int((int)s->workload.teams, 3, "workload.teams beside org.teams");
  gsl_test_abs(s->traits.salary.mean, 100000, 0, "a second integer mean on the line");
  gsl_test_int((int)s->n_switches, 2, "two switches on one line");
  gsl_test_int((int)s->switches[1].day, 3, "the second switch's day");
  free(msgs);
  free(s);

  /* The same guard for --set and for the changes of a switch. */
  const char *seed[] = {"seed=4294967297"};
  expect_messages("inherit_child.cfg", seed, 1,
                  "--set seed=4294967297: seed: the integer 4294967297 does not fit in 32 bits and libconfig "
                  "would truncate it; write it with an L suffix (4294967297L)\n",
                  "--set of an integer beyond 32 bits");
  const char *sw[] = {"switches=( { day = 1; set = \"kpi.top_k=4294967297\"; } )"};
  expect_messages("inherit_child.cfg", sw, 1,
                  "--set switches=( { day = 1; set = \"kpi.top_k=4294967297\"; } ): switches.[0].set: kpi.top_k: "
                  "the integer 4294967297 does not fit in 32 bits and libconfig would truncate it; write it "
                  "with an L suffix (4294967297L)\n",
                  "a switch's change beyond 32 bits");
}

int main(void) {
  const char *src = getenv("BURNSIM_SOURCE_DIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/configs", src ? src : ".");
  if (chdir(dir) != 0) {
    fprintf(stderr, "test_config: cannot enter %s (set BURNSIM_SOURCE_DIR)\n", dir);
    return 1;
  }
  if (!mkdtemp(tmp_dir)) {
    fprintf(stderr, "test_config: cannot make %s\n", tmp_dir);
    return 1;
  }
  test_corpus();
  test_special_files();
  test_bounds();
  test_integer_literals();
  test_inheritance();
  test_overrides();
  test_defaults_and_round_trip();
  test_edit_distance();
  char rm[600];
  snprintf(rm, sizeof rm, "rm -rf '%s'", tmp_dir);
  if (system(rm) != 0) fprintf(stderr, "test_config: cannot remove %s\n", tmp_dir);
  return gsl_test_summary();
}
