/* sim/cli/cli.h - the burnsim command line: subcommands in the style of git. */
#ifndef BURNSIM_CLI_H
#define BURNSIM_CLI_H

/* Exit codes: success, a failure while running, bad usage or input. */
enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

#include <signal.h>
#include <stddef.h>

int cli_main(int argc, char **argv);

/* Set by SIGINT or SIGTERM once cli_catch_signals has run: commands stop at
 * their next check.  A second signal exits at once (status 130). */
extern volatile sig_atomic_t cli_interrupted;
void cli_catch_signals(void);

/* Prints "burnsim: " and fmt (one %s, filled with arg), then where to find
 * the command's help; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

/* A count option's value: a whole number from 1 to 1,000,000.  Returns 0,
 * or -1 (out untouched) for anything else. */
int cli_parse_count(const char *text, size_t *out);

#endif
