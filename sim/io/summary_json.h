/* sim/io/summary_json.h - summary.json: a results folder's summary.csv for
 * notebooks and dashboards.
 *
 *   {"file": "summary.csv",
 *    "provenance": "burnsim 0.1.0 (revision ...) scenario \"quickstart\" seed 1",
 *    "columns": [{"name": "burn_share", "unit": "share"}, ...],
 *    "rows": [{"burn_share": 0.5363096335, "kpi": "tokens", ...}]}
 *
 * One row for a run, one per run for a campaign.  Numbers are summary.csv's
 * own text (ten significant digits); nan and infinities, which JSON cannot
 * hold, are null; names are strings.  Units are those of docs/output.md
 * (null for a plain number or a name).
 */
#ifndef BURNSIM_SUMMARY_JSON_H
#define BURNSIM_SUMMARY_JSON_H

#include <stdio.h>

/* Writes dir/summary.json from dir/summary.csv, whole or not at all.
 * Returns 0, or -1 with a message on err. */
int sim_summary_json_write(const char *dir, FILE *err);

#endif
