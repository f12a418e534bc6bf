/* sim/cli/validate_cmd.c - the validate subcommand. */
#include "cli/validate_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "io/data_dirs.h"
#include "validate/validate.h"

const char cli_validate_usage[] =
    "usage: burnsim validate [TARGET...] [--quick] [-o DIR] [--threads K] [--targets FILE]\n"
    "                        [--force] [--no-plot] [-q]\n"
    "\n"
    "Reproduces what is known: runs every validation target of scenarios/validation/\n"
    "(the PCG reference vectors, closed-form logit choice, Erlang C, Little's law,\n"
    "Cobham's priority waits, the cost arithmetic, multitask incentives, expiring\n"
    "budgets, tournaments, Goodhart's law, the Meta 2026 figures), each over enough\n"
    "replications for a 95% confidence interval, and prints one table: each check's\n"
    "known answer, burnsim's estimate with its interval, and a verdict.  pass: the\n"
    "whole interval lies within the tolerance band; fail: the whole interval lies\n"
    "outside it; inconclusive: it straddles an edge (the table says how many\n"
    "replications would decide).  Orderings and signs are tested on paired\n"
    "differences between the points of a sweep, on the same seeds.\n"
    "\n"
    "Writes a validation folder: validation.csv (one row per check), each target's\n"
    "runs under targets/, a figure per target in plots/ and manifest.cfg;\n"
    "`burnsim report DIR` makes its HTML page.  docs/validation.md describes every\n"
    "target, its source and its tolerance.\n"
    "\n"
    "options:\n"
    "      --quick          the reduced set (fewer replications, smaller scenarios where the\n"
    "                       known answer allows), for a check in under a minute\n"
    "  -o, --output DIR     the folder (default: results/validation, or validation-quick;\n"
    "                       -2, -3, ... when taken)\n"
    "      --threads K      runs in parallel (default: one per core); results do not depend on it\n"
    "      --targets FILE   the targets file, or a folder holding targets.cfg (default:\n"
    "                       scenarios/validation/targets.cfg)\n"
    "      --force          replace DIR if it is a validation folder burnsim wrote\n"
    "      --no-plot        do not draw the figures\n"
    "  -q, --quiet          print nothing but errors\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 if every check passed; 1 if one failed or was inconclusive, or a run\n"
    "failed or was interrupted; 2 for bad usage or a bad targets file (nothing is run).\n";

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int cli_validate(int argc, char **argv) {
  static const struct option opts[] = {{"quick", no_argument, NULL, 'Q'},
                                       {"output", required_argument, NULL, 'o'},
                                       {"threads", required_argument, NULL, 't'},
                                       {"targets", required_argument, NULL, 'T'},
                                       {"force", no_argument, NULL, 'f'},
                                       {"no-plot", no_argument, NULL, 'P'},
                                       {"quiet", no_argument, NULL, 'q'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  val_options o = {.plot = 1, .out = stdout};
  const char *targets = NULL;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'Q': o.quick = 1; break;
    case 'o': o.dir = optarg; break;
    case 't':
      if (cli_parse_count(optarg, &o.threads) != 0)
        return cli_usage_error("validate", "--threads expects an integer from 1 to 1000000, found '%s'", optarg);
      break;
    case 'T': targets = optarg; break;
    case 'f': o.force = 1; break;
    case 'P': o.plot = 0; break;
    case 'q': o.quiet = 1; break;
    case 'h': fputs(cli_validate_usage, stdout); return CLI_OK;
    case ':': return cli_usage_error("validate", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("validate", "unknown option '%s'", argv[optind - 1]);
    }
  }
  char path[4096];
  if (!targets) {
    /* From the top of the source tree, as the README runs burnsim; else the
     * bundled scenarios wherever burnsim finds them (data_dirs.h). */
    const char *rel = "scenarios/validation/targets.cfg";
    char *bundled = is_file(rel) ? NULL : sim_data_dir(SIM_DATA_SCENARIOS);
    snprintf(path, sizeof path, "%s%s%s", bundled ? bundled : "", bundled ? "/validation/targets.cfg" : "", bundled ? "" : rel);
    free(bundled);
  } else if (is_dir(targets)) {
    snprintf(path, sizeof path, "%s/targets.cfg", targets);
  } else {
    snprintf(path, sizeof path, "%s", targets);
  }
  if (!is_file(path))
    return cli_usage_error("validate", "no targets file %s (give one with --targets FILE or DIR)", path);
  o.targets_path = path;
  o.only = (const char *const *)argv + optind;
  o.n_only = (size_t)(argc - optind);
  sim_invocation inv = {.argc = argc, .argv = argv, .scenario_path = path};
  o.inv = &inv;
  o.cancel = &cli_interrupted;
  cli_catch_signals();
  char dir[4096];
  return val_run(&o, dir, sizeof dir, stderr);
}
