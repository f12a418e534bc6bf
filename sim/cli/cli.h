/* sim/cli/cli.h - the burnsim command line: subcommands in the style of git. */
#ifndef BURNSIM_CLI_H
#define BURNSIM_CLI_H

/* Exit codes: success, a failure while running, bad usage or input. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

int cli_main(int argc, char **argv);

#endif
