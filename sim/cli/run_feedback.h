/* sim/cli/run_feedback.h - what a single run tells the terminal: a progress
 * line while it runs, when that takes a while, and what it found at the end. */
#ifndef BURNSIM_CLI_RUN_FEEDBACK_H
#define BURNSIM_CLI_RUN_FEEDBACK_H

/* Shows a progress line on stderr while the event loop runs, when stderr is
 * a terminal and the run has taken more than $BURNSIM_PROGRESS_AFTER
 * seconds (1.5) so far.  cli_progress_end removes the line. */
void cli_progress_begin(const char *name);
void cli_progress_end(void);

/* Prints "What it found:" and the run's key figures from dir/summary.csv. */
void cli_print_run_findings(const char *dir);

#endif
