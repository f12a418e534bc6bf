/* sim/config/config.c - schema-driven loading of libconfig scenario files.
 *
 * libconfig parses; this file decides what the settings mean.  The files
 * themselves are read, bounded and their @includes followed by source.c,
 * which hands libconfig one string.  Two libconfig 1.5 behaviours are
 * guarded against because they would change a scenario silently: integers
 * beyond 32 bits are truncated without an error (each setting is paired
 * with the literal it was read from, and a literal libconfig did not keep
 * is refused), and strings end at a NUL byte (files that hold one are
 * refused).
 */
#include "config/config.h"

#include <libconfig.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config/source.h"

/* Errors printed; the rest are counted. */
#define MAX_ERRORS_SHOWN 20

/* Where a key path got its current value. */
typedef struct origin {
  char *path;
  char *file; /* NULL: the schema default */
  int line;   /* 0 for command-line overrides */
  char *override_text;
} origin;

struct simc_loader {
  const simc_schema *schema;
  void *target;
  FILE *err;
  int n_errors;
  const char *top_path;
  char *include_dir;  /* folder of the top file, with a trailing '/' */
  origin *origins;
  size_t n_origins, cap_origins;
  simc_source src; /* the scenario's text, while its settings are applied */
  /* Where the value being applied comes from, for origins and messages. */
  const char *current_override; /* non-NULL while applying --set */
};

#define PATH_MAX_LEN 512

/* ---- small helpers ------------------------------------------------------ */

static char *dup_str(const char *s) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) {
    fputs("burnsim: out of memory\n", stderr);
    abort();
  }
  return d;
}

static void join_path(char *out, size_t n, const char *prefix, const char *name) {
  if (prefix && *prefix)
    snprintf(out, n, "%s.%s", prefix, name);
  else
    snprintf(out, n, "%s", name);
}

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and transpositions of neighbours each cost 1 (typing slips). */
size_t simc_edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 64 || lb > 64) return (size_t)-1;
  size_t d[65][65];
  for (size_t i = 0; i <= la; i++) d[i][0] = i;
  for (size_t j = 0; j <= lb; j++) d[0][j] = j;
  for (size_t i = 1; i <= la; i++)
    for (size_t j = 1; j <= lb; j++) {
      size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[la][lb];
}

/* Close enough to be a typo: at most a third of the name, at least 2.
 * *score orders candidates: distance first, then a length that differs
 * from what was typed (a slip rarely changes the length and the distance
 * at once). */
static int is_near_miss(const char *typed, const char *known, size_t *score) {
  size_t d = simc_edit_distance(typed, known);
  size_t allowed = strlen(known) / 3;
  if (allowed < 2) allowed = 2;
  *score = 2 * d + (strlen(typed) != strlen(known));
  return d <= allowed;
}

static const char *choice_name(const simc_key *k, size_t i) {
  return k->choices ? k->choices[i] : k->choice(i);
}

static const simc_key *find_member(const simc_key *members, const char *name) {
  for (const simc_key *k = members; k && k->name; k++)
    if (strcmp(k->name, name) == 0) return k;
  return NULL;
}

/* ---- where settings come from ------------------------------------------ */

/* The file (NULL for a default or an override) and line a setting was
 * read from. */
static const char *setting_place(const config_setting_t *s, int *line) {
  const simc_token *t = config_setting_get_hook(s);
  *line = 0;
  if (!t) return NULL;
  const char *file;
  simc_source_place(t->source, (int)s->line, &file, line);
  if (!file) *line = 0;
  return file;
}

/* The literal of an integer setting that libconfig did not keep as
 * written, or NULL. */
static const simc_token *misread_integer(const config_setting_t *s) {
  int type = config_setting_type(s);
  const simc_token *t = config_setting_get_hook(s);
  if ((type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64) || !t) return NULL;
  if (t->beyond_64_bits) return t;
  if (t->kind == SIMC_TOK_INT || t->kind == SIMC_TOK_HEX) return t->value != config_setting_get_int64(s) ? t : NULL;
  return NULL;
}

/* At most 40 characters of a literal, for messages. */
static int literal_len(const simc_token *t) {
  return t->len > 40 ? 40 : (int)t->len;
}

/* Pairs every setting under parent with its literal, in document order.
 * Returns -1 if the two disagree. */
static int attach_literals(config_setting_t *parent, const simc_source *src, size_t *next) {
  int n = config_setting_length(parent);
  for (int i = 0; i < n; i++) {
    config_setting_t *s = config_setting_get_elem(parent, (unsigned)i);
    if (*next >= src->n_tokens) return -1;
    const simc_token *t = &src->tokens[*next];
    int fits;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: fits = t->kind == SIMC_TOK_INT || t->kind == SIMC_TOK_HEX; break;
    case CONFIG_TYPE_INT64: fits = t->kind <= SIMC_TOK_HEX64; break;
    case CONFIG_TYPE_FLOAT: fits = t->kind == SIMC_TOK_FLOAT; break;
    case CONFIG_TYPE_BOOL: fits = t->kind == SIMC_TOK_BOOL; break;
    case CONFIG_TYPE_STRING: fits = t->kind == SIMC_TOK_STRING; break;
    case CONFIG_TYPE_GROUP: fits = t->kind == SIMC_TOK_GROUP; break;
    case CONFIG_TYPE_LIST: fits = t->kind == SIMC_TOK_LIST; break;
    case CONFIG_TYPE_ARRAY: fits = t->kind == SIMC_TOK_ARRAY; break;
    default: fits = 0; break;
    }
    if (!fits) return -1;
    config_setting_set_hook(s, (void *)t);
    (*next)++;
    if (config_setting_is_aggregate(s) && attach_literals(s, src, next) != 0) return -1;
  }
  return 0;
}

