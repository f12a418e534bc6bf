/* sim/cli/cli.c - the burnsim command: its subcommands, their options and usage. */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_version.h>
#include <libconfig.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/build_info.h"
#include "experiment/calibrate.h"
#include "experiment/campaign.h"
#include "core/cancel.h"
#include "cli/figures.h"
#include "io/manifest.h"
#include "io/output.h"
#include "io/plot.h"
#include "experiment/ranks.h"
#include "io/report.h"
#include "run.h"
#include "cli/run_feedback.h"
#include "config/scenario.h"
#include "cli/scenarios.h"
#include "cli/validate_cmd.h"

typedef struct command {
  const char *name;
  const char *summary;
  const char *usage; /* full help text */
  int (*fn)(int argc, char **argv);
} command;

static const command *find_command(const char *name);

static const char main_usage[] =
    "usage: burnsim <command> [options]\n"
    "\n"
    "burnsim simulates AI-compute incentive policies: agents choosing between useful\n"
    "work and token burning, their jobs on a GPU cluster, and what it all costs.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO          run a scenario (or --reps N replications of it)\n"
    "  compare SCENARIO      compare the scenario's policy arms, paired by seed\n"
    "  sweep SCENARIO        run the scenario over its parameter sweep\n"
    "  sensitivity SCENARIO  which factors drive the results: Sobol or Morris indices\n"
    "  calibrate SCENARIO    fit parameters to known values; say which they pin down\n"
    "  check SCENARIO        check a scenario; print it with every value resolved\n"
    "  list                  list the bundled scenarios and the policy lever types\n"
    "  plot DIR              draw the figures of a results folder (PNG and SVG)\n"
    "  report DIR            write a results folder's findings as one HTML page\n"
    "  validate [TARGET...]  reproduce every known answer, with a verdict per check\n"
    "  version               print the version, the source revision and the libraries\n"
    "  help [COMMAND]        show help for burnsim or for one command\n"
    "\n"
    "`burnsim COMMAND --help` shows a command's options.  SCENARIO is a .cfg file, or\n"
    "the name of a bundled one (burnsim run quickstart; burnsim list shows them).\n";

static const char run_usage[] =
    "usage: burnsim run SCENARIO [-o DIR] [--seed N] [--set KEY=VALUE]... [--force] [--no-plot]\n"
    "       burnsim run SCENARIO --reps N [--threads K] [--resume] [options]\n"
    "\n"
    "Runs SCENARIO (a libconfig .cfg file, or the name of a bundled one: burnsim\n"
    "list) and writes CSV results with summary.json, the resolved scenario\n"
    "(scenario.cfg), a manifest (manifest.cfg) and figures (plots/*.png, when\n"
    "gnuplot is installed) into a results folder, then prints what it found.  On a\n"
    "terminal a run that takes more than $BURNSIM_PROGRESS_AFTER seconds (1.5) shows\n"
    "its progress.\n"
    "\n"
    "With --reps N (or experiment.replications in the scenario) it runs N\n"
    "replications, each with its own seed, and writes each run's folder under\n"
    "DIR/runs/ and the statistics across them: summary.csv, stats.csv (mean, sd,\n"
    "confidence interval per metric) and daily_stats.csv (docs/experiments.md),\n"
    "and its findings as one page, DIR/report.html.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR     results folder (default: results/NAME, or results/NAME-2,\n"
    "                       -3, ... if that exists; NAME is the scenario's name and\n"
    "                       +KEY=VALUE for each --set, e.g. quickstart+kpi.type=output)\n"
    "      --seed N         run seed (with replications: the master seed the run\n"
    "                       seeds derive from), overriding the scenario's\n"
    "      --set KEY=VALUE  override one key, e.g. --set cluster.gpus=128 or\n"
    "                       --set cluster.scheduler.type=fifo (repeatable)\n"
    "      --reps N         replications (overrides experiment.replications)\n"
    "      --threads K      runs in parallel (default: one per core); results do not\n"
    "                       depend on it\n"
    "      --resume         complete the interrupted campaign in DIR (needs -o DIR)\n"
    "      --force          replace DIR if burnsim wrote it (and nothing else is in it)\n"
    "      --no-plot        do not draw figures (they need gnuplot, in DIR/plots/)\n"
    "      --no-report      with replications: do not write DIR/report.html\n"
    "  -q, --quiet          print nothing but errors (no progress line)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 on success, 1 if the run failed or was interrupted (or its\n"
    "figures did not fit on the disk: the CSV results are kept), 2 for bad usage, a\n"
    "bad scenario or a folder that cannot be written.  A single run writes nothing\n"
    "unless it completes; a campaign keeps its finished runs.  Figures are drawn\n"
    "with a time limit of $BURNSIM_GNUPLOT_TIMEOUT seconds (300) each.\n";

