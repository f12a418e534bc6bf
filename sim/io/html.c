/* sim/io/html.c - escaping, base64 and whole pages. */
#include "io/html.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "io/output.h"
#include "io/report.h"

void sim_html_text(FILE *f, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fputc(*s, f);
    }
  }
}

void sim_html_base64(FILE *f, const unsigned char *data, size_t n) {
  static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = (uint32_t)data[i] << 16;
    if (i + 1 < n) v |= (uint32_t)data[i + 1] << 8;
    if (i + 2 < n) v |= data[i + 2];
    fputc(digits[(v >> 18) & 63], f);
    fputc(digits[(v >> 12) & 63], f);
    fputc(i + 1 < n ? digits[(v >> 6) & 63] : '=', f);
    fputc(i + 2 < n ? digits[v & 63] : '=', f);
  }
}

int sim_html_write_page(const char *path, int (*write)(FILE *f, void *ctx), void *ctx,
                        const volatile sig_atomic_t *cancel, FILE *err) {
  sim_atomic_file *page = path ? sim_atomic_open(path, err) : NULL;
  if (!page) return SIM_REPORT_FAILED;
  FILE *f = sim_atomic_stream(page);
  int bad = write(f, ctx) != 0 || ferror(f);
  if (cancel && *cancel) {
    sim_atomic_close(page, 0, err);
    fprintf(err, "burnsim: interrupted; %s was not written\n", path);
    return SIM_REPORT_FAILED;
  }
  if (bad) {
    fprintf(err, "burnsim: writing %s failed: %s\n", path, strerror(errno));
    sim_atomic_close(page, 0, err);
    return SIM_REPORT_FAILED;
  }
  return sim_atomic_close(page, 1, err) == 0 ? SIM_REPORT_OK : SIM_REPORT_FAILED;
}
