/* tests/test_io.c - reading and writing results files: the CSV reader on
 * malformed and hostile files, and provenance lines that stay one line
 * whatever the scenario's name; numbers in words and the metric table. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, open_memstream */
#include <math.h>

#include <gsl/gsl_test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/metrics.h"
#include "io/number_words.h"
#include "io/csv_read.h"
#include "io/output.h"

static char tmp[] = "/tmp/burnsim-io-XXXXXX";

/* Writes len bytes of text to tmp/name; returns the path (static). */
static const char *file_with(const char *name, const char *text, size_t len) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", tmp, name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "test_io: cannot write %s\n", path);
    exit(1);
  }
  return path;
}

/* Messages a call printed, for checking what it said. */
typedef struct capture {
  char *text;
  size_t len;
  FILE *f;
} capture;

static FILE *capture_start(capture *c) {
  memset(c, 0, sizeof *c);
  c->f = open_memstream(&c->text, &c->len);
  return c->f;
}

static const char *capture_end(capture *c) {
  fclose(c->f);
  return c->text ? c->text : "";
}

/* Reads every row of path; returns the last reader result (0 at the end,
 * -1 on an error) and the rows read in *rows; messages in msg. */
static int read_all(const char *path, capture *msg, long *rows) {
  FILE *err = capture_start(msg);
  *rows = 0;
  sim_csv_reader *r = sim_csv_reader_open(path, err);
  if (!r) return -2;
  int got;
  while ((got = sim_csv_reader_next(r, err)) == 1) ++*rows;
  sim_csv_reader_close(r);
  return got;
}

static void test_well_formed(void) {
  static const char text[] = "# provenance here\na,b,c\n1,\"x, \"\"y\"\"\",nan\n2,\"multi\nline\",-inf\n";
  const char *path = file_with("good.csv", text, sizeof text - 1);
  sim_csv_reader *r = sim_csv_reader_open(path, stderr);
  gsl_test(!r, "a well-formed file opens");
  if (!r) return;
  gsl_test_str(sim_csv_reader_provenance(r), "provenance here", "provenance line");
  gsl_test_int(sim_csv_reader_next(r, stderr), 1, "row 1");
  gsl_test_str(sim_csv_reader_field(r, 1), "x, \"y\"", "quoted comma and quotes");
  gsl_test_int(sim_csv_reader_next(r, stderr), 1, "row 2");
  gsl_test_str(sim_csv_reader_field(r, 1), "multi\nline", "quoted newline");
  gsl_test_int((int)sim_csv_reader_line(r), 4, "row 2 starts on line 4");
  gsl_test_int(sim_csv_reader_next(r, stderr), 0, "then the end");
  sim_csv_reader_close(r);
}

/* A quoted field still open at the end of the file: in the header, in a
 * row, and as the very last byte.  Each is an error naming the file and
 * the line the field started on, never a read or write out of bounds. */
static void test_unterminated_quote(void) {
  static const struct {
    const char *name, *text, *says;
    int in_header;
  } cases[] = {
      {"header.csv", "# p\na,\"b\n", "open.csv:2: a quoted field is not closed", 1},
      {"row.csv", "# p\na,b\n1,\"two\nlines and no end", "open.csv:3: a quoted field is not closed", 0},
      {"last.csv", "a,b\n1,\"", "open.csv:2: a quoted field is not closed", 0},
      {"long.csv", "a\n\"0123456789012345678901234567890123456789012345678901234567890123456789",
       "open.csv:2: a quoted field is not closed", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *path = file_with("open.csv", cases[i].text, strlen(cases[i].text));
    capture msg;
    long rows;
    int got = read_all(path, &msg, &rows);
    const char *said = capture_end(&msg);
    gsl_test_int(got, cases[i].in_header ? -2 : -1, "%s: an unterminated quote is an error", cases[i].name);
    gsl_test(strstr(said, cases[i].says) == NULL, "%s: the message names file and line (%s)", cases[i].name,
             said);
    gsl_test(strstr(said, "found the end of the file") == NULL, "%s: and says what was found (%s)",
             cases[i].name, said);
    free(msg.text);
  }
}

/* The provenance line is a comment, not a record: quotes in it (a scenario
 * name of an earlier version) do not swallow the file. */
static void test_quotes_in_provenance(void) {
  static const char text[] = "# burnsim 0.1 scenario \"a,\"b\" seed 1\nx,y\n1,2\n3,4\n";
  const char *path = file_with("prov.csv", text, sizeof text - 1);
  capture msg;
  FILE *err = capture_start(&msg);
  sim_csv_reader *r = sim_csv_reader_open(path, err);
  gsl_test(!r, "a provenance line with an odd number of quotes opens");
  if (r) {
    gsl_test_int((int)sim_csv_reader_columns(r), 2, "the header is the line after it");
    gsl_test_str(sim_csv_reader_provenance(r), "burnsim 0.1 scenario \"a,\"b\" seed 1", "provenance as written");
    int rows = 0;
    while (sim_csv_reader_next(r, err) == 1) rows++;
    gsl_test_int(rows, 2, "both rows read");
    sim_csv_reader_close(r);
  }
  capture_end(&msg);
  free(msg.text);
}

static void test_nul_byte(void) {
  static const char text[] = "a,b\n1,x\0y\n";
  const char *path = file_with("nul.csv", text, sizeof text - 1);
  capture msg;
  long rows;
  int got = read_all(path, &msg, &rows);
  const char *said = capture_end(&msg);
  gsl_test_int(got, -1, "a NUL byte in a row is an error");
  gsl_test(strstr(said, "nul.csv:2: expected text, found a NUL byte") == NULL, "the NUL byte is located (%s)",
           said);
  free(msg.text);
}

/* Whatever the name, the provenance line is one line that names it. */
static void test_provenance_line(void) {
  static const char *const names[] = {"quickstart", "a,\"b", "two\nlines", "back\\slash", "cr\rhere", "tab\there"};
  static const char *const shown[] = {"\"quickstart\"", "\"a,\\\"b\"", "\"two\\nlines\"", "\"back\\\\slash\"",
                                      "\"cr\\rhere\"", "\"tab\\there\""};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    sim_provenance prov = {.scenario_name = names[i], .seed = 7};
    char line[512];
    sim_output_provenance_line(&prov, line, sizeof line);
    gsl_test(strpbrk(line, "\n\r") != NULL, "provenance of name %zu is one line: %s", i, line);
    gsl_test(strstr(line, shown[i]) == NULL, "provenance of name %zu shows %s: %s", i, shown[i], line);
    gsl_test(strstr(line, " seed 7") == NULL, "provenance of name %zu ends with the seed: %s", i, line);
  }
}

