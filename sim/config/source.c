/* sim/config/source.c - reading scenario files, resolving @include, and the
 * literal of every value.
 *
 * libconfig 1.5 opens included files itself and reads them with no limit
 * (an @include of /dev/zero never ends, of a folder exits the process from
 * inside its scanner) and keeps only the low 32 bits of an integer without
 * an L suffix.  So the files are read here, and libconfig is given one
 * string.  The lexical rules below follow libconfig 1.5's scanner.l, so
 * that an @include is recognised exactly where libconfig would recognise
 * it, and the literals listed are those its parser turns into settings.
 */
#include "config/source.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(void) {
  fputs("burnsim: out of memory\n", stderr);
  abort();
}

static void *grow(void *p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return p;
  size_t cap2 = *cap ? *cap : 16;
  while (cap2 < need) cap2 *= 2;
  void *q = realloc(p, cap2 * size);
  if (!q) out_of_memory();
  *cap = cap2;
  return q;
}

__attribute__((format(printf, 5, 6))) static void problem(simc_source_error error, void *ctx,
                                                          const char *file, int line,
                                                          const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  error(ctx, file, line, msg);
}

/* ---- reading ------------------------------------------------------------ */

static const char *file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

typedef struct read_result {
  char *text;
  size_t len;
  struct stat st;
  const char *kind;     /* set when the path is not a regular file */
  int too_big;          /* set when it holds more than the bytes allowed */
  long long size;       /* its size then, or 0 if unknown (it grew while read) */
  int err;              /* errno of a failed open or read */
} read_result;

/* Reads path if it is a regular file of at most max bytes.  Anything else
 * is refused before a byte of it is read (a FIFO is never opened for
 * reading, so nothing can block).  Returns 0 or -1 (r says why). */
static int read_regular(const char *path, size_t max, read_result *r) {
  memset(r, 0, sizeof *r);
  if (stat(path, &r->st) != 0) {
    r->err = errno;
    return -1;
  }
  if (!S_ISREG(r->st.st_mode)) {
    r->kind = file_kind(r->st.st_mode);
    return -1;
  }
  if ((unsigned long long)r->st.st_size > max) {
    r->too_big = 1;
    r->size = (long long)r->st.st_size;
    return -1;
  }
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    r->err = errno;
    return -1;
  }
  /* The file may have been replaced between stat and open. */
  if (fstat(fd, &r->st) != 0 || !S_ISREG(r->st.st_mode)) {
    r->kind = file_kind(r->st.st_mode);
    close(fd);
    return -1;
  }
  size_t cap = (size_t)r->st.st_size + 1 < max + 1 ? (size_t)r->st.st_size + 1 : max + 1;
  if (cap < 4096) cap = max + 1 < 4096 ? max + 1 : 4096;
  char *buf = malloc(cap + 1);
  if (!buf) out_of_memory();
  size_t n = 0;
  for (;;) {
    if (n == cap) {
      if (cap > max) break; /* max + 1 bytes read: too big */
      size_t cap2 = 2 * cap > max + 1 ? max + 1 : 2 * cap;
      char *bigger = realloc(buf, cap2 + 1);
      if (!bigger) out_of_memory();
      buf = bigger;
      cap = cap2;
    }
    ssize_t got = read(fd, buf + n, cap - n);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      r->err = errno;
      free(buf);
      close(fd);
      return -1;
    }
    if (got == 0) break;
    n += (size_t)got;
  }
  close(fd);
  if (n > max) {
    free(buf);
    r->too_big = 1;
    return -1;
  }
  buf[n] = '\0';
  r->text = buf;
  r->len = n;
  return 0;
}

/* Line of the first NUL byte in text, or 0 if there is none. */
static int nul_line(const char *text, size_t len, size_t *offset) {
  const char *nul = memchr(text, '\0', len);
  if (!nul) return 0;
  int line = 1;
  for (const char *p = text; p < nul; p++) line += (*p == '\n');
  *offset = (size_t)(nul - text);
  return line;
}

/* ---- expanding includes ------------------------------------------------- */