/* ---- messages ----------------------------------------------------------- */

/* Writes at most the first 512 bytes of s with control characters
 * escaped, so that each message stays on its line. */
static void put_escaped(FILE *out, const char *s) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++, n++) {
    if (n == 512) {
      fputs("...", out);
      return;
    }
    if (*p == '\n')
      fputs("\\n", out);
    else if (*p == '\t')
      fputs("\\t", out);
    else if (*p == '\r')
      fputs("\\r", out);
    else if (*p < 0x20 || *p == 0x7f)
      fprintf(out, "\\x%02x", *p);
    else
      fputc(*p, out);
  }
}

/* Prints the first MAX_ERRORS_SHOWN errors; finish() says how many more
 * there were. */
static void report(simc_loader *ld, const char *file, int line, const char *key_path,
                   const char *fmt, va_list ap) {
  if (ld->n_errors++ >= MAX_ERRORS_SHOWN) return;
  if (ld->current_override) {
    fputs("--set ", ld->err);
    put_escaped(ld->err, ld->current_override);
  } else if (!file) {
    put_escaped(ld->err, ld->top_path);
    fputs(" (built-in default)", ld->err);
  } else {
    put_escaped(ld->err, file);
    if (line > 0) fprintf(ld->err, ":%d", line);
  }
  fputs(": ", ld->err);
  if (key_path && *key_path) fprintf(ld->err, "%s: ", key_path);
  vfprintf(ld->err, fmt, ap);
  fputc('\n', ld->err);
}

__attribute__((format(printf, 5, 6))) static void error_at(simc_loader *ld, const char *file,
                                                           int line, const char *key_path,
                                                           const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(ld, file, line, key_path, fmt, ap);
  va_end(ap);
}

__attribute__((format(printf, 4, 5))) static void error_setting(simc_loader *ld,
                                                                const config_setting_t *s,
                                                                const char *key_path,
                                                                const char *fmt, ...) {
  int line;
  const char *file = setting_place(s, &line);
  va_list ap;
  va_start(ap, fmt);
  report(ld, file, line, key_path, fmt, ap);
  va_end(ap);
}

static void describe_number_range(const simc_key *k, char *out, size_t n) {
  const char *noun = k->type == SIMC_INT ? "an integer" : "a number";
  int no_min = isinf(k->min) || k->min <= -9.0e18, no_max = isinf(k->max) || k->max >= 9.0e18;
  if (k->min > k->max || (no_min && no_max)) {
    snprintf(out, n, "%s", noun);
  } else if (no_max) {
    snprintf(out, n, "%s >= %.15g", noun, k->min);
  } else if (no_min) {
    snprintf(out, n, "%s <= %.15g", noun, k->max);
  } else {
    snprintf(out, n, "%s in [%.15g, %.15g]", noun, k->min, k->max);
  }
}

static void describe_expected(const simc_key *k, char *out, size_t n) {
  switch (k->type) {
  case SIMC_INT:
  case SIMC_FLOAT:
    describe_number_range(k, out, n);
    break;
  case SIMC_BOOL:
    snprintf(out, n, "true or false");
    break;
  case SIMC_STRING:
    snprintf(out, n, "a string of at most %zu characters", k->size - 1);
    break;
  case SIMC_ENUM: {
    size_t used = (size_t)snprintf(out, n, "one of");
    for (size_t i = 0; choice_name(k, i) && used < n; i++)
      used += (size_t)snprintf(out + used, n - used, "%s \"%s\"", i ? "," : "", choice_name(k, i));
    break;
  }
  case SIMC_GROUP:
    snprintf(out, n, "a group { ... }");
    break;
  case SIMC_LIST:
    snprintf(out, n, "a list ( { ... }, ... ) of at most %zu groups", k->max_items);
    break;
  case SIMC_FLOAT_ARRAY: {
    char each[256]; /* "a number", then its range if any */
    describe_number_range(k, each, sizeof each);
    snprintf(out, n, "an array [ ... ] of at most %zu numbers%s", k->max_items, each + strlen("a number"));
    break;
  }
  }
}

static void describe_found(const config_setting_t *s, char *out, size_t n) {
  switch (config_setting_type(s)) {
  case CONFIG_TYPE_INT:
  case CONFIG_TYPE_INT64: {
    const simc_token *t = misread_integer(s);
    if (t) /* as written, not as libconfig kept it */
      snprintf(out, n, "the integer %.*s", literal_len(t), t->source->text + t->offset);
    else
      snprintf(out, n, "the integer %lld", config_setting_get_int64(s));
    break;
  }
  case CONFIG_TYPE_FLOAT:
    snprintf(out, n, "the number %.15g", config_setting_get_float(s));
    break;
  case CONFIG_TYPE_BOOL:
    snprintf(out, n, "the boolean %s", config_setting_get_bool(s) ? "true" : "false");
    break;
  case CONFIG_TYPE_STRING:
    snprintf(out, n, "the string \"%.200s\"", config_setting_get_string(s));
    break;
  case CONFIG_TYPE_GROUP:
    snprintf(out, n, "a group");
    break;
  case CONFIG_TYPE_ARRAY:
    snprintf(out, n, "an array [ ... ]");
    break;
  case CONFIG_TYPE_LIST:
    snprintf(out, n, "a list ( ... )");
    break;
  default:
    snprintf(out, n, "nothing");
    break;
  }
}

