/* sim/cli/figures.c - the plot and report subcommands. */
#include "cli/figures.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "io/plot.h"
#include "io/report.h"

const char cli_plot_usage[] =
    "usage: burnsim plot DIR [--format png|svg|pdf]... [--pdf] [-q]\n"
    "\n"
    "Draws the figures of a results folder with gnuplot into DIR/plots/.  For a run:\n"
    "compute per day by purpose (waste), output per dollar (output), team budgets\n"
    "(budget, teams), the leaderboard and the cluster's load and queue waits.  For a\n"
    "campaign: the arms side by side (compare), their differences from the baseline\n"
    "(paired) and day by day (daily), or the sweep's curves (sweep) or heat maps\n"
    "(sweep_map).  plots/README.md describes each figure.\n"
    "\n"
    "options:\n"
    "      --format FMT     png, svg or pdf (repeatable; default: png and svg)\n"
    "      --pdf            PDF too (gnuplot's pdfcairo terminal)\n"
    "  -q, --quiet          print nothing but errors\n"
    "  -h, --help           show this help\n"
    "\n"
    "Needs gnuplot (Debian package gnuplot-nox).  Each figure is written only when it\n"
    "is complete; nothing else in DIR changes.\n"
    "\n"
    "Exit status: 0 on success, 1 if gnuplot is missing or a figure could not be\n"
    "drawn, 2 for bad usage or if DIR is not a burnsim results folder.\n";

const char cli_report_usage[] =
    "usage: burnsim report DIR [-o FILE [--force]] [--no-plot] [-q]\n"
    "\n"
    "Writes what a results folder found as one HTML page, DIR/report.html: the\n"
    "question the scenario asks; for a campaign, the arms (or the sweep's points)\n"
    "ranked by the objective with confidence intervals, their key figures and their\n"
    "differences from the baseline; for a run, its summary; the figures; and how it\n"
    "was made (version, revision, seeds, the resolved scenario, the command that\n"
    "repeats it).  Everything is inside the one file, figures included, so it can be\n"
    "moved or mailed on its own.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE    the page to write (default: DIR/report.html, which is\n"
    "                       rewritten; another FILE that exists needs --force)\n"
    "      --force          replace FILE if it exists\n"
    "      --no-plot        do not draw missing figures first (the page says which)\n"
    "  -q, --quiet          print nothing but errors\n"
    "  -h, --help           show this help\n"
    "\n"
    "Figures missing from DIR/plots/ are drawn first when gnuplot is installed.\n"
    "\n"
    "Exit status: 0 on success, 1 if the page could not be written, 2 for bad usage,\n"
    "if DIR is not a burnsim results folder (or holds a symbolic link), or if FILE\n"
    "exists and --force was not given.\n";

int cli_plot(int argc, char **argv) {
  static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                       {"pdf", no_argument, NULL, 'p'},
                                       {"quiet", no_argument, NULL, 'q'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  /* png, svg, pdf: chosen (1) or not, in that order */
  static const char *const names[] = {"png", "svg", "pdf"};
  int chosen[3] = {0, 0, 0}, any = 0, pdf = 0, quiet = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
    switch (c) {
    case 'f': {
      int k = 0;
      while (k < 3 && strcmp(optarg, names[k]) != 0) k++;
      if (k == 3) return cli_usage_error("plot", "--format expects png, svg or pdf, found %s", optarg);
      chosen[k] = any = 1;
      break;
    }
    case 'p': pdf = 1; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(cli_plot_usage, stdout); return CLI_OK;
    case ':': return cli_usage_error("plot", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("plot", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    return cli_usage_error("plot", "%s", optind >= argc ? "expected a results folder" : "expected one results folder");
  if (!any) chosen[0] = chosen[1] = 1;
  if (pdf) chosen[2] = 1;
  const char *formats[4];
  size_t n = 0;
  for (int k = 0; k < 3; k++)
    if (chosen[k]) formats[n++] = names[k];
  formats[n] = NULL;

  const char *dir = argv[optind];
  cli_catch_signals();
  sim_plot_status st = sim_plot_folder(dir, formats, stderr);
  if (cli_interrupted) {
    fprintf(stderr, "burnsim: interrupted; figures drawn before are in %s/plots/, no other file was written\n", dir);
    return CLI_FAILED;
  }
  switch (st) {
  case SIM_PLOT_DONE:
    if (!quiet) sim_plot_say_skipped(dir, stderr);
    if (!quiet) printf("burnsim: figures of %s in %s/plots/\n", dir, dir);
    return CLI_OK;
  case SIM_PLOT_NO_GNUPLOT:
    fprintf(stderr, "burnsim: gnuplot is not installed, so no figures were drawn; install the Debian package "
                    "gnuplot-nox (apt-get install gnuplot-nox).  The results in %s are unchanged.\n",
            dir);
    return CLI_FAILED;
  case SIM_PLOT_BAD_FOLDER: return CLI_USAGE;
  case SIM_PLOT_NO_SPACE:
    fprintf(stderr, "burnsim: some figures of %s could not be written: no space left on device; the others are in "
                    "%s/plots/\n",
            dir, dir);
    return CLI_FAILED;
  case SIM_PLOT_FAILED: break;
  }
  fprintf(stderr, "burnsim: some figures of %s could not be drawn (above); the others are in %s/plots/\n", dir, dir);
  return CLI_FAILED;
}

int cli_report(int argc, char **argv) {
  static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                       {"no-plot", no_argument, NULL, 'P'},
                                       {"force", no_argument, NULL, 'f'},
                                       {"quiet", no_argument, NULL, 'q'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
  sim_report_options options = {.output = NULL, .draw_missing = 1, .cancel = &cli_interrupted, .force = 0};
  int quiet = 0, c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
    switch (c) {
    case 'o': options.output = optarg; break;
    case 'P': options.draw_missing = 0; break;
    case 'f': options.force = 1; break;
    case 'q': quiet = 1; break;
    case 'h': fputs(cli_report_usage, stdout); return CLI_OK;
    case ':': return cli_usage_error("report", "option '%s' needs a value", argv[optind - 1]);
    default: return cli_usage_error("report", "unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind != argc - 1)
    return cli_usage_error("report", "%s", optind >= argc ? "expected a results folder" : "expected one results folder");
  const char *dir = argv[optind];
  cli_catch_signals();
  int rc = sim_report_write(dir, &options, stderr);
  if (rc == SIM_REPORT_BAD_FOLDER || rc == SIM_REPORT_EXISTS) return CLI_USAGE;
  if (rc != SIM_REPORT_OK) return CLI_FAILED;
  if (!quiet) {
    if (options.output)
      printf("burnsim: report of %s in %s\n", dir, options.output);
    else
      printf("burnsim: report of %s in %s/report.html\n", dir, dir);
  }
  return CLI_OK;
}
