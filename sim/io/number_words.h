/* sim/io/number_words.h - numbers as a reader says them: $2.68 million, 53.5%, 5.8 s. */
#ifndef BURNSIM_IO_NUMBER_WORDS_H
#define BURNSIM_IO_NUMBER_WORDS_H

#include <stddef.h>

#include "io/metrics.h"

/* v with thousands separators, rounded to a whole number: 12,345 */
void sim_words_grouped(char *buf, size_t n, double v);
/* A magnitude in words: 2.68 million, 4,940, 3.25 */
void sim_words_magnitude(char *buf, size_t n, double v);
/* A duration given in hours, in a unit that suits it: 5.8 s, 12 min, 3.5 h */
void sim_words_duration(char *buf, size_t n, double hours);
/* A value in its unit, e.g. 53.5%, $2.68 million, 9.13 billion tokens, 5.8 s; n/a for NaN. */
void sim_words_value(char *buf, size_t n, double v, unit_kind unit);
/* A difference, signed: +$287, -44.1 points, +1.2 s */
void sim_words_difference(char *buf, size_t n, double d, unit_kind unit);
/* A change in percent, +12% or -3%, and 0% (not -0%) when it rounds to nothing. */
void sim_words_signed_percent(char *buf, size_t n, double pct);

#endif