static void error_expected(simc_loader *ld, const config_setting_t *s, const simc_key *k,
                           const char *path) {
  char expected[512], found[256];
  describe_expected(k, expected, sizeof expected);
  describe_found(s, found, sizeof found);
  double v = config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s) : NAN;
  if (k->type == SIMC_INT && v == floor(v) && fabs(v) < 9e18) {
    /* 1e3 and 1000.0 are floats to libconfig, whatever their value. */
    error_setting(ld, s, path, "expected %s, found %s written as a float; an integer is needed: write %.0f", expected,
                  found, v);
    return;
  }
  error_setting(ld, s, path, "expected %s, found %s", expected, found);
}

static const origin *find_origin(const simc_loader *ld, const char *key_path) {
  for (size_t i = ld->n_origins; i-- > 0;)
    if (strcmp(ld->origins[i].path, key_path) == 0) return &ld->origins[i];
  return NULL;
}

void simc_error_at(simc_loader *ld, const char *key_path, const char *fmt, ...) {
  const origin *o = find_origin(ld, key_path);
  if (o && !o->file && !o->override_text) {
    /* A default inside a list element: the element is where it was written. */
    char parent[PATH_MAX_LEN];
    snprintf(parent, sizeof parent, "%s", key_path);
    for (char *dot; (dot = strrchr(parent, '.')) != NULL;) {
      *dot = '\0';
      const origin *p = parent[0] && parent[strlen(parent) - 1] == ']' ? find_origin(ld, parent) : NULL;
      if (p && (p->file || p->override_text)) {
        o = p;
        break;
      }
    }
  }
  const char *saved = ld->current_override;
  ld->current_override = o ? o->override_text : NULL;
  va_list ap;
  va_start(ap, fmt);
  if (o)
    report(ld, o->file, o->line, key_path, fmt, ap);
  else
    report(ld, ld->top_path, 0, key_path, fmt, ap);
  va_end(ap);
  ld->current_override = saved;
}

/* ---- origins ------------------------------------------------------------ */

static void record_origin(simc_loader *ld, const char *path, const config_setting_t *s) {
  if (ld->n_origins == ld->cap_origins) {
    size_t cap = ld->cap_origins ? 2 * ld->cap_origins : 64;
    origin *grown = realloc(ld->origins, cap * sizeof *grown);
    if (!grown) {
      fputs("burnsim: out of memory\n", stderr);
      abort();
    }
    ld->origins = grown;
    ld->cap_origins = cap;
  }
  origin *o = &ld->origins[ld->n_origins++];
  o->path = dup_str(path);
  o->override_text = dup_str(ld->current_override);
  int line;
  const char *file = s && !ld->current_override ? setting_place(s, &line) : NULL;
  if (file) {
    o->file = dup_str(file);
    o->line = line;
  } else {
    o->file = NULL;
    o->line = 0;
  }
}

static int was_set(const simc_loader *ld, const char *path) {
  for (size_t i = 0; i < ld->n_origins; i++)
    if (strcmp(ld->origins[i].path, path) == 0 && (ld->origins[i].file || ld->origins[i].override_text))
      return 1;
  return 0;
}

/* ---- applying values ---------------------------------------------------- */

static void apply_group(simc_loader *ld, const config_setting_t *group, const simc_key *members,
                        char *base, const char *prefix, int layer_root);
static void apply_defaults(simc_loader *ld, const simc_key *members, char *base,
                           const char *prefix);

/* Reports an integer libconfig did not keep as written (libconfig 1.5
 * keeps only the low 32 bits of one without an L suffix), with how to
 * write it for an integer or a float key; returns 1 if there was one.
 * what prefixes the message (an array element's place), or is "". */
static int reject_truncated(simc_loader *ld, const config_setting_t *s, const char *path,
                            int float_key, const char *what) {
  const simc_token *t = misread_integer(s);
  if (!t) return 0;
  int len = literal_len(t), digits = len;
  const char *literal = t->source->text + t->offset;
  while (digits > 0 && literal[digits - 1] == 'L') digits--;
  if (t->beyond_64_bits && float_key)
    error_setting(ld, s, path, "%sthe integer %.*s does not fit in 64 bits; write it as a float (%.*s.0)", what,
                  len, literal, digits, literal);
  else if (t->beyond_64_bits)
    error_setting(ld, s, path, "%sthe integer %.*s does not fit in 64 bits", what, len, literal);
  else if (float_key)
    error_setting(ld, s, path,
                  "%sthe integer %.*s does not fit in 32 bits and libconfig would truncate it; "
                  "write it as a float (%.*s.0) or with an L suffix",
                  what, len, literal, len, literal);
  else
    error_setting(ld, s, path,
                  "%sthe integer %.*s does not fit in 32 bits and libconfig would truncate it; "
                  "write it with an L suffix (%.*sL)",
                  what, len, literal, len, literal);
  return 1;
}

