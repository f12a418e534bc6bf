/* sim/io/manifest.h - manifest.cfg: how a results folder was made.
 *
 * The manifest records burnsim's version and git revision, the command
 * line, the scenario file, the seed, the start time and host, and the whole
 * resolved scenario.  scenario.cfg beside it holds the resolved scenario
 * alone, so `burnsim run DIR/scenario.cfg` repeats the run.
 */
#ifndef BURNSIM_MANIFEST_H
#define BURNSIM_MANIFEST_H

#include <libconfig.h>
#include <stdint.h>
#include <stdio.h>

#include "io/output.h"
#include "config/scenario.h"

typedef struct sim_invocation {
  int argc;
  char **argv;
  const char *scenario_path;
  const simc_override *overrides; /* the --set changes, in command-line order */
  size_t n_overrides;
} sim_invocation;

/* What was run, in one line: the scenario's name, then each --set change and
 * each dated switch, e.g. "quickstart + kpi.type=output + from day 60:
 * kpi.type=none" (malloc'd; NULL when out of memory).  Reports and figure
 * titles show it, so a variant is never taken for the scenario it changed. */
char *manifest_label(const scenario *s, const sim_invocation *inv);

/* The --set changes as a suffix for a folder name: "+kpi.type=output", each
 * change after a '+', every character but letters, digits and ._=,- made '_',
 * and a long suffix cut short with a hash of the whole; "" without changes
 * (malloc'd; NULL when out of memory). */
char *manifest_folder_suffix(const sim_invocation *inv);

/* Writes manifest.cfg and scenario.cfg into the staging folder of out.
 * Returns 0, or -1 with a message on err. */
int manifest_write(sim_output *out, const scenario *s, uint64_t seed, const sim_invocation *inv,
                   FILE *err);

/* The pieces, for other kinds of results folders (campaigns): */
/* a libconfig string literal */
void manifest_put_string(FILE *f, const char *s);
/* scenario.cfg's contents */
void manifest_print_scenario_file(FILE *f, const scenario *s);
/* burnsim_version, git_revision, libraries, command_line, scenario_file,
 * scenario_name, and label and overrides (the --set changes) */
void manifest_print_provenance(FILE *f, const sim_invocation *inv, const scenario *s);
/* The command line as a shell would take it back: "burnsim run a.cfg ..."
 * (malloc'd), or NULL when out of memory. */
char *manifest_command_line(const sim_invocation *inv);
/* started and host: the only lines that differ between repeats */
void manifest_print_origin(FILE *f);
/* Now (UTC, ISO 8601) and this host's name, as manifest_print_origin writes them. */
void manifest_origin_now(char *stamp, size_t stamp_len, char *host, size_t host_len);
/* scenario = { ... }; */
void manifest_print_scenario(FILE *f, const scenario *s);

/* Reads a configuration file of a results folder (manifest.cfg,
 * scenario.cfg) into cfg, as only a file burnsim wrote can be: a regular
 * file, not a link, of at most 16 MB, with no @include (which could pull in
 * any file, or one that never ends).  Returns 0, or -1 with the reason in
 * why (naming path, and the line for a syntax error). */
int manifest_read(config_t *cfg, const char *path, char *why, size_t n);

#endif