static const char compare_usage[] =
    "usage: burnsim compare SCENARIO [--arm NAME:KEY=VALUE[;KEY=VALUE...]]... [-o DIR]\n"
    "                       [--reps N] [--threads K] [--seed N] [--set KEY=VALUE]...\n"
    "                       [--resume] [--force] [--no-plot] [--no-report] [-q]\n"
    "\n"
    "Runs the baseline and every arm of SCENARIO's experiment.arms (or the arms given\n"
    "with --arm), each for the same replication seeds (common random numbers), and\n"
    "writes per arm and metric the mean with its confidence interval (stats.csv),\n"
    "each arm's paired difference from the baseline (paired.csv) and the findings as\n"
    "one page, DIR/report.html.  Each run's own folder is under DIR/runs/.\n"
    "\n"
    "A what-if in one command, on a scenario without arms:\n"
    "  burnsim compare quickstart --reps 20 --arm output_kpi:kpi.type=output \\\n"
    "                 --arm rollover:\"budget.unspent=rollover;budget.rollover_cap=0.5\"\n"
    "\n"
    "options (and those of burnsim run with --reps, see burnsim run --help):\n"
    "      --arm NAME:CHANGES  an arm named NAME: the baseline with CHANGES, one or more\n"
    "                       KEY=VALUE separated by ';' (repeatable; the arms given\n"
    "                       replace the scenario's own experiment.arms)\n"
    "      --no-report      do not write DIR/report.html\n"
    "DIR defaults to results/NAME-compare.\n";

static const char sweep_usage[] =
    "usage: burnsim sweep SCENARIO [-o DIR] [--reps N] [--threads K] [--seed N]\n"
    "                     [--set KEY=VALUE]... [--resume] [--force] [--no-plot] [-q]\n"
    "\n"
    "Runs SCENARIO at every point of experiment.sweep (a grid of listed values, or\n"
    "a Latin hypercube or Sobol sample of ranges), every arm and replication at\n"
    "each, and writes the statistics per point (stats.csv, paired.csv).  Under\n"
    "mpirun (when burnsim is built with MPI) the runs are spread over the ranks.\n"
    "\n"
    "options: as for burnsim run with --reps (see burnsim run --help), and\n"
    "      --arm NAME:CHANGES  an arm at every point, as with burnsim compare --arm\n"
    "      --no-report      do not write DIR/report.html\n"
    "DIR defaults to results/NAME-sweep.\n";

static const char sensitivity_usage[] =
    "usage: burnsim sensitivity SCENARIO [-o DIR] [--reps N] [--threads K] [--seed N]\n"
    "                           [--set KEY=VALUE]... [--resume] [--force] [--no-plot] [-q]\n"
    "\n"
    "Global sensitivity analysis: runs SCENARIO's experiment.sweep, whose method is\n"
    "saltelli (Sobol first-order and total indices) or morris (elementary effects),\n"
    "each point for the same replication seeds, and writes every index of every\n"
    "output in experiment.sensitivity.outputs with its bootstrap interval and\n"
    "whether it has converged (indices.csv), and how much of each output's variance\n"
    "is seed noise (variance.csv).  It is a sweep campaign: threads, MPI ranks and\n"
    "--resume work as for burnsim sweep, and the results are the same for any count.\n"
    "docs/sensitivity.md explains the methods.\n"
    "\n"
    "options: as for burnsim run with --reps (see burnsim run --help); DIR defaults\n"
    "to results/NAME-sensitivity.\n";

