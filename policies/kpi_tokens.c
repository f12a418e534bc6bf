/* policies/kpi_tokens.c - rewards for token consumption: per token, or a leaderboard.
 *
 * token_mode "linear": a commission, usd_per_mtok per 1M tokens of the
 * review.  The marginal reward of a token is constant, whatever it was for.
 *
 * token_mode "leaderboard": a rank-order tournament (Lazear and Rosen).
 * At the review's end the top_k agents by tokens win `prize` (ties broken
 * by the lower agent id; an agent without tokens is not on the board), and
 * every agent earns one badge, worth badge_prize, per badge_tokens tokens.
 * Before a work block an agent values extra tokens by how much they raise
 * its chance of finishing in the top K: each day the K-th largest total so
 * far is projected to the review's end by dividing by the share of the
 * review elapsed, the agent's own total likewise, and the final standing is
 * taken as normal around the projections with sd = rank_noise *
 * visibility_spread * threshold (metric secrecy widens the guess).  Less
 * than a day into a review the projection is noise, so the previous
 * review's final threshold stands in; before any review has data the
 * threshold is unknown and only badges pay.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "policies/kpi.h"

typedef struct tokens_state {
  double visibility; /* kpi_params.visibility_spread */
  double threshold;  /* projected K-th largest review total; NAN when unknown */
  double last_final; /* the last review's final K-th largest; NAN when none */
  double *scratch;   /* one double per agent, for selection */
  size_t n;
} tokens_state;

static int tokens_init(void *state, const org *o, const kpi_params *p, FILE *err) {
  tokens_state *st = state;
  if (!(p->visibility_spread > 0.0) || !isfinite(p->visibility_spread)) {
    fprintf(err, "burnsim: kpi tokens: visibility spread must be positive and finite, got %g\n",
            p->visibility_spread);
    return -1;
  }
  st->visibility = p->visibility_spread;
  st->threshold = NAN;
  st->last_final = NAN;
  st->n = o->agents.n;
  if (st->n > 0) {
    st->scratch = malloc(st->n * sizeof *st->scratch);
    if (!st->scratch) {
      fprintf(err, "burnsim: kpi tokens: out of memory for %zu agents\n", st->n);
      return -1;
    }
  }
  return 0;
}

static void tokens_free(void *state) {
  tokens_state *st = state;
  free(st->scratch);
  st->scratch = NULL;
}

/* Share of a review below which a total is too young to project. */
static double min_progress(const org *o) {
  return o->review_hours > 24.0 ? 24.0 / o->review_hours : 1.0;
}

/* The k-th smallest (0-based) of a[0..n-1], reordering a: Hoare's
 * selection with a median-of-three pivot, O(n) expected and on sorted
 * input, where GSL's insertion-based gsl_sort_largest is O(n k). */
static double select_kth(double *a, size_t n, size_t k) {
  size_t lo = 0, hi = n - 1;
  while (lo < hi) {
    double x = a[lo], y = a[lo + (hi - lo) / 2], z = a[hi];
    double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    size_t i = lo, j = hi;
    /* The pivot lies within a[lo..hi], so both scans stop inside it. */
    for (;;) {
      while (a[i] < pivot) i++;
      while (pivot < a[j]) j--;
      if (i >= j) break;
      double t = a[i];
      a[i] = a[j];
      a[j] = t;
      i++;
      j--;
    }
    /* Now a[lo..j] <= pivot <= a[j+1..hi] (with i >= j). */
    if (i == j) {
      if (k == i) return a[k];
      if (k < i) hi = i - 1;
      else lo = i + 1;
    } else if (k <= j) {
      hi = j;
    } else {
      lo = j + 1;
    }
  }
  return a[k];
}

