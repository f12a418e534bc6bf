/* sim/cli/cli.c - subcommands: run, check, version, help. */
#include "cli.h"

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

#include "build_info.h"
#include "manifest.h"
#include "output.h"
#include "plot.h"
#include "run.h"
#include "scenario.h"

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
    "  run SCENARIO     run a scenario and write its results folder\n"
    "  check SCENARIO   validate a scenario and print it with every value resolved\n"
    "  version          print the version, the source revision and the libraries\n"
    "  help [COMMAND]   show help for burnsim or for one command\n"
    "\n"
    "`burnsim COMMAND --help` shows a command's options.  Scenarios are in scenarios/.\n";

static const char run_usage[] =
    "usage: burnsim run SCENARIO [-o DIR] [--seed N] [--set KEY=VALUE]... [--force] [--no-plot]\n"
    "\n"
    "Runs SCENARIO (a libconfig .cfg file) and writes CSV results, the resolved\n"
    "scenario (scenario.cfg), a manifest (manifest.cfg) and figures (plots/*.png,\n"
    "when gnuplot is installed) into a results folder.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR     results folder (default: results/NAME, or results/NAME-2,\n"
    "                       -3, ... if that exists; NAME is the scenario's name)\n"
    "      --seed N         run seed, overriding the scenario's seed key\n"
    "      --set KEY=VALUE  override one key, e.g. --set cluster.gpus=128 or\n"
    "                       --set cluster.scheduler.type=fifo (repeatable)\n"
    "      --force          replace DIR if it already holds burnsim results\n"
    "      --no-plot        do not draw figures (they need gnuplot, in DIR/plots/)\n"
    "  -q, --quiet          print nothing but errors\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 on success, 1 if the run failed, 2 for bad usage or a bad scenario.\n"
    "Nothing is written unless the run completes.\n";

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
    "Prints burnsim's version, the git revision it was built from, and the versions of\n"
    "GSL and libconfig it uses.\n";

static const char help_usage[] =
    "usage: burnsim help [COMMAND]\n"
    "\n"
    "Shows the list of commands, or the help of one command.\n";

/* Set by SIGINT/SIGTERM; the run stops at the next check and writes nothing. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  if (interrupted) _exit(130); /* a second ^C: stop at once */
  interrupted = 1;
}

static int usage_error(const char *cmd, const char *fmt, const char *arg) {
  fputs("burnsim: ", stderr);
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'burnsim %s%s--help'.\n", cmd ? cmd : "", cmd ? " " : "");
  return CLI_USAGE;
}

/* Overrides collected from --set and --seed, in command-line order. */
typedef struct override_list {
  simc_override *items;
  size_t n;
  char *seed_text;
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
  free(list->seed_text);
}

static int load_scenario(scenario *s, const char *path, override_list *ovr) {
  int errors = scenario_load(s, path, ovr->items, ovr->n, stderr);
  if (errors)
    fprintf(stderr, "burnsim: %s: %d error%s; nothing was run\n", path, errors,
            errors == 1 ? "" : "s");
  return errors;
}

/* results/NAME, or the first results/NAME-K that does not exist. */
static char *default_output_dir(const char *name) {
  size_t n = strlen(name) + 32;
  char *dir = malloc(n);
  if (!dir) return NULL;
  struct stat st;
  snprintf(dir, n, "results/%s", name);
  for (int k = 2; stat(dir, &st) == 0; k++) snprintf(dir, n, "results/%s-%d", name, k);
  return dir;
}

static int parse_seed(const char *text, override_list *ovr) {
  char *end;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno || end == text || *end || v < 0) return -1;
  size_t n = strlen(text) + 16;
  free(ovr->seed_text);
  ovr->seed_text = malloc(n);
  if (!ovr->seed_text) return -1;
  snprintf(ovr->seed_text, n, "seed=%lldL", v);
  return 0;
}

