/* sim/io/csv_read.c - streaming reader for the CSV files burnsim writes. */
#include "io/csv_read.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sim_csv_reader {
  FILE *f;
  char *path;
  char *provenance;
  char *chunk;       /* the last physical line, as getline returned it */
  size_t chunk_cap;
  char *line;        /* the current record as read (may span lines) */
  size_t line_cap;
  char *row_text;    /* copy of line, returned by row_text */
  size_t row_cap;
  char *buf;         /* unquoted fields, NUL-separated */
  size_t buf_cap;
  char **fields;
  size_t n_fields, fields_cap;
  char **names;      /* header */
  size_t n_columns;
  size_t line_no, row_line;
};

enum { READ_FAILED = -1, READ_END = -2 }; /* (an empty line has length 0) */

/* Reads the next physical line into r->chunk without its line end.
 * Returns its length, READ_END at the end of the file, or READ_FAILED
 * with a message on err. */
static ssize_t read_physical(sim_csv_reader *r, FILE *err) {
  errno = 0;
  ssize_t n = getline(&r->chunk, &r->chunk_cap, r->f);
  if (n < 0) {
    if (ferror(r->f) || errno == ENOMEM) {
      fprintf(err, "burnsim: reading %s failed: %s\n", r->path, strerror(errno ? errno : EIO));
      return READ_FAILED;
    }
    return READ_END;
  }
  r->line_no++;
  while (n > 0 && (r->chunk[n - 1] == '\n' || r->chunk[n - 1] == '\r')) r->chunk[--n] = '\0';
  /* Fields are C strings: a NUL inside one would silently cut it short. */
  if (memchr(r->chunk, '\0', (size_t)n)) {
    fprintf(err, "burnsim: %s:%zu: expected text, found a NUL byte\n", r->path, r->line_no);
    return READ_FAILED;
  }
  return n;
}

/* Makes room for want bytes in *p (capacity *cap). */
static int reserve(char **p, size_t *cap, size_t want) {
  if (want <= *cap) return 0;
  size_t grown_cap = want < 64 ? 64 : want * 2;
  char *grown = realloc(*p, grown_cap);
  if (!grown) return -1;
  *p = grown;
  *cap = grown_cap;
  return 0;
}

static int odd_quotes(const char *s, size_t n) {
  int odd = 0;
  for (size_t i = 0; i < n; i++) odd ^= s[i] == '"';
  return odd;
}

/* Makes the record that starts with the physical line in r->chunk (n
 * bytes): joins the lines a quoted field spans, then splits the record
 * into fields.  Returns 1, or READ_FAILED with a message on err. */
static int take_record(sim_csv_reader *r, size_t n, FILE *err) {
  r->row_line = r->line_no;
  size_t len = 0;
  int open = 0;
  for (;;) {
    /* the line, a newline if a quote is still open, and the NUL */
    if (reserve(&r->line, &r->line_cap, len + n + 2) != 0) goto oom;
    memcpy(r->line + len, r->chunk, n);
    len += n;
    r->line[len] = '\0';
    open ^= odd_quotes(r->chunk, n);
    if (!open) break;
    r->line[len++] = '\n';
    ssize_t more = read_physical(r, err);
    if (more == READ_FAILED) return READ_FAILED;
    if (more == READ_END) {
      fprintf(err, "burnsim: %s:%zu: a quoted field is not closed: expected a closing '\"', found the end of "
                   "the file\n",
              r->path, r->row_line);
      return READ_FAILED;
    }
    n = (size_t)more;
  }
  if (reserve(&r->buf, &r->buf_cap, len + 1) != 0 || reserve(&r->row_text, &r->row_cap, len + 1) != 0) goto oom;
  memcpy(r->row_text, r->line, len + 1);
  /* Unquoting never lengthens a field, so buf (len + 1 bytes) holds them
   * all with their NULs. */
  r->n_fields = 0;
  const char *p = r->line;
  char *out = r->buf;
  for (;;) {
    if (r->n_fields == r->fields_cap) {
      size_t want = r->fields_cap ? 2 * r->fields_cap : 32;
      char **grown = realloc(r->fields, want * sizeof *grown);
      if (!grown) goto oom;
      r->fields = grown;
      r->fields_cap = want;
    }
    r->fields[r->n_fields++] = out;
    if (*p == '"') {
      for (p++; *p; p++) {
        if (*p == '"' && p[1] == '"') *out++ = *p++;
        else if (*p == '"') {
          p++;
          break;
        } else
          *out++ = *p;
      }
    }
    while (*p && *p != ',') *out++ = *p++;
    *out++ = '\0';
    if (*p != ',') break;
    p++;
  }
  return 1;
oom:
  fprintf(err, "burnsim: out of memory reading %s\n", r->path);
  return READ_FAILED;
}

