/* sim/config/source.h - the text libconfig parses, read and checked first.
 *
 * A scenario and every file it includes are read here, never by libconfig:
 * only regular files, within a size bound, without NUL bytes.  Each
 * @include is resolved, checked and replaced by the included file's text,
 * so libconfig parses one string, and a line map gives each line of that
 * string back its file and line.  A second pass lists the literal of every
 * value in document order (the order of libconfig's settings, so that each
 * setting can be paired with the literal it was read from) and bounds how
 * many settings there are and how deeply they nest.
 */
#ifndef BURNSIM_CONFIG_SOURCE_H
#define BURNSIM_CONFIG_SOURCE_H

#include <stddef.h>

#define SIMC_MAX_BYTES (1u << 20)  /* a scenario with every file it includes */
#define SIMC_MAX_SETTINGS 10000    /* settings and list or array elements, in all */
#define SIMC_MAX_GROUP_KEYS 1000   /* keys in one group */
#define SIMC_MAX_NESTING 32        /* groups, lists and arrays inside one another */
#define SIMC_MAX_INCLUDE_DEPTH 10  /* includes inside includes (libconfig's own limit) */
#define SIMC_MAX_INCLUDES 64       /* @include lines followed, in all */

typedef enum simc_token_kind {
  SIMC_TOK_INT,   /* decimal without L: libconfig 1.5 keeps its low 32 bits */
  SIMC_TOK_INT64, /* decimal with L */
  SIMC_TOK_HEX,   /* 0x... without L: also kept to 32 bits */
  SIMC_TOK_HEX64, /* 0x... with L */
  SIMC_TOK_FLOAT,
  SIMC_TOK_BOOL,
  SIMC_TOK_STRING, /* one string literal, or several adjacent ones (libconfig joins them) */
  SIMC_TOK_GROUP,  /* { */
  SIMC_TOK_LIST,   /* ( */
  SIMC_TOK_ARRAY   /* [ */
} simc_token_kind;

typedef struct simc_source simc_source;

/* The literal of one value. */
typedef struct simc_token {
  simc_token_kind kind;
  int beyond_64_bits;        /* integers: the literal does not fit in 64 bits */
  long long value;           /* integers: the literal's value */
  size_t offset, len;        /* integers: the literal, in the source's text */
  const simc_source *source; /* the source it belongs to */
} simc_token;

/* From line first_line of the text on, lines are those of files[file] from
 * file_line on. */
typedef struct simc_span {
  int first_line, file, file_line;
} simc_span;

struct simc_source {
  char *text; /* what libconfig parses, NUL-terminated */
  size_t len;
  simc_token *tokens; /* one per value, in document order */
  size_t n_tokens, cap_tokens;
  char **files; /* names as messages show them; files[0] is NULL for a value text */
  size_t n_files;
  simc_span *spans;
  size_t n_spans, cap_spans;
  /* What the listing saw that libconfig will refuse, for its hints: */
  int bare_word_line;     /* the first key = word (an unquoted string), or 0 */
  char bare_word[160];    /* that setting, quoted as it should be: key = "word" */
  int unclosed_line;      /* the innermost {, ( or [ never closed, or 0 */
  char unclosed_char;     /* which */
  char missing_char;      /* the '}', ')' or ']' that would close it */
  char unclosed_key[128]; /* the key it opened, or "" */
};

/* How problems are reported: at file (NULL for a value text) and line
 * (0 for the whole file), one message per call, without a newline. */
typedef void (*simc_source_error)(void *ctx, const char *file, int line, const char *message);

/* Reads the scenario at path and every file it includes (include paths
 * that are not absolute are relative to include_dir, which is "" or ends
 * in '/').  Returns 0, or -1 after reporting every problem found. */
int simc_source_read(simc_source *src, const char *path, const char *include_dir,
                     simc_source_error error, void *ctx);

/* The same for a text given whole (a value of --set, a default). */
int simc_source_text(simc_source *src, const char *text, const char *include_dir,
                     simc_source_error error, void *ctx);

/* The file (NULL for a value text) and line of line `line` of src->text. */
void simc_source_place(const simc_source *src, int line, const char **file, int *file_line);

/* Copies line `line` of src->text into out, without surrounding blanks.
 * Returns -1 if there is no such line. */
int simc_source_line(const simc_source *src, int line, char *out, size_t n);

void simc_source_free(simc_source *src);

#endif