/* Numbers in words: known answers for each unit, and the edge cases. */
static void test_number_words(void) {
  static const struct {
    double v;
    unit_kind unit;
    const char *words;
  } cases[] = {
      {0.5349, U_SHARE, "53.5%"},          {2.68e6, U_USD, "$2.68 million"},
      {-1234.4, U_USD, "-$1,234"},         {9.13e9, U_TOKENS, "9.13 billion tokens"},
      {6.0e13, U_TOKENS, "60 trillion tokens"}, {5.8 / 3600, U_HOURS, "5.8 s"},
      {0.2, U_HOURS, "12 min"},            {3.5, U_HOURS, "3.5 h"},
      {0, U_HOURS, "0"},                   {85000, U_COUNT, "85,000"},
      {59704.4, U_KWH, "59,704 kWh"},      {21911.5, U_KG_CO2, "21.9 tonnes CO2"},
      {950, U_KG_CO2, "950 kg CO2"},       {1.254, U_TIMES, "1.25\u00d7"},
      {NAN, U_USD, "n/a"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char buf[96];
    sim_words_value(buf, sizeof buf, cases[i].v, cases[i].unit);
    gsl_test_str(buf, cases[i].words, "%g in words", cases[i].v);
  }
  char buf[96];
  sim_words_difference(buf, sizeof buf, -0.441, U_SHARE);
  gsl_test_str(buf, "-44.1 points", "a share's difference is in points");
  sim_words_difference(buf, sizeof buf, 287, U_USD);
  gsl_test_str(buf, "+$287", "a difference is signed");
  sim_words_signed_percent(buf, sizeof buf, -0.3);
  gsl_test_str(buf, "-0.3%", "a small change keeps its figures");
  sim_words_signed_percent(buf, sizeof buf, 0);
  gsl_test_str(buf, "0%", "no change is 0%, not -0%");
  char tiny[8];
  sim_words_value(tiny, sizeof tiny, 6.0e13, U_TOKENS);
  gsl_test(strlen(tiny) != sizeof tiny - 1, "a short buffer is filled, not overrun (%s)", tiny);
}

/* The metric table: one row per column, each with words, a direction and a unit. */
static void test_metric_table(void) {
  size_t n = 0;
  for (const metric_info *m; (m = sim_metric_at(n)); n++) {
    gsl_test(!m->column[0] || !m->label[0], "metric %zu has a column and a label", n);
    gsl_test(m->better < -1 || m->better > 1, "%s: better is -1, 0 or +1", m->column);
    gsl_test(sim_metric_named(m->column) != m, "%s is named once in the table", m->column);
  }
  gsl_test(n < 40, "the table holds every summary column (%zu rows)", n);
  for (size_t i = 0; sim_metric_key_at(i); i++)
    gsl_test(!sim_metric_named(sim_metric_key_at(i)), "key metric %s has a row", sim_metric_key_at(i));
  gsl_test(sim_metric_named("no_such_column") != NULL, "an unknown column has no row");
  gsl_test_str(sim_metric_unit_text("usd_burn"), "USD", "usd_burn is in USD");
  gsl_test_str(sim_metric_unit_text("burn_share"), "share", "burn_share is a share");
  gsl_test_str(sim_metric_unit_text("mean_wait_h"), "hours", "a wait is in hours");
  gsl_test_str(sim_metric_unit_text("jobs_per_h"), "per hour", "a rate by its name");
  gsl_test(sim_metric_unit_text("kpi") != NULL, "a name has no unit");
}

int main(void) {
  if (!mkdtemp(tmp)) {
    perror("test_io: mkdtemp");
    return 1;
  }
  test_well_formed();
  test_unterminated_quote();
  test_quotes_in_provenance();
  test_nul_byte();
  test_provenance_line();
  test_number_words();
  test_metric_table();
  char cmd[64];
  snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
  if (system(cmd) != 0) fprintf(stderr, "test_io: cannot remove %s\n", tmp);
  return gsl_test_summary();
}
