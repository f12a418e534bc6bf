/* tests/test_event_queue.c - the pending-event set against a sorted reference.
 *
 * The main check is a randomized property test: hundreds of thousands of
 * mixed pushes (times with many exact ties, zero delays, out-of-order
 * times, wide magnitudes, signed zeros, infinities), pops, peeks and
 * removals, each compared with a plain sorted array.  The queue size is
 * steered through phases (empty, tens, hundreds, thousands) so that every
 * internal path is exercised: refinement into rungs, bottom overflow,
 * staging, emptying and restarting.  A few directed tests follow.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_test.h>

#include "core/event_queue.h"

/* SplitMix64: a small, fixed generator so the test is reproducible. */
static uint64_t rng_state = 0x5eed2024u;

static uint64_t rng_next(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static double rng_unif(void) { return (double)(rng_next() >> 11) * 0x1.0p-53; }

static size_t rng_below(size_t n) { return (size_t)(rng_unif() * (double)n); }

/* ---- reference: events sorted by (time, seq) ----------------------------- */

static int key_less(const sim_event *a, const sim_event *b) {
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

typedef struct reference {
  sim_event **ev;
  size_t n, cap;
} reference;

/* Index of the first element not less than e. */
static size_t ref_lower(const reference *r, const sim_event *e) {
  size_t lo = 0, hi = r->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (key_less(r->ev[mid], e))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static void ref_insert(reference *r, sim_event *e) {
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 1024;
    r->ev = realloc(r->ev, r->cap * sizeof *r->ev);
    if (!r->ev) abort();
  }
  size_t p = ref_lower(r, e);
  memmove(&r->ev[p + 1], &r->ev[p], (r->n - p) * sizeof *r->ev);
  r->ev[p] = e;
  r->n++;
}

static void ref_erase(reference *r, const sim_event *e) {
  size_t p = ref_lower(r, e);
  while (p < r->n && r->ev[p] != e) p++;
  if (p == r->n) abort(); /* the test itself is broken */
  memmove(&r->ev[p], &r->ev[p + 1], (r->n - p - 1) * sizeof *r->ev);
  r->n--;
}

/* ---- the randomized property test ---------------------------------------- */

#define POOL 6000
#define OPS 400000

/* A time for a new event, relative to `now` (the last time popped). */
static double draw_time(double now) {
  double u = rng_unif();
  if (u < 0.35) return now + -log1p(-rng_unif()); /* DES-like: exponential */
  if (u < 0.55) return floor(now) + (double)rng_below(4); /* exact ties */
  if (u < 0.65) return now;                              /* zero delay */
  if (u < 0.80) return now - 50 + 1050 * rng_unif();    /* out of order */
  if (u < 0.93) return now + pow(10.0, -6 + 12 * rng_unif());
  if (u < 0.99) {
    static const double odd[] = {0.0, -0.0, 1e300, -1e300, DBL_MIN, -DBL_MIN, 4.9e-324, 1e15};
    return odd[rng_below(sizeof odd / sizeof odd[0])];
  }
  return rng_unif() < 0.5 ? INFINITY : -INFINITY;
}

static void property_test(void) {
  static sim_event pool[POOL];
  size_t free_list[POOL], nfree = POOL;
  for (size_t i = 0; i < POOL; i++) {
    pool[i].pos = SIM_EVENT_NOT_QUEUED;
    free_list[i] = POOL - 1 - i;
  }
  reference ref = {0};
  sim_event_queue *q = sim_event_queue_create(0);
  gsl_test(q == NULL, "create(0)");

  static const size_t targets[] = {0, 5, 40, 150, 600, 2500, POOL - 100};
  size_t target = 0;
  uint64_t seq = 0;
  double now = 0;
  long failures = 0, pops = 0, pushes = 0, removes = 0, peeks = 0, pushes_again = 0;
  sim_event *last_removed = NULL;

  for (long op = 0; op < OPS; op++) {
    if (op % 4000 == 0) target = targets[rng_below(sizeof targets / sizeof targets[0])];
    double p_push = ref.n < target ? 0.7 : 0.3;
    double u = rng_unif();
    if (u < p_push && nfree > 0) {
      sim_event *e;
      if (last_removed && rng_unif() < 0.2) {
        /* Re-push a just-removed event with its old key: its stale
         * position must not confuse the queue. */
        e = last_removed;
        last_removed = NULL;
        for (size_t i = 0; i < nfree; i++)
          if (&pool[free_list[i]] == e) {
            free_list[i] = free_list[--nfree];
            break;
          }
        pushes_again++;
      } else {
        e = &pool[free_list[--nfree]];
        e->time = draw_time(now);
        e->seq = seq++;
        e->kind = (uint32_t)(op & 7);
        e->subject = (uint64_t)op;
      }
      if (last_removed == e) last_removed = NULL;
      if (sim_event_queue_push(q, e) != 0) failures++;
      ref_insert(&ref, e);
      pushes++;
    } else if (u < p_push + 0.08 * (1 - p_push) && ref.n > 0) {
      sim_event *e = ref.ev[rng_below(ref.n)];
      if (sim_event_queue_remove(q, e) != 0 || e->pos != SIM_EVENT_NOT_QUEUED) failures++;
      ref_erase(&ref, e);
      free_list[nfree++] = (size_t)(e - pool);
      last_removed = e;
      removes++;
    } else if (u < p_push + 0.16 * (1 - p_push)) {
      sim_event *want = ref.n ? ref.ev[0] : NULL;
      if (sim_event_queue_peek_min(q) != want) failures++;
      peeks++;
    } else {
      sim_event *want = ref.n ? ref.ev[0] : NULL;
      sim_event *got = sim_event_queue_pop_min(q);
      if (got != want) failures++;
      if (got) {
        if (got->pos != SIM_EVENT_NOT_QUEUED) failures++;
        ref_erase(&ref, got);
        free_list[nfree++] = (size_t)(got - pool);
        if (isfinite(got->time)) now = got->time;
      }
      pops++;
    }
    if (sim_event_queue_size(q) != ref.n) failures++;
    /* An unqueued event is never removable. */
    if (nfree > 0 && sim_event_queue_remove(q, &pool[free_list[rng_below(nfree)]]) != -1) failures++;
    if (failures) {
      fprintf(stderr, "first mismatch at operation %ld\n", op);
      break;
    }
  }
  /* Drain what is left, in order. */
  while (ref.n > 0 && !failures) {
    sim_event *got = sim_event_queue_pop_min(q);
    if (got != ref.ev[0]) failures++;
    ref_erase(&ref, ref.ev[0]);
  }
  gsl_test(failures != 0, "%d random operations (%ld push, %ld re-push, %ld pop, %ld peek, %ld remove) match the sorted reference",
           OPS, pushes, pushes_again, pops, peeks, removes);
  gsl_test(sim_event_queue_pop_min(q) != NULL, "queue empty after the random run");
  sim_event_queue_free(q);
  free(ref.ev);
}

/* ---- directed tests --------------------------------------------------------- */

static void test_empty(void) {
  sim_event_queue *q = sim_event_queue_create(16);
  gsl_test(sim_event_queue_pop_min(q) != NULL, "pop on an empty queue returns NULL");
  gsl_test(sim_event_queue_peek_min(q) != NULL, "peek on an empty queue returns NULL");
  gsl_test_int((int)sim_event_queue_size(q), 0, "empty queue has size 0");

  sim_event e = {.time = 1, .seq = 0, .pos = SIM_EVENT_NOT_QUEUED};
  gsl_test_int(sim_event_queue_remove(q, &e), -1, "remove of a never-queued event");
  gsl_test_int(sim_event_queue_push(q, &e), 0, "push");
  gsl_test_int(sim_event_queue_push(q, &e), -1, "push of an already queued event is refused");
  gsl_test_int((int)sim_event_queue_size(q), 1, "size 1 after a refused second push");
  gsl_test(sim_event_queue_pop_min(q) != &e, "pop returns the event");
  gsl_test_int(sim_event_queue_remove(q, &e), -1, "remove of a popped event");
  gsl_test(sim_event_queue_pop_min(q) != NULL, "pop after emptying returns NULL");
  gsl_test_int(sim_event_queue_push(q, &e), 0, "push after emptying");
  gsl_test_int(sim_event_queue_remove(q, &e), 0, "remove of a queued event");
  gsl_test_int(sim_event_queue_remove(q, &e), -1, "remove twice");
  gsl_test(sim_event_queue_pop_min(q) != NULL, "pop after removing the only event");
  sim_event_queue_free(q);
  sim_event_queue_free(NULL); /* allowed, like free(NULL) */
}

/* 1000 events at one time leave in insertion (seq) order, also when other
 * times are mixed in and when they are pushed in scrambled memory order. */
static void test_ties(void) {
  enum { N = 1000 };
  static sim_event ev[N], other[N];
  sim_event_queue *q = sim_event_queue_create(0);
  for (int i = 0; i < N; i++) {
    /* Memory order differs from insertion order. */
    sim_event *e = &ev[(i * 617) % N];
    e->time = 42.0;
    e->seq = (uint64_t)i;
    e->subject = (uint64_t)i;
    e->pos = SIM_EVENT_NOT_QUEUED;
    sim_event_queue_push(q, e);
    other[i].time = (i % 2) ? 41.0 + rng_unif() : 42.0 + rng_unif() + 1e-9;
    other[i].seq = (uint64_t)(N + i);
    other[i].subject = UINT64_MAX;
    other[i].pos = SIM_EVENT_NOT_QUEUED;
    sim_event_queue_push(q, &other[i]);
  }
  int bad = 0;
  uint64_t next = 0;
  double last = -INFINITY;
  for (int i = 0; i < 2 * N; i++) {
    sim_event *e = sim_event_queue_pop_min(q);
    if (!e || e->time < last) {
      bad++;
      break;
    }
    last = e->time;
    if (e->time == 42.0 && e->subject != next++) bad++;
  }
  gsl_test(bad != 0 || next != N, "%d simultaneous events leave in insertion order", N);
  gsl_test(sim_event_queue_pop_min(q) != NULL, "tie test drains completely");
  sim_event_queue_free(q);
}

/* From capacity 1 to 10^5 events, then out again in order, twice (the
 * second round reuses the grown storage). */
static void test_growth(void) {
  enum { N = 100000 };
  sim_event *ev = calloc(N, sizeof *ev);
  sim_event_queue *q = sim_event_queue_create(1);
  for (int round = 0; round < 2; round++) {
    int fail = 0;
    for (int i = 0; i < N; i++) {
      ev[i].time = floor(rng_unif() * 5000.0) / 8.0; /* plenty of ties */
      ev[i].seq = (uint64_t)(round * N + i);
      ev[i].pos = SIM_EVENT_NOT_QUEUED;
      if (sim_event_queue_push(q, &ev[i]) != 0) fail++;
    }
    gsl_test(fail != 0 || sim_event_queue_size(q) != N, "round %d: %d pushes from capacity 1", round, N);
    sim_event *prev = NULL;
    int bad = 0;
    for (int i = 0; i < N; i++) {
      sim_event *e = sim_event_queue_pop_min(q);
      if (!e || (prev && key_less(e, prev))) {
        bad++;
        break;
      }
      prev = e;
    }
    gsl_test(bad != 0 || sim_event_queue_size(q) != 0, "round %d: %d pops in (time, seq) order", round, N);
  }
  sim_event_queue_free(q);
  free(ev);
}

/* Hold model with removals, as a simulation uses the queue: pop the
 * earliest, push it back later, now and then cancel a pending event. */
static void test_hold_with_cancel(void) {
  enum { N = 20000, HOLD_OPS = 300000 };
  sim_event *ev = calloc(N, sizeof *ev);
  sim_event_queue *q = sim_event_queue_create(N);
  uint64_t seq = 0;
  for (int i = 0; i < N; i++) {
    ev[i].time = -log1p(-rng_unif());
    ev[i].seq = seq++;
    ev[i].pos = SIM_EVENT_NOT_QUEUED;
    sim_event_queue_push(q, &ev[i]);
  }
  int bad = 0;
  double now = 0;
  for (int k = 0; k < HOLD_OPS && !bad; k++) {
    sim_event *e = sim_event_queue_pop_min(q);
    if (!e || e->time < now) bad++;
    now = e->time;
    e->time = now + -log1p(-rng_unif());
    e->seq = seq++;
    sim_event_queue_push(q, e);
    if (k % 7 == 0) { /* cancel one and reschedule it */
      sim_event *c = &ev[rng_below(N)];
      if (sim_event_queue_remove(q, c) != 0) bad++;
      c->time = now + 3 * rng_unif();
      c->seq = seq++;
      sim_event_queue_push(q, c);
    }
  }
  gsl_test(bad != 0 || sim_event_queue_size(q) != N, "hold model with cancellations stays ordered");
  sim_event_queue_free(q);
  free(ev);
}

/* Times spread over hundreds of binary orders of magnitude, so refinement
 * runs out of rungs and the rest must still come out in order. */
static void test_multiscale(void) {
  enum { SCALES = 1000, PER = 20, N = SCALES * PER };
  sim_event *ev = calloc(N, sizeof *ev);
  sim_event_queue *q = sim_event_queue_create(0);
  for (int i = 0; i < N; i++) {
    int k = (int)rng_below(SCALES);
    ev[i].time = ldexp(1.0 + rng_unif(), -k) * (rng_unif() < 0.5 ? 1 : -1);
    ev[i].seq = (uint64_t)i;
    ev[i].pos = SIM_EVENT_NOT_QUEUED;
    sim_event_queue_push(q, &ev[i]);
  }
  int bad = 0, again = N / 2;
  double last_time = -INFINITY;
  uint64_t last_seq = 0, seq = N;
  sim_event *e;
  while ((e = sim_event_queue_pop_min(q)) != NULL) {
    if (e->time < last_time || (e->time == last_time && e->seq <= last_seq)) {
      bad++;
      break;
    }
    last_time = e->time;
    last_seq = e->seq;
    /* Push some back a little later (keeps the deep rungs busy). */
    if (again > 0 && rng_unif() < 0.5) {
      again--;
      e->time = e->time + fabs(e->time) * rng_unif();
      e->seq = seq++;
      sim_event_queue_push(q, e);
    }
  }
  gsl_test(bad != 0 || sim_event_queue_size(q) != 0, "times over %d binary orders of magnitude leave in order", SCALES);
  sim_event_queue_free(q);
  free(ev);
}

int main(void) {
  property_test();
  test_empty();
  test_ties();
  test_growth();
  test_hold_with_cancel();
  test_multiscale();
  return gsl_test_summary();
}
