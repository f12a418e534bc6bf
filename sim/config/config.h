/* sim/config/config.h - typed configuration from libconfig files, driven by a schema.
 *
 * A schema is a static table of keys (name, type, place in a C struct,
 * default, range or choices, one line of documentation).  Loading applies,
 * in order: the schema's defaults, the scenario file (after the files it
 * inherits from), then command-line overrides.  Every value is checked
 * against the schema; every problem is reported with file, line, key path,
 * what was expected and what was found, and loading fails as a whole.
 *
 * Inheritance: a scenario file may hold a group named "base" whose body is
 * an @include of another scenario; the included settings are applied first
 * and the rest of the file overrides them, key by key.
 */
#ifndef BURNSIM_CONFIG_H
#define BURNSIM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum simc_type {
  SIMC_INT,    /* stored as int64_t */
  SIMC_FLOAT,  /* stored as double; integers are accepted */
  SIMC_BOOL,   /* stored as int (0 or 1) */
  SIMC_STRING, /* stored in a char[size] buffer */
  SIMC_ENUM,   /* a string from choices, stored as int (its index) */
  SIMC_GROUP,  /* a struct at offset, described by members */
  SIMC_LIST,   /* an inline array of up to max_items structs of size bytes */
  SIMC_FLOAT_ARRAY /* a libconfig array [ ... ] of up to max_items numbers, stored as
                      double[max_items] with its count at count_offset */
} simc_type;

typedef struct simc_key {
  const char *name;
  simc_type type;
  size_t offset;      /* of the field within the enclosing struct */
  size_t size;        /* STRING: buffer size; LIST: element size */
  const char *def;    /* default in libconfig syntax, or NULL for none */
  const char *doc;    /* one line: meaning and unit */
  int required;       /* must be given by the scenario (no default) */
  double min, max;    /* INT and FLOAT: inclusive range (ignored if min > max) */
  const char *const *choices;     /* ENUM: NULL-terminated names, or NULL to use choice */
  const char *(*choice)(size_t i); /* ENUM: the i-th name, NULL past the end (registries) */
  const struct simc_key *members; /* GROUP and LIST: NULL-name-terminated */
  size_t count_offset;            /* LIST, FLOAT_ARRAY: size_t element count */
  size_t max_items;               /* LIST, FLOAT_ARRAY: capacity of the array */
} simc_key;

/* A schema's top level is a member table (terminated by a key whose name
 * is NULL) plus an optional whole-config check for rules that tie several
 * keys together. */
typedef struct simc_loader simc_loader;
typedef struct simc_schema {
  const char *what;             /* e.g. "scenario", used in messages */
  const simc_key *members;
  /* Called after all layers are applied; reports with simc_error_at. */
  void (*check)(simc_loader *ld, void *target);
} simc_schema;

/* Command-line override "key.path=value". */
typedef struct simc_override {
  const char *text;
} simc_override;

/* Loads path into target (a struct described by schema), then applies the
 * overrides.  On failure writes every error, one per line, to err and
 * returns the number of errors; returns 0 on success.  target is fully
 * written on success and unspecified on failure. */
int simc_load(const simc_schema *schema, void *target, const char *path,
              const simc_override *overrides, size_t n_overrides, FILE *err);

/* Applies one "key.path=value" override to an already loaded target, then
 * the schema's whole-config check.  Returns 0 or the number of errors
 * (written to err, located as "--set TEXT"). */
int simc_apply(const simc_schema *schema, void *target, const char *text, FILE *err);

/* Fills target with the schema's defaults only.  Returns 0 or an error
 * count (a broken default is a programming error, reported the same way). */
int simc_defaults(const simc_schema *schema, void *target, FILE *err);

/* Writes target as a libconfig file that loads back to the same values,
 * with each key's documentation as a comment when with_docs is set. */
void simc_write(const simc_schema *schema, const void *target, FILE *out, int with_docs);

/* Writes a Markdown table of every key: path, type, default, meaning. */
void simc_write_reference(const simc_schema *schema, FILE *out);

/* For whole-config checks: reports an error about key_path, located where
 * that key was last set (or at the scenario file when it took its default).
 * Formats like printf. */
void simc_error_at(simc_loader *ld, const char *key_path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The key at "group.key" (not inside lists), or NULL. */
const simc_key *simc_find_key(const simc_schema *schema, const char *path);

/* Edit distance between two strings, used for "did you mean" suggestions. */
size_t simc_edit_distance(const char *a, const char *b);

#endif
