/* sim/io/csv_read.h - reading burnsim's own CSV files back, one row at a time.
 *
 * Campaigns assemble their tables from the files of finished runs, and the
 * report and figure commands read results folders.  The reader accepts what
 * sim_output_csv writes: leading '#' lines (provenance), a header row, then
 * rows of the same width; fields may be double-quoted with "" for a quote.
 * Rows are streamed, so a file is never held whole in memory.
 */
#ifndef BURNSIM_CSV_READ_H
#define BURNSIM_CSV_READ_H

#include <stddef.h>
#include <stdio.h>

typedef struct sim_csv_reader sim_csv_reader;

/* Opens path and reads its header.  Returns NULL with a message on err
 * (naming the file) when it cannot be opened or has no header. */
sim_csv_reader *sim_csv_reader_open(const char *path, FILE *err);
void sim_csv_reader_close(sim_csv_reader *r);

/* The first '#' line without its '#' and leading blank, or "" if none. */
const char *sim_csv_reader_provenance(const sim_csv_reader *r);

size_t sim_csv_reader_columns(const sim_csv_reader *r);
const char *sim_csv_reader_name(const sim_csv_reader *r, size_t column);
/* Index of the column with that header name, or -1. */
long sim_csv_reader_find(const sim_csv_reader *r, const char *name);

/* Reads the next row: 1 when there is one, 0 at the end of the file, -1
 * with a message on err (file and line) when a row has the wrong number of
 * fields or reading fails. */
int sim_csv_reader_next(sim_csv_reader *r, FILE *err);

/* Fields of the current row (valid until the next call). */
const char *sim_csv_reader_field(const sim_csv_reader *r, size_t column);
/* The field as a number: nan, inf and -inf as written; NaN for text. */
double sim_csv_reader_number(const sim_csv_reader *r, size_t column);
/* The current row as it was written (without newline), for copying. */
const char *sim_csv_reader_row_text(const sim_csv_reader *r);
/* Line number of the current row in the file (1-based). */
size_t sim_csv_reader_line(const sim_csv_reader *r);

#endif