static void apply_value(simc_loader *ld, const config_setting_t *s, const simc_key *k, char *base,
                        const char *path) {
  void *field = base + k->offset;
  int type = config_setting_type(s);
  switch (k->type) {
  case SIMC_INT: {
    if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64) {
      error_expected(ld, s, k, path);
      return;
    }
    if (reject_truncated(ld, s, path, 0, "")) return;
    long long v = config_setting_get_int64(s);
    if (k->min <= k->max && ((double)v < k->min || (double)v > k->max)) {
      error_expected(ld, s, k, path);
      return;
    }
    *(int64_t *)field = v;
    break;
  }
  case SIMC_FLOAT: {
    double v;
    if (type == CONFIG_TYPE_FLOAT)
      v = config_setting_get_float(s);
    else if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64) {
      if (reject_truncated(ld, s, path, 1, "")) return;
      v = (double)config_setting_get_int64(s);
    } else {
      error_expected(ld, s, k, path);
      return;
    }
    if (!isfinite(v) || (k->min <= k->max && (v < k->min || v > k->max))) {
      error_expected(ld, s, k, path);
      return;
    }
    *(double *)field = v;
    break;
  }
  case SIMC_BOOL:
    if (type != CONFIG_TYPE_BOOL) {
      error_expected(ld, s, k, path);
      return;
    }
    *(int *)field = config_setting_get_bool(s);
    break;
  case SIMC_STRING: {
    if (type != CONFIG_TYPE_STRING) {
      error_expected(ld, s, k, path);
      return;
    }
    const char *v = config_setting_get_string(s);
    if (strlen(v) >= k->size) {
      error_expected(ld, s, k, path);
      return;
    }
    /* Zero the whole buffer so a scenario's bytes depend only on its values. */
    memset(field, 0, k->size);
    memcpy(field, v, strlen(v));
    break;
  }
  case SIMC_ENUM: {
    if (type != CONFIG_TYPE_STRING) {
      error_expected(ld, s, k, path);
      return;
    }
    const char *v = config_setting_get_string(s);
    const char *best = NULL;
    size_t best_dist = (size_t)-1;
    for (size_t i = 0; choice_name(k, i); i++) {
      if (strcmp(choice_name(k, i), v) == 0) {
        *(int *)field = (int)i;
        record_origin(ld, path, s);
        return;
      }
      size_t d;
      if (is_near_miss(v, choice_name(k, i), &d) && d < best_dist) {
        best = choice_name(k, i);
        best_dist = d;
      }
    }
    char expected[512];
    describe_expected(k, expected, sizeof expected);
    if (best)
      error_setting(ld, s, path, "expected %s, found \"%.200s\"; did you mean \"%s\"?", expected,
                    v, best);
    else
      error_setting(ld, s, path, "expected %s, found \"%.200s\"", expected, v);
    return;
  }
  case SIMC_GROUP:
    if (type != CONFIG_TYPE_GROUP) {
      error_expected(ld, s, k, path);
      return;
    }
    apply_group(ld, s, k->members, (char *)field, path, 0);
    return; /* members record their own origins */
  case SIMC_LIST: {
    if (type != CONFIG_TYPE_LIST) {
      error_expected(ld, s, k, path);
      return;
    }
    int n = config_setting_length(s);
    if ((size_t)n > k->max_items) {
      error_setting(ld, s, path, "expected at most %zu entries, found %d", k->max_items, n);
      return;
    }
    for (int i = 0; i < n; i++) {
      const config_setting_t *elem = config_setting_get_elem(s, (unsigned)i);
      char elem_path[PATH_MAX_LEN];
      snprintf(elem_path, sizeof elem_path, "%s.[%d]", path, i);
      if (config_setting_type(elem) != CONFIG_TYPE_GROUP) {
        char found[256];
        describe_found(elem, found, sizeof found);
        error_setting(ld, elem, elem_path, "expected a group { ... }, found %s", found);
        continue;
      }
      char *item = (char *)field + (size_t)i * k->size;
      memset(item, 0, k->size);
      apply_defaults(ld, k->members, item, elem_path);
      apply_group(ld, elem, k->members, item, elem_path, 0);
      for (const simc_key *m = k->members; m->name; m++)
        if (m->required && !config_setting_get_member(elem, m->name))
          error_setting(ld, elem, elem_path, "missing required key '%s' (%s)", m->name, m->doc);
      record_origin(ld, elem_path, elem);
    }
    *(size_t *)(base + k->count_offset) = (size_t)n;
    break;
  }
  case SIMC_FLOAT_ARRAY: {
    if (type != CONFIG_TYPE_ARRAY) {
      error_expected(ld, s, k, path);
      return;
    }
    int n = config_setting_length(s);
    if ((size_t)n > k->max_items) {
      error_setting(ld, s, path, "expected at most %zu numbers, found %d", k->max_items, n);
      return;
    }
    double *values = field;
    for (int i = 0; i < n; i++) {
      const config_setting_t *elem = config_setting_get_elem(s, (unsigned)i);
      char what[32];
      snprintf(what, sizeof what, "element %d: ", i);
      if (reject_truncated(ld, elem, path, 1, what)) return;
      int et = config_setting_type(elem);
      double v = et == CONFIG_TYPE_FLOAT ? config_setting_get_float(elem)
                 : (et == CONFIG_TYPE_INT || et == CONFIG_TYPE_INT64) ? (double)config_setting_get_int64(elem)
                                                                      : NAN;
      if (!isfinite(v) || (k->min <= k->max && (v < k->min || v > k->max))) {
        char expected[256], found[256];
        describe_number_range(k, expected, sizeof expected);
        describe_found(elem, found, sizeof found);
        error_setting(ld, elem, path, "element %d: expected %s, found %s", i, expected, found);
        return;
      }
      values[i] = v;
    }
    for (size_t i = (size_t)n; i < k->max_items; i++) values[i] = 0; /* bytes depend on values only */
    *(size_t *)(base + k->count_offset) = (size_t)n;
    break;
  }
  }
  record_origin(ld, path, s);
}

