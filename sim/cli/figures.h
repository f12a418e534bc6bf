/* sim/cli/figures.h - the plot and report subcommands. */
#ifndef BURNSIM_CLI_FIGURES_H
#define BURNSIM_CLI_FIGURES_H

extern const char cli_plot_usage[];
extern const char cli_report_usage[];

int cli_plot(int argc, char **argv);
int cli_report(int argc, char **argv);

#endif