static const char calibrate_usage[] =
    "usage: burnsim calibrate SCENARIO [-o DIR] [--reps N] [--threads K] [--seed N]\n"
    "                         [--set KEY=VALUE]... [--resume] [--force] [-q]\n"
    "\n"
    "Fits the factors of SCENARIO's experiment.sweep (within their ranges) to the\n"
    "known values of experiment.calibration.targets by simulated moments: Nelder-Mead\n"
    "searches from spread-out starts, each parameter set run N times on the same\n"
    "seeds.  Prints the fit, the best parameters and which of them the targets pin\n"
    "down, and writes fit.csv, parameters.csv, outputs.csv, evaluations.csv and\n"
    "calibrated.cfg (the scenario at the best set, for burnsim run).  The searches\n"
    "run on threads; the results are the same for any count.  docs/calibration.md\n"
    "explains the method.\n"
    "\n"
    "options: as for burnsim run with --reps (see burnsim run --help); DIR defaults\n"
    "to results/NAME-calibration.\n";

static const char check_usage[] =
    "usage: burnsim check SCENARIO [--set KEY=VALUE]... [--docs]\n"
    "       burnsim check --reference\n"
    "\n"
    "Validates SCENARIO and prints it resolved: every key with the value a run would\n"
    "use, after defaults, inherited scenarios and --set overrides.\n"
    "\n"
    "options:\n"
    "      --set KEY=VALUE  override one key (repeatable)\n"
    "      --docs           print each key's meaning and unit as a comment above it\n"
    "      --reference      print the table of every scenario key instead (Markdown)\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 if the scenario is valid, 2 if not (each problem is printed with\n"
    "its file, line and key).\n";

static const char version_usage[] =
    "usage: burnsim version\n"
    "\n"
    "Prints burnsim's version, the git revision it was built from, the versions of\n"
    "GSL and libconfig it uses, and whether it can spread campaigns over MPI ranks.\n";

static const char help_usage[] =
    "usage: burnsim help [COMMAND]\n"
    "\n"
    "Shows the list of commands, or the help of one command.\n";

volatile sig_atomic_t cli_interrupted;

static void on_signal(int sig) {
  (void)sig;
  if (cli_interrupted) _exit(130); /* a second ^C: stop at once */
  cli_interrupted = 1;
}

void cli_catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sim_cancel_watch(&cli_interrupted); /* long loops inside the library poll it */
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg) {
  fputs("burnsim: ", stderr);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'burnsim %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
  return CLI_USAGE;
}

/* Overrides collected from --set and --seed, in command-line order. */
typedef struct override_list {
  simc_override *items;
  size_t n;
} override_list;

static int add_override(override_list *list, const char *text) {
  simc_override *grown = realloc(list->items, (list->n + 1) * sizeof *grown);
  if (!grown) return -1;
  list->items = grown;
  list->items[list->n++].text = text;
  return 0;
}

static void free_overrides(override_list *list) {
  free(list->items);
}

/* Loads path, or the bundled scenario it names when there is no such file. */
static int load_scenario(scenario *s, const char **path, char **found, override_list *ovr) {
  *found = cli_find_scenario(*path);
  if (*found) *path = *found;
  int errors = scenario_load(s, *path, ovr->items, ovr->n, stderr);
  struct stat st;
  if (errors && !*found && !strchr(*path, '/') && stat(*path, &st) != 0)
    fprintf(stderr, "burnsim: %s is neither a file nor a bundled scenario (burnsim list shows them)\n", *path);
  if (errors)
    fprintf(stderr, "burnsim: %s: %d error%s; nothing was run\n", *path, errors,
            errors == 1 ? "" : "s");
  return errors;
}

/* Arms given with --arm replace the scenario's own experiment.arms. */
static int add_arms(scenario *s, const char *path, const override_list *arms) {
  if (arms->n == 0) return 0;
  s->experiment.n_arms = 0;
  int errors = 0;
  for (size_t i = 0; i < arms->n; i++) errors += scenario_add_arm(s, arms->items[i].text, stderr);
  if (errors)
    fprintf(stderr, "burnsim: %s: %d error%s in --arm; nothing was run\n", path, errors, errors == 1 ? "" : "s");
  return errors;
}