/* Looks for name anywhere in the schema, for "did you mean" across groups. */
static int find_elsewhere(const simc_key *members, const char *prefix, const char *name, char *out,
                          size_t n) {
  for (const simc_key *k = members; k && k->name; k++) {
    char path[PATH_MAX_LEN];
    join_path(path, sizeof path, prefix, k->name);
    if (strcmp(k->name, name) == 0) {
      snprintf(out, n, "%s", path);
      return 1;
    }
    if (k->type == SIMC_GROUP && find_elsewhere(k->members, path, name, out, n)) return 1;
  }
  return 0;
}

static void error_unknown_key(simc_loader *ld, const config_setting_t *s, const simc_key *members,
                              const char *prefix, const char *path) {
  if (ld->n_errors >= MAX_ERRORS_SHOWN) { /* not printed: no suggestion to look for */
    ld->n_errors++;
    return;
  }
  const char *best = NULL;
  size_t best_dist = (size_t)-1;
  for (const simc_key *k = members; k && k->name; k++) {
    size_t d;
    if (is_near_miss(s->name, k->name, &d) && d < best_dist) {
      best = k->name;
      best_dist = d;
    }
  }
  char suggestion[PATH_MAX_LEN];
  if (best) {
    join_path(suggestion, sizeof suggestion, prefix, best);
    error_setting(ld, s, path, "unknown key; did you mean '%s'?", suggestion);
  } else if (find_elsewhere(ld->schema->members, "", s->name, suggestion, sizeof suggestion)) {
    error_setting(ld, s, path, "unknown key here; did you mean '%s'?", suggestion);
  } else {
    char known[1024];
    size_t used = 0;
    known[0] = '\0';
    for (const simc_key *k = members; k && k->name && used < sizeof known; k++)
      used += (size_t)snprintf(known + used, sizeof known - used, "%s%s", used ? ", " : "",
                               k->name);
    error_setting(ld, s, path, "unknown key; expected one of: %s", known);
  }
}

static void apply_group(simc_loader *ld, const config_setting_t *group, const simc_key *members,
                        char *base, const char *prefix, int layer_root) {
  int n = config_setting_length(group);
  for (int i = 0; i < n; i++) {
    const config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
    if (layer_root && strcmp(s->name, "base") == 0) continue;
    char path[PATH_MAX_LEN];
    join_path(path, sizeof path, prefix, s->name);
    const simc_key *k = find_member(members, s->name);
    if (!k) {
      error_unknown_key(ld, s, members, prefix, path);
      continue;
    }
    apply_value(ld, s, k, base, path);
  }
}

/* A file layer: its "base" group (the inherited scenario) first, then the
 * rest of it on top. */
static void apply_layer(simc_loader *ld, const config_setting_t *root) {
  const config_setting_t *inherited = config_setting_get_member(root, "base");
  if (inherited) {
    if (config_setting_type(inherited) != CONFIG_TYPE_GROUP) {
      char found[256];
      describe_found(inherited, found, sizeof found);
      error_setting(ld, inherited, "base",
                    "expected a group holding the @include of the scenario to inherit from, "
                    "found %s",
                    found);
    } else {
      apply_layer(ld, inherited);
    }
  }
  apply_group(ld, root, ld->schema->members, ld->target, "", 1);
}

static void source_error(void *ctx, const char *file, int line, const char *message) {
  error_at(ctx, file, line, NULL, "%s", message);
}

/* A value given as text, for defaults and overrides, parsed as the file
 * "v = TEXT;" with the literals of its values. */
typedef struct value_text {
  config_t cfg;
  simc_source src;
  int reported; /* its problems (an @include, a bound) are reported already */
} value_text;

/* The value of text, or NULL if it is not one value. */
static const config_setting_t *parse_value_text(simc_loader *ld, value_text *vt, const char *text) {
  config_init(&vt->cfg);
  vt->reported = 0;
  size_t len = strlen(text) + 16;
  char *doc = malloc(len);
  if (!doc) {
    fputs("burnsim: out of memory\n", stderr);
    abort();
  }
  snprintf(doc, len, "v = %s;", text);
  int failed = simc_source_text(&vt->src, doc, "", source_error, ld);
  free(doc);
  if (failed) {
    vt->reported = 1;
    return NULL;
  }
  if (!config_read_string(&vt->cfg, vt->src.text)) return NULL;
  config_setting_t *root = config_root_setting(&vt->cfg);
  size_t next = 0;
  if (attach_literals(root, &vt->src, &next) != 0 || next != vt->src.n_tokens) {
    error_at(ld, NULL, 0, NULL, "internal error: the value's literals do not match libconfig's settings");
    vt->reported = 1;
    return NULL;
  }
  /* "1; w = 2" is not one value. */
  return config_setting_length(root) == 1 ? config_lookup(&vt->cfg, "v") : NULL;
}