enum { LEX_CODE, LEX_COMMENT, LEX_STRING };

typedef struct expander {
  simc_source *src;
  const char *include_dir;
  simc_source_error error;
  void *ctx;
  size_t bytes;   /* read so far, every file counted each time it is included */
  int n_includes; /* @include lines followed so far */
  int depth;      /* files being expanded, beyond the top one */
  dev_t dev[SIMC_MAX_INCLUDE_DEPTH + 1];
  ino_t ino[SIMC_MAX_INCLUDE_DEPTH + 1];
  int state;      /* lexical state, carried from a file into the next */
  size_t cap_text;
  int line;       /* line of src->text at its end */
  int failed;
} expander;

static void emit(expander *ex, const char *s, size_t n) {
  simc_source *src = ex->src;
  src->text = grow(src->text, &ex->cap_text, src->len + n + 1, 1);
  memcpy(src->text + src->len, s, n);
  src->len += n;
  src->text[src->len] = '\0';
  for (size_t i = 0; i < n; i++) ex->line += (s[i] == '\n');
}

static int at_line_start(const expander *ex) {
  return ex->src->len == 0 || ex->src->text[ex->src->len - 1] == '\n';
}

static void add_span(simc_source *src, int first_line, int file, int file_line) {
  if (src->n_spans && src->spans[src->n_spans - 1].first_line >= first_line) src->n_spans--;
  src->spans = grow(src->spans, &src->cap_spans, src->n_spans + 1, sizeof *src->spans);
  src->spans[src->n_spans++] = (simc_span){first_line, file, file_line};
}

static int add_file(simc_source *src, const char *name) {
  char **grown = realloc(src->files, (src->n_files + 1) * sizeof *grown);
  if (!grown) out_of_memory();
  src->files = grown;
  src->files[src->n_files] = name ? strdup(name) : NULL;
  if (name && !src->files[src->n_files]) out_of_memory();
  return (int)src->n_files++;
}

/* Length of libconfig's include_open, ^[ \t]*@include[ \t]+\", at p. */
static size_t include_open(const char *p, size_t n) {
  size_t i = 0;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  if (n - i < 8 || memcmp(p + i, "@include", 8) != 0) return 0;
  i += 8;
  size_t blanks = i;
  while (i < n && (p[i] == ' ' || p[i] == '\t')) i++;
  if (i == blanks || i >= n || p[i] != '"') return 0;
  return i + 1;
}

static void trimmed_line(const char *text, size_t len, size_t start, char *out, size_t n) {
  while (start < len && (text[start] == ' ' || text[start] == '\t')) start++;
  size_t end = start;
  while (end < len && text[end] != '\n' && text[end] != '\r') end++;
  while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t')) end--;
  size_t k = end - start < n - 1 ? end - start : n - 1;
  memcpy(out, text + start, k);
  out[k] = '\0';
}

static void expand(expander *ex, int file, const char *text, size_t len);

/* Follows the @include of name on line `line` of file `parent`; directive
 * is the text of that line, for messages. */
