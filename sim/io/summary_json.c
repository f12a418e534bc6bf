/* sim/io/summary_json.c - summary.json beside summary.csv. */
#include "io/summary_json.h"

#include <stdlib.h>
#include <string.h>

#include "io/csv_read.h"
#include "io/output.h"
#include "io/metrics.h"

/* Whether s is a number in JSON's grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int is_json_number(const char *s) {
  if (*s == '-') s++;
  if (*s == '0')
    s++;
  else if (*s >= '1' && *s <= '9')
    while (*s >= '0' && *s <= '9') s++;
  else
    return 0;
  if (*s == '.') {
    if (!(*++s >= '0' && *s <= '9')) return 0;
    while (*s >= '0' && *s <= '9') s++;
  }
  if (*s == 'e' || *s == 'E') {
    if (*++s == '+' || *s == '-') s++;
    if (!(*s >= '0' && *s <= '9')) return 0;
    while (*s >= '0' && *s <= '9') s++;
  }
  return *s == '\0';
}

static void put_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p < 0x20)
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

static void put_value(FILE *f, const char *field) {
  if (is_json_number(field))
    fputs(field, f);
  else if (!*field || strcmp(field, "nan") == 0 || strcmp(field, "inf") == 0 || strcmp(field, "-inf") == 0)
    fputs("null", f);
  else
    put_string(f, field);
}

int sim_summary_json_write(const char *dir, FILE *err) {
  char *csv = sim_path_join(dir, "summary.csv"), *json = sim_path_join(dir, "summary.json");
  sim_csv_reader *r = csv ? sim_csv_reader_open(csv, err) : NULL;
  sim_atomic_file *a = r && json ? sim_atomic_open(json, err) : NULL;
  int rc = a ? 0 : -1;
  if (a) {
    FILE *f = sim_atomic_stream(a);
    size_t n = sim_csv_reader_columns(r);
    fputs("{\"file\": \"summary.csv\",\n \"provenance\": ", f);
    put_string(f, sim_csv_reader_provenance(r));
    fputs(",\n \"columns\": [", f);
    for (size_t i = 0; i < n; i++) {
      const char *name = sim_csv_reader_name(r, i), *unit = sim_metric_unit_text(name);
      fputs(i ? ",\n   {\"name\": " : "\n   {\"name\": ", f);
      put_string(f, name);
      fputs(", \"unit\": ", f);
      if (unit)
        put_string(f, unit);
      else
        fputs("null", f);
      fputc('}', f);
    }
    fputs("],\n \"rows\": [", f);
    int got, first = 1;
    while ((got = sim_csv_reader_next(r, err)) == 1) {
      fputs(first ? "\n   {" : ",\n   {", f);
      first = 0;
      for (size_t i = 0; i < n; i++) {
        if (i) fputs(", ", f);
        put_string(f, sim_csv_reader_name(r, i));
        fputs(": ", f);
        put_value(f, sim_csv_reader_field(r, i));
      }
      fputc('}', f);
    }
    fputs("]}\n", f);
    if (got < 0) rc = -1;
    if (sim_atomic_close(a, rc == 0, err) != 0) rc = -1;
  }
  if (rc != 0 && r) fprintf(err, "burnsim: %s/summary.json could not be written\n", dir);
  sim_csv_reader_close(r);
  free(csv);
  free(json);
  return rc;
}
