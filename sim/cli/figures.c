/* sim/cli/figures.c - the plot and report subcommands (not available yet). */
#include "figures.h"

#include <stdio.h>

#include "cli.h"

const char cli_plot_usage[] = "usage: burnsim plot DIR\n\nNot available in this build yet.\n";
const char cli_report_usage[] = "usage: burnsim report DIR\n\nNot available in this build yet.\n";

int cli_plot(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fputs("burnsim: plot is not available in this build yet\n", stderr);
  return CLI_USAGE;
}

int cli_report(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fputs("burnsim: report is not available in this build yet\n", stderr);
  return CLI_USAGE;
}
