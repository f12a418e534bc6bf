/* sim/cli/scenarios.h - the bundled scenarios by name, and the list command. */
#ifndef BURNSIM_CLI_SCENARIOS_H
#define BURNSIM_CLI_SCENARIOS_H

extern const char cli_list_usage[];

/* The bundled scenario arg names ("quickstart", "quickstart.cfg",
 * "validation/mmc"), as a new string (free it); NULL when arg exists as
 * given (a path wins) or names no bundled scenario. */
char *cli_find_scenario(const char *arg);

int cli_list(int argc, char **argv);

#endif
