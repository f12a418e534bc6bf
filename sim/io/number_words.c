/* sim/io/number_words.c - numbers as a reader says them (number_words.h). */
#include "io/number_words.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* v with thousands separators, rounded to a whole number: 12,345 */
void sim_words_grouped(char *buf, size_t n, double v) {
  char digits[64];
  snprintf(digits, sizeof digits, "%.0f", fabs(v));
  size_t len = strlen(digits), o = 0;
  if (v < 0 && strcmp(digits, "0") != 0 && o + 1 < n) buf[o++] = '-';
  for (size_t i = 0; i < len && o + 2 < n; i++) {
    if (i > 0 && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = digits[i];
  }
  buf[o] = '\0';
}

/* A magnitude in words: 2.68 million, 4,940, 3.25 */
void sim_words_magnitude(char *buf, size_t n, double v) {
  double a = fabs(v);
  if (a >= 1e12)
    snprintf(buf, n, "%.3g trillion", v / 1e12);
  else if (a >= 1e9)
    snprintf(buf, n, "%.3g billion", v / 1e9);
  else if (a >= 1e6)
    snprintf(buf, n, "%.3g million", v / 1e6);
  else if (a >= 1000)
    sim_words_grouped(buf, n, v);
  else
    snprintf(buf, n, "%.3g", v);
}

void sim_words_duration(char *buf, size_t n, double hours) {
  double a = fabs(hours);
  if (a == 0)
    snprintf(buf, n, "0");
  else if (a >= 1)
    snprintf(buf, n, "%.3g h", hours);
  else if (a >= 1.0 / 60)
    snprintf(buf, n, "%.3g min", hours * 60);
  else if (a >= 1.0 / 3600)
    snprintf(buf, n, "%.3g s", hours * 3600);
  else
    snprintf(buf, n, "%.3g ms", hours * 3.6e6);
}

/* A value in its unit, e.g. 53.5%, $2.68 million, 9.13 billion tokens, 5.8 s. */
void sim_words_value(char *buf, size_t n, double v, unit_kind unit) {
  char m[32]; /* a magnitude in words is short: "-123 trillion" */
  if (isnan(v)) {
    snprintf(buf, n, "n/a");
    return;
  }
  switch (unit) {
  case U_SHARE: snprintf(buf, n, "%.1f%%", 100 * v); return;
  case U_USD:
  case U_USD_PER_USD:
    sim_words_magnitude(m, sizeof m, fabs(v));
    snprintf(buf, n, "%s$%s", v < 0 ? "-" : "", m);
    return;
  case U_TOKENS: sim_words_magnitude(m, sizeof m, v); snprintf(buf, n, "%s tokens", m); return;
  case U_HOURS: sim_words_duration(buf, n, v); return;
  case U_COUNT: sim_words_grouped(buf, n, v); return;
  case U_KWH: sim_words_magnitude(m, sizeof m, v); snprintf(buf, n, "%s kWh", m); return;
  case U_KG_CO2:
    if (fabs(v) >= 1e4) {
      sim_words_magnitude(m, sizeof m, v / 1000);
      snprintf(buf, n, "%s tonnes CO2", m);
    } else {
      sim_words_magnitude(m, sizeof m, v);
      snprintf(buf, n, "%s kg CO2", m);
    }
    return;
  case U_DAYS: snprintf(buf, n, "%.4g", v); return;
  case U_TIMES: snprintf(buf, n, "%.2f\u00d7", v); return;
  case U_NUMBER:
  case U_TEXT: sim_words_magnitude(buf, n, v); return;
  }
}

/* A difference, signed: +$287, -44.1 points, +1.2 s */
void sim_words_difference(char *buf, size_t n, double d, unit_kind unit) {
  char m[48];
  if (isnan(d)) {
    snprintf(buf, n, "n/a");
    return;
  }
  if (unit == U_SHARE) {
    if (fabs(100 * d) < 0.05)
      snprintf(buf, n, "0 points");
    else
      snprintf(buf, n, "%+.1f points", 100 * d);
    return;
  }
  sim_words_value(m, sizeof m, fabs(d), unit);
  snprintf(buf, n, "%s%s", d > 0 ? "+" : d < 0 ? "-" : "", m);
}

/* A change in percent, +12% or -3%, and 0% (not -0%) when it rounds to nothing. */
/* Small changes keep two significant figures, so a difference the verdict
 * calls real is never shown as "0%". */
void sim_words_signed_percent(char *buf, size_t n, double pct) {
  if (pct == 0)
    snprintf(buf, n, "0%%");
  else if (fabs(pct) < 0.995)
    snprintf(buf, n, "%+.2g%%", pct);
  else
    snprintf(buf, n, "%+.0f%%", pct);
}