static void include_file(expander *ex, int parent, int line, const char *name, const char *directive) {
  const char *at = ex->src->files[parent];
  if (!name[0]) {
    problem(ex->error, ex->ctx, at, line, "cannot include \"\": expected a file name, found an empty path");
    ex->failed = 1;
    return;
  }
  char path[PATH_MAX];
  int n = snprintf(path, sizeof path, "%s%s", name[0] == '/' ? "" : ex->include_dir, name);
  if (n < 0 || (size_t)n >= sizeof path) {
    problem(ex->error, ex->ctx, at, line, "cannot include %.200s...: the path is longer than %d bytes", name,
            PATH_MAX - 1);
    ex->failed = 1;
    return;
  }
  if (ex->n_includes++ >= SIMC_MAX_INCLUDES) {
    problem(ex->error, ex->ctx, at, line, "cannot include %s: a scenario may follow at most %d @include lines",
            path, SIMC_MAX_INCLUDES);
    ex->failed = 1;
    return;
  }
  if (ex->depth >= SIMC_MAX_INCLUDE_DEPTH) {
    problem(ex->error, ex->ctx, at, line, "cannot include %s: includes nest more than %d deep", path,
            SIMC_MAX_INCLUDE_DEPTH);
    ex->failed = 1;
    return;
  }
  read_result r;
  if (read_regular(path, SIMC_MAX_BYTES - ex->bytes, &r) != 0) {
    if (r.kind)
      problem(ex->error, ex->ctx, at, line, "cannot include %s: it is %s", path, r.kind);
    else if (r.too_big && r.size)
      problem(ex->error, ex->ctx, at, line,
              "cannot include %s: it is %lld bytes, which would bring the scenario and the files it "
              "includes past %u bytes (1 MiB)",
              path, r.size, SIMC_MAX_BYTES);
    else if (r.too_big)
      problem(ex->error, ex->ctx, at, line,
              "cannot include %s: it would bring the scenario and the files it includes past %u bytes "
              "(1 MiB)",
              path, SIMC_MAX_BYTES);
    else if (r.err == ENOENT)
      problem(ex->error, ex->ctx, at, line,
              "cannot open include file: %s (include paths are relative to the folder %s)", directive,
              ex->include_dir[0] ? ex->include_dir : "./");
    else
      problem(ex->error, ex->ctx, at, line, "cannot include %s: %s", path, strerror(r.err));
    ex->failed = 1;
    return;
  }
  for (int d = 0; d <= ex->depth; d++)
    if (ex->dev[d] == r.st.st_dev && ex->ino[d] == r.st.st_ino) {
      problem(ex->error, ex->ctx, at, line, "cannot include %s: %s", path,
              d == ex->depth ? "the file includes itself" : "the files include each other");
      ex->failed = 1;
      free(r.text);
      return;
    }
  int child = add_file(ex->src, path);
  size_t offset;
  int nul = nul_line(r.text, r.len, &offset);
  if (nul) {
    problem(ex->error, ex->ctx, ex->src->files[child], nul,
            "not a text file: it holds a NUL byte at offset %zu (a scenario is a libconfig text file)", offset);
    ex->failed = 1;
    free(r.text);
    return;
  }
  ex->bytes += r.len;
  ex->depth++;
  ex->dev[ex->depth] = r.st.st_dev;
  ex->ino[ex->depth] = r.st.st_ino;
  size_t before = ex->src->len;
  expand(ex, child, r.text, r.len);
  ex->depth--;
  free(r.text);
  /* End the included text's last line (libconfig ends a token at the end
   * of a file), except inside a string, which would change its value. */
  if (ex->src->len > before && !at_line_start(ex) && ex->state != LEX_STRING) emit(ex, "\n", 1);
  if (at_line_start(ex))
    add_span(ex->src, ex->line, parent, line);
  else
    add_span(ex->src, ex->line + 1, parent, line + 1);
}

/* Copies text into the source, replacing each @include line by the text
 * of the file it names.  Lexical states follow libconfig's scanner: an
 * @include counts only at the start of a line, outside comments and
 * strings. */