/* The K-th largest review total (K = min(top_k, n)) and the largest. */
static double kth_largest(tokens_state *st, const org *o, size_t k, double *largest) {
  const double *t = o->agents.review_tokens;
  double top = -INFINITY;
  for (size_t i = 0; i < st->n; i++) {
    st->scratch[i] = t[i];
    if (t[i] > top) top = t[i];
  }
  *largest = top;
  return select_kth(st->scratch, st->n, st->n - k);
}

static size_t places(const org *o, size_t n) {
  int64_t k = o->s->kpi.top_k;
  if (k < 1) k = 1;
  return (uint64_t)k < n ? (size_t)k : n;
}

static double tokens_gain(const void *state, const org *o, uint32_t agent, double tokens,
                          double usd, double value, double now) {
  (void)usd, (void)value;
  const tokens_state *st = state;
  const scn_kpi *c = &o->s->kpi;
  if (c->token_mode == SCN_TOKENS_LINEAR) return c->usd_per_mtok * tokens / 1e6;

  double gain = c->badge_tokens > 0.0 ? c->badge_prize * tokens / c->badge_tokens : 0.0;
  double thr = st->threshold;
  if (isnan(thr)) return gain;
  double p = fmax(org_review_progress(o, now), min_progress(o));
  double own = o->agents.review_tokens[agent] / p;
  /* Fewer than K agents have tokens: any token puts one on the board. */
  if (thr <= 0.0) return gain + (own <= 0.0 && tokens > 0.0 ? c->prize : 0.0);
  double spread = c->rank_noise * st->visibility * thr;
  return gain + kpi_threshold_gain(own, tokens, thr, spread, c->prize);
}

static void tokens_day_end(void *state, const org *o, double now) {
  tokens_state *st = state;
  if (o->s->kpi.token_mode != SCN_TOKENS_LEADERBOARD || st->n == 0) return;
  double p = org_review_progress(o, now);
  double largest;
  double kth = kth_largest(st, o, places(o, st->n), &largest);
  if (p + 1e-12 < min_progress(o) || largest <= 0.0)
    st->threshold = st->last_final;
  else
    st->threshold = kth / p;
}

static void tokens_review_end(void *state, org *o, double *reward, gsl_rng *r) {
  (void)r;
  tokens_state *st = state;
  const scn_kpi *c = &o->s->kpi;
  const double *t = o->agents.review_tokens;
  size_t n = st->n;
  if (c->token_mode == SCN_TOKENS_LINEAR) {
    for (size_t i = 0; i < o->agents.n; i++) reward[i] += c->usd_per_mtok * t[i] / 1e6;
    return;
  }
  if (n == 0) return;
  size_t k = places(o, n);
  double largest;
  double kth = kth_largest(st, o, k, &largest);
  /* Agents strictly above the K-th total all place; the places left go to
   * those tied with it, lower ids first. */
  size_t above = 0;
  for (size_t i = 0; i < n; i++) above += t[i] > kth;
  size_t tied_places = k - above;
  for (size_t i = 0; i < n; i++) {
    int placed = t[i] > kth;
    if (!placed && t[i] == kth && tied_places > 0) {
      placed = 1;
      tied_places--;
    }
    if (placed && t[i] > 0.0) reward[i] += c->prize;
    if (c->badge_tokens > 0.0 && t[i] >= c->badge_tokens) {
      double room = (double)(UINT32_MAX - o->agents.badges[i]);
      double b = fmin(floor(t[i] / c->badge_tokens), room);
      o->agents.badges[i] += (uint32_t)b;
      reward[i] += b * c->badge_prize;
    }
  }
  if (largest > 0.0) st->last_final = kth;
  st->threshold = st->last_final;
}

const kpi_type kpi_tokens = {
    .name = "tokens",
    .doc = "reward per token (linear) or a top-K leaderboard with badges",
    .state_size = sizeof(tokens_state),
    .init = tokens_init,
    .free = tokens_free,
    .gain = tokens_gain,
    .day_end = tokens_day_end,
    .review_end = tokens_review_end,
};
