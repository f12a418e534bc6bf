/* sim/io/metrics.h - what each result column is: its words, its unit, which way is better.
 *
 * One table (metrics.c) for every page and message that shows a summary
 * column in plain words: the HTML report, the run's closing lines and the
 * units of summary.json, and the campaign figures' titles and directions
 * (burnsim hands the table to gnuplot as metrics.gp: io/plot.c).
 */
#ifndef BURNSIM_IO_METRICS_H
#define BURNSIM_IO_METRICS_H

#include <stddef.h>

typedef enum unit_kind {
  U_NUMBER,        /* a plain number */
  U_SHARE,         /* a share in [0, 1], shown in percent */
  U_USD,           /* dollars */
  U_USD_PER_USD,   /* dollars of output per dollar of compute */
  U_TOKENS,
  U_HOURS,         /* a duration in hours, shown in a unit that suits it */
  U_COUNT,         /* a whole number */
  U_KWH,
  U_KG_CO2,
  U_DAYS,
  U_TIMES,         /* a ratio, shown as 1.25x */
  U_TEXT           /* a name, e.g. of a policy */
} unit_kind;

typedef struct metric_info {
  const char *column;
  const char *label;
  unit_kind unit;
  int better; /* +1 more is better, -1 less is better, 0 neither */
  const char *explain; /* for a run's summary, or NULL */
  const char *figure_label; /* a shorter label for a figure's title, or NULL: the label */
} metric_info;

/* The metric of a column, or NULL when burnsim has no words for it. */
const metric_info *sim_metric_named(const char *column);
/* The i-th metric, in the order a single run's summary is shown; NULL past the end. */
const metric_info *sim_metric_at(size_t i);
/* The metrics a campaign's tables show after the objective, in order; NULL past the end. */
const char *sim_metric_key_at(size_t i);

/* The unit of a column for machine-readable files ("USD", "share", ...), or
 * NULL when it has none (a plain number or a name). */
const char *sim_metric_unit_text(const char *column);

#endif
