/* sim/io/html.h - what every burnsim page shares: escaped text, embedded
 * images, and writing the page whole or not at all. */
#ifndef BURNSIM_IO_HTML_H
#define BURNSIM_IO_HTML_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

/* s as HTML text (& < > " ' escaped); NULL writes nothing. */
void sim_html_text(FILE *f, const char *s);

/* n bytes as base64, for a data: URL. */
void sim_html_base64(FILE *f, const unsigned char *data, size_t n);

/* Writes the page to path atomically: write(f, ctx) composes it and returns
 * non-zero when it could not.  Nothing is left at path unless the whole page
 * was written; a *cancel set by then (cancel may be NULL) leaves none.
 * Returns SIM_REPORT_OK or SIM_REPORT_FAILED (report.h), with a message on
 * err. */
int sim_html_write_page(const char *path, int (*write)(FILE *f, void *ctx), void *ctx,
                        const volatile sig_atomic_t *cancel, FILE *err);

#endif