/* Reads one record: 1, 0 at the end, or -1 with a message on err. */
static int read_record(sim_csv_reader *r, FILE *err) {
  ssize_t n = read_physical(r, err);
  if (n == READ_END) return 0;
  return n < 0 ? -1 : take_record(r, (size_t)n, err);
}

sim_csv_reader *sim_csv_reader_open(const char *path, FILE *err) {
  sim_csv_reader *r = calloc(1, sizeof *r);
  if (!r || !(r->path = strdup(path))) {
    fprintf(err, "burnsim: out of memory reading %s\n", path);
    free(r);
    return NULL;
  }
  r->f = fopen(path, "r");
  if (!r->f) {
    fprintf(err, "burnsim: cannot read %s: %s\n", path, strerror(errno));
    sim_csv_reader_close(r);
    return NULL;
  }
  /* Leading '#' lines are comments, read line by line: a quote in the
   * provenance is not the start of a field. */
  ssize_t n;
  while ((n = read_physical(r, err)) >= 0 && r->chunk[0] == '#') {
    if (!r->provenance) {
      const char *p = r->chunk + 1;
      while (*p == ' ') p++;
      if (!(r->provenance = strdup(p))) goto oom;
    }
  }
  if (n == READ_END)
    fprintf(err, "burnsim: %s: expected a header row, found the end of the file\n", path);
  if (n < 0 || take_record(r, (size_t)n, err) != 1) {
    sim_csv_reader_close(r);
    return NULL;
  }
  r->n_columns = r->n_fields;
  r->names = calloc(r->n_columns, sizeof *r->names);
  if (!r->names) goto oom;
  for (size_t i = 0; i < r->n_columns; i++)
    if (!(r->names[i] = strdup(r->fields[i]))) goto oom;
  r->n_fields = 0;
  return r;
oom:
  fprintf(err, "burnsim: out of memory reading %s\n", path);
  sim_csv_reader_close(r);
  return NULL;
}

void sim_csv_reader_close(sim_csv_reader *r) {
  if (!r) return;
  if (r->f) fclose(r->f);
  if (r->names)
    for (size_t i = 0; i < r->n_columns; i++) free(r->names[i]);
  free(r->names);
  free(r->path);
  free(r->provenance);
  free(r->chunk);
  free(r->line);
  free(r->row_text);
  free(r->buf);
  free(r->fields);
  free(r);
}

const char *sim_csv_reader_provenance(const sim_csv_reader *r) {
  return r->provenance ? r->provenance : "";
}

size_t sim_csv_reader_columns(const sim_csv_reader *r) {
  return r->n_columns;
}

const char *sim_csv_reader_name(const sim_csv_reader *r, size_t column) {
  return column < r->n_columns ? r->names[column] : NULL;
}

long sim_csv_reader_find(const sim_csv_reader *r, const char *name) {
  for (size_t i = 0; i < r->n_columns; i++)
    if (strcmp(r->names[i], name) == 0) return (long)i;
  return -1;
}

int sim_csv_reader_next(sim_csv_reader *r, FILE *err) {
  int got = read_record(r, err);
  if (got != 1) {
    r->n_fields = 0;
    return got;
  }
  if (r->n_fields != r->n_columns) {
    fprintf(err, "burnsim: %s:%zu: expected %zu fields as in the header, found %zu\n", r->path,
            r->row_line, r->n_columns, r->n_fields);
    return -1;
  }
  return 1;
}

const char *sim_csv_reader_field(const sim_csv_reader *r, size_t column) {
  return column < r->n_fields ? r->fields[column] : "";
}

double sim_csv_reader_number(const sim_csv_reader *r, size_t column) {
  const char *s = sim_csv_reader_field(r, column);
  char *end;
  double v = strtod(s, &end);
  return (end == s || *end) ? NAN : v;
}

const char *sim_csv_reader_row_text(const sim_csv_reader *r) {
  return r->row_text ? r->row_text : "";
}

size_t sim_csv_reader_line(const sim_csv_reader *r) {
  return r->row_line;
}
