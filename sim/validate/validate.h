/* sim/validate/validate.h - burnsim validate: every known answer, with a verdict.
 *
 * Runs the targets of a targets file (targets.h), each scenario as a
 * campaign (campaign.h: replication seeds, threads, MPI, atomic files), and
 * compares every check's estimate with its band (verdict.h).  Writes a
 * validation folder:
 *   manifest.cfg     how it was made: the command, the targets file, each
 *                    target's scenario, replications and the command that
 *                    repeats its runs; complete = true when done
 *   validation.csv   one row per check: target, check, source, expected,
 *                    low, high, estimate, ci_low, ci_high, tolerance,
 *                    verdict, replications, sd, reps_needed, claim, detail
 *   targets/NAME/    each target's runs: a campaign folder, or for the logit
 *                    target its option counts (counts.csv)
 *   plots/NAME.*     a figure per target (plots/validation.gp)
 * validation.csv is computed from the run files alone, so it is
 * byte-identical for any thread or rank count.
 */
#ifndef BURNSIM_VALIDATE_H
#define BURNSIM_VALIDATE_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "io/manifest.h"
#include "io/plot.h"
#include "validate/verdict.h"

typedef struct val_options {
  const char *targets_path;  /* the targets file */
  const char *const *only;   /* targets to run (n_only of them; all when 0) */
  size_t n_only;
  int quick;                 /* the reduced set: the targets with a quick group, as it says */
  const char *dir;           /* the folder; NULL: results/validation (-quick), the first free */
  int force;                 /* replace dir if it is a validation folder */
  size_t threads;            /* 0: one per core */
  int plot;                  /* draw the figures */
  int quiet;                 /* no table, no progress */
  const sim_invocation *inv;
  const volatile sig_atomic_t *cancel;
  FILE *out;                 /* the table and progress (stdout) */
} val_options;

/* The exit status: 0 when every check passed, 1 when one did not (fail or
 * inconclusive) or a run failed or was interrupted, 2 for bad usage or a
 * bad targets file or scenario (nothing run).  The folder written is named
 * in dir_used (n bytes; "" if none).  Messages go to err. */
int val_run(const val_options *o, char *dir_used, size_t n, FILE *err);

/* Whether dir holds a validation folder (a validation.csv). */
int val_is_folder(const char *dir);

/* Draws the figures of a validation folder into dir/plots/ in each of
 * formats (NULL-terminated "png", "svg", "pdf"; NULL: PNG), one per target
 * (plots/validation.gp), as sim_plot_items draws them, with its statuses. */
sim_plot_status val_plot_folder(const char *dir, const char *const *formats, FILE *err);

/* burnsim report for a validation folder (report.h): one HTML page with
 * the table, a figure per target (figures missing from dir/plots/ are drawn
 * first when options ask for it) and how it was made.  Returns a
 * SIM_REPORT_* status, with messages on err. */
struct sim_report_options;
int val_report(const char *dir, const struct sim_report_options *options, FILE *err);

#endif
