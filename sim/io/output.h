/* sim/io/output.h - results folders and CSV files that are never half-written.
 *
 * A run writes into a staging folder next to its destination, DIR.partial-
 * staging, and renames it into place only when every file is complete, so a
 * reader never sees a partial result and an interrupted run leaves the
 * destination untouched.  The staging folder is also the run's claim on
 * DIR: a second burnsim writing DIR at the same time is refused (or, for a
 * default folder name, takes the next name), and one left by a process that
 * died (kill -9) is removed by the next writer.  Each CSV file starts with
 * one '#' line of provenance (burnsim version, git revision, scenario, seed),
 * then a header row.
 */
#ifndef BURNSIM_OUTPUT_H
#define BURNSIM_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct sim_output sim_output;
typedef struct sim_csv sim_csv;
typedef struct sim_atomic_file sim_atomic_file;

/* What every file of a results folder records about where it came from. */
typedef struct sim_provenance {
  const char *scenario_name;
  uint64_t seed;
} sim_provenance;

/* How sim_output_open and sim_folder_create treat an existing folder. */
enum {
  SIM_OUTPUT_FORCE = 1,    /* replace it if burnsim wrote it, all of it */
  SIM_OUTPUT_NEXT_FREE = 2 /* write dir-2, dir-3, ... instead: the first that neither exists
                              nor is being written */
};

/* Prepares to write results to dir (flags: SIM_OUTPUT_*; 0 writes only a
 * folder that does not exist).  A link dir is followed to the folder it
 * points to, which is the one written.  Fails (NULL, message on err) if dir
 * exists and is not to be replaced; if another burnsim is writing it; or if
 * it exists and is not a results folder burnsim wrote, with nothing else in
 * it (a burnsim manifest.cfg, and only the files, plots/ and runs/ burnsim
 * writes): such a folder is never replaced. */
sim_output *sim_output_open(const char *dir, int flags, const sim_provenance *prov, FILE *err);

/* The results folder's name (dir, or the dir-K chosen by SIM_OUTPUT_NEXT_FREE). */
const char *sim_output_dir(const sim_output *out);

/* Creates the folder dir for results written in place (a campaign), under
 * the same rules as sim_output_open; an existing empty folder is used as it
 * is.  A folder replaced with SIM_OUTPUT_FORCE is moved aside to
 * DIR.replaced-old and kept until sim_folder_drop_replaced, once the new
 * results are complete.  Returns the folder's name (malloc'd), or NULL with a
 * message on err. */
char *sim_folder_create(const char *dir, int flags, FILE *err);
/* Removes the earlier results sim_folder_create moved aside for dir, if any. */
void sim_folder_drop_replaced(const char *dir);

/* Creates the staging folder path and locks it for as long as the returned
 * descriptor is open (close it once the folder is removed or renamed); one a
 * dead writer left is removed first.  Returns -1 with errno EEXIST when a
 * live writer holds it. */
int sim_staging_claim(const char *path);

/* Removes what writers that died left in folder: staging folders and partial
 * files (NAME.partial-*) that no live process holds.  With prefix, only
 * those of PREFIX.partial-*. */
void sim_remove_stale_partials(const char *folder, const char *prefix);

/* The staging folder files are written into until sim_output_commit. */
const char *sim_output_staging_dir(const sim_output *out);

/* Opens NAME (e.g. "jobs.csv") in the staging folder and writes the
 * provenance line and the header row.  columns is NULL-terminated.
 * Returns NULL (message on err) on failure. */
sim_csv *sim_output_csv(sim_output *out, const char *name, const char *const *columns, FILE *err);

/* A file that appears whole or not at all: written under a new name
 * beside path (PATH.partial-PID-K, which it removes when killed writers
 * left it) and renamed to path when closed with keep set and no write
 * failed.  sim_atomic_open returns NULL with a message on err.
 * sim_atomic_close returns 0, or -1 with a message on err (if not NULL) and
 * errno set when a kept file could not be completed; without keep it removes
 * the file. */
sim_atomic_file *sim_atomic_open(const char *path, FILE *err);
FILE *sim_atomic_stream(sim_atomic_file *a);
int sim_atomic_close(sim_atomic_file *a, int keep, FILE *err);
/* Writes len bytes of data to path atomically.  Returns 0, or -1 with a
 * message on err. */
int sim_write_atomic(const char *path, const char *data, size_t len, FILE *err);

/* Opens a CSV file outside any results folder's staging (a campaign's
 * tables) as an atomic file: PATH appears when sim_csv_close succeeds,
 * never half-written.  provenance is the whole first line (starting with
 * '#'). */
sim_csv *sim_csv_create_atomic(const char *path, const char *provenance, const char *const *columns,
                               FILE *err);

/* Fields of the current row, in column order; sim_csv_end_row ends it. */
void sim_csv_int(sim_csv *csv, int64_t v);
void sim_csv_uint(sim_csv *csv, uint64_t v);
void sim_csv_float(sim_csv *csv, double v);
void sim_csv_str(sim_csv *csv, const char *v);
/* Fields already in CSV form (e.g. copied from another file's row). */
void sim_csv_raw(sim_csv *csv, const char *fields);
void sim_csv_end_row(sim_csv *csv);
/* Flushes and closes (an atomic file moves into place); returns 0, or -1
 * with errno set if any write failed.  A file of a results folder
 * (sim_output_csv) also says which and why on the err it was opened with. */
int sim_csv_close(sim_csv *csv);
/* Closes and removes the file: for a table that cannot be completed. */
void sim_csv_discard(sim_csv *csv);

/* Opens any other file (e.g. "scenario.cfg") in the staging folder for
 * writing; close it with fclose before committing. */
FILE *sim_output_file(sim_output *out, const char *name, FILE *err);

/* Moves the finished results into place (replacing an earlier results
 * folder when forced).  Returns 0, or -1 with a message on err.  out is
 * released either way. */
int sim_output_commit(sim_output *out, FILE *err);
/* Removes the staging folder and everything in it; dir is left as it was. */
void sim_output_abort(sim_output *out);

/* Removes a folder and everything in it (not following links).  Returns 0
 * or -1. */
int sim_output_remove_tree(const char *path);

/* Creates the folders above path that are missing (not path itself).
 * Returns 0, or -1 with a message on err. */
int sim_make_parents(const char *path, FILE *err);

/* The whole of the file path, as a file burnsim wrote in a results folder
 * is: a regular file, not a link, of at most max bytes.  Returns it
 * (malloc'd, NUL-terminated, its length in *len if len is not NULL), or NULL
 * with the reason in why. */
char *sim_read_own_file(const char *path, size_t max, size_t *len, char *why, size_t n);

/* "DIR/NAME" in a new string (free it), or NULL when out of memory. */
char *sim_path_join(const char *dir, const char *name);

/* The provenance line written at the top of each CSV, without newline.  The
 * name is quoted as sim_provenance_quote does. */
void sim_output_provenance_line(const sim_provenance *prov, char *buf, size_t n);

/* s in double quotes, with '"', '\\' and control characters escaped C-style,
 * so that it stays on one line and its end is unambiguous; cut short to fit
 * n bytes.  Names up to SIM_PROVENANCE_NAME_MAX bytes always fit in
 * 4 * SIM_PROVENANCE_NAME_MAX + 3. */
#define SIM_PROVENANCE_NAME_MAX 64
void sim_provenance_quote(const char *s, char *buf, size_t n);

#endif