static void expand(expander *ex, int file, const char *text, size_t len) {
  add_span(ex->src, ex->line, file, 1);
  size_t i = 0, copied = 0, line_start = 0;
  int line = 1, bol = 1;
  while (i < len) {
    char c = text[i];
    if (ex->state == LEX_COMMENT) {
      if (c == '*' && i + 1 < len && text[i + 1] == '/') {
        ex->state = LEX_CODE;
        bol = 0;
        i += 2;
        continue;
      }
    } else if (ex->state == LEX_STRING) {
      if (c == '\\' && i + 1 < len && (text[i + 1] == '\\' || text[i + 1] == '"')) {
        i += 2;
        continue;
      }
      if (c == '"') {
        ex->state = LEX_CODE;
        bol = 0;
        i++;
        continue;
      }
    } else {
      size_t open = bol ? include_open(text + i, len - i) : 0;
      if (open) {
        /* The path, with libconfig's two escapes, \\ and \". */
        char name[PATH_MAX];
        size_t k = 0, j = i + open;
        int too_long = 0;
        while (j < len && text[j] != '"' && text[j] != '\n') {
          if (text[j] == '\\' && j + 1 < len && (text[j + 1] == '\\' || text[j + 1] == '"')) j++;
          if (k + 1 < sizeof name)
            name[k++] = text[j];
          else
            too_long = 1;
          j++;
        }
        name[k] = '\0';
        emit(ex, text + copied, i - copied);
        if (j >= len || text[j] != '"') {
          problem(ex->error, ex->ctx, ex->src->files[file], line,
                  "expected the @include path to end with '\"' on its line, found the end of the %s",
                  j >= len ? "file" : "line");
          ex->failed = 1;
          i = copied = j;
          bol = 0;
          continue;
        }
        if (too_long) {
          problem(ex->error, ex->ctx, ex->src->files[file], line,
                  "cannot include %.200s...: the path is longer than %d bytes", name, PATH_MAX - 1);
          ex->failed = 1;
        } else {
          char directive[256];
          trimmed_line(text, len, line_start, directive, sizeof directive);
          include_file(ex, file, line, name, directive);
        }
        i = copied = j + 1;
        bol = 0;
        continue;
      }
      if (c == '"') {
        ex->state = LEX_STRING;
      } else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
        ex->state = LEX_COMMENT;
        i += 2;
        bol = 0;
        continue;
      } else if (c == '#' || (c == '/' && i + 1 < len && text[i + 1] == '/')) {
        while (i < len && text[i] != '\n') i++;
        bol = 0;
        continue;
      }
    }
    if (c == '\n') {
      line++;
      line_start = i + 1;
    }
    bol = (c == '\n');
    i++;
  }
  emit(ex, text + copied, len - copied);
}

/* ---- the literals ------------------------------------------------------- */

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static size_t digits(const char *p, size_t n, size_t i) {
  while (i < n && is_digit(p[i])) i++;
  return i;
}

/* Lengths of the matches of libconfig's rules at p (0: no match). */
static size_t match_word(const char *p, size_t n, const char *word) {
  size_t k = strlen(word);
  if (n < k) return 0;
  for (size_t i = 0; i < k; i++)
    if ((p[i] | 0x20) != word[i]) return 0;
  return k;
}

static size_t match_name(const char *p, size_t n) {
  if (n == 0 || !(is_alpha(p[0]) || p[0] == '*')) return 0;
  size_t i = 1;
  while (i < n && (is_alpha(p[i]) || is_digit(p[i]) || p[i] == '-' || p[i] == '_' || p[i] == '*')) i++;
  return i;
}

static size_t match_exponent(const char *p, size_t n, size_t i) {
  if (i >= n || (p[i] != 'e' && p[i] != 'E')) return 0;
  size_t j = i + 1;
  if (j < n && (p[j] == '+' || p[j] == '-')) j++;
  size_t k = digits(p, n, j);
  return k > j ? k - i : 0;
}

/* ([-+]?([0-9]*)?\.[0-9]*([eE][-+]?[0-9]+)?)|([-+]?([0-9]+)(\.[0-9]*)?[eE][-+]?[0-9]+) */
static size_t match_float(const char *p, size_t n) {
  size_t s = (n && (p[0] == '+' || p[0] == '-')) ? 1 : 0, best = 0;
  size_t i = digits(p, n, s);
  if (i < n && p[i] == '.') {
    size_t j = digits(p, n, i + 1);
    best = j + match_exponent(p, n, j);
  }
  if (i > s) {
    size_t j = i;
    if (j < n && p[j] == '.') j = digits(p, n, j + 1);
    size_t e = match_exponent(p, n, j);
    if (e && j + e > best) best = j + e;
  }
  return best;
}

static size_t match_integer(const char *p, size_t n, int with_l) {
  size_t s = (n && (p[0] == '+' || p[0] == '-')) ? 1 : 0;
  size_t i = digits(p, n, s);
  if (i == s) return 0;
  if (!with_l) return i;
  if (i >= n || p[i] != 'L') return 0;
  return (i + 1 < n && p[i + 1] == 'L') ? i + 2 : i + 1;
}

