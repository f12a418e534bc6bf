/* sim/io/csv_read.c - streaming reader for the CSV files burnsim writes. */
#include "csv_read.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sim_csv_reader {
  FILE *f;
  char *path;
  char *provenance;
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

/* Appends the next physical line to r->line at offset off; returns its
 * length without the newline, or -1 at the end of the file. */
static ssize_t read_physical(sim_csv_reader *r, size_t off) {
  char *chunk = NULL;
  size_t cap = 0;
  ssize_t n = getline(&chunk, &cap, r->f);
  if (n < 0) {
    free(chunk);
    return -1;
  }
  r->line_no++;
  while (n > 0 && (chunk[n - 1] == '\n' || chunk[n - 1] == '\r')) chunk[--n] = '\0';
  if (off + (size_t)n + 2 > r->line_cap) {
    size_t want = (off + (size_t)n + 2) * 2;
    char *grown = realloc(r->line, want);
    if (!grown) {
      free(chunk);
      return -1;
    }
    r->line = grown;
    r->line_cap = want;
  }
  memcpy(r->line + off, chunk, (size_t)n + 1);
  free(chunk);
  return n;
}

static int quotes_open(const char *s) {
  int open = 0;
  for (; *s; s++)
    if (*s == '"') open = !open;
  return open;
}

/* Reads one record (joining lines inside quotes) and splits it into fields.
 * Returns 1, 0 at the end, -1 on memory failure. */
static int read_record(sim_csv_reader *r) {
  ssize_t n = read_physical(r, 0);
  if (n < 0) return 0;
  r->row_line = r->line_no;
  size_t len = (size_t)n;
  while (quotes_open(r->line)) {
    r->line[len++] = '\n';
    ssize_t more = read_physical(r, len);
    if (more < 0) break;
    len += (size_t)more;
  }
  if (len + 1 > r->buf_cap || len + 1 > r->row_cap) {
    char *b = realloc(r->buf, len + 1), *t = b ? realloc(r->row_text, len + 1) : NULL;
    if (b) r->buf = b;
    if (!t) return -1;
    r->row_text = t;
    r->buf_cap = r->row_cap = len + 1;
  }
  memcpy(r->row_text, r->line, len + 1);
  r->n_fields = 0;
  const char *p = r->line;
  char *out = r->buf;
  for (;;) {
    if (r->n_fields == r->fields_cap) {
      size_t want = r->fields_cap ? 2 * r->fields_cap : 32;
      char **grown = realloc(r->fields, want * sizeof *grown);
      if (!grown) return -1;
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
}

sim_csv_reader *sim_csv_reader_open(const char *path, FILE *err) {
  sim_csv_reader *r = calloc(1, sizeof *r);
  if (!r || !(r->path = strdup(path))) goto oom;
  r->f = fopen(path, "r");
  if (!r->f) {
    fprintf(err, "burnsim: cannot read %s: %s\n", path, strerror(errno));
    sim_csv_reader_close(r);
    return NULL;
  }
  int got;
  while ((got = read_record(r)) == 1 && r->line[0] == '#') {
    if (!r->provenance) {
      const char *p = r->line + 1;
      while (*p == ' ') p++;
      if (!(r->provenance = strdup(p))) goto oom;
    }
  }
  if (got < 0) goto oom;
  if (got == 0) {
    fprintf(err, "burnsim: %s: expected a header row, found the end of the file\n", path);
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
  int got = read_record(r);
  if (got < 0) {
    fprintf(err, "burnsim: out of memory reading %s\n", r->path);
    return -1;
  }
  if (got == 0) {
    if (ferror(r->f)) {
      fprintf(err, "burnsim: reading %s failed\n", r->path);
      return -1;
    }
    r->n_fields = 0;
    return 0;
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