static int cmd_run(int argc, char **argv) {
  static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                       {"seed", required_argument, NULL, 'S'},
                                       {"set", required_argument, NULL, 's'},
                                       {"force", no_argument, NULL, 'f'},
                                       {"no-plot", no_argument, NULL, 'P'},
                                       {"quiet", no_argument, NULL, 'q'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  const char *output = NULL;
  int force = 0, quiet = 0, plot = 1, c;
  override_list ovr = {0};
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'o': output = optarg; break;
    case 'P': plot = 0; break;
    case 'S':
      if (parse_seed(optarg, &ovr) != 0) {
        free_overrides(&ovr);
        return usage_error("run", "--seed expects a non-negative integer, found '%s'", optarg);
      }
      break;
    case 's': add_override(&ovr, optarg); break;
    case 'f': force = 1; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(run_usage, stdout); free_overrides(&ovr); return CLI_OK;
    case ':': free_overrides(&ovr); return usage_error("run", "option '%s' needs a value", argv[optind - 1]);
    default: free_overrides(&ovr); return usage_error("run", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1) {
    free_overrides(&ovr);
    return usage_error("run", "%s", optind >= argc ? "expected a scenario file" : "expected one scenario file");
  }
  const char *path = argv[optind];
  if (ovr.seed_text) add_override(&ovr, ovr.seed_text);

  scenario *s = malloc(sizeof *s);
  if (!s || load_scenario(s, path, &ovr) != 0) {
    free(s);
    free_overrides(&ovr);
    return CLI_USAGE;
  }
  free_overrides(&ovr);

  char *dir = output ? strdup(output) : default_output_dir(s->name);
  uint64_t seed = (uint64_t)s->seed;
  sim_provenance prov = {.scenario_name = s->name, .seed = seed};
  sim_output *out = dir ? sim_output_open(dir, force, &prov, stderr) : NULL;
  if (!out) {
    free(dir);
    free(s);
    return CLI_USAGE;
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  sim_invocation inv = {.argc = argc, .argv = argv, .scenario_path = path};
  int rc = manifest_write(out, s, seed, &inv, stderr);
  if (rc == 0) rc = sim_run(s, seed, out, &interrupted, stderr);
  if (rc == 0 && interrupted) rc = -1;
  if (rc != 0) {
    sim_output_abort(out);
    fprintf(stderr, "burnsim: %s; nothing was written to %s\n",
            interrupted ? "interrupted" : "the run failed", dir);
    free(dir);
    free(s);
    return CLI_FAILED;
  }
  if (plot) {
    const char *script = s->org.agents > 0 ? "org_run.gp" : "cluster_run.gp";
    sim_plot_status ps = sim_plot(sim_output_staging_dir(out), script, "png", stderr);
    if (ps == SIM_PLOT_NO_GNUPLOT)
      fprintf(stderr, "burnsim: gnuplot is not installed, so no figures were drawn (install the Debian "
                      "package gnuplot-nox); the results are complete without them\n");
    else if (ps == SIM_PLOT_FAILED)
      fprintf(stderr, "burnsim: the figures could not be drawn; the results are complete without them\n");
  }
  if (sim_output_commit(out, stderr) != 0) {
    free(dir);
    free(s);
    return CLI_FAILED;
  }
  if (!quiet) printf("burnsim: %s (seed %llu): results in %s/\n", s->name, (unsigned long long)seed, dir);
  free(dir);
  free(s);
  return CLI_OK;
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
    case ':': free_overrides(&ovr); return usage_error("check", "option '%s' needs a value", argv[optind - 1]);
    default: free_overrides(&ovr); return usage_error("check", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1) {
    free_overrides(&ovr);
    return usage_error("check", "%s", optind >= argc ? "expected a scenario file" : "expected one scenario file");
  }
  scenario *s = malloc(sizeof *s);
  int errors = !s || load_scenario(s, argv[optind], &ovr) != 0;
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
  if (argc > 1) return usage_error("version", "unexpected argument '%s'", argv[1]);
  printf("burnsim %s (revision %s)\nGSL %s, libconfig %d.%d.%d\n", burnsim_version,
         burnsim_git_revision, gsl_version, LIBCONFIG_VER_MAJOR, LIBCONFIG_VER_MINOR,
         LIBCONFIG_VER_REVISION);
  return CLI_OK;
}

static int cmd_help(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(argc < 2 ? main_usage : help_usage, stdout);
    return CLI_OK;
  }
  const command *cmd = find_command(argv[1]);
  if (!cmd) return usage_error(NULL, "'%s' is not a burnsim command", argv[1]);
  fputs(cmd->usage, stdout);
  return CLI_OK;
}

static const command commands[] = {
    {"run", "run a scenario", run_usage, cmd_run},
    {"check", "validate a scenario", check_usage, cmd_check},
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
    return usage_error(NULL, "'%s' is not a burnsim command", argv[1]);
  }
  return cmd->fn(argc - 1, argv + 1);
}
