/* sim/cli/main.c - entry point of the burnsim command. */
#include "cli/cli.h"
#include "experiment/ranks.h"

int main(int argc, char **argv) {
  exp_ranks_init(&argc, &argv);
  int rc = cli_main(argc, argv);
  exp_ranks_finalize();
  return rc;
}