static void value_text_free(value_text *vt) {
  config_destroy(&vt->cfg);
  simc_source_free(&vt->src);
}

static void apply_defaults(simc_loader *ld, const simc_key *members, char *base,
                           const char *prefix) {
  for (const simc_key *k = members; k && k->name; k++) {
    char path[PATH_MAX_LEN];
    join_path(path, sizeof path, prefix, k->name);
    if (k->type == SIMC_GROUP) {
      /* Members' own defaults first; a group default (the same member
       * table used with other values, e.g. a distribution) overrides them. */
      apply_defaults(ld, k->members, base + k->offset, path);
      if (!k->def) continue;
    }
    if (k->type == SIMC_LIST || k->type == SIMC_FLOAT_ARRAY) *(size_t *)(base + k->count_offset) = 0;
    if (!k->def && !k->required && k->type != SIMC_LIST && k->type != SIMC_GROUP &&
        k->type != SIMC_FLOAT_ARRAY)
      error_at(ld, NULL, 0, path, "schema error: the key has neither a default nor 'required'");
    if (!k->def) continue;
    value_text vt;
    const config_setting_t *v = parse_value_text(ld, &vt, k->def);
    if (!v && !vt.reported)
      error_at(ld, NULL, 0, path, "built-in default '%s' does not parse", k->def);
    else if (v)
      apply_value(ld, v, k, base, path);
    value_text_free(&vt);
  }
}

static void check_required(simc_loader *ld, const simc_key *members, const char *prefix) {
  for (const simc_key *k = members; k && k->name; k++) {
    char path[PATH_MAX_LEN];
    join_path(path, sizeof path, prefix, k->name);
    if (k->type == SIMC_GROUP)
      check_required(ld, k->members, path);
    else if (k->required && !was_set(ld, path)) {
      char expected[512];
      describe_expected(k, expected, sizeof expected);
      error_at(ld, ld->top_path, 0, path, "missing required key (%s: %s)", expected, k->doc);
    }
  }
}

/* ---- overrides ---------------------------------------------------------- */

/* Resolves "a.b.c" to its key and the struct that holds it. */
/* The key at path and the offset, from the top of the target, of the
 * struct that holds it. */
static const simc_key *lookup_path(const simc_key *members, const char *path, size_t *holder_offset) {
  char part[PATH_MAX_LEN];
  const char *p = path;
  size_t offset = 0;
  for (;;) {
    size_t len = strcspn(p, ".");
    if (len == 0 || len >= sizeof part) return NULL;
    memcpy(part, p, len);
    part[len] = '\0';
    const simc_key *k = find_member(members, part);
    if (!k) return NULL;
    if (p[len] == '\0') {
      *holder_offset = offset;
      return k;
    }
    if (k->type != SIMC_GROUP) return NULL;
    offset += k->offset;
    members = k->members;
    p += len + 1;
  }
}

const simc_key *simc_find_key(const simc_schema *schema, const char *path) {
  size_t offset;
  return lookup_path(schema->members, path, &offset);
}

/* Suggests the closest full key path for an unknown override. */
static void closest_path(const simc_key *members, const char *prefix, const char *typed,
                         char *best, size_t n, size_t *best_dist) {
  for (const simc_key *k = members; k && k->name; k++) {
    char path[PATH_MAX_LEN];
    join_path(path, sizeof path, prefix, k->name);
    size_t d;
    if (k->type != SIMC_GROUP && is_near_miss(typed, path, &d) && d < *best_dist) {
      *best_dist = d;
      snprintf(best, n, "%s", path);
    }
    if (k->type == SIMC_GROUP) closest_path(k->members, path, typed, best, n, best_dist);
  }
}

static void apply_override(simc_loader *ld, const char *text) {
  ld->current_override = text;
  const char *eq = strchr(text, '=');
  if (!eq || eq == text) {
    error_at(ld, NULL, 0, NULL, "expected key.path=value");
    ld->current_override = NULL;
    return;
  }
  char path[PATH_MAX_LEN];
  size_t len = (size_t)(eq - text);
  if (len >= sizeof path) len = sizeof path - 1;
  memcpy(path, text, len);
  path[len] = '\0';
  const char *value = eq + 1;

  size_t holder_offset = 0;
  const simc_key *k = lookup_path(ld->schema->members, path, &holder_offset);
  char *holder = (char *)ld->target + holder_offset;
  if (!k) {
    char best[PATH_MAX_LEN] = "";
    size_t best_dist = (size_t)-1;
    closest_path(ld->schema->members, "", path, best, sizeof best, &best_dist);
    if (best[0])
      error_at(ld, NULL, 0, path, "unknown key; did you mean '%s'?", best);
    else
      error_at(ld, NULL, 0, path, "unknown key");
    ld->current_override = NULL;
    return;
  }
  value_text vt;
  const config_setting_t *v = parse_value_text(ld, &vt, value);
  if (!v && !vt.reported && (k->type == SIMC_STRING || k->type == SIMC_ENUM)) {
    /* Let shell users write --set kpi.type=output without quotes. */
    value_text_free(&vt);
    size_t qlen = 2 * strlen(value) + 3;
    char *quoted = malloc(qlen);
    if (quoted) {
      char *q = quoted;
      *q++ = '"';
      for (const char *c = value; *c; c++) {
        if (*c == '"' || *c == '\\') *q++ = '\\';
        *q++ = *c;
      }
      *q++ = '"';
      *q = '\0';
      v = parse_value_text(ld, &vt, quoted);
      free(quoted);
    }
  }
  if (!v && !vt.reported) {
    char expected[512];
    describe_expected(k, expected, sizeof expected);
    error_at(ld, NULL, 0, path, "expected %s, found '%s', which is not a value", expected, value);
  } else if (v) {
    apply_value(ld, v, k, holder, path);
  }
  value_text_free(&vt);
  ld->current_override = NULL;
}

