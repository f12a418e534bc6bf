/* sim/cli/main.c - entry point of the burnsim command. */
#include "cli.h"

int main(int argc, char **argv) {
  return cli_main(argc, argv);
}
