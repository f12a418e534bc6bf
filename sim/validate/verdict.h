/* sim/validate/verdict.h - the verdict of one validation check.
 *
 * A check compares burnsim's estimate of a quantity, a mean over
 * replications with its Student-t 95% interval, with a band around the
 * known answer:
 *   pass          the whole interval lies inside the band
 *   fail          the whole interval lies outside it
 *   inconclusive  the interval straddles an edge of the band; the verdict
 *                 then says how many replications would decide, taking the
 *                 measured sd as known and the mean as it is
 * A deterministic quantity (one value, no spread) is its own interval.
 * A verdict never rests on a single seed: an estimate from one replication
 * of a random quantity has no interval and is inconclusive.
 */
#ifndef BURNSIM_VALIDATE_VERDICT_H
#define BURNSIM_VALIDATE_VERDICT_H

#include <stddef.h>

typedef enum val_verdict { VAL_PASS = 0, VAL_INCONCLUSIVE = 1, VAL_FAIL = 2 } val_verdict;

/* "pass", "inconclusive", "fail" */
const char *val_verdict_name(val_verdict v);

/* The estimate of one quantity. */
typedef struct val_estimate {
  size_t n;       /* replications (0: a deterministic quantity, computed once) */
  double mean, sd; /* sd: NaN with fewer than two replications */
  double lo, hi;  /* the interval: [mean, mean] when deterministic */
} val_estimate;

/* The estimate of values x[0..n-1], one per replication, at confidence
 * (0.95); deterministic when n is 0 (then x[0] is the value). */
val_estimate val_estimate_of(const double *x, size_t n, double confidence);

/* The verdict of e against the band [low, high] (either end may be
 * infinite), or (low, high) when open: a sign, where an estimate of exactly
 * 0 does not show the claimed rise or fall.  When inconclusive and reps_needed is not NULL, *reps_needed
 * is the least number of replications whose interval at the measured sd
 * would clear the nearest edge (up to cap; cap when even that is not
 * enough, or 0 when the sd is unknown).  A NaN estimate fails. */
val_verdict val_decide(const val_estimate *e, double low, double high, int open, double confidence, size_t cap,
                       size_t *reps_needed);

/* The worse of two verdicts: fail, then inconclusive, then pass. */
val_verdict val_worse(val_verdict a, val_verdict b);

#endif
