/* sim/io/report.c - one self-contained HTML page for a results folder. */
#include "report.h"

int sim_report_write(const char *dir, FILE *err) {
  fprintf(err, "burnsim: report for %s: not available in this build yet\n", dir);
  return -1;
}
