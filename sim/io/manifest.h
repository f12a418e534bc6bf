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

#include "output.h"
#include "scenario.h"

typedef struct sim_invocation {
  int argc;
  char **argv;
  const char *scenario_path;
} sim_invocation;

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
 * scenario_name */
void manifest_print_provenance(FILE *f, const sim_invocation *inv, const char *scenario_name);
/* started and host: the only lines that differ between repeats */
void manifest_print_origin(FILE *f);
/* scenario = { ... }; */
void manifest_print_scenario(FILE *f, const scenario *s);

/* Reads a configuration file of a results folder (manifest.cfg,
 * scenario.cfg) into cfg, as only a file burnsim wrote can be: a regular
 * file, not a link, of at most 16 MB, with no @include (which could pull in
 * any file, or one that never ends).  Returns 0, or -1 with the reason in
 * why (naming path, and the line for a syntax error). */
int manifest_read(config_t *cfg, const char *path, char *why, size_t n);

#endif