/* results/NAME+CHANGES SUFFIX: the default results folder, named for the
 * scenario and its --set changes (manifest_folder_suffix), or the first of
 * results/...-K free when it is taken (SIM_OUTPUT_NEXT_FREE). */
static char *default_output_dir(const char *name, const sim_invocation *inv, const char *suffix) {
  char *changes = manifest_folder_suffix(inv);
  if (!changes) return NULL;
  size_t n = strlen("results/") + strlen(name) + strlen(changes) + strlen(suffix) + 1;
  char *dir = malloc(n);
  if (dir) snprintf(dir, n, "results/%s%s%s", name, changes, suffix);
  free(changes);
  return dir;
}

/* Options shared by run, compare and sweep. */
typedef struct run_args {
  const char *output;
  int force, quiet, plot, report, resume;
  size_t reps, threads;
  long long seed; /* -1: not given */
  override_list ovr;
  override_list arms; /* --arm NAME:CHANGES, in command-line order */
  const char *path;
} run_args;

int cli_parse_count(const char *text, size_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno || end == text || *end || v < 1 || v > 1000000) return -1;
  *out = (size_t)v;
  return 0;
}

/* Returns -1 to go on, or the exit status. */
static int parse_run_args(const char *cmd, const char *usage, int argc, char **argv, run_args *a) {
  static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                       {"seed", required_argument, NULL, 'S'},
                                       {"set", required_argument, NULL, 's'},
                                       {"reps", required_argument, NULL, 'r'},
                                       {"threads", required_argument, NULL, 't'},
                                       {"resume", no_argument, NULL, 'R'},
                                       {"force", no_argument, NULL, 'f'},
                                       {"no-plot", no_argument, NULL, 'P'},
                                       {"no-report", no_argument, NULL, 'N'},
                                       {"arm", required_argument, NULL, 'A'},
                                       {"quiet", no_argument, NULL, 'q'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  memset(a, 0, sizeof *a);
  a->plot = 1;
  a->report = 1;
  a->seed = -1;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'o': a->output = optarg; break;
    case 'P': a->plot = 0; break;
    case 'N': a->report = 0; break;
    case 'A':
      if (strcmp(cmd, "run") == 0)
        return cli_usage_error(cmd, "--arm %s: arms are compared by burnsim compare (or swept by burnsim sweep), "
                                    "not run", optarg);
      add_override(&a->arms, optarg);
      break;
    case 'S': {
      char *end;
      errno = 0;
      a->seed = strtoll(optarg, &end, 10);
      if (errno || end == optarg || *end || a->seed < 0)
        return cli_usage_error(cmd, "--seed expects a non-negative integer, found '%s'", optarg);
      break;
    }
    case 'r':
      if (cli_parse_count(optarg, &a->reps) != 0)
        return cli_usage_error(cmd, "--reps expects an integer from 1 to 1000000, found '%s'", optarg);
      break;
    case 't':
      if (cli_parse_count(optarg, &a->threads) != 0)
        return cli_usage_error(cmd, "--threads expects an integer from 1 to 1000000, found '%s'", optarg);
      break;
    case 'R': a->resume = 1; break;
    case 's': add_override(&a->ovr, optarg); break;
    case 'f': a->force = 1; break;
    case 'q': a->quiet = 1; break;
    case 'h': fputs(usage, stdout); return CLI_OK;
    case ':': return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    return cli_usage_error(cmd, "%s", optind >= argc ? "expected a scenario file" : "expected one scenario file");
  if (a->resume && !a->output)
    return cli_usage_error(cmd, "%s", "--resume needs -o DIR, the folder of the campaign to complete");
  if (a->resume && a->force) return cli_usage_error(cmd, "%s", "--resume and --force exclude each other");
  a->path = argv[optind];
  return -1;
}

/* Applies --seed last: to the master seed of a campaign, or to the seed
 * of a single run. */
static int apply_seed(scenario *s, long long seed, int campaign) {
  if (seed < 0) return 0;
  char text[96];
  snprintf(text, sizeof text, "%s=%lldL", campaign ? "experiment.master_seed" : "seed", seed);
  return scenario_apply(s, text, stderr);
}

/* Draws the figures of the results in folder (dir as messages name it) and,
 * unless quiet, says which were left out as having nothing to show.
 * Returns -1 only when the folder itself cannot be written (a full disk):
 * a figure gnuplot cannot draw leaves the results complete without it. */
static int draw_figures(const char *folder, const char *dir, int quiet) {
  sim_plot_status ps = sim_plot_folder(folder, NULL, stderr); /* PNG */
  if (ps == SIM_PLOT_DONE && !quiet) sim_plot_say_skipped(folder, stderr);
  if (ps == SIM_PLOT_NO_GNUPLOT)
    fprintf(stderr, "burnsim: gnuplot is not installed, so no figures were drawn (install the Debian "
                    "package gnuplot-nox); the results are complete without them\n");
  else if (ps == SIM_PLOT_NO_SPACE)
    fprintf(stderr, "burnsim: the figures of %s could not be written: no space left on device\n", dir);
  else if (ps != SIM_PLOT_DONE && !cli_interrupted)
    fprintf(stderr, "burnsim: some figures could not be drawn (above); the results are complete without them\n");
  return ps == SIM_PLOT_NO_SPACE ? -1 : 0;
}

static int single_run(int argc, char **argv, run_args *a, scenario *s) {
  sim_invocation inv = {.argc = argc, .argv = argv, .scenario_path = a->path, .overrides = a->ovr.items,
                        .n_overrides = a->ovr.n};
  char *base = a->output ? strdup(a->output) : default_output_dir(s->name, &inv, "");
  int flags = !a->output ? SIM_OUTPUT_NEXT_FREE : a->force ? SIM_OUTPUT_FORCE : 0;
  uint64_t seed = (uint64_t)s->seed;
  sim_provenance prov = {.scenario_name = s->name, .seed = seed};
  sim_output *out = base ? sim_output_open(base, flags, &prov, stderr) : NULL;
  free(base);
  char *dir = out ? strdup(sim_output_dir(out)) : NULL;
  if (!dir) {
    sim_output_abort(out);
    return CLI_USAGE;
  }
  int rc = manifest_write(out, s, seed, &inv, stderr);
  if (!a->quiet) cli_progress_begin(s->name);
  if (rc == 0) rc = sim_run(s, seed, out, &cli_interrupted, stderr);
  cli_progress_end();
  if (rc == 0 && cli_interrupted) rc = -1;
  int figures = rc == 0 && a->plot ? draw_figures(sim_output_staging_dir(out), dir, a->quiet) : 0;
  /* (a signal that arrives after this is too late: the results are complete) */
  if (rc == 0 && cli_interrupted) rc = -1;
  if (rc != 0) {
    sim_output_abort(out);
    fprintf(stderr, "burnsim: %s; nothing was written to %s\n", cli_interrupted ? "interrupted" : "the run failed",
            dir);
    free(dir);
    return CLI_FAILED;
  }
  if (sim_output_commit(out, stderr) != 0) {
    free(dir);
    return CLI_FAILED;
  }
  if (figures != 0) {
    fprintf(stderr, "burnsim: the results are complete in %s/, without the figures that did not fit\n", dir);
    free(dir);
    return CLI_FAILED;
  }
  if (!a->quiet) printf("burnsim: %s (seed %llu): results in %s/\n", s->name, (unsigned long long)seed, dir);
  if (!a->quiet) cli_print_run_findings(dir);
  free(dir);
  return CLI_OK;
}

/* The default results folder of a campaign or calibration, the first free
 * name: rank 0 takes it and every rank learns it.  NULL (malloc'd
 * otherwise) when it cannot be made; rank 0 says why. */
static char *shared_default_dir(const scenario *s, const sim_invocation *inv, const char *suffix) {
  char name[4096] = "";
  if (exp_ranks_rank() == 0) {
    char *base = default_output_dir(s->name, inv, suffix);
    char *made = base ? sim_folder_create(base, SIM_OUTPUT_NEXT_FREE, stderr) : NULL;
    if (made) snprintf(name, sizeof name, "%s", made);
    free(made);
    free(base);
  }
  exp_ranks_share(name, sizeof name);
  return *name ? strdup(name) : NULL;
}

static int campaign(int argc, char **argv, run_args *a, scenario *s, exp_kind kind) {
  static const char *const suffix[] = {"", "-compare", "-sweep"};
  int method = s->experiment.sweep.method;
  int sensitivity = kind == EXP_SWEEP && (method == SCN_SWEEP_SALTELLI || method == SCN_SWEEP_MORRIS);
  sim_invocation inv = {.argc = argc, .argv = argv, .scenario_path = a->path, .overrides = a->ovr.items,
                        .n_overrides = a->ovr.n};
  char *dir = NULL;
  if (a->output) {
    dir = strdup(a->output);
  } else {
    dir = shared_default_dir(s, &inv, sensitivity ? "-sensitivity" : suffix[kind]);
    if (!dir) return CLI_USAGE;
  }
  if (!dir) return CLI_FAILED;
  exp_options o = {.kind = kind,
                   .reps = a->reps,
                   .threads = a->threads,
                   .dir = dir,
                   .force = a->force,
                   .resume = a->resume,
                   .quiet = a->quiet,
                   .inv = &inv,
                   .cancel = &cli_interrupted};
  int rc = exp_campaign_run(s, &o, stderr);
  if (rc == 0 && exp_ranks_rank() == 0 && a->plot && draw_figures(dir, dir, a->quiet) != 0) {
    fprintf(stderr, "burnsim: the campaign's results are complete in %s/, without the figures that did not fit\n",
            dir);
    rc = CLI_FAILED;
  }
  int report = rc == 0 && exp_ranks_rank() == 0 && a->report;
  if (report) {
    sim_report_options ro = {.output = NULL, .draw_missing = 0, .cancel = &cli_interrupted, .force = 0};
    if (sim_report_write(dir, &ro, stderr) != SIM_REPORT_OK) {
      fprintf(stderr, "burnsim: the campaign's results are complete in %s/, without report.html (burnsim report "
                      "%s writes it)\n",
              dir, dir);
      rc = CLI_FAILED;
    }
  }
  if (rc == 0 && exp_ranks_rank() == 0 && !a->quiet) {
    size_t reps = a->reps ? a->reps : (size_t)s->experiment.replications;
    printf("burnsim: %s %s campaign, %zu replication%s: results in %s/\n", s->name, exp_kind_names[kind], reps,
           reps == 1 ? "" : "s", dir);
    if (report) printf("burnsim: what it found, in plain words and figures: %s/report.html\n", dir);
  }
  free(dir);
  return rc;
}

/* `run` runs the scenario as it stands, `compare` its arms at the scenario's
 * own values: arms and sweep points are what compare and sweep run, and a
 * user who declared them should hear what was left out. */
static void say_what_run_leaves_out(const scenario *s, const char *path, exp_kind kind) {
  const scn_experiment *e = &s->experiment;
  if (kind == EXP_COMPARE) {
    if (e->sweep.n_factors > 0)
      fprintf(stderr,
              "burnsim: %s declares a sweep (experiment.sweep); `burnsim compare` runs the arms at the scenario's "
              "own values alone. To run the sweep, with every arm at each point: burnsim sweep %s\n",
              path, path);
    return;
  }
  if (kind != EXP_REPLICATIONS) return;
  if (e->n_arms > 0)
    fprintf(stderr,
            "burnsim: %s declares %zu policy arm%s (experiment.arms); `burnsim run` runs the %s alone. "
            "To run every arm: burnsim compare %s\n",
            path, e->n_arms, e->n_arms == 1 ? "" : "s", e->baseline, path);
  if (e->sweep.n_factors > 0)
    fprintf(stderr,
            "burnsim: %s declares a sweep (experiment.sweep); `burnsim run` runs the scenario's own values alone. "
            "To run the sweep: burnsim sweep %s\n",
            path, path);
}

/* sensitivity: the command needs a saltelli or morris sweep. */
static int run_command(const char *cmd, const char *usage, exp_kind kind, int sensitivity, int argc,
                       char **argv) {
  run_args a;
  int rc = parse_run_args(cmd, usage, argc, argv, &a);
  if (rc >= 0) {
    free_overrides(&a.ovr);
    free_overrides(&a.arms);
    return rc;
  }
  scenario *s = malloc(sizeof *s);
  char *found = NULL;
  int bad = !s || load_scenario(s, &a.path, &found, &a.ovr) != 0 || add_arms(s, a.path, &a.arms) != 0;
  free_overrides(&a.arms);
  int method = bad ? SCN_SWEEP_GRID : s->experiment.sweep.method;
  if (!bad && sensitivity && method != SCN_SWEEP_SALTELLI && method != SCN_SWEEP_MORRIS) {
    fprintf(stderr,
            "burnsim: %s: experiment.sweep.method: expected \"saltelli\" or \"morris\" for a sensitivity "
            "analysis, found \"%s\" (burnsim sweep runs that design)\n",
            a.path, method == SCN_SWEEP_LHS ? "lhs" : method == SCN_SWEEP_SOBOL ? "sobol" : "grid");
    bad = 1;
  }
  if (bad) {
    free(s);
    free(found);
    free_overrides(&a.ovr); /* (kept until here: the run's label and folder name list them) */
    return CLI_USAGE;
  }
  /* `run` with replications (or resuming) is a campaign too. */
  size_t reps = a.reps ? a.reps : (size_t)s->experiment.replications;
  int is_campaign = kind != EXP_REPLICATIONS || a.resume || reps > 1;
  if (apply_seed(s, a.seed, is_campaign) != 0) {
    free(s);
    free(found);
    free_overrides(&a.ovr);
    return CLI_USAGE;
  }
  if (!a.quiet && exp_ranks_rank() == 0) say_what_run_leaves_out(s, a.path, kind);
  cli_catch_signals();
  if (is_campaign)
    rc = campaign(argc, argv, &a, s, kind);
  else
    rc = exp_ranks_rank() == 0 ? single_run(argc, argv, &a, s) : CLI_OK; /* one rank is enough */
  free(s);
  free(found);
  free_overrides(&a.ovr);
  return rc;
}

static int cmd_run(int argc, char **argv) {
  return run_command("run", run_usage, EXP_REPLICATIONS, 0, argc, argv);
}

static int cmd_compare(int argc, char **argv) {
  return run_command("compare", compare_usage, EXP_COMPARE, 0, argc, argv);
}

static int cmd_sweep(int argc, char **argv) {
  return run_command("sweep", sweep_usage, EXP_SWEEP, 0, argc, argv);
}

static int cmd_calibrate(int argc, char **argv) {
  run_args a;
  int rc = parse_run_args("calibrate", calibrate_usage, argc, argv, &a);
  if (rc < 0 && a.arms.n > 0)
    rc = cli_usage_error("calibrate", "%s", "--arm has no place in a calibration: it fits one scenario");
  free_overrides(&a.arms);
  if (rc >= 0) {
    free_overrides(&a.ovr);
    return rc;
  }
  scenario *s = malloc(sizeof *s);
  char *found = NULL, *dir = NULL;
  rc = !s || load_scenario(s, &a.path, &found, &a.ovr) != 0 || apply_seed(s, a.seed, 1) != 0 ? CLI_USAGE : CLI_OK;
  sim_invocation inv = {.argc = argc, .argv = argv, .scenario_path = a.path, .overrides = a.ovr.items,
                        .n_overrides = a.ovr.n};
  if (rc == CLI_OK) {
    if (a.output) {
      dir = strdup(a.output);
    } else {
      dir = shared_default_dir(s, &inv, "-calibration");
    }
    cli_catch_signals();
    exp_calibrate_options o = {.reps = a.reps,
                               .threads = a.threads,
                               .dir = dir,
                               .force = a.force,
                               .resume = a.resume,
                               .quiet = a.quiet,
                               .inv = &inv,
                               .cancel = &cli_interrupted};
    rc = dir ? exp_calibrate_run(s, &o, stderr) : CLI_USAGE;
    if (rc == 0 && !a.quiet && exp_ranks_rank() == 0) printf("burnsim: results in %s/\n", dir);
  }
  free(dir);
  free(s);
  free(found);
  free_overrides(&a.ovr);
  return rc;
}

static int cmd_sensitivity(int argc, char **argv) {
  return run_command("sensitivity", sensitivity_usage, EXP_SWEEP, 1, argc, argv);
}

static int cmd_check(int argc, char **argv) {
  static const struct option opts[] = {{"set", required_argument, NULL, 's'},
                                       {"docs", no_argument, NULL, 'd'},
                                       {"reference", no_argument, NULL, 'r'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  int docs = 0, c;
  override_list ovr = {0};
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
    switch (c) {
    case 's': add_override(&ovr, optarg); break;
    case 'd': docs = 1; break;
    case 'r': free_overrides(&ovr); simc_write_reference(&scenario_schema, stdout); return CLI_OK;
    case 'h': fputs(check_usage, stdout); free_overrides(&ovr); return CLI_OK;
    case ':': free_overrides(&ovr); return cli_usage_error("check", "option '%s' needs a value", argv[optind - 1]);
    default: free_overrides(&ovr); return cli_usage_error("check", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1) {
    free_overrides(&ovr);
    return cli_usage_error("check", "%s", optind >= argc ? "expected a scenario file" : "expected one scenario file");
  }
  scenario *s = malloc(sizeof *s);
  const char *path = argv[optind];
  char *found = NULL;
  int errors = !s || load_scenario(s, &path, &found, &ovr) != 0;
  free(found);
  free_overrides(&ovr);
  if (!errors) scenario_write(s, stdout, docs);
  free(s);
  return errors ? CLI_USAGE : CLI_OK;
}

static int cmd_version(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(version_usage, stdout);
    return CLI_OK;
  }
  if (argc > 1) return cli_usage_error("version", "unexpected argument '%s'", argv[1]);
  printf("burnsim %s (revision %s)\nGSL %s, libconfig %d.%d.%d, %s\n", burnsim_version,
         burnsim_git_revision, gsl_version, LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR,
         LIBCONFIG_VER_REVISION, exp_ranks_library());
  return CLI_OK;
}

static int cmd_help(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(argc < 2 ? main_usage : help_usage, stdout);
    return CLI_OK;
  }
  const command *cmd = find_command(argv[1]);
  if (!cmd) return cli_usage_error(NULL, "'%s' is not a burnsim command", argv[1]);
  fputs(cmd->usage, stdout);
  return CLI_OK;
}

static const command commands[] = {
    {"run", "run a scenario", run_usage, cmd_run},
    {"compare", "compare policy arms", compare_usage, cmd_compare},
    {"sweep", "sweep parameters", sweep_usage, cmd_sweep},
    {"sensitivity", "rank a scenario's factors by their effect", sensitivity_usage, cmd_sensitivity},
    {"calibrate", "fit a scenario's parameters to known values", calibrate_usage, cmd_calibrate},
    {"check", "validate a scenario", check_usage, cmd_check},
    {"list", "list bundled scenarios and lever types", cli_list_usage, cli_list},
    {"plot", "draw a results folder's figures", cli_plot_usage, cli_plot},
    {"report", "write a results folder's HTML report", cli_report_usage, cli_report},
    {"validate", "reproduce the known answers", cli_validate_usage, cli_validate},
    {"version", "print the version", version_usage, cmd_version},
    {"help", "show help", help_usage, cmd_help},
};

static const command *find_command(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

int cli_main(int argc, char **argv) {
  if (argc < 2) {
    fputs(main_usage, stderr);
    return CLI_USAGE;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(main_usage, stdout);
    return CLI_OK;
  }
  if (strcmp(argv[1], "--version") == 0) return cmd_version(1, argv + 1);
  const command *cmd = find_command(argv[1]);
  if (!cmd) {
    const char *best = NULL;
    size_t best_dist = 3;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
      size_t d = simc_edit_distance(argv[1], commands[i].name);
      if (d < best_dist) {
        best_dist = d;
        best = commands[i].name;
      }
    }
    if (best) {
      fprintf(stderr, "burnsim: '%s' is not a burnsim command; did you mean '%s'?\n", argv[1], best);
      return CLI_USAGE;
    }
    return cli_usage_error(NULL, "'%s' is not a burnsim command", argv[1]);
  }
  return cmd->fn(argc - 1, argv + 1);
}