static size_t match_hex(const char *p, size_t n, int with_l) {
  if (n < 3 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X') || !is_hex(p[2])) return 0;
  size_t i = 2;
  while (i < n && is_hex(p[i])) i++;
  if (!with_l) return i;
  if (i >= n || p[i] != 'L') return 0;
  return (i + 1 < n && p[i + 1] == 'L') ? i + 2 : i + 1;
}

enum { RULE_NONE = -1, RULE_TRUE, RULE_FALSE, RULE_NAME, RULE_FLOAT, RULE_INT, RULE_INT64, RULE_HEX, RULE_HEX64 };

/* The longest match, the earliest rule on a tie (flex's choice). */
static int longest_rule(const char *p, size_t n, size_t *len) {
  *len = 0;
  char c = p[0];
  if (!(is_alpha(c) || is_digit(c) || c == '*' || c == '+' || c == '-' || c == '.')) return RULE_NONE;
  size_t lens[8] = {0};
  if (is_alpha(c) || c == '*') {
    lens[RULE_TRUE] = match_word(p, n, "true");
    lens[RULE_FALSE] = match_word(p, n, "false");
    lens[RULE_NAME] = match_name(p, n);
  } else {
    lens[RULE_FLOAT] = match_float(p, n);
    lens[RULE_INT] = match_integer(p, n, 0);
    lens[RULE_INT64] = match_integer(p, n, 1);
    lens[RULE_HEX] = match_hex(p, n, 0);
    lens[RULE_HEX64] = match_hex(p, n, 1);
  }
  int best = RULE_NONE;
  for (int r = 0; r < 8; r++)
    if (lens[r] > *len) {
      *len = lens[r];
      best = r;
    }
  return best;
}

/* An open group, list or array while the literals are listed. */
typedef struct frame {
  const char *name; /* the key that opened it, or NULL for an element */
  size_t name_len;
  size_t index; /* for an element: its place in the enclosing list or array */
  size_t count; /* values in it so far */
  size_t keys;  /* named values in it so far */
  int line;     /* where it opened */
  char opener;  /* '{', '(' or '[' */
} frame;

typedef struct lister {
  simc_source *src;
  simc_source_error error;
  void *ctx;
  frame frames[SIMC_MAX_NESTING + 1]; /* frames[0]: the whole file */
  int depth;
} lister;

/* The key path of the value about to be added with name (or as the next
 * element), as messages show it. */
static void value_path(const lister *ls, const char *name, size_t name_len, char *out, size_t n) {
  size_t used = 0;
  out[0] = '\0';
  for (int d = 1; d <= ls->depth + 1 && used < n; d++) {
    const frame *f = d <= ls->depth ? &ls->frames[d] : NULL;
    const char *nm = f ? f->name : name;
    size_t len = f ? f->name_len : name_len;
    const char *dot = used ? "." : "";
    if (nm)
      used += (size_t)snprintf(out + used, n - used, "%s%.*s", dot, (int)len, nm);
    else
      used += (size_t)snprintf(out + used, n - used, "%s[%zu]", dot, f ? f->index : ls->frames[ls->depth].count);
  }
}

static void list_problem(lister *ls, int line, const char *name, size_t name_len, const char *what) {
  char path[512];
  value_path(ls, name, name_len, path, sizeof path);
  const char *file;
  int file_line;
  simc_source_place(ls->src, line, &file, &file_line);
  problem(ls->error, ls->ctx, file, file_line, "%s%s%s", path, path[0] ? ": " : "", what);
}

static char closer_of(char opener) {
  return opener == '{' ? '}' : opener == '(' ? ')' : ']';
}

/* Notes the innermost open frame as one never closed (the first such, for
 * libconfig's syntax error): where it opened and its key path. */
static void note_unclosed(lister *ls) {
  simc_source *src = ls->src;
  if (src->unclosed_line) return;
  src->unclosed_line = ls->frames[ls->depth].line;
  src->unclosed_char = ls->frames[ls->depth].opener;
  src->missing_char = closer_of(src->unclosed_char);
  size_t used = 0;
  for (int d = 1; d <= ls->depth && used < sizeof src->unclosed_key; d++) {
    const frame *f = &ls->frames[d];
    size_t room = sizeof src->unclosed_key - used;
    if (f->name)
      used += (size_t)snprintf(src->unclosed_key + used, room, "%s%.*s", used ? "." : "", (int)f->name_len, f->name);
    else
      used += (size_t)snprintf(src->unclosed_key + used, room, "%s[%zu]", used ? "." : "", f->index);
  }
}

/* Adds a value; for {, ( and [ opens its frame.  Returns -1 past a bound. */
static int add_value(lister *ls, simc_token_kind kind, int line, const char *name, size_t name_len,
                     size_t offset, size_t len) {
  simc_source *src = ls->src;
  frame *f = &ls->frames[ls->depth];
  char what[256];
  if (src->n_tokens >= SIMC_MAX_SETTINGS) {
    snprintf(what, sizeof what,
             "expected at most %d settings in a scenario and the files it includes, found more",
             SIMC_MAX_SETTINGS);
    list_problem(ls, line, name, name_len, what);
    return -1;
  }
  if (name && f->keys >= SIMC_MAX_GROUP_KEYS) {
    snprintf(what, sizeof what,
             "expected at most %d keys in one group, found more (a scenario has a few hundred keys in all)",
             SIMC_MAX_GROUP_KEYS);
    list_problem(ls, line, name, name_len, what);
    return -1;
  }
  int opens = kind == SIMC_TOK_GROUP || kind == SIMC_TOK_LIST || kind == SIMC_TOK_ARRAY;
  if (opens && ls->depth >= SIMC_MAX_NESTING) {
    snprintf(what, sizeof what, "expected values nested at most %d deep, found deeper", SIMC_MAX_NESTING);
    list_problem(ls, line, name, name_len, what);
    return -1;
  }
  src->tokens = grow(src->tokens, &src->cap_tokens, src->n_tokens + 1, sizeof *src->tokens);
  simc_token *t = &src->tokens[src->n_tokens++];
  memset(t, 0, sizeof *t);
  t->kind = kind;
  t->offset = offset;
  t->len = len;
  t->source = src;
  if (kind <= SIMC_TOK_HEX64) {
    int hex = kind == SIMC_TOK_HEX || kind == SIMC_TOK_HEX64;
    errno = 0;
    if (hex) {
      unsigned long long u = strtoull(src->text + offset, NULL, 16);
      t->beyond_64_bits = errno == ERANGE;
      t->value = (long long)u;
    } else {
      t->value = strtoll(src->text + offset, NULL, 10);
      t->beyond_64_bits = errno == ERANGE;
    }
  }
  if (opens) {
    frame *g = &ls->frames[++ls->depth];
    g->name = name;
    g->name_len = name_len;
    g->index = f->count;
    g->count = g->keys = 0;
    g->line = line;
    g->opener = src->text[offset];
  }
  f->count++;
  if (name) f->keys++;
  return 0;
}

/* Lists the literal of every value of src->text, following libconfig's
 * lexical rules, and applies the bounds on settings and nesting. */
static int list_values(simc_source *src, simc_source_error error, void *ctx) {
  lister ls = {.src = src, .error = error, .ctx = ctx};
  const char *p = src->text;
  size_t n = src->len, i = 0;
  int line = 1, bol = 1, after_string = 0;
  const char *name = NULL; /* the key whose value comes next */
  size_t name_len = 0;
  int named = 0; /* the key and its '=' or ':' have been seen */
  /* libconfig's comment rule, (#|\/\/).*$, needs a newline to end it. */
  const char *last_newline = NULL;
  for (size_t k = n; k-- > 0;)
    if (p[k] == '\n') {
      last_newline = p + k;
      break;
    }
  while (i < n) {
    char c = p[i];
    if (bol && include_open(p + i, n - i)) {
      /* Only the rest of a line after an @include can start one here. */
      const char *file;
      int file_line;
      simc_source_place(src, line, &file, &file_line);
      problem(error, ctx, file, file_line, "expected one @include on a line, found another after it");
      return -1;
    }
    bol = 0;
    if (c == '\n') {
      line++;
      bol = 1;
      i++;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
      i++;
      continue;
    }
    if (c == '/' && i + 1 < n && p[i + 1] == '*') {
      for (i += 2; i < n && !(p[i] == '*' && i + 1 < n && p[i + 1] == '/'); i++) line += (p[i] == '\n');
      i += 2;
      continue;
    }
    if ((c == '#' || (c == '/' && i + 1 < n && p[i + 1] == '/')) && last_newline && p + i < last_newline) {
      while (p[i] != '\n') i++;
      continue;
    }
    if (c == '"') {
      int start_line = line;
      for (i++; i < n && p[i] != '"'; i++) {
        if (p[i] == '\n') line++;
        if (p[i] != '\\' || i + 1 >= n) continue;
        if (p[i + 1] == '\\' || p[i + 1] == '"') {
          i++;
        } else if ((p[i + 1] == 'x' || p[i + 1] == 'X') && i + 3 < n && is_hex(p[i + 2]) && is_hex(p[i + 3])) {
          if (p[i + 2] == '0' && p[i + 3] == '0') {
            list_problem(&ls, start_line, named ? name : NULL, name_len,
                         "expected a string without \\x00, found one (libconfig would end the string there)");
            return -1;
          }
          i += 3;
        }
      }
      if (i >= n) break; /* an unterminated string: libconfig's syntax error */
      i++;
      if (!after_string && add_value(&ls, SIMC_TOK_STRING, start_line, named ? name : NULL, name_len, 0, 0))
        return -1;
      after_string = 1;
      name = NULL;
      named = 0;
      continue;
    }
    after_string = 0;
    if (c == '{' || c == '(' || c == '[') {
      simc_token_kind kind = c == '{' ? SIMC_TOK_GROUP : c == '(' ? SIMC_TOK_LIST : SIMC_TOK_ARRAY;
      if (add_value(&ls, kind, line, named ? name : NULL, name_len, i, 1)) return -1;
      name = NULL;
      named = 0;
      i++;
      continue;
    }
    if (c == '}' || c == ')' || c == ']') {
      if (ls.depth > 0 && closer_of(ls.frames[ls.depth].opener) != c) note_unclosed(&ls);
      if (ls.depth > 0) ls.depth--;
      name = NULL;
      named = 0;
      i++;
      continue;
    }
    if (c == '=' || c == ':') {
      named = name != NULL;
      i++;
      continue;
    }
    size_t len;
    int rule = longest_rule(p + i, n - i, &len);
    if (rule == RULE_NAME && named && !src->bare_word_line) {
      /* libconfig has no unquoted strings: its syntax error will be here. */
      src->bare_word_line = line;
      snprintf(src->bare_word, sizeof src->bare_word, "%.*s = \"%.*s\"", (int)(name_len < 64 ? name_len : 64), name,
               (int)(len < 64 ? len : 64), p + i);
    }
    if (rule == RULE_NAME) {
      name = p + i;
      name_len = len;
      named = 0;
      i += len;
      continue;
    }
    if (rule == RULE_NONE) { /* , ; and anything libconfig calls garbage */
      name = NULL;
      named = 0;
      i++;
      continue;
    }
    static const simc_token_kind kinds[] = {SIMC_TOK_BOOL, SIMC_TOK_BOOL,  SIMC_TOK_STRING, SIMC_TOK_FLOAT,
                                            SIMC_TOK_INT,  SIMC_TOK_INT64, SIMC_TOK_HEX,    SIMC_TOK_HEX64};
    if (add_value(&ls, kinds[rule], line, named ? name : NULL, name_len, i, len)) return -1;
    name = NULL;
    named = 0;
    i += len;
  }
  if (ls.depth > 0) note_unclosed(&ls);
  return 0;
}

/* ---- the source --------------------------------------------------------- */

static int finish_source(expander *ex) {
  if (!ex->src->text) emit(ex, "", 0);
  if (ex->failed) return -1;
  return list_values(ex->src, ex->error, ex->ctx);
}

int simc_source_read(simc_source *src, const char *path, const char *include_dir, simc_source_error error,
                     void *ctx) {
  memset(src, 0, sizeof *src);
  read_result r;
  if (read_regular(path, SIMC_MAX_BYTES, &r) != 0) {
    if (r.kind)
      problem(error, ctx, path, 0, "is %s, expected a scenario file (*.cfg)", r.kind);
    else if (r.too_big && r.size)
      problem(error, ctx, path, 0,
              "is %lld bytes, expected a scenario of at most %u bytes (1 MiB) with the files it includes",
              r.size, SIMC_MAX_BYTES);
    else if (r.too_big)
      problem(error, ctx, path, 0,
              "is more than %u bytes, expected a scenario of at most %u bytes (1 MiB) with the files it "
              "includes",
              SIMC_MAX_BYTES, SIMC_MAX_BYTES);
    else
      problem(error, ctx, path, 0, "cannot read the scenario: %s", strerror(r.err));
    return -1;
  }
  int top = add_file(src, path);
  size_t offset;
  int nul = nul_line(r.text, r.len, &offset);
  if (nul) {
    problem(error, ctx, path, nul,
            "not a text file: it holds a NUL byte at offset %zu (a scenario is a libconfig text file)", offset);
    free(r.text);
    return -1;
  }
  expander ex = {.src = src, .include_dir = include_dir, .error = error, .ctx = ctx, .line = 1};
  ex.bytes = r.len;
  ex.dev[0] = r.st.st_dev;
  ex.ino[0] = r.st.st_ino;
  expand(&ex, top, r.text, r.len);
  free(r.text);
  return finish_source(&ex);
}

int simc_source_text(simc_source *src, const char *text, const char *include_dir, simc_source_error error,
                     void *ctx) {
  memset(src, 0, sizeof *src);
  int top = add_file(src, NULL);
  expander ex = {.src = src, .include_dir = include_dir, .error = error, .ctx = ctx, .line = 1};
  size_t len = strlen(text);
  if (len > SIMC_MAX_BYTES) {
    problem(error, ctx, NULL, 0, "expected a value of at most %u bytes (1 MiB), found %zu bytes",
            SIMC_MAX_BYTES, len);
    return -1;
  }
  ex.bytes = len;
  ex.dev[0] = (dev_t)-1;
  ex.ino[0] = (ino_t)-1;
  expand(&ex, top, text, len);
  return finish_source(&ex);
}

void simc_source_place(const simc_source *src, int line, const char **file, int *file_line) {
  size_t lo = 0, hi = src->n_spans;
  while (hi - lo > 1) { /* the last span starting at or before line */
    size_t mid = lo + (hi - lo) / 2;
    if (src->spans[mid].first_line <= line)
      lo = mid;
    else
      hi = mid;
  }
  if (src->n_spans == 0 || line < 1) {
    *file = src->n_files ? src->files[0] : NULL;
    *file_line = line;
    return;
  }
  const simc_span *s = &src->spans[lo];
  *file = src->files[s->file];
  *file_line = s->file_line + (line - s->first_line);
}

int simc_source_line(const simc_source *src, int line, char *out, size_t n) {
  if (!src->text || line < 1) return -1;
  const char *p = src->text;
  for (int l = 1; l < line; l++) {
    p = strchr(p, '\n');
    if (!p) return -1;
    p++;
  }
  trimmed_line(p, strlen(p), 0, out, n);
  return 0;
}

void simc_source_free(simc_source *src) {
  free(src->text);
  free(src->tokens);
  for (size_t i = 0; i < src->n_files; i++) free(src->files[i]);
  free(src->files);
  free(src->spans);
  memset(src, 0, sizeof *src);
}
