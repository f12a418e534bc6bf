/* sim/io/report.h - one self-contained HTML page for a results folder.
 *
 * The page says what question the scenario asks (its name and description),
 * then, for a campaign, ranks the arms (or the sweep's points) by the
 * objective with confidence intervals, tabulates the key metrics per arm and
 * each arm's paired difference from the baseline; for a single run, the
 * summary's figures in plain words.  Then the figures (from DIR/plots/,
 * embedded, so the page works on its own when moved or mailed) and how the
 * results were made: version, revision, seeds, the resolved scenario and the
 * command that repeats them.
 */
#ifndef BURNSIM_REPORT_H
#define BURNSIM_REPORT_H

#include <stdio.h>

#include <signal.h>

typedef struct sim_report_options {
  const char *output; /* the page to write; NULL: DIR/report.html */
  int draw_missing;   /* draw figures missing from DIR/plots/ first (needs gnuplot) */
  const volatile sig_atomic_t *cancel; /* if set (e.g. by SIGINT) the page is not written; may be NULL */
  int force;          /* replace output if it exists (DIR/report.html is always rewritten) */
} sim_report_options;

enum { SIM_REPORT_OK = 0, SIM_REPORT_FAILED = 1, SIM_REPORT_BAD_FOLDER = 2, SIM_REPORT_EXISTS = 3 };

/* Writes the report of the results folder dir.  The page is written to a
 * temporary file beside the output and renamed into place when complete, so
 * a failure leaves any earlier page as it was.  The page reads only dir's
 * own files: a folder holding a symbolic link is refused.  Returns
 * SIM_REPORT_OK; SIM_REPORT_BAD_FOLDER if dir is not a burnsim results
 * folder; SIM_REPORT_EXISTS if options->output exists and force is not set
 * (nothing written); or
 * SIM_REPORT_FAILED if the page could not be written or *cancel was set
 * (messages on err). */
int sim_report_write(const char *dir, const sim_report_options *options, FILE *err);

/* Prints the figures of the run in dir that say what happened, one a line
 * in plain words: for an organisation the share of tokens burned, the $
 * spent on burn, the useful output, output per $, the net value and the
 * output lost to refused useful jobs; for a cluster alone its utilisation,
 * waits and $.  Returns 0, or -1 with a message on err. */
int sim_report_print_run_summary(const char *dir, FILE *out, FILE *err);

#endif