/* ---- loading ------------------------------------------------------------ */

static void loader_free(simc_loader *ld) {
  for (size_t i = 0; i < ld->n_origins; i++) {
    free(ld->origins[i].path);
    free(ld->origins[i].file);
    free(ld->origins[i].override_text);
  }
  free(ld->origins);
  simc_source_free(&ld->src);
  free(ld->include_dir);
}

static void report_parse_error(simc_loader *ld, const config_t *cfg) {
  char line[256] = "";
  const char *file;
  int file_line;
  simc_source_place(&ld->src, config_error_line(cfg), &file, &file_line);
  simc_source_line(&ld->src, config_error_line(cfg), line, sizeof line);
  const char *what = config_error_text(cfg);
  const simc_source *src = &ld->src;
  if (src->bare_word_line > 0) {
    /* The listing saw where libconfig stops: a value that is a bare word. */
    simc_source_place(src, src->bare_word_line, &file, &file_line);
    simc_source_line(src, src->bare_word_line, line, sizeof line);
    error_at(ld, file, file_line, NULL, "%s in: %s (strings need double quotes: %s)", what, line, src->bare_word);
    return;
  }
  if (line[0])
    error_at(ld, file, file_line, NULL, "%s in: %s", what, line);
  else
    error_at(ld, file, file_line, NULL, "%s at the end of the file", what);
  if (src->unclosed_line > 0) {
    simc_source_place(src, src->unclosed_line, &file, &file_line);
    simc_source_line(src, src->unclosed_line, line, sizeof line);
    error_at(ld, file, file_line, src->unclosed_key, "the '%c' opened here is never closed: a '%c' is missing (in: %s)",
             src->unclosed_char, src->missing_char, line);
  }
}

static void required_names(const simc_key *members, const char *prefix, char *out, size_t n,
                           size_t *used) {
  for (const simc_key *k = members; k && k->name; k++) {
    char path[PATH_MAX_LEN];
    join_path(path, sizeof path, prefix, k->name);
    if (k->type == SIMC_GROUP)
      required_names(k->members, path, out, n, used);
    else if (k->required && *used < n)
      *used += (size_t)snprintf(out + *used, n - *used, "%s%s", *used ? ", " : "", path);
  }
}

static int finish(simc_loader *ld) {
  int n = ld->n_errors;
  if (n > MAX_ERRORS_SHOWN) {
    put_escaped(ld->err, ld->top_path);
    fprintf(ld->err, ": %d more error%s not shown\n", n - MAX_ERRORS_SHOWN, n - MAX_ERRORS_SHOWN == 1 ? "" : "s");
  }
  loader_free(ld);
  return n;
}

int simc_load(const simc_schema *schema, void *target, const char *path,
              const simc_override *overrides, size_t n_overrides, FILE *err) {
  simc_loader ld = {0};
  ld.schema = schema;
  ld.target = target;
  ld.err = err;
  ld.top_path = path;
  const char *slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path + 1) : 0;
  ld.include_dir = malloc(dir_len + 1);
  if (!ld.include_dir) return 1;
  memcpy(ld.include_dir, path, dir_len);
  ld.include_dir[dir_len] = '\0';

  apply_defaults(&ld, schema->members, target, "");
  if (ld.n_errors || simc_source_read(&ld.src, path, ld.include_dir, source_error, &ld) != 0)
    return finish(&ld);

  config_t cfg;
  config_init(&cfg);
  if (!config_read_string(&cfg, ld.src.text)) {
    report_parse_error(&ld, &cfg);
    config_destroy(&cfg);
    return finish(&ld);
  }
  config_setting_t *root = config_root_setting(&cfg);
  size_t next = 0;
  if (attach_literals(root, &ld.src, &next) != 0 || next != ld.src.n_tokens) {
    error_at(&ld, path, 0, NULL, "internal error: the literals read do not match libconfig's settings");
    config_destroy(&cfg);
    return finish(&ld);
  }
  if (config_setting_length(root) == 0) {
    char names[512] = "";
    size_t used = 0;
    required_names(schema->members, "", names, sizeof names, &used);
    error_at(&ld, path, 0, NULL, "the %s file holds no settings; it needs at least: %s",
             schema->what, names);
    config_destroy(&cfg);
    return finish(&ld);
  }
  apply_layer(&ld, root);
  config_destroy(&cfg);

  for (size_t i = 0; i < n_overrides; i++) apply_override(&ld, overrides[i].text);
  if (ld.n_errors == 0) check_required(&ld, schema->members, "");
  if (ld.n_errors == 0 && schema->check) schema->check(&ld, target);
  return finish(&ld);
}

