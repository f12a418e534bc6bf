/* sim/cli/validate_cmd.h - the validate subcommand. */
#ifndef BURNSIM_CLI_VALIDATE_CMD_H
#define BURNSIM_CLI_VALIDATE_CMD_H

extern const char cli_validate_usage[];

int cli_validate(int argc, char **argv);

#endif