int simc_apply(const simc_schema *schema, void *target, const char *text, FILE *err) {
  simc_loader ld = {0};
  ld.schema = schema;
  ld.target = target;
  ld.err = err;
  ld.top_path = "(override)";
  ld.include_dir = dup_str("");
  apply_override(&ld, text);
  if (ld.n_errors == 0 && schema->check) schema->check(&ld, target);
  return finish(&ld);
}

int simc_defaults(const simc_schema *schema, void *target, FILE *err) {
  simc_loader ld = {0};
  ld.schema = schema;
  ld.target = target;
  ld.err = err;
  ld.top_path = "(defaults)";
  ld.include_dir = dup_str("");
  apply_defaults(&ld, schema->members, target, "");
  return finish(&ld);
}

/* ---- writing ------------------------------------------------------------ */

static void write_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    switch (*s) {
    case '"': fputs("\\\"", out); break;
    case '\\': fputs("\\\\", out); break;
    case '\n': fputs("\\n", out); break;
    case '\t': fputs("\\t", out); break;
    case '\r': fputs("\\r", out); break;
    case '\f': fputs("\\f", out); break;
    default: fputc(*s, out); break;
    }
  }
  fputc('"', out);
}

/* Shortest text that reads back as the same double, always with a '.' or
 * an exponent so libconfig reads a float. */
static void write_float(FILE *out, double v) {
  char buf[40];
  for (int prec = 6; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (strtod(buf, NULL) == v) break;
  }
  if (!strpbrk(buf, ".eEn")) strcat(buf, ".0");
  fputs(buf, out);
}

static void write_members(const simc_key *members, const char *base, FILE *out, int depth,
                          int with_docs);

static void write_key(const simc_key *k, const char *base, FILE *out, int depth, int with_docs) {
  const char *field = base + k->offset;
  if (with_docs && k->doc) fprintf(out, "%*s# %s\n", 2 * depth, "", k->doc);
  fprintf(out, "%*s%s = ", 2 * depth, "", k->name);
  switch (k->type) {
  case SIMC_INT: {
    int64_t v = *(const int64_t *)field;
    fprintf(out, "%lld%s", (long long)v, (v > INT32_MAX || v < INT32_MIN) ? "L" : "");
    break;
  }
  case SIMC_FLOAT: write_float(out, *(const double *)field); break;
  case SIMC_BOOL: fputs(*(const int *)field ? "true" : "false", out); break;
  case SIMC_STRING: write_string(out, field); break;
  case SIMC_ENUM: write_string(out, choice_name(k, (size_t)*(const int *)field)); break;
  case SIMC_GROUP:
    fputs("{\n", out);
    write_members(k->members, field, out, depth + 1, with_docs);
    fprintf(out, "%*s}", 2 * depth, "");
    break;
  case SIMC_LIST: {
    size_t n = *(const size_t *)(base + k->count_offset);
    fputs("(", out);
    for (size_t i = 0; i < n; i++) {
      fprintf(out, "%s\n%*s{\n", i ? "," : "", 2 * depth + 2, "");
      write_members(k->members, field + i * k->size, out, depth + 2, 0);
      fprintf(out, "%*s}", 2 * depth + 2, "");
    }
    if (n) fprintf(out, "\n%*s", 2 * depth, "");
    fputc(')', out);
    break;
  }
  case SIMC_FLOAT_ARRAY: {
    size_t n = *(const size_t *)(base + k->count_offset);
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
      if (i) fputs(", ", out);
      write_float(out, ((const double *)field)[i]);
    }
    fputc(']', out);
    break;
  }
  }
  fputs(";\n", out);
}

static void write_members(const simc_key *members, const char *base, FILE *out, int depth,
                          int with_docs) {
  for (const simc_key *k = members; k && k->name; k++) write_key(k, base, out, depth, with_docs);
}

void simc_write(const simc_schema *schema, const void *target, FILE *out, int with_docs) {
  write_members(schema->members, target, out, 0, with_docs);
}

/* ---- reference ---------------------------------------------------------- */

static void reference_rows(const simc_key *members, const char *prefix, FILE *out) {
  for (const simc_key *k = members; k && k->name; k++) {
    char path[PATH_MAX_LEN];
    join_path(path, sizeof path, prefix, k->name);
    if (k->type == SIMC_GROUP) {
      reference_rows(k->members, path, out);
      continue;
    }
    char expected[512];
    describe_expected(k, expected, sizeof expected);
    if (k->type == SIMC_LIST) snprintf(expected, sizeof expected, "list of at most %zu groups", k->max_items);
    const char *def = k->required ? "(required)" : k->def ? k->def : "(none)";
    if (k->type == SIMC_LIST && k->def && strlen(k->def) > 16) def = "the built-in catalogue";
    /* 64-bit integer defaults carry libconfig's L suffix; readers need not. */
    int shown = (int)strlen(def) - (k->type == SIMC_INT && def[strlen(def) - 1] == 'L');
    fprintf(out, "| `%s` | %s | `%.*s` | %s |\n", path, expected, shown, def, k->doc);
    if (k->type == SIMC_LIST) {
      char elem[PATH_MAX_LEN + 8];
      snprintf(elem, sizeof elem, "%s.[i]", path);
      reference_rows(k->members, elem, out);
    }
  }
}

void simc_write_reference(const simc_schema *schema, FILE *out) {
  fputs("| key | expected | default | meaning |\n|---|---|---|---|\n", out);
  reference_rows(schema->members, "", out);
}
